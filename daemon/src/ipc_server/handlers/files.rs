use super::to_value;
use crate::state::State;
use luna_ipc::{FilesArgs, WireError};
use serde_json::Value;

pub fn handle(state: &State, args: FilesArgs) -> Result<Value, WireError> {
    state
        .engine
        .files(args.limit)
        .map(to_value)
        .map_err(|e| e.to_wire())
}
