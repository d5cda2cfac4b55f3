use luna_ipc::COMMANDS;
use serde_json::{Value, json};

pub fn handle() -> Value {
    json!({ "commands": COMMANDS })
}
