use luna_ipc::PingResult;

pub fn handle() -> PingResult {
    PingResult { pong: true }
}
