//! Stored files: the artefact directory and its index in the store, kept in step.

use super::artefacts::{self, Artefacts};
use super::{EngineError, Format};
use super::{LogoRequest, PaletteInput};
use crate::art::LogoSpec;
use crate::store::{DrawingRecord, FileRecord, GroupFlush, Outage, Store, StoreError};
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

/// Where a stored file's bytes come from.
pub(super) enum Lookup {
    /// On this machine's disk.
    Here(StoredFile, Vec<u8>),
    /// Indexed by another replica: drawn again from its spec, byte for byte the same.
    Elsewhere(StoredFile, LogoSpec),
}

/// The spec an index entry was drawn from, when the entry says enough to draw it again.
fn redraw_spec(record: &FileRecord) -> Option<LogoSpec> {
    let drawing = record.drawing.as_ref()?;
    let request = LogoRequest {
        size: i64::from(record.size),
        animated: drawing.animated,
        seed: Some(drawing.seed),
        palette: drawing.palette.clone().map(PaletteInput::Joined),
        id_prefix: drawing.id_prefix.clone(),
        title: drawing.title.clone(),
        ..LogoRequest::new(&record.style, &record.variant)
    };
    request.validate().ok()
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
    outage: Arc<Outage>,
    /// New index entries go through the group commit with the counts (and wait there while a
    /// shared store is unreachable).
    durability: Arc<GroupFlush>,
}

impl StoredFiles {
    pub fn new(
        store: Arc<dyn Store>,
        artefacts: Artefacts,
        outage: Arc<Outage>,
        durability: Arc<GroupFlush>,
    ) -> StoredFiles {
        StoredFiles {
            store,
            artefacts: Arc::new(artefacts),
            outage,
            durability,
        }
    }

    /// The index entry for `name`: from the store, or waiting to be written.
    async fn record(&self, name: &str) -> Result<Option<FileRecord>, EngineError> {
        if let Some(record) = self.durability.waiting_file(name) {
            return Ok(Some(record));
        }
        if self.outage.degraded() {
            return Err(StoreError::Unreachable("the shared store is unreachable".into()).into());
        }
        match self.store.file(name).await {
            Err(e) if e.is_unreachable() => {
                self.outage.begin(&e);
                Err(e.into())
            }
            result => Ok(result?),
        }
    }

    pub fn artefacts(&self) -> &Artefacts {
        &self.artefacts
    }

    /// Stores `bytes` under the spec's content-addressed name and returns the name. The index
    /// entry is queued for the group commit, which adds it unless the name is indexed already
    /// (keeping the first creation time); the caller makes it durable. No store round trip here:
    /// a fleet answers at the speed of one shared write per batch.
    pub async fn put(
        &self,
        spec: &LogoSpec,
        format: Format,
        bytes: &Bytes,
    ) -> Result<String, EngineError> {
        let name = artefacts::name_for(spec, format);
        if !self.artefacts.path(&name).is_some_and(|p| p.exists()) {
            let path_name = name.clone();
            let data = bytes.clone();
            let artefacts = self.artefacts.clone();
            tokio::task::spawn_blocking(move || artefacts.write(&path_name, &data))
                .await
                .map_err(|e| EngineError::Internal(format!("write task failed: {e}")))?
                .map_err(|e| EngineError::Internal(format!("writing {name}: {e}")))?;
        }
        let record = FileRecord {
            name: name.clone(),
            style: spec.style().key().to_owned(),
            variant: spec.variant().key().to_owned(),
            size: spec.size(),
            format: format.extension().to_owned(),
            bytes: bytes.len() as u64,
            created_unix_ms: super::unix_ms(SystemTime::now()),
            drawing: Some(DrawingRecord {
                seed: spec.seed(),
                animated: spec.animated(),
                palette: spec.custom_palette().map(|p| p.to_string()),
                id_prefix: spec.id_prefix().map(str::to_owned),
                title: spec.title().map(str::to_owned),
            }),
        };
        self.durability.note_file(record).map_err(|_| {
            StoreError::Unreachable(
                "the shared store has been unreachable for too long to index more files".into(),
            )
        })?;
        Ok(name)
    }

    /// A stored file and its bytes, or how to draw it again when this machine lacks the file
    /// (another replica stored it). Only indexed, validly named files are read, so a name from
    /// a request never reaches the filesystem unchecked.
    pub async fn get(&self, name: &str) -> Result<Lookup, EngineError> {
        let path = self
            .artefacts
            .path(name)
            .ok_or_else(|| EngineError::not_found(name))?;
        let record = match self.record(name).await {
            Ok(record) => record.ok_or_else(|| EngineError::not_found(name))?,
            // Without the index, a copy on this disk is still the right bytes (its name is a
            // digest of its inputs): downloads of local files go on through an outage.
            Err(e) if e.is_store_unreachable() => {
                let parsed =
                    artefacts::parse_name(name).ok_or_else(|| EngineError::not_found(name))?;
                let bytes = tokio::fs::read(&path).await.map_err(|_| e)?;
                let created = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .unwrap_or_else(|_| SystemTime::now());
                let file = StoredFile {
                    name: name.to_owned(),
                    style: parsed.style.key().to_owned(),
                    variant: parsed.variant.key().to_owned(),
                    size: parsed.size,
                    format: parsed.format,
                    bytes: bytes.len() as u64,
                    created,
                };
                return Ok(Lookup::Here(file, bytes));
            }
            Err(e) => return Err(e),
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Lookup::Here(record.into(), bytes)),
            // With an embedded store the index describes this disk: a missing file is gone.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !self.store.shared() => {
                Err(EngineError::not_found(name))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let spec = redraw_spec(&record).ok_or_else(|| EngineError::not_found(name))?;
                let format = Format::from_extension(&record.format).unwrap_or_default();
                if artefacts::name_for(&spec, format) != name {
                    return Err(EngineError::Internal(format!(
                        "the index entry of {name} does not draw that file"
                    )));
                }
                Ok(Lookup::Elsewhere(record.into(), spec))
            }
            Err(e) => Err(EngineError::Internal(format!("reading {name}: {e}"))),
        }
    }

    /// Keeps a local copy of a file redrawn here (the index already has it).
    pub async fn keep_copy(&self, name: &str, bytes: &Bytes) -> Result<(), EngineError> {
        let (name, data, artefacts) = (name.to_owned(), bytes.clone(), self.artefacts.clone());
        tokio::task::spawn_blocking(move || artefacts.write(&name, &data))
            .await
            .map_err(|e| EngineError::Internal(format!("write task failed: {e}")))?
            .map_err(|e| EngineError::Internal(format!("writing a redrawn file: {e}")))
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

    /// Removes local files older than `grace` that a shared index does not list. (With an
    /// embedded store, such files were written just before a crash and start-up adopts them.)
    pub async fn drop_unindexed(&self, grace: Duration) -> Result<usize, EngineError> {
        if !self.store.shared() {
            return Ok(0);
        }
        let mut indexed: std::collections::HashSet<String> = self
            .store
            .files()
            .await?
            .into_iter()
            .map(|r| r.name)
            .collect();
        indexed.extend(self.durability.waiting_file_names());
        let artefacts = self.artefacts.clone();
        tokio::task::spawn_blocking(move || {
            let mut dropped = 0;
            for (name, age) in artefacts.stored_names()? {
                if age > grace && !indexed.contains(&name) && artefacts.remove(&name)? {
                    dropped += 1;
                }
            }
            Ok::<_, std::io::Error>(dropped)
        })
        .await
        .map_err(|e| EngineError::Internal(format!("sweep task failed: {e}")))?
        .map_err(|e| EngineError::Internal(format!("sweeping stored files: {e}")))
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
