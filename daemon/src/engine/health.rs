//! Readiness checks: the store answers, stored files can be written, the drawing code draws.

use super::artefacts::Artefacts;
use crate::art::{LogoSpec, render_svg};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checks {
    pub store: bool,
    pub storage_writable: bool,
    pub generator: bool,
}

impl Checks {
    pub fn healthy(self) -> bool {
        self.store && self.storage_writable && self.generator
    }
}

pub(super) async fn run(store: &dyn Store, artefacts: &Artefacts) -> Checks {
    let probe = artefacts
        .dir()
        .join(format!(".tmp-health-{}", std::process::id()));
    let storage_writable =
        std::fs::write(&probe, b"ok").is_ok() && std::fs::remove_file(&probe).is_ok();
    let generator =
        render_svg(&LogoSpec::default().with_size(16).expect("16 px is valid")).ends_with("</svg>");
    Checks {
        store: store.counters().await.is_ok(),
        storage_writable,
        generator,
    }
}
