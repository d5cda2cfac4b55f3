//! What every front end shares: the engine, its telemetry, the settings and the shutdown signal.

use crate::config::Settings;
use crate::engine::Engine;
use crate::store::Fleet;
use crate::telemetry::{Event, Telemetry};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub struct State {
    pub engine: Arc<Engine>,
    pub telemetry: Arc<Telemetry>,
    pub settings: Settings,
    /// Cancelled when the daemon starts shutting down.
    pub shutdown: CancellationToken,
    /// Every request being processed, so shutdown can wait for them.
    pub requests: TaskTracker,
    /// The fleet's shared rate limit and events, with a Redis store.
    pub fleet: Option<Arc<dyn Fleet>>,
}

impl State {
    /// Starts a graceful shutdown (signal or `shutdown` command).
    pub fn request_shutdown(&self, why: &str) {
        if !self.shutdown.is_cancelled() {
            tracing::info!(reason = why, "shutting down");
            // Published before cancelling, so every subscriber has it queued before its `bye`.
            self.telemetry.events.publish(Event::Shutdown);
            self.shutdown.cancel();
        }
    }
}
