//! Stored files: the artefact directory and its index in the store, kept in step.

use super::artefacts::{self, Artefacts};
use super::{EngineError, Format};
use crate::art::LogoSpec;
use crate::store::{FileRecord, Store};
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio_util::bytes::Bytes;

/// A stored file, as the index describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub name: String,
    pub style: String,
    pub variant: String,
    pub size: u32,
    pub format: Format,
    pub bytes: u64,
    pub created: SystemTime,
}

impl From<FileRecord> for StoredFile {
    fn from(r: FileRecord) -> StoredFile {
        StoredFile {
            format: Format::from_extension(&r.format).unwrap_or_default(),
            created: SystemTime::UNIX_EPOCH + Duration::from_millis(r.created_unix_ms),
            name: r.name,
            style: r.style,
            variant: r.variant,
            size: r.size,
            bytes: r.bytes,
        }
    }
}

/// A page of the index, newest first, with the totals of the whole index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub files: Vec<StoredFile>,
    pub total: u64,
    pub total_bytes: u64,
}

pub(super) struct StoredFiles {
    store: Arc<dyn Store>,
    artefacts: Arc<Artefacts>,
}

impl StoredFiles {
    pub fn new(store: Arc<dyn Store>, artefacts: Artefacts) -> StoredFiles {
        StoredFiles {
            store,
            artefacts: Arc::new(artefacts),
        }
    }

    pub fn artefacts(&self) -> &Artefacts {
        &self.artefacts
    }

    /// Stores `bytes` under the spec's content-addressed name (once: an indexed, present file is
    /// kept) and returns the name. The caller makes the index write durable.
    pub async fn put(
        &self,
        spec: &LogoSpec,
        format: Format,
        bytes: &Bytes,
    ) -> Result<String, EngineError> {
        let name = artefacts::name_for(spec, format);
        if self.store.file(&name).await?.is_some()
            && self.artefacts.path(&name).is_some_and(|p| p.exists())
        {
            return Ok(name);
        }
        let path_name = name.clone();
        let data = bytes.clone();
        let artefacts = self.artefacts.clone();
        tokio::task::spawn_blocking(move || artefacts.write(&path_name, &data))
            .await
            .map_err(|e| EngineError::Internal(format!("write task failed: {e}")))?
            .map_err(|e| EngineError::Internal(format!("writing {name}: {e}")))?;
        self.store
            .insert_file(&FileRecord {
                name: name.clone(),
                style: spec.style().key().to_owned(),
                variant: spec.variant().key().to_owned(),
                size: spec.size(),
                format: format.extension().to_owned(),
                bytes: bytes.len() as u64,
                created_unix_ms: super::unix_ms(SystemTime::now()),
            })
            .await?;
        Ok(name)
    }

    /// A stored file and its bytes. Only indexed, validly named files are read, so a name from a
    /// request never reaches the filesystem unchecked.
    pub async fn get(&self, name: &str) -> Result<(StoredFile, Vec<u8>), EngineError> {
        let path = self
            .artefacts
            .path(name)
            .ok_or_else(|| EngineError::not_found(name))?;
        let record = self
            .store
            .file(name)
            .await?
            .ok_or_else(|| EngineError::not_found(name))?;
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok((record.into(), bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(EngineError::not_found(name)),
            Err(e) => Err(EngineError::Internal(format!("reading {name}: {e}"))),
        }
    }

    /// Every indexed file, oldest first (ties by name).
    pub async fn oldest_first(&self) -> Result<Vec<StoredFile>, EngineError> {
        let mut files = self.all().await?;
        files.sort_by(|a, b| a.created.cmp(&b.created).then(a.name.cmp(&b.name)));
        Ok(files)
    }

    /// At most `limit` files, newest first (ties by name), with the index's totals.
    pub async fn list(&self, limit: Option<usize>) -> Result<Listing, EngineError> {
        let mut files = self.all().await?;
        files.sort_by(|a, b| b.created.cmp(&a.created).then(a.name.cmp(&b.name)));
        let total = files.len() as u64;
        let total_bytes = files.iter().map(|f| f.bytes).sum();
        files.truncate(limit.unwrap_or(usize::MAX));
        Ok(Listing {
            files,
            total,
            total_bytes,
        })
    }

    async fn all(&self) -> Result<Vec<StoredFile>, EngineError> {
        let records = self.store.files().await?;
        Ok(records.into_iter().map(StoredFile::from).collect())
    }

    /// Removes a file, then its index entry: a crash in between leaves an entry that start-up
    /// reconciliation drops. Returns whether this call removed the entry (with a shared index,
    /// another replica may have just removed it).
    pub async fn remove(&self, name: &str) -> Result<bool, EngineError> {
        self.artefacts
            .remove(name)
            .map_err(|e| EngineError::Internal(format!("removing {name}: {e}")))?;
        Ok(self.store.remove_file(name).await?.is_some())
    }
}
