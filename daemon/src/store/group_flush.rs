//! Group commit for statistics and the file index. Counter increments are buffered in memory;
//! callers that need durability share one "write the buffer, then flush" pass instead of each
//! running a database transaction and a flush, so acknowledging every generation durably stays
//! cheap under load (concurrent transactions on the same counters would conflict and retry).

use super::{Counters, Generation, Store, StoreError};
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

    /// The buffered increments (for statistics that must include them).
    pub fn pending(&self) -> Counters {
        self.pending.lock().expect("pending counters").to_counters()
    }

    /// Writes buffered increments to the store in one transaction (not flushed).
    pub fn write_pending(&self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut *self.pending.lock().expect("pending counters"));
        if pending.counts.is_empty() {
            return Ok(());
        }
        self.store.add(&pending.to_counters()).inspect_err(|_| {
            // Keep the counts for the next attempt rather than losing them.
            let mut current = self.pending.lock().expect("pending counters");
            for (key, n) in pending.counts {
                *current.counts.entry(key).or_default() += n;
            }
            current.last_ms = current.last_ms.max(pending.last_ms);
        })
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
            self.write_pending()?;
            let store = self.store.clone();
            tokio::task::spawn_blocking(move || store.flush())
                .await
                .map_err(|e| StoreError::Database(format!("flush task failed: {e}")))??;
            self.flushed.send_modify(|done| *done = (*done).max(upto));
        }
    }
}
