//! Readiness checks: the store answers, stored files can be written, the drawing code draws.

use super::artefacts::Artefacts;
use crate::art::{LogoSpec, render_svg};
use crate::store::Store;

/// The store's answer to a health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreCheck {
    Ok,
    /// A shared store is unreachable: this replica serves on, buffering counts.
    Degraded,
    Failed,
}

impl StoreCheck {
    pub fn word(self) -> &'static str {
        match self {
            StoreCheck::Ok => "ok",
            StoreCheck::Degraded => "degraded",
            StoreCheck::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checks {
    pub store: StoreCheck,
    pub storage_writable: bool,
    pub generator: bool,
}

impl Checks {
    /// Healthy enough to serve: a degraded store counts as healthy unless `strict`.
    pub fn healthy(self, strict: bool) -> bool {
        let store = match self.store {
            StoreCheck::Ok => true,
            StoreCheck::Degraded => !strict,
            StoreCheck::Failed => false,
        };
        store && self.storage_writable && self.generator
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
    let store = match store.ping().await {
        Ok(()) => StoreCheck::Ok,
        Err(e) if e.is_unreachable() => StoreCheck::Degraded,
        Err(_) => StoreCheck::Failed,
    };
    Checks {
        store,
        storage_writable,
        generator,
    }
}
