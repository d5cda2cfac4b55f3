use serde_json::{Value, json};

pub fn handle() -> Value {
    json!({ "pong": true })
}
