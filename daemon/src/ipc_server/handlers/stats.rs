use super::to_value;
use crate::state::State;
use luna_ipc::WireError;
use serde_json::Value;

pub fn handle(state: &State) -> Result<Value, WireError> {
    state.engine.stats().map(to_value).map_err(|e| e.to_wire())
}
