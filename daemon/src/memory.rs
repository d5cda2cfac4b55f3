//! Hands memory freed after a burst (render buffers, queued requests, connections) back to the
//! system. glibc keeps freed memory in its arenas, so without this RSS after a load stays at the
//! load's peak.
//!
//! The trim runs when a burst of raster renders ends, and every few seconds for everything else.
//! The end of a burst is watched for rather than signalled: a burst also ends when its clients
//! go away and their queued requests are dropped, with no render to say so. One trim takes well
//! under a millisecond; a look costs two atomic loads.

use crate::engine::Engine;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const PERIOD: Duration = Duration::from_secs(5);
const LOOK_EVERY: Duration = Duration::from_millis(100);

pub async fn return_freed_memory(engine: Arc<Engine>, shutdown: CancellationToken) {
    let mut looks = tokio::time::interval(LOOK_EVERY);
    let mut was_busy = false;
    let mut trimmed = Instant::now();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = looks.tick() => {}
        }
        let busy = !engine.rasters_idle();
        if (was_busy && !busy) || trimmed.elapsed() >= PERIOD {
            trim();
            trimmed = Instant::now();
        }
        was_busy = busy;
    }
}

fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused memory to the system; it is safe at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
