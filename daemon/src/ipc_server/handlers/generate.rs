use crate::ipc_server::wire;
use crate::state::State;
use luna_ipc::{GenerateArgs, GenerateResult, WireError};

pub async fn handle(state: &State, args: GenerateArgs) -> Result<GenerateResult, WireError> {
    let output = state
        .engine
        .generate(&wire::generate(args))
        .await
        .map_err(wire::error)?;
    Ok(wire::generate_result(output))
}
