use crate::state::State;
use luna_ipc::ShutdownResult;

/// Answers first: the reply is written before the connection drains and closes.
pub fn handle(state: &State) -> ShutdownResult {
    state.request_shutdown("shutdown command");
    ShutdownResult { stopping: true }
}
