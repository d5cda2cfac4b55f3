use crate::art::ALGORITHM_VERSION;
use crate::state::State;
use luna_ipc::{PROTOCOL_VERSION, VersionResult};

pub fn handle(state: &State) -> VersionResult {
    VersionResult {
        server: "lunad".to_owned(),
        version: crate::VERSION.to_owned(),
        proto: PROTOCOL_VERSION,
        algorithm: ALGORITHM_VERSION,
        pid: std::process::id(),
        uptime_seconds: state.engine.uptime().as_secs_f64(),
    }
}
