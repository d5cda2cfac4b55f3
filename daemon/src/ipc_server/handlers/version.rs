use crate::art::ALGORITHM_VERSION;
use crate::state::State;
use luna_ipc::PROTOCOL_VERSION;
use serde_json::{Value, json};

pub fn handle(state: &State) -> Value {
    json!({
        "server": "lunad",
        "version": crate::VERSION,
        "proto": PROTOCOL_VERSION,
        "algorithm": ALGORITHM_VERSION,
        "pid": std::process::id(),
        "uptime_seconds": state.engine.uptime().as_secs_f64(),
    })
}
