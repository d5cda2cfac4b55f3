//! Persistent statistics and the index of stored files, behind a small trait so that the
//! embedded database (sled, pinned at 0.34.7) stays an implementation detail of `sled.rs`.

mod group_flush;
mod sled;

pub use self::sled::SledStore;
pub use group_flush::GroupFlush;

use std::collections::BTreeMap;

/// One successful generation, as counted in the statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub style: &'static str,
    pub variant: &'static str,
    pub size: u32,
    pub format: &'static str,
    pub at_unix_ms: u64,
    /// Served from the cache or an existing file, without rendering.
    pub cached: bool,
}

/// The counters, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    pub total: u64,
    pub cache_hits: u64,
    pub last_generation_ms: Option<u64>,
    pub variants: BTreeMap<String, u64>,
    pub styles: BTreeMap<String, u64>,
    pub sizes: BTreeMap<String, u64>,
    pub formats: BTreeMap<String, u64>,
}

/// An entry of the stored-file index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileRecord {
    pub name: String,
    pub style: String,
    pub variant: String,
    pub size: u32,
    pub format: String,
    pub bytes: u64,
    pub created_unix_ms: u64,
}

/// How many files the index holds and their total size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilesSummary {
    pub count: u64,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store database error: {0}")]
    Database(String),
    #[error("corrupt store record under key {key}: {reason}")]
    Record { key: String, reason: String },
}

impl Counters {
    /// The increments one generation makes.
    pub fn of(g: &Generation) -> Counters {
        let one = |key: String| BTreeMap::from([(key, 1)]);
        Counters {
            total: 1,
            cache_hits: u64::from(g.cached),
            last_generation_ms: Some(g.at_unix_ms),
            variants: one(g.variant.to_owned()),
            styles: one(g.style.to_owned()),
            sizes: one(g.size.to_string()),
            formats: one(g.format.to_owned()),
        }
    }

    /// Adds `other` into `self` (counts add up, the last generation is the later one).
    pub fn merge(&mut self, other: &Counters) {
        self.total += other.total;
        self.cache_hits += other.cache_hits;
        self.last_generation_ms = self.last_generation_ms.max(other.last_generation_ms);
        for (mine, theirs) in [
            (&mut self.variants, &other.variants),
            (&mut self.styles, &other.styles),
            (&mut self.sizes, &other.sizes),
            (&mut self.formats, &other.formats),
        ] {
            for (key, n) in theirs {
                *mine.entry(key.clone()).or_default() += n;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// What the daemon needs from its database. Writes become durable at [`Store::flush`].
pub trait Store: Send + Sync + 'static {
    /// Adds counter increments, atomically across all the counters.
    fn add(&self, delta: &Counters) -> Result<(), StoreError>;
    /// Counts one generation.
    fn record(&self, generation: &Generation) -> Result<(), StoreError> {
        self.add(&Counters::of(generation))
    }
    fn counters(&self) -> Result<Counters, StoreError>;
    fn insert_file(&self, record: &FileRecord) -> Result<(), StoreError>;
    fn remove_file(&self, name: &str) -> Result<Option<FileRecord>, StoreError>;
    fn file(&self, name: &str) -> Result<Option<FileRecord>, StoreError>;
    /// Every indexed file, in no particular order.
    fn files(&self) -> Result<Vec<FileRecord>, StoreError>;
    /// The index's size without reading it: `stats` is polled, the index can be large.
    fn files_summary(&self) -> FilesSummary;
    /// Blocks until every earlier write survives a crash of this process.
    fn flush(&self) -> Result<(), StoreError>;
    /// Bytes the database occupies on disk.
    fn size_on_disk(&self) -> Result<u64, StoreError>;
}
