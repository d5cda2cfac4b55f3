use crate::ipc_server::wire;
use crate::state::State;
use luna_ipc::{FileArgs, FileResult, WireError};

/// A stored file's bytes, by name. Only indexed, validly named files are read.
pub async fn handle(state: &State, args: FileArgs) -> Result<FileResult, WireError> {
    let (file, bytes) = state.engine.file(&args.name).await.map_err(wire::error)?;
    Ok(wire::file(file, &bytes))
}
