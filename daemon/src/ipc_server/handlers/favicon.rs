use crate::ipc_server::wire;
use crate::state::State;
use luna_ipc::{FaviconArgs, FaviconResult, WireError};

/// A logo's favicon package, every file inline.
pub async fn handle(state: &State, args: FaviconArgs) -> Result<FaviconResult, WireError> {
    let (spec, background) = wire::favicon(args).validate().map_err(wire::error)?;
    let favicon = state
        .engine
        .favicon(spec, background)
        .await
        .map_err(wire::error)?;
    Ok(wire::favicon_result(favicon))
}
