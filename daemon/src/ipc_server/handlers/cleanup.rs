use crate::ipc_server::wire;
use crate::state::State;
use luna_ipc::{CleanupArgs, CleanupResult, ErrorCode, WireError};

pub async fn handle(state: &State, args: CleanupArgs) -> Result<CleanupResult, WireError> {
    if !args.confirm && !args.dry_run {
        return Err(WireError::new(
            ErrorCode::InvalidArgument,
            "cleanup deletes stored files: pass \"confirm\": true (or \"dry_run\": true to preview)",
        )
        .with_details(serde_json::json!({ "path": "confirm" })));
    }
    let report = state
        .engine
        .cleanup(&wire::cleanup(&args))
        .await
        .map_err(wire::error)?;
    Ok(wire::cleanup_result(report))
}
