//! Group commit for statistics and the file index. Counter increments are buffered in memory;
//! callers that need durability share one "write the buffer, then flush" pass instead of each
//! running a database transaction and a flush, so acknowledging every generation durably stays
//! cheap under load (concurrent transactions on the same counters would conflict and retry).

use super::{Batch, Counters, Generation, Store, StoreError};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Mutex, watch};

/// Generations counted but not yet written, by (style, variant, size, format, cached): cheaper to
/// bump per request than a [`Counters`] with its string-keyed maps.
#[derive(Default)]
struct Pending {
    counts: HashMap<(&'static str, &'static str, u32, &'static str, bool), u64>,
    last_ms: Option<u64>,
}

impl Pending {
    fn to_counters(&self) -> Counters {
        let mut counters = Counters {
            last_generation_ms: self.last_ms,
            ..Counters::default()
        };
        for (&(style, variant, size, format, cached), &n) in &self.counts {
            counters.total += n;
            if cached {
                counters.cache_hits += n;
            }
            *counters.styles.entry(style.to_owned()).or_default() += n;
            *counters.variants.entry(variant.to_owned()).or_default() += n;
            *counters.sizes.entry(size.to_string()).or_default() += n;
            *counters.formats.entry(format.to_owned()).or_default() += n;
        }
        counters
    }
}

pub struct GroupFlush {
    store: Arc<dyn Store>,
    /// Increments not yet written to the store.
    pending: std::sync::Mutex<Pending>,
    /// Batches whose write failed, retried as they were (same ids) before anything newer.
    failed: std::sync::Mutex<Vec<Batch>>,
    /// Unique to this process, so batch ids never collide across restarts or replicas.
    batch_prefix: String,
    batches: AtomicU64,
    /// Ticket of the newest write that wants durability.
    written: AtomicU64,
    /// Every ticket up to this one is durable.
    flushed: watch::Sender<u64>,
    flushing: Mutex<()>,
}

impl GroupFlush {
    pub fn new(store: Arc<dyn Store>) -> GroupFlush {
        GroupFlush {
            store,
            pending: std::sync::Mutex::default(),
            failed: std::sync::Mutex::default(),
            batch_prefix: format!(
                "{:016x}",
                std::hash::BuildHasher::hash_one(
                    &std::collections::hash_map::RandomState::new(),
                    std::process::id()
                )
            ),
            batches: AtomicU64::new(0),
            written: AtomicU64::new(0),
            flushed: watch::Sender::new(0),
            flushing: Mutex::new(()),
        }
    }

    /// Counts a generation in memory; it reaches the store at the next [`write_pending`] or
    /// [`durable`].
    ///
    /// [`write_pending`]: GroupFlush::write_pending
    /// [`durable`]: GroupFlush::durable
    pub fn note(&self, g: &Generation) {
        let mut pending = self.pending.lock().expect("pending counters");
        *pending
            .counts
            .entry((g.style, g.variant, g.size, g.format, g.cached))
            .or_default() += 1;
        pending.last_ms = pending.last_ms.max(Some(g.at_unix_ms));
    }

    /// The increments not yet in the store (for statistics that must include them).
    pub fn pending(&self) -> Counters {
        let mut counters = self.pending.lock().expect("pending counters").to_counters();
        for failed in &*self.failed.lock().expect("failed batches") {
            counters.merge(&failed.counters);
        }
        counters
    }

    /// Writes buffered increments to the store as one batch (not flushed). A batch that fails
    /// is kept whole and written again, with the same id, before newer counts.
    pub async fn write_pending(&self) -> Result<(), StoreError> {
        let failed = std::mem::take(&mut *self.failed.lock().expect("failed batches"));
        let mut retries = failed.into_iter();
        while let Some(batch) = retries.next() {
            if let Err(e) = self.write(batch).await {
                self.failed.lock().expect("failed batches").extend(retries);
                return Err(e);
            }
        }
        let pending = std::mem::take(&mut *self.pending.lock().expect("pending counters"));
        if pending.counts.is_empty() {
            return Ok(());
        }
        let n = self.batches.fetch_add(1, Ordering::Relaxed);
        self.write(Batch {
            id: format!("{}-{n}", self.batch_prefix),
            counters: pending.to_counters(),
        })
        .await
    }

    async fn write(&self, batch: Batch) -> Result<(), StoreError> {
        let result = self.store.add(&batch).await;
        if result.is_err() {
            self.failed.lock().expect("failed batches").push(batch);
        }
        result
    }

    /// Call after a write (or a [`note`](GroupFlush::note)): returns once it is durable.
    pub async fn durable(&self) -> Result<(), StoreError> {
        let ticket = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        loop {
            if *self.flushed.borrow() >= ticket {
                return Ok(());
            }
            let _turn = self.flushing.lock().await;
            if *self.flushed.borrow() >= ticket {
                return Ok(());
            }
            // Everything written or noted before this point is covered by the pass below.
            let upto = self.written.load(Ordering::SeqCst);
            self.write_pending().await?;
            self.store.flush().await?;
            self.flushed.send_modify(|done| *done = (*done).max(upto));
        }
    }
}
