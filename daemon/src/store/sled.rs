//! [`Store`] on sled 0.34.7. The only file that names sled types.

use super::{Batch, Counters, FileRecord, FilesSummary, LAST, Store, StoreError, decode_counter};
use sled::transaction::ConflictableTransactionError;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const SCHEMA_VERSION: u64 = 1;

pub struct SledStore {
    db: sled::Db,
    counters: sled::Tree,
    files: sled::Tree,
    /// Counted once at open, then kept in step by every insert and removal (under the lock, so
    /// a reader never sees a half-applied change).
    summary: Mutex<FilesSummary>,
}

/// What opening found.
pub struct Opened {
    pub store: SledStore,
    /// Where an unreadable database was moved aside, if it was.
    pub quarantined: Option<PathBuf>,
}

impl SledStore {
    /// Opens the database in `dir`. A corrupt database is renamed to `<dir>.corrupt-<unix time>`
    /// and a fresh one is started, so the daemon always comes up.
    pub fn open(dir: &Path, cache_bytes: u64) -> Result<Opened, StoreError> {
        match try_open(dir, cache_bytes) {
            Ok(store) => Ok(Opened {
                store,
                quarantined: None,
            }),
            // Locked by another process, unreadable, disk full: the data may be fine, so it is
            // never moved aside for these.
            Err(OpenError::Io(e)) => Err(StoreError::Database(format!(
                "cannot open the store in {}: {e}",
                dir.display()
            ))),
            Err(OpenError::Damaged(reason)) => {
                let stamp = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let aside = dir.with_extension(format!("corrupt-{stamp}"));
                tracing::error!(
                    store = %dir.display(),
                    moved_to = %aside.display(),
                    %reason,
                    "store database is unreadable: moved aside, starting with an empty store"
                );
                std::fs::rename(dir, &aside).map_err(|e| {
                    StoreError::Database(format!(
                        "cannot move corrupt store {} aside: {e}",
                        dir.display()
                    ))
                })?;
                let store = try_open(dir, cache_bytes).map_err(|e| match e {
                    OpenError::Io(e) => StoreError::Database(e.to_string()),
                    OpenError::Damaged(reason) => StoreError::Database(reason),
                })?;
                Ok(Opened {
                    store,
                    quarantined: Some(aside),
                })
            }
        }
    }
}

enum OpenError {
    /// The files could not be used (locked, permissions, I/O): nothing says they are damaged.
    Io(std::io::Error),
    /// The files are not a readable store.
    Damaged(String),
}

impl From<String> for OpenError {
    fn from(reason: String) -> OpenError {
        OpenError::Damaged(reason)
    }
}

fn try_open(dir: &Path, cache_bytes: u64) -> Result<SledStore, OpenError> {
    let config = sled::Config::new()
        .path(dir)
        .mode(sled::Mode::LowSpace)
        .cache_capacity(cache_bytes)
        .flush_every_ms(Some(500));
    // sled can panic on some damaged files instead of returning an error.
    let db = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || config.open()))
        .map_err(|_| "sled panicked while opening".to_owned())?
        .map_err(|e| match e {
            sled::Error::Io(e) => OpenError::Io(e),
            other => OpenError::Damaged(other.to_string()),
        })?;
    let meta = db.open_tree("meta").map_err(|e| e.to_string())?;
    match meta.get("schema_version").map_err(|e| e.to_string())? {
        None => {
            meta.insert("schema_version", &SCHEMA_VERSION.to_be_bytes())
                .map_err(|e| e.to_string())?;
        }
        Some(v) if decode_u64(&v) == Some(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(format!("unknown schema version {:?}", decode_u64(&v)).into());
        }
    }
    let files = db.open_tree("files").map_err(|e| e.to_string())?;
    let mut summary = FilesSummary::default();
    for item in files.iter() {
        let (key, value) = item.map_err(|e| e.to_string())?;
        summary.count += 1;
        summary.bytes += record_bytes(&key, &value);
    }
    Ok(SledStore {
        counters: db.open_tree("counters").map_err(|e| e.to_string())?,
        files,
        summary: Mutex::new(summary),
        db,
    })
}

/// A record's file size; 0 for a record that does not decode (reading it reports the damage).
fn record_bytes(key: &[u8], value: &[u8]) -> u64 {
    decode_record(&String::from_utf8_lossy(key), value).map_or(0, |r| r.bytes)
}

fn decode_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

fn db_error(e: sled::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

#[async_trait::async_trait]
impl Store for SledStore {
    async fn add(&self, batch: &Batch) -> Result<(), StoreError> {
        // A local transaction either happened or not, so the batch id is not needed here.
        let delta = &batch.counters;
        let increments = delta.fields();
        self.counters
            .transaction(|tx| {
                for (key, n) in &increments {
                    let now = tx.get(key)?.as_deref().and_then(decode_u64).unwrap_or(0);
                    tx.insert(key.as_bytes(), &(now + n).to_be_bytes())?;
                }
                if let Some(at) = delta.last_generation_ms {
                    let last = tx.get(LAST)?.as_deref().and_then(decode_u64).unwrap_or(0);
                    tx.insert(LAST, &last.max(at).to_be_bytes())?;
                }
                Ok::<(), ConflictableTransactionError<()>>(())
            })
            .map_err(|e| StoreError::Database(format!("{e:?}")))?;
        for record in &batch.files {
            let value = serde_json::to_vec(record).expect("file records serialise");
            let absent = self
                .files
                .compare_and_swap(record.name.as_bytes(), None::<&[u8]>, Some(value))
                .map_err(db_error)?
                .is_ok();
            if absent {
                let mut summary = self.summary.lock().unwrap_or_else(|p| p.into_inner());
                summary.count += 1;
                summary.bytes += record.bytes;
            }
        }
        Ok(())
    }

    async fn counters(&self) -> Result<Counters, StoreError> {
        let mut c = Counters::default();
        for item in self.counters.iter() {
            let (key, value) = item.map_err(db_error)?;
            let key = String::from_utf8_lossy(&key).into_owned();
            let value = decode_u64(&value).ok_or_else(|| StoreError::Record {
                key: key.clone(),
                reason: "not an 8-byte counter".into(),
            })?;
            decode_counter(&mut c, &key, value);
        }
        Ok(c)
    }

    async fn insert_file(&self, record: &FileRecord) -> Result<(), StoreError> {
        let value = serde_json::to_vec(record).expect("file records serialise");
        let key = record.name.as_bytes();
        let mut summary = self.summary.lock().unwrap_or_else(|p| p.into_inner());
        let replaced = self.files.insert(key, value).map_err(db_error)?;
        match replaced {
            Some(old) => summary.bytes -= record_bytes(key, &old).min(summary.bytes),
            None => summary.count += 1,
        }
        summary.bytes += record.bytes;
        Ok(())
    }

    async fn remove_file(&self, name: &str) -> Result<Option<FileRecord>, StoreError> {
        let mut summary = self.summary.lock().unwrap_or_else(|p| p.into_inner());
        let Some(bytes) = self.files.remove(name).map_err(db_error)? else {
            return Ok(None);
        };
        summary.count -= 1;
        summary.bytes -= record_bytes(name.as_bytes(), &bytes).min(summary.bytes);
        decode_record(name, &bytes).map(Some)
    }

    async fn file(&self, name: &str) -> Result<Option<FileRecord>, StoreError> {
        match self.files.get(name).map_err(db_error)? {
            Some(bytes) => decode_record(name, &bytes).map(Some),
            None => Ok(None),
        }
    }

    async fn files(&self) -> Result<Vec<FileRecord>, StoreError> {
        self.files
            .iter()
            .map(|item| {
                let (key, value) = item.map_err(db_error)?;
                decode_record(&String::from_utf8_lossy(&key), &value)
            })
            .collect()
    }

    async fn files_summary(&self) -> Result<FilesSummary, StoreError> {
        Ok(*self.summary.lock().unwrap_or_else(|p| p.into_inner()))
    }

    async fn flush(&self) -> Result<(), StoreError> {
        // An fsync: milliseconds, so off the async workers.
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.flush())
            .await
            .map_err(|e| StoreError::Database(format!("flush task failed: {e}")))?
            .map(drop)
            .map_err(db_error)
    }

    async fn size_on_disk(&self) -> Result<Option<u64>, StoreError> {
        self.db.size_on_disk().map(Some).map_err(db_error)
    }
}

fn decode_record(key: &str, bytes: &[u8]) -> Result<FileRecord, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Record {
        key: key.to_owned(),
        reason: e.to_string(),
    })
}

// Counters, the file index and its summary are checked against every backend in
// tests/store_conformance.rs; these are sled's own.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Generation;

    fn record(g: Generation) -> Batch {
        Batch {
            id: format!("test-{}", g.at_unix_ms),
            counters: Counters::of(&g),
            files: Vec::new(),
        }
    }

    fn generation(variant: &'static str, cached: bool, at: u64) -> Generation {
        Generation {
            style: "simple",
            variant,
            size: 200,
            format: "svg",
            at_unix_ms: at,
            cached,
        }
    }

    #[tokio::test]
    async fn a_store_in_use_is_refused_and_never_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let first = SledStore::open(&path, 1 << 20).unwrap().store;
        first
            .add(&record(generation("power", false, 1)))
            .await
            .unwrap();
        first.flush().await.unwrap();
        let error = SledStore::open(&path, 1 << 20)
            .err()
            .expect("a second open fails");
        assert!(
            error.to_string().contains("cannot open the store"),
            "{error}"
        );
        let siblings = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(siblings, 1, "nothing was moved aside");
        assert_eq!(first.counters().await.unwrap().total, 1);
    }

    #[tokio::test]
    async fn a_corrupt_database_is_moved_aside_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        {
            let store = SledStore::open(&path, 1 << 20).unwrap().store;
            store
                .add(&record(generation("power", false, 1)))
                .await
                .unwrap();
            store.flush().await.unwrap();
        }
        for entry in std::fs::read_dir(&path).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::write(entry.path(), b"\xde\xad\xbe\xef garbage").unwrap();
            }
        }
        let opened = SledStore::open(&path, 1 << 20).unwrap();
        let aside = opened.quarantined.expect("quarantined");
        assert!(aside.exists());
        assert_eq!(opened.store.counters().await.unwrap().total, 0);
    }
}
