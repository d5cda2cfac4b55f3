//! Hands memory freed after a burst (render buffers, queued requests, connections) back to the
//! system. glibc keeps freed memory in its arenas, so without this RSS after a load stays at the
//! load's peak.
//!
//! The trim runs when a burst of raster renders ends, and every few seconds for everything else.
//! A burst's start is signalled; its end is watched for (every 100 ms, only while a burst runs),
//! because a burst also ends when its clients go away and their queued requests are dropped,
//! with no render to say so. One trim takes well under a millisecond.

use crate::engine::Engine;

/// Tunes glibc's allocator for a render daemon. Call first thing in `main`, before any other
/// thread exists (the benches call it too, so they measure what lunad runs with).
///
/// - Two arenas: glibc gives threads that allocate at once arenas of their own (up to 8 per
///   core), and each keeps what was freed in it, so after a burst of renders on the blocking
///   pool RSS stayed far above what is live.
/// - No `mmap` for blocks under 512 KiB, and no trimming on every `free`: a render allocates
///   several quarter-megabyte buffers (pixmap, pixels, encoder output), and as fresh mappings
///   each cost a page fault per 4 KiB, a fifth of a 256 px PNG's time. Freed memory goes back
///   to the system when a burst ends ([`return_freed_memory`]) instead. The threshold stays
///   low because a large zeroed block from the heap is written through at once, where a
///   mapping is only touched as used: at 32 MiB, idle RSS rose from 10 to 15 MiB.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: called before any other thread exists; mallopt only changes the allocator's tuning.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 512 << 10);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const PERIOD: Duration = Duration::from_secs(5);
const LOOK_EVERY: Duration = Duration::from_millis(100);

pub async fn return_freed_memory(engine: Arc<Engine>, shutdown: CancellationToken) {
    let mut periodic = tokio::time::interval(PERIOD);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = periodic.tick() => {
                trim();
                continue;
            }
            _ = engine.rasters_started() => {}
        }
        // Looks from 100 ms on, so at most ten trims a second however requests arrive.
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(LOOK_EVERY) => {}
            }
            if engine.rasters_idle() {
                break;
            }
        }
        trim();
    }
}

fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused memory to the system; it is safe at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
