use crate::ipc_server::wire;
use crate::state::State;
use luna_ipc::{FilesArgs, FilesResult, WireError};

pub async fn handle(state: &State, args: FilesArgs) -> Result<FilesResult, WireError> {
    let listing = state.engine.files(args.limit).await.map_err(wire::error)?;
    Ok(wire::files(listing))
}
