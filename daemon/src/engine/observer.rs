//! How the engine tells the rest of the daemon what happened, without knowing who listens
//! (metrics and events live in `telemetry`, beside the engine).

use super::{CleanupReport, Format};
use crate::art::LogoSpec;

/// One answered generation.
#[derive(Debug, Clone, Copy)]
pub struct Generated<'a> {
    pub spec: &'a LogoSpec,
    pub format: Format,
    /// Seconds spent rendering; `None` when served from the cache.
    pub render_seconds: Option<f64>,
    /// The stored file's name, when the request stored one.
    pub file: Option<&'a str>,
}

/// Receives the engine's news. Called inline on the request path: keep it cheap.
pub trait Observer: Send + Sync {
    fn generated(&self, generated: &Generated<'_>);
    fn cleaned(&self, report: &CleanupReport);
    /// The totals changed, or the store went degraded or recovered (at most once per tick).
    fn stats_changed(&self, total_generated: u64, cache_hits: u64, store_degraded: bool);
}

/// Listens to nothing: for tools and tests that need no telemetry.
pub struct Unobserved;

impl Observer for Unobserved {
    fn generated(&self, _: &Generated<'_>) {}
    fn cleaned(&self, _: &CleanupReport) {}
    fn stats_changed(&self, _: u64, _: u64, _: bool) {}
}
