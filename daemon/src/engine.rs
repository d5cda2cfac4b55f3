//! The engine: what every front end (IPC today, HTTP next) asks of the daemon. It owns the render
//! cache, the render pool, the store and the artefact directory, and publishes events.

use crate::art::{ArtError, LogoSpec, Palette, Style, Variant, render_svg};
use crate::artefacts::{self, Artefacts};
use crate::cache::{CacheKey, RenderCache, Rendered, render_cache};
use crate::events::EventBus;
use crate::metrics::Metrics;
use crate::raster;
use crate::store::{Counters, FileRecord, Generation, GroupFlush, Store, StoreError};
use luna_ipc::{
    CleanupArgs, CleanupResult, ErrorCode, FileInfo, FilesResult, Format, GenerateArgs, PaletteArg,
    StatsResult, Topic, WireError,
};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Semaphore;
use tokio_util::bytes::Bytes;

/// How long a raster request waits for a free render slot before the daemon says `busy`.
const RENDER_QUEUE_WAIT: Duration = Duration::from_secs(15);
/// Raster requests allowed to wait per render slot; beyond that, `busy` at once.
const QUEUE_PER_SLOT: usize = 8;
/// How often buffered counters reach the store and a `stats` event goes out.
pub const STATS_TICK: Duration = Duration::from_millis(250);

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Art(#[from] ArtError),
    #[error("all {0} render slots are busy and the queue is full; retry shortly")]
    Busy(usize),
    #[error("{0}")]
    Usage(String),
    #[error("store failure: {0}")]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl EngineError {
    pub fn to_wire(&self) -> WireError {
        match self {
            EngineError::Art(e) => {
                let valid = match e {
                    ArtError::UnknownVariant { .. } => json!(Variant::ALL.map(Variant::key)),
                    ArtError::UnknownStyle { .. } => json!(style_keys()),
                    _ => serde_json::Value::Null,
                };
                let mut details = json!({ "path": e.field() });
                if !valid.is_null() {
                    details["valid"] = valid;
                }
                WireError::new(ErrorCode::InvalidArgument, e.to_string()).with_details(details)
            }
            EngineError::Usage(message) => WireError::new(ErrorCode::InvalidArgument, message),
            EngineError::Busy(_) => WireError::new(ErrorCode::Busy, self.to_string()),
            EngineError::Store(_) | EngineError::Internal(_) => {
                WireError::new(ErrorCode::Internal, self.to_string())
            }
        }
    }
}

/// Every accepted style key, aliases included.
pub fn style_keys() -> Vec<&'static str> {
    Style::ALL
        .iter()
        .flat_map(|s| std::iter::once(s.key()).chain(s.info().aliases.iter().copied()))
        .collect()
}

/// One generated (or cached) output.
#[derive(Debug, Clone)]
pub struct Output {
    pub spec: LogoSpec,
    pub format: Format,
    pub bytes: Bytes,
    pub cached: bool,
    pub render_seconds: f64,
    /// The stored file's name, when storing was requested.
    pub file: Option<String>,
}

pub struct Engine {
    store: Arc<dyn Store>,
    durability: GroupFlush,
    artefacts: Arc<Artefacts>,
    cache: RenderCache,
    render_slots: Semaphore,
    render_threads: usize,
    waiting: AtomicUsize,
    pub events: EventBus,
    pub metrics: Arc<Metrics>,
    stats_changed: AtomicBool,
    started: Instant,
}

impl Engine {
    pub fn new(
        store: Arc<dyn Store>,
        artefacts: Artefacts,
        cache_bytes: u64,
        render_threads: usize,
    ) -> Engine {
        Engine {
            durability: GroupFlush::new(store.clone()),
            store,
            artefacts: Arc::new(artefacts),
            cache: render_cache(cache_bytes),
            render_slots: Semaphore::new(render_threads),
            render_threads,
            waiting: AtomicUsize::new(0),
            events: EventBus::default(),
            metrics: Arc::new(Metrics::new()),
            stats_changed: AtomicBool::new(false),
            started: Instant::now(),
        }
    }

    pub fn artefacts(&self) -> &Artefacts {
        &self.artefacts
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// Validates request arguments into a spec, with errors that name the field.
    pub fn spec_from(args: &GenerateArgs) -> Result<LogoSpec, EngineError> {
        let mut spec =
            LogoSpec::parse(&args.style, &args.variant, args.size)?.with_animated(args.animated);
        if let Some(seed) = args.seed {
            spec = spec.with_seed(seed);
        }
        if let Some(palette) = &args.palette {
            spec = spec.with_palette(match palette {
                PaletteArg::Joined(text) => Palette::parse(text)?,
                PaletteArg::List(list) => Palette::from_colours(list)?,
            });
        }
        if let Some(prefix) = &args.id_prefix {
            spec = spec.with_id_prefix(prefix)?;
        }
        if let Some(title) = &args.title {
            spec = spec.with_title(title)?;
        }
        Ok(spec)
    }

    /// Renders through the cache; identical concurrent requests render once.
    pub async fn render(
        &self,
        spec: &LogoSpec,
        format: Format,
    ) -> Result<(Rendered, bool), EngineError> {
        let key = CacheKey {
            digest: *spec.digest().as_bytes(),
            format,
        };
        let guard = match self.cache.get_value_or_guard_async(&key).await {
            Ok(hit) => return Ok((hit, true)),
            Err(guard) => guard,
        };
        let rendered = match format {
            // Tens of microseconds: cheaper inline than a trip to the blocking pool.
            Format::Svg => {
                let start = Instant::now();
                let svg = render_svg(spec);
                Rendered {
                    bytes: Bytes::from(svg),
                    render_seconds: start.elapsed().as_secs_f64(),
                }
            }
            Format::Png | Format::Ico => {
                let _slot = self.render_slot().await?;
                let spec = spec.clone();
                tokio::task::spawn_blocking(move || {
                    let start = Instant::now();
                    let bytes = match format {
                        Format::Png => raster::png(&spec),
                        _ => raster::ico(&spec),
                    };
                    bytes.map(|b| Rendered {
                        bytes: Bytes::from(b),
                        render_seconds: start.elapsed().as_secs_f64(),
                    })
                })
                .await
                .map_err(|e| EngineError::Internal(format!("render task failed: {e}")))?
                .map_err(|e| EngineError::Internal(e.to_string()))?
            }
        };
        let _ = guard.insert(rendered.clone());
        Ok((rendered, false))
    }

    /// A raster render slot, waiting in a bounded queue.
    async fn render_slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, EngineError> {
        if let Ok(slot) = self.render_slots.try_acquire() {
            return Ok(slot);
        }
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let slot = if queued >= self.render_threads * QUEUE_PER_SLOT {
            Err(EngineError::Busy(self.render_threads))
        } else {
            match tokio::time::timeout(RENDER_QUEUE_WAIT, self.render_slots.acquire()).await {
                Ok(Ok(slot)) => Ok(slot),
                Ok(Err(_)) => Err(EngineError::Internal("render pool closed".into())),
                Err(_) => Err(EngineError::Busy(self.render_threads)),
            }
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        slot
    }

    /// Serves a logo for a cacheable URL: rendered through the cache and counted, but the count
    /// is buffered (written within [`STATS_TICK`]) instead of flushed before answering.
    pub async fn serve(&self, spec: &LogoSpec, format: Format) -> Result<Output, EngineError> {
        let (rendered, cached) = self.render(spec, format).await?;
        let generation = self.generation(spec, format, cached);
        self.durability.note(&generation);
        self.counted(spec, format, &rendered, cached, None);
        Ok(Output {
            spec: spec.clone(),
            format,
            bytes: rendered.bytes,
            cached,
            render_seconds: if cached { 0.0 } else { rendered.render_seconds },
            file: None,
        })
    }

    fn generation(&self, spec: &LogoSpec, format: Format, cached: bool) -> Generation {
        Generation {
            style: spec.style().key(),
            variant: spec.variant().key(),
            size: spec.size(),
            format: format.extension(),
            at_unix_ms: unix_ms(SystemTime::now()),
            cached,
        }
    }

    /// Metrics and events for one generation.
    fn counted(
        &self,
        spec: &LogoSpec,
        format: Format,
        rendered: &Rendered,
        cached: bool,
        file: Option<&str>,
    ) {
        self.metrics.generation(
            spec.variant().key(),
            spec.style().key(),
            format.extension(),
            (!cached).then_some(rendered.render_seconds),
        );
        self.events.publish_with(Topic::Generated, || {
            json!({
                "style": spec.style().key(),
                "variant": spec.variant().key(),
                "size": spec.size(),
                "format": format,
                "cached": cached,
                "file": file,
            })
        });
        self.stats_changed.store(true, Ordering::Relaxed);
    }

    /// Writes buffered counters to the store and announces changed statistics. Run every
    /// [`STATS_TICK`], and once more at shutdown.
    pub fn tick(&self) -> Result<(), EngineError> {
        self.durability.write_pending()?;
        if self.stats_changed.swap(false, Ordering::Relaxed) {
            let counters = self.counters()?;
            self.events.publish(
                Topic::Stats,
                json!({ "total_generated": counters.total, "cache_hits": counters.cache_hits }),
            );
        }
        Ok(())
    }

    /// Stored counters plus those not yet written.
    fn counters(&self) -> Result<Counters, EngineError> {
        let mut counters = self.store.counters()?;
        counters.merge(&self.durability.pending());
        Ok(counters)
    }

    /// Generates, optionally stores, counts it and makes the count durable before returning:
    /// a caller that got an answer never sees that generation lost, even after `kill -9`.
    pub async fn generate(&self, args: &GenerateArgs) -> Result<Output, EngineError> {
        let spec = Engine::spec_from(args)?;
        let (rendered, cached) = self.render(&spec, args.format).await?;
        let file = if args.store {
            Some(self.store_file(&spec, args.format, &rendered.bytes).await?)
        } else {
            None
        };
        self.durability
            .note(&self.generation(&spec, args.format, cached));
        self.durability.durable().await?;
        self.counted(&spec, args.format, &rendered, cached, file.as_deref());
        Ok(Output {
            spec,
            format: args.format,
            bytes: rendered.bytes,
            cached,
            render_seconds: if cached { 0.0 } else { rendered.render_seconds },
            file,
        })
    }

    async fn store_file(
        &self,
        spec: &LogoSpec,
        format: Format,
        bytes: &Bytes,
    ) -> Result<String, EngineError> {
        let name = artefacts::name_for(spec, format);
        if self.store.file(&name)?.is_some()
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
        self.store.insert_file(&FileRecord {
            name: name.clone(),
            style: spec.style().key().to_owned(),
            variant: spec.variant().key().to_owned(),
            size: spec.size(),
            format: format.extension().to_owned(),
            bytes: bytes.len() as u64,
            created_unix_ms: unix_ms(SystemTime::now()),
        })?;
        Ok(name)
    }

    pub fn stats(&self) -> Result<StatsResult, EngineError> {
        let c = self.counters()?;
        let files = self.store.files_summary();
        Ok(StatsResult {
            total_generated: c.total,
            variants_used: c.variants,
            sizes_used: c.sizes,
            styles_used: c.styles,
            formats_used: c.formats,
            last_generation: c.last_generation_ms.map(rfc3339),
            cache_hits: c.cache_hits,
            files: files.count,
            files_bytes: files.bytes,
            uptime_seconds: self.uptime().as_secs_f64(),
        })
    }

    /// Stored files, newest first.
    pub fn files(&self, limit: Option<usize>) -> Result<FilesResult, EngineError> {
        let mut files = self.store.files()?;
        files.sort_by(|a, b| {
            b.created_unix_ms
                .cmp(&a.created_unix_ms)
                .then(a.name.cmp(&b.name))
        });
        let total = files.len() as u64;
        let total_bytes = files.iter().map(|f| f.bytes).sum();
        let files = files
            .into_iter()
            .take(limit.unwrap_or(usize::MAX))
            .map(file_info)
            .collect();
        Ok(FilesResult {
            files,
            total,
            total_bytes,
        })
    }

    /// Removes stored files older than `older_than_secs` and/or the oldest ones beyond
    /// `max_total_bytes`; every stored file when neither is given. The caller checks `confirm`.
    pub async fn cleanup(&self, args: &CleanupArgs) -> Result<CleanupResult, EngineError> {
        let mut files = self.store.files()?;
        files.sort_by(|a, b| {
            a.created_unix_ms
                .cmp(&b.created_unix_ms)
                .then(a.name.cmp(&b.name))
        });
        let now = unix_ms(SystemTime::now());
        let mut doomed = Vec::new();
        let mut kept_bytes: u64 = files.iter().map(|f| f.bytes).sum();
        for file in &files {
            let too_old = args.older_than_secs.is_some_and(|age| {
                now.saturating_sub(file.created_unix_ms) > age.saturating_mul(1000)
            });
            let over_budget = args.max_total_bytes.is_some_and(|max| kept_bytes > max);
            let everything = args.older_than_secs.is_none() && args.max_total_bytes.is_none();
            if everything || too_old || over_budget {
                kept_bytes -= file.bytes;
                doomed.push(file);
            }
        }
        let freed_bytes = doomed.iter().map(|f| f.bytes).sum();
        let names: Vec<String> = doomed.iter().map(|f| f.name.clone()).collect();
        if !args.dry_run && !names.is_empty() {
            for name in &names {
                // File first: a crash in between leaves an index entry reconcile will drop.
                self.artefacts
                    .remove(name)
                    .map_err(|e| EngineError::Internal(format!("removing {name}: {e}")))?;
                self.store.remove_file(name)?;
            }
            self.durability.durable().await?;
            self.events.publish(
                Topic::Cleaned,
                json!({ "removed": names.len(), "freed_bytes": freed_bytes }),
            );
            self.stats_changed.store(true, Ordering::Relaxed);
        }
        Ok(CleanupResult {
            removed: names.len() as u64,
            freed_bytes,
            remaining: (files.len() - names.len()) as u64,
            dry_run: args.dry_run,
            files: names,
        })
    }

    /// Writes buffered counters and makes every write so far durable (used at shutdown).
    pub async fn flush(&self) -> Result<(), EngineError> {
        self.tick()?;
        Ok(self.durability.durable().await?)
    }

    /// A stored file's bytes, for `GET /download`: only indexed, validly named files.
    pub fn stored_path(
        &self,
        name: &str,
    ) -> Result<Option<(std::path::PathBuf, FileRecord)>, EngineError> {
        let Some(path) = self.artefacts.path(name) else {
            return Ok(None);
        };
        Ok(self.store.file(name)?.map(|record| (path, record)))
    }
}

/// The protocol's view of an index entry.
pub fn file_info(f: FileRecord) -> FileInfo {
    FileInfo {
        format: Format::from_extension(&f.format).unwrap_or_default(),
        created: rfc3339(f.created_unix_ms),
        name: f.name,
        style: f.style,
        variant: f.variant,
        size: f.size,
        bytes: f.bytes,
    }
}

fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// RFC 3339 UTC with millisecond precision, e.g. `2026-11-25T19:32:07.123Z`.
pub fn rfc3339(unix_ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(unix_ms)).to_string()
}
