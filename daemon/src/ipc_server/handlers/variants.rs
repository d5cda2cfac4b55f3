use crate::ipc_server::wire;
use luna_ipc::VariantInfo;

pub fn handle() -> Vec<VariantInfo> {
    wire::variants()
}
