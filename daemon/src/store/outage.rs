//! Whether a shared store is unreachable right now. Writes wait in memory while it is (the
//! fleet degrades instead of failing); the first success afterwards ends the outage.

use std::sync::Mutex;
use std::time::Instant;

#[derive(Default)]
pub struct Outage {
    since: Mutex<Option<Instant>>,
}

impl Outage {
    pub fn degraded(&self) -> bool {
        self.since.lock().expect("outage").is_some()
    }

    /// Records a failure to reach the store; logs the start of an outage once.
    pub fn begin(&self, reason: &dyn std::fmt::Display) {
        let mut since = self.since.lock().expect("outage");
        if since.is_none() {
            *since = Some(Instant::now());
            tracing::warn!(error = %reason, "store unreachable: running degraded, buffering counts in memory");
        }
    }

    /// Records a success; logs the end of an outage once.
    pub fn end(&self) {
        if let Some(began) = self.since.lock().expect("outage").take() {
            tracing::info!(
                after_seconds = began.elapsed().as_secs_f64(),
                "store reachable again"
            );
        }
    }
}
