//! The directory of stored logo files: content-addressed names, atomic writes, and start-up
//! reconciliation with the store's index. A name from a request is only ever used after
//! [`parse_name`] accepted it, so no request path reaches the filesystem unchecked.

use super::Format;
use crate::art::{LogoSpec, Style, Variant};
use crate::store::{FileRecord, Store, StoreError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const PREFIX: &str = "arkalia-luna-";
const TEMP_PREFIX: &str = ".tmp-";

pub struct Artefacts {
    dir: PathBuf,
    temp_counter: AtomicU64,
}

/// What a valid artefact name says about its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedName {
    pub variant: Variant,
    pub size: u32,
    pub style: Style,
    pub format: Format,
}

/// The stored name of a logo: `arkalia-luna-{variant}-{size}-{style}-{hash8}.{ext}`, where the
/// hash covers every input, so different requests never share a name and equal ones always do.
pub fn name_for(spec: &LogoSpec, format: Format) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(spec.digest().as_bytes());
    hasher.update(format.extension().as_bytes());
    let hash = hasher.finalize().to_hex();
    format!(
        "{PREFIX}{}-{}-{}-{}.{}",
        spec.variant(),
        spec.size(),
        spec.style(),
        &hash[..8],
        format.extension()
    )
}

/// Accepts exactly the names [`name_for`] produces; anything else (paths, dots, encodings,
/// other files) is refused.
pub fn parse_name(name: &str) -> Option<ParsedName> {
    if name.len() > 96
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return None;
    }
    let rest = name.strip_prefix(PREFIX)?;
    let (stem, ext) = rest.rsplit_once('.')?;
    let format = Format::from_extension(ext)?;
    let mut parts = stem.split('-');
    let variant = Variant::from_key(parts.next()?)?;
    let size_text = parts.next()?;
    let size: u32 = size_text.parse().ok()?;
    let style_key = parts.next()?;
    let style = Style::from_key(style_key).filter(|s| s.key() == style_key)?;
    let hash = parts.next()?;
    let canonical_size = size.to_string() == size_text;
    let hex_hash = hash.len() == 8
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if parts.next().is_some() || !canonical_size || !hex_hash {
        return None;
    }
    LogoSpec::new(style, variant, size).ok()?;
    Some(ParsedName {
        variant,
        size,
        style,
        format,
    })
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Files on disk the index did not know (written just before a crash): now indexed.
    pub adopted: usize,
    /// Index entries whose file is gone: removed.
    pub dropped: usize,
    /// Leftover temporary files from interrupted writes: deleted.
    pub temp_removed: usize,
}

impl Artefacts {
    /// Opens (creating, mode 0700) the artefact directory.
    pub fn open(dir: &Path) -> std::io::Result<Artefacts> {
        create_private_dir(dir)?;
        Ok(Artefacts {
            dir: dir.to_owned(),
            temp_counter: AtomicU64::new(0),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of a validly named artefact.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        parse_name(name).map(|_| self.dir.join(name))
    }

    /// Writes `bytes` under `name` atomically: a temporary file, then a rename, so readers see
    /// the whole file or nothing. An existing file is kept (same name, same content).
    pub fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let target = self.path(name).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad artefact name")
        })?;
        if target.exists() {
            return Ok(());
        }
        let n = self.temp_counter.fetch_add(1, Ordering::Relaxed);
        let temp = self
            .dir
            .join(format!("{TEMP_PREFIX}{}-{n}-{name}", std::process::id()));
        let result = (|| {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(bytes)?;
            std::fs::rename(&temp, &target)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    /// The validly named files in the directory, with their age.
    pub fn stored_names(&self) -> std::io::Result<Vec<(String, std::time::Duration)>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let metadata = entry.metadata()?;
            if parse_name(&name).is_none() || !metadata.is_file() {
                continue;
            }
            let age = metadata
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .unwrap_or_default();
            names.push((name, age));
        }
        Ok(names)
    }

    /// Deletes an artefact; `Ok(false)` if it was already gone.
    pub fn remove(&self, name: &str) -> std::io::Result<bool> {
        let Some(path) = self.path(name) else {
            return Ok(false);
        };
        match std::fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Makes the index and the directory agree after a crash: adopts complete files the index
    /// lacks, drops entries whose file is gone, deletes temporary files (only those, with a
    /// shared index). Other files are left alone
    /// (and are never served, since only indexed names are).
    pub async fn reconcile(&self, store: &dyn Store) -> Result<Reconciled, ReconcileError> {
        let mut report = Reconciled::default();
        let mut on_disk = std::collections::HashSet::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) {
                std::fs::remove_file(entry.path())?;
                report.temp_removed += 1;
                continue;
            }
            // A shared index also lists other replicas' files, and a local file it lacks was
            // cleaned up elsewhere: the sweeper drops those, nothing is adopted.
            if store.shared() {
                continue;
            }
            let Some(parsed) = parse_name(&name) else {
                continue;
            };
            let metadata = entry.metadata()?;
            if !metadata.is_file() {
                continue;
            }
            on_disk.insert(name.clone());
            if store.file(&name).await?.is_none() {
                let created = metadata
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_millis() as u64);
                store
                    .insert_file(&FileRecord {
                        name,
                        style: parsed.style.key().to_owned(),
                        variant: parsed.variant.key().to_owned(),
                        size: parsed.size,
                        format: parsed.format.extension().to_owned(),
                        bytes: metadata.len(),
                        created_unix_ms: created,
                        drawing: None,
                    })
                    .await?;
                report.adopted += 1;
            }
        }
        if store.shared() {
            return Ok(report);
        }
        for record in store.files().await? {
            if !on_disk.contains(&record.name) {
                store.remove_file(&record.name).await?;
                report.dropped += 1;
            }
        }
        store.flush().await?;
        Ok(report)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    #[error("reading the artefact directory: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates `dir` (and parents) with mode 0700 for the last component.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SledStore;

    #[test]
    fn names_round_trip_and_distinguish_options() {
        let spec = LogoSpec::new(Style::UltraMax, Variant::Power, 500).unwrap();
        let name = name_for(&spec, Format::Svg);
        assert!(
            name.starts_with("arkalia-luna-power-500-ultra_max-"),
            "{name}"
        );
        let parsed = parse_name(&name).unwrap();
        assert_eq!(
            (parsed.style, parsed.variant, parsed.size),
            (Style::UltraMax, Variant::Power, 500)
        );
        assert_ne!(name, name_for(&spec.clone().with_seed(1), Format::Svg));
        assert_ne!(name, name_for(&spec, Format::Png));
    }

    #[test]
    fn hostile_names_are_refused() {
        let good = name_for(&LogoSpec::default(), Format::Svg);
        for bad in [
            "../etc/passwd",
            "%2e%2e%2f",
            "/etc/passwd",
            "..\\x",
            "a\0b",
            "arkalia-luna-logo.log",
            "arkalia-luna-serenity-200-default-12345678.svg",
            "arkalia-luna-serenity-0200-simple-12345678.svg",
            "arkalia-luna-serenity-200-simple-1234567g.svg",
            "arkalia-luna-serenity-200-simple-ABCDEF12.svg",
            "arkalia-luna-serenity-99999-simple-12345678.svg",
            &format!("{good}.svg"),
            &format!("x{good}"),
            &"a".repeat(10_000),
        ] {
            assert!(parse_name(bad).is_none(), "{bad}");
        }
        assert!(parse_name(&good).is_some());
    }

    #[tokio::test]
    async fn reconcile_adopts_drops_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let store = SledStore::open(&dir.path().join("store"), 1 << 20)
            .unwrap()
            .store;
        let artefacts = Artefacts::open(&dir.path().join("files")).unwrap();
        let a = name_for(&LogoSpec::default(), Format::Svg);
        let b = name_for(&LogoSpec::default().with_seed(3), Format::Svg);
        artefacts.write(&a, b"<svg/>").unwrap();
        std::fs::write(artefacts.dir().join(".tmp-1-0-x"), b"half").unwrap();
        std::fs::write(artefacts.dir().join("notes.txt"), b"keep").unwrap();
        store
            .insert_file(&FileRecord {
                name: b.clone(),
                style: "simple".into(),
                variant: "serenity".into(),
                size: 200,
                format: "svg".into(),
                bytes: 1,
                created_unix_ms: 0,
                drawing: None,
            })
            .await
            .unwrap();
        let report = artefacts.reconcile(&store).await.unwrap();
        assert_eq!(
            report,
            Reconciled {
                adopted: 1,
                dropped: 1,
                temp_removed: 1
            }
        );
        assert_eq!(store.files().await.unwrap().len(), 1);
        assert_eq!(store.file(&a).await.unwrap().unwrap().bytes, 6);
        assert!(artefacts.dir().join("notes.txt").exists());
    }
}
