//! Persistent statistics and the index of stored files, behind a small trait so that the
//! embedded database (sled, pinned at 0.34.7) stays an implementation detail of `sled.rs`.

mod group_flush;
mod outage;
mod redis;
mod sled;

pub use self::redis::{RedisStore, RedisUrl};
pub use self::sled::SledStore;
pub use group_flush::{Buffering, GroupFlush};
pub use outage::Outage;

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
    /// The rest of what drew the file, so any replica can draw it again byte for byte. Absent
    /// for files adopted from disk at start-up and for records written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drawing: Option<DrawingRecord>,
}

/// The inputs of a stored logo beyond style, variant, size and format.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DrawingRecord {
    pub seed: u64,
    pub animated: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub palette: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
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
    /// A shared store that cannot be reached right now (connection refused or lost, timeout,
    /// server loading or failing over). Transient: counts are buffered until it returns. Only a
    /// shared store returns it (an embedded store's failures are errors), so it alone marks
    /// an outage to ride out.
    #[error("store unreachable: {0}")]
    Unreachable(String),
    /// The store refused the credentials (a wrong password) or the permission.
    #[error("store refused access: {0}")]
    Denied(String),
    /// The store's settings cannot work (a malformed URL).
    #[error("{0}")]
    Config(String),
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

    /// The counts as `(field, n)` pairs, as both backends key them: `total`, `cache_hits`,
    /// `variant/<key>`, `style/<key>`, `size/<px>`, `format/<ext>` (zero counts left out).
    pub fn fields(&self) -> Vec<(String, u64)> {
        let mut fields = vec![(TOTAL.to_owned(), self.total)];
        if self.cache_hits > 0 {
            fields.push((CACHE_HITS.to_owned(), self.cache_hits));
        }
        for (prefix, map) in [
            ("variant", &self.variants),
            ("style", &self.styles),
            ("size", &self.sizes),
            ("format", &self.formats),
        ] {
            fields.extend(map.iter().map(|(k, n)| (format!("{prefix}/{k}"), *n)));
        }
        fields
    }
}

const TOTAL: &str = "total";
const CACHE_HITS: &str = "cache_hits";
const LAST: &str = "last_generation_ms";

/// Reads one stored field back into `counters` (the inverse of [`Counters::fields`], plus
/// `last_generation_ms`); unknown fields are ignored.
fn decode_counter(counters: &mut Counters, field: &str, n: u64) {
    let map = match field.split_once('/') {
        Some(("variant", _)) => &mut counters.variants,
        Some(("style", _)) => &mut counters.styles,
        Some(("size", _)) => &mut counters.sizes,
        Some(("format", _)) => &mut counters.formats,
        _ => {
            match field {
                TOTAL => counters.total = n,
                CACHE_HITS => counters.cache_hits = n,
                LAST => counters.last_generation_ms = Some(n),
                _ => {}
            }
            return;
        }
    };
    let (_, name) = field.split_once('/').expect("matched above");
    map.insert(name.to_owned(), n);
}

/// Counter increments and new file-index entries, written as one unit. Its id is unique to this
/// process and batch, so a store that cannot tell whether a write landed (an answer lost on the
/// network) can apply a retried batch once only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: String,
    pub counters: Counters,
    /// Index entries to add where the name is not indexed yet (an existing entry, with its
    /// creation time, is kept).
    pub files: Vec<FileRecord>,
}

/// What the daemon needs from its database: the embedded one, or a server shared by replicas.
/// Writes become durable at [`Store::flush`]. Async, because a networked store answers over a
/// round trip; the embedded one answers at once (and flushes on the blocking pool).
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Adds a batch: its counter increments atomically across all the counters, once only per
    /// batch id, and its index entries where their names are not indexed yet.
    async fn add(&self, batch: &Batch) -> Result<(), StoreError>;
    async fn counters(&self) -> Result<Counters, StoreError>;
    async fn insert_file(&self, record: &FileRecord) -> Result<(), StoreError>;
    async fn remove_file(&self, name: &str) -> Result<Option<FileRecord>, StoreError>;
    async fn file(&self, name: &str) -> Result<Option<FileRecord>, StoreError>;
    /// Every indexed file, in no particular order.
    async fn files(&self) -> Result<Vec<FileRecord>, StoreError>;
    /// The index's size without reading it: `stats` is polled, the index can be large.
    async fn files_summary(&self) -> Result<FilesSummary, StoreError>;
    /// Returns once every earlier write survives a crash of this process.
    async fn flush(&self) -> Result<(), StoreError>;
    /// Bytes the database occupies on this machine's disk; `None` for a server elsewhere.
    async fn size_on_disk(&self) -> Result<Option<u64>, StoreError>;
    /// Whether other replicas share this store: then the file index lists files this machine
    /// may not hold. An embedded store describes this machine's files only.
    fn shared(&self) -> bool {
        false
    }
    /// Proves the store answers (and, for a server, that the password is right).
    async fn ping(&self) -> Result<(), StoreError> {
        self.files_summary().await.map(|_| ())
    }
}

impl StoreError {
    pub fn is_unreachable(&self) -> bool {
        matches!(self, StoreError::Unreachable(_))
    }
}

/// A rate-limit decision taken for the whole fleet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Admitted { remaining: u32 },
    Refused { retry_after: std::time::Duration },
}

/// What replicas share beyond statistics and the file index: one rate limit and one event
/// channel. Implemented by the Redis store; the embedded store has no fleet.
#[async_trait::async_trait]
pub trait Fleet: Send + Sync + 'static {
    /// One GCRA step for `key`: `per_minute` requests a minute, in bursts of up to `per_minute`,
    /// counted across every replica.
    async fn admit(&self, key: &str, per_minute: u32) -> Result<Admission, StoreError>;
    /// Sends a message to every replica (this one included).
    async fn publish(&self, message: &str) -> Result<(), StoreError>;
    /// The messages published by any replica, from now on; reconnects and resubscribes by
    /// itself. Call once.
    async fn listen(&self) -> tokio::sync::mpsc::UnboundedReceiver<String>;
}
