//! Group commit for statistics and the file index. Counter increments and new index entries are
//! buffered in memory; callers that need durability share one "write the buffer, then flush"
//! pass instead of each running a database transaction (or a network round trip) and a flush,
//! so acknowledging every generation durably stays cheap under load.
//!
//! With a shared store that is unreachable, counts stay in memory (up to a bound; past it they
//! are dropped and counted) and are written when the store returns: generation goes on.

use super::{Batch, Counters, FileRecord, Generation, Outage, Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Mutex, watch};

/// Generations counted but not yet written, by (style, variant, size, format, cached): cheaper to
/// bump per request than a [`Counters`] with its string-keyed maps.
#[derive(Default)]
struct Pending {
    counts: HashMap<(&'static str, &'static str, u32, &'static str, bool), u64>,
    last_ms: Option<u64>,
    /// Index entries to add, by name.
    files: BTreeMap<String, FileRecord>,
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

/// What waits in memory for the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Buffering {
    /// Generations counted but not yet written.
    pub buffered: u64,
    /// Generations whose counts were dropped because the buffer was full.
    pub dropped: u64,
    /// Stored-file index entries not yet written.
    pub files: u64,
}

/// The buffer cannot take another index entry (the store has been unreachable for long).
#[derive(Debug)]
pub struct BufferFull;

pub struct GroupFlush {
    store: Arc<dyn Store>,
    outage: Arc<Outage>,
    /// Most generations kept in memory; counts past it are dropped.
    limit: u64,
    buffered: AtomicU64,
    dropped: AtomicU64,
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
    /// `limit`: the most generations kept in memory while a shared store is unreachable.
    pub fn new(store: Arc<dyn Store>, outage: Arc<Outage>, limit: u64) -> GroupFlush {
        GroupFlush {
            store,
            outage,
            limit,
            buffered: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
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
        if self.buffered.fetch_add(1, Ordering::Relaxed) >= self.limit {
            self.buffered.fetch_sub(1, Ordering::Relaxed);
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let mut pending = self.pending.lock().expect("pending counters");
        *pending
            .counts
            .entry((g.style, g.variant, g.size, g.format, g.cached))
            .or_default() += 1;
        pending.last_ms = pending.last_ms.max(Some(g.at_unix_ms));
    }

    pub fn buffering(&self) -> Buffering {
        Buffering {
            buffered: self.buffered.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            files: self.waiting_files() as u64,
        }
    }

    /// Queues an index entry, added at the next write unless the name is indexed already.
    pub fn note_file(&self, record: FileRecord) -> Result<(), BufferFull> {
        if self.waiting_files() as u64 >= self.limit {
            return Err(BufferFull);
        }
        let mut pending = self.pending.lock().expect("pending counters");
        pending.files.insert(record.name.clone(), record);
        Ok(())
    }

    /// An index entry that waits to be written.
    pub fn waiting_file(&self, name: &str) -> Option<FileRecord> {
        if let Some(record) = self
            .pending
            .lock()
            .expect("pending counters")
            .files
            .get(name)
        {
            return Some(record.clone());
        }
        let failed = self.failed.lock().expect("failed batches");
        failed
            .iter()
            .find_map(|batch| batch.files.iter().find(|r| r.name == name).cloned())
    }

    /// The names of every index entry that waits to be written.
    pub fn waiting_file_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .pending
            .lock()
            .expect("pending counters")
            .files
            .keys()
            .cloned()
            .collect();
        for batch in &*self.failed.lock().expect("failed batches") {
            names.extend(batch.files.iter().map(|r| r.name.clone()));
        }
        names
    }

    fn waiting_files(&self) -> usize {
        let pending = self.pending.lock().expect("pending counters").files.len();
        let failed: usize = (self.failed.lock().expect("failed batches"))
            .iter()
            .map(|b| b.files.len())
            .sum();
        pending + failed
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
    /// is kept whole and written again, with the same id, before newer counts. During an outage
    /// this is what probes the store, so it asks the store even with nothing to write.
    pub async fn write_pending(&self) -> Result<(), StoreError> {
        let result = self.write_all().await;
        match &result {
            Ok(()) => self.outage.end(),
            Err(e) if e.is_unreachable() => self.outage.begin(e),
            Err(_) => {}
        }
        result
    }

    async fn write_all(&self) -> Result<(), StoreError> {
        if self.outage.degraded() {
            self.store.ping().await?;
        }
        let failed = std::mem::take(&mut *self.failed.lock().expect("failed batches"));
        let mut retries = failed.into_iter();
        while let Some(batch) = retries.next() {
            if let Err(e) = self.write(batch).await {
                self.failed.lock().expect("failed batches").extend(retries);
                return Err(e);
            }
        }
        // Taken out under the lock that `note_file` and `waiting_file` use, and pushed back to
        // `failed` on an error: an entry is always in one of the two.
        let (counters, files) = {
            let mut pending = self.pending.lock().expect("pending counters");
            if pending.counts.is_empty() && pending.files.is_empty() {
                return Ok(());
            }
            let counters = pending.to_counters();
            let files = std::mem::take(&mut pending.files).into_values().collect();
            pending.counts.clear();
            pending.last_ms = None;
            (counters, files)
        };
        let n = self.batches.fetch_add(1, Ordering::Relaxed);
        self.write(Batch {
            id: format!("{}-{n}", self.batch_prefix),
            counters,
            files,
        })
        .await
    }

    async fn write(&self, batch: Batch) -> Result<(), StoreError> {
        let result = self.store.add(&batch).await;
        match result {
            Ok(()) => {
                self.buffered
                    .fetch_sub(batch.counters.total, Ordering::Relaxed);
            }
            Err(_) => self.failed.lock().expect("failed batches").push(batch),
        }
        result
    }

    /// Call after a write (or a [`note`](GroupFlush::note)): returns once it is durable, or, when
    /// a shared store is unreachable, once it is buffered (written when the store returns).
    pub async fn durable(&self) -> Result<(), StoreError> {
        if self.outage.degraded() {
            return Ok(());
        }
        match self.make_durable().await {
            Err(e) if e.is_unreachable() => Ok(()),
            result => result,
        }
    }

    async fn make_durable(&self) -> Result<(), StoreError> {
        let ticket = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        loop {
            if *self.flushed.borrow() >= ticket {
                return Ok(());
            }
            let _turn = self.flushing.lock().await;
            if *self.flushed.borrow() >= ticket {
                return Ok(());
            }
            if self.outage.degraded() {
                // The pass before this one found the store unreachable: the counts wait.
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
