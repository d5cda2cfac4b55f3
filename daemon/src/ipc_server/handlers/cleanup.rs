use super::to_value;
use crate::state::State;
use luna_ipc::{CleanupArgs, ErrorCode, WireError};
use serde_json::Value;

pub async fn handle(state: &State, args: CleanupArgs) -> Result<Value, WireError> {
    if !args.confirm && !args.dry_run {
        return Err(WireError::new(
            ErrorCode::InvalidArgument,
            "cleanup deletes stored files: pass \"confirm\": true (or \"dry_run\": true to preview)",
        )
        .with_details(serde_json::json!({ "path": "confirm" })));
    }
    state
        .engine
        .cleanup(&args)
        .await
        .map(to_value)
        .map_err(|e| e.to_wire())
}
