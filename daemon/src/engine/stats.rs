//! Statistics: counting generations (buffered, group-committed) and reading the totals.

use super::{EngineError, Format};
use crate::art::LogoSpec;
use crate::store::{Buffering, Counters, FilesSummary, Generation, GroupFlush, Outage, Store};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

/// Everything `stats` reports, durable counts and those not yet written alike.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub total_generated: u64,
    pub cache_hits: u64,
    pub variants: BTreeMap<String, u64>,
    /// Size (as a string, like the original's keys) → count.
    pub sizes: BTreeMap<String, u64>,
    pub styles: BTreeMap<String, u64>,
    pub formats: BTreeMap<String, u64>,
    pub last_generation: Option<SystemTime>,
    /// Stored files and their total size.
    pub files: FilesSummary,
    pub uptime: Duration,
    pub store: StoreStatus,
}

/// How the store is doing, as `stats`, `/health` and the metrics report it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreStatus {
    /// A shared store is unreachable: counts wait in memory, totals are this replica's last
    /// view plus what it counted since, and the rate limit is per replica.
    pub degraded: bool,
    pub buffering: Buffering,
}

pub(super) struct Statistics {
    store: Arc<dyn Store>,
    durability: Arc<GroupFlush>,
    changed: AtomicBool,
    outage: Arc<Outage>,
    /// The stored counters and index summary as last read, shown during an outage.
    last_counters: std::sync::Mutex<Counters>,
    last_files: std::sync::Mutex<FilesSummary>,
}

impl Statistics {
    pub fn new(
        store: Arc<dyn Store>,
        outage: Arc<Outage>,
        durability: Arc<GroupFlush>,
    ) -> Statistics {
        Statistics {
            durability,
            store,
            changed: AtomicBool::new(false),
            outage,
            last_counters: std::sync::Mutex::default(),
            last_files: std::sync::Mutex::default(),
        }
    }

    pub fn buffering(&self) -> Buffering {
        self.durability.buffering()
    }

    /// What `read` gets from the store, kept in `last`; during an outage, what `last` kept
    /// (shown as such: the totals are marked degraded).
    async fn read_or_last<T: Clone>(
        &self,
        last: &std::sync::Mutex<T>,
        read: impl std::future::Future<Output = Result<T, crate::store::StoreError>>,
    ) -> Result<T, EngineError> {
        let kept = || last.lock().expect("last read").clone();
        if self.outage.degraded() {
            return Ok(kept());
        }
        match read.await {
            Ok(value) => {
                *last.lock().expect("last read") = value.clone();
                Ok(value)
            }
            Err(e) if e.is_unreachable() => {
                self.outage.begin(&e);
                Ok(kept())
            }
            Err(e) => Err(EngineError::Store(e)),
        }
    }

    /// Counts one generation in memory; it reaches the store at the next tick or [`durable`].
    /// The caller marks the statistics changed once the generation is announced.
    ///
    /// [`durable`]: Statistics::durable
    pub fn count(&self, spec: &LogoSpec, format: Format, cached: bool) {
        self.durability.note(&Generation {
            style: spec.style().key(),
            variant: spec.variant().key(),
            size: spec.size(),
            format: format.extension(),
            at_unix_ms: super::unix_ms(SystemTime::now()),
            cached,
        });
    }

    pub fn mark_changed(&self) {
        self.changed.store(true, Ordering::Relaxed);
    }

    /// Whether anything changed since the last call.
    pub fn take_changed(&self) -> bool {
        self.changed.swap(false, Ordering::Relaxed)
    }

    /// Waits until every count and index write so far survives a crash.
    pub async fn durable(&self) -> Result<(), EngineError> {
        Ok(self.durability.durable().await?)
    }

    /// Writes buffered counts to the store (without waiting for the disk).
    pub async fn write_pending(&self) -> Result<(), EngineError> {
        Ok(self.durability.write_pending().await?)
    }

    /// Stored counters plus those not yet written.
    pub async fn counters(&self) -> Result<Counters, EngineError> {
        let mut counters = self
            .read_or_last(&self.last_counters, self.store.counters())
            .await?;
        counters.merge(&self.durability.pending());
        Ok(counters)
    }

    /// The totals; the caller fills in [`Stats::store`].
    pub async fn stats(&self, uptime: Duration) -> Result<Stats, EngineError> {
        let c = self.counters().await?;
        let files = self
            .read_or_last(&self.last_files, self.store.files_summary())
            .await?;
        Ok(Stats {
            total_generated: c.total,
            cache_hits: c.cache_hits,
            variants: c.variants,
            sizes: c.sizes,
            styles: c.styles,
            formats: c.formats,
            last_generation: c
                .last_generation_ms
                .map(|ms| SystemTime::UNIX_EPOCH + Duration::from_millis(ms)),
            files,
            uptime,
            store: StoreStatus::default(),
        })
    }
}

/// RFC 3339 UTC with millisecond precision, e.g. `2026-11-25T19:32:07.123Z`, as every front end
/// shows times.
pub fn rfc3339(time: SystemTime) -> String {
    let ms = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    humantime::format_rfc3339_millis(SystemTime::UNIX_EPOCH + Duration::from_millis(ms)).to_string()
}
