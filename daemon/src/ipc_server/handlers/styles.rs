use crate::ipc_server::wire;
use luna_ipc::StyleInfo;

pub fn handle() -> Vec<StyleInfo> {
    wire::styles()
}
