use crate::state::State;
use serde_json::{Value, json};

/// Answers first: the reply is written before the connection drains and closes.
pub fn handle(state: &State) -> Value {
    state.request_shutdown("shutdown command");
    json!({ "stopping": true })
}
