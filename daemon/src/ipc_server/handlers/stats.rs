use crate::ipc_server::wire;
use crate::state::State;
use luna_ipc::{StatsResult, WireError};

pub async fn handle(state: &State) -> Result<StatsResult, WireError> {
    state
        .engine
        .stats()
        .await
        .map(wire::stats)
        .map_err(wire::error)
}
