//! The periodic cleanup: enforces the configured age and size limits on stored files, and drops
//! local copies of files another replica cleaned up (a shared index).

use crate::engine::CleanupRequest;
use crate::state::State;
use std::sync::Arc;

pub async fn run(state: Arc<State>) {
    let policy = state.settings.cleanup.clone();
    let mut ticks = tokio::time::interval(policy.interval);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = ticks.tick() => {}
        }
        // One pass per limit: age first, then size among what remains.
        let passes = [
            policy.max_age.map(|age| CleanupRequest {
                older_than: Some(age),
                ..CleanupRequest::default()
            }),
            policy.max_total_bytes.map(|max| CleanupRequest {
                max_total_bytes: Some(max),
                ..CleanupRequest::default()
            }),
        ];
        // The index is out of reach: nothing can be selected; the next pass catches up.
        if state.engine.store_degraded() {
            tracing::debug!("store degraded: periodic cleanup skipped");
            continue;
        }
        match state.engine.drop_unindexed_copies().await {
            Ok(0) => {}
            Ok(dropped) => {
                tracing::info!(dropped, "dropped local copies of files cleaned elsewhere")
            }
            Err(e) => tracing::error!(error = %e, "dropping copies of cleaned files failed"),
        }
        for args in passes.into_iter().flatten() {
            match state.engine.cleanup(&args).await {
                Ok(done) if !done.removed.is_empty() => tracing::info!(
                    removed = done.removed.len(),
                    freed_bytes = done.freed_bytes,
                    "periodic cleanup"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "periodic cleanup failed"),
            }
        }
    }
}
