//! The engine: what lunad does, in its own words, whichever front end asks. It validates
//! requests, renders through the caches ([`render`]), keeps stored files ([`files`]), counts
//! statistics ([`stats`]) and cleans up ([`cleanup`]). It knows no wire format: `ipc_server` and
//! `http` translate to and from these types, and it reports what happened to an [`Observer`]
//! (the daemon's telemetry) without knowing who listens.

pub mod artefacts;
mod cache;
pub mod cleanup;
mod error;
mod favicon;
pub mod files;
mod format;
mod health;
mod observer;
mod render;
mod request;
pub mod stats;

pub use cleanup::{CleanupReport, CleanupRequest};
pub use error::{EngineError, Invalid};
pub use favicon::{Favicon, FaviconRequest};
pub use files::{Listing, StoredFile};
pub use format::Format;
pub use health::{Checks, StoreCheck};
pub use observer::{Generated, Observer, Unobserved};
pub use request::{Generate, LogoRequest, PaletteInput};
pub use stats::{Stats, StoreStatus};

use crate::art::LogoSpec;
pub use crate::raster::{Background, FaviconPackage, PackageFile};
use crate::store::{GroupFlush, Outage, Store};
use artefacts::Artefacts;
use files::StoredFiles;
use render::Renderer;
use stats::Statistics;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio_util::bytes::Bytes;

/// How often buffered counters reach the store and a statistics change is announced.
pub const STATS_TICK: Duration = Duration::from_millis(250);

/// One generated (or cached) output.
#[derive(Debug, Clone)]
pub struct Output {
    pub spec: LogoSpec,
    pub format: Format,
    pub bytes: Bytes,
    pub cached: bool,
    /// Seconds spent rendering (0 when cached).
    pub render_seconds: f64,
    /// The stored file's name, when storing was requested.
    pub file: Option<String>,
}

impl Output {
    fn new(
        spec: LogoSpec,
        format: Format,
        rendered: cache::Rendered,
        cached: bool,
        file: Option<String>,
    ) -> Output {
        Output {
            spec,
            format,
            bytes: rendered.bytes,
            cached,
            render_seconds: if cached { 0.0 } else { rendered.render_seconds },
            file,
        }
    }
}

pub struct Engine {
    renderer: Renderer,
    files: StoredFiles,
    statistics: Statistics,
    store: Arc<dyn Store>,
    outage: Arc<Outage>,
    observer: Arc<dyn Observer>,
    started: Instant,
}

/// How the engine is sized.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of rendered output kept in memory.
    pub cache_bytes: u64,
    /// Rasters drawn at once.
    pub render_threads: usize,
    /// The longest expected wait for a render slot a raster request is admitted with.
    pub render_queue_budget: Duration,
    /// Generations (and stored-file index entries) kept in memory while a shared store is
    /// unreachable.
    pub store_buffer: u64,
}

impl Engine {
    pub fn new(
        store: Arc<dyn Store>,
        artefacts: Artefacts,
        limits: Limits,
        observer: Arc<dyn Observer>,
    ) -> Engine {
        let outage = Arc::new(Outage::default());
        let durability = Arc::new(GroupFlush::new(
            store.clone(),
            outage.clone(),
            limits.store_buffer,
        ));
        Engine {
            renderer: Renderer::new(
                limits.cache_bytes,
                limits.render_threads,
                limits.render_queue_budget,
            ),
            files: StoredFiles::new(store.clone(), artefacts, outage.clone(), durability.clone()),
            statistics: Statistics::new(store.clone(), outage.clone(), durability),
            store,
            outage,
            observer,
            started: Instant::now(),
        }
    }

    /// Whether a shared store is unreachable, and what waits for it.
    pub fn store_status(&self) -> StoreStatus {
        StoreStatus {
            degraded: self.outage.degraded(),
            buffering: self.statistics.buffering(),
        }
    }

    /// Resolves when rasters have been asked for since the last call: a burst may be under way.
    pub async fn rasters_started(&self) {
        self.renderer.rasters_started().await;
    }

    /// Whether no raster is being drawn or waits for a slot.
    pub fn rasters_idle(&self) -> bool {
        self.renderer.rasters_idle()
    }

    /// Whether a shared store is unreachable (cheaper than [`Engine::store_status`]).
    pub fn store_degraded(&self) -> bool {
        self.outage.degraded()
    }

    /// Records that the shared store was found unreachable (at start-up): run degraded.
    pub fn note_store_unreachable(&self, error: &crate::store::StoreError) {
        self.outage.begin(error);
    }

    /// Records that another replica changed the shared totals, so the next tick announces them.
    pub fn note_fleet_change(&self) {
        self.statistics.mark_changed();
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// Bytes the store occupies on disk.
    pub async fn store_size(&self) -> Result<Option<u64>, EngineError> {
        Ok(self.store.size_on_disk().await?)
    }

    /// Generates, optionally stores, counts it and makes the count durable before returning:
    /// a caller that got an answer never sees that generation lost, even after `kill -9`.
    pub async fn generate(&self, request: &Generate) -> Result<Output, EngineError> {
        let spec = request.logo.validate()?;
        let format = request.format;
        let (rendered, cached) = self.renderer.render(&spec, format).await?;
        let file = match request.store {
            true => Some(self.files.put(&spec, format, &rendered.bytes).await?),
            false => None,
        };
        self.statistics.count(&spec, format, cached);
        self.statistics.durable().await?;
        let output = Output::new(spec, format, rendered, cached, file);
        self.announce(&output);
        Ok(output)
    }

    /// Serves a logo for a cacheable URL: rendered through the cache and counted, but the count
    /// is buffered (written within [`STATS_TICK`]) instead of flushed before answering.
    pub async fn serve(&self, spec: &LogoSpec, format: Format) -> Result<Output, EngineError> {
        let (rendered, cached) = self.renderer.render(spec, format).await?;
        self.statistics.count(spec, format, cached);
        let output = Output::new(spec.clone(), format, rendered, cached, None);
        self.announce(&output);
        Ok(output)
    }

    /// Draws the favicon package of a still logo ([`crate::raster::favicon_package`]). Packages
    /// are not counted as generations: they are not one of the formats the statistics count.
    pub async fn favicon(
        &self,
        spec: LogoSpec,
        background: Background,
    ) -> Result<Favicon, EngineError> {
        favicon::draw(&self.renderer, spec, background).await
    }

    fn announce(&self, output: &Output) {
        self.observer.generated(&Generated {
            spec: &output.spec,
            format: output.format,
            render_seconds: (!output.cached).then_some(output.render_seconds),
            file: output.file.as_deref(),
        });
        // After the `generated` news, so a `stats` announcement never precedes it.
        self.statistics.mark_changed();
    }

    pub async fn stats(&self) -> Result<Stats, EngineError> {
        let mut stats = self.statistics.stats(self.uptime()).await?;
        stats.store = self.store_status();
        Ok(stats)
    }

    /// At most `limit` stored files, newest first.
    pub async fn files(&self, limit: Option<usize>) -> Result<Listing, EngineError> {
        self.files.list(limit).await
    }

    /// A stored file and its bytes; `NotFound` for any name that is not an indexed file. A file
    /// another replica stored is drawn again here (same name, same bytes) and kept.
    pub async fn file(&self, name: &str) -> Result<(StoredFile, Vec<u8>), EngineError> {
        match self.files.get(name).await? {
            files::Lookup::Here(file, bytes) => Ok((file, bytes)),
            files::Lookup::Elsewhere(file, spec) => {
                let (rendered, _) = self.renderer.render(&spec, file.format).await?;
                self.files.keep_copy(name, &rendered.bytes).await?;
                tracing::debug!(%name, "redrew a file stored by another replica");
                Ok((file, rendered.bytes.to_vec()))
            }
        }
    }

    /// Removes what `request` selects ([`cleanup::select`]), durably, and reports it.
    pub async fn cleanup(&self, request: &CleanupRequest) -> Result<CleanupReport, EngineError> {
        let files = self.files.oldest_first().await?;
        let mut doomed = cleanup::select(&files, request, SystemTime::now());
        if !request.dry_run {
            // Only what this call removed counts: two cleanups at once never count a file twice.
            let mut removed = Vec::with_capacity(doomed.len());
            for file in doomed {
                if self.files.remove(&file.name).await? {
                    removed.push(file);
                }
            }
            doomed = removed;
        }
        let report = CleanupReport {
            removed: doomed.iter().map(|f| f.name.clone()).collect(),
            freed_bytes: doomed.iter().map(|f| f.bytes).sum(),
            remaining: (files.len() - doomed.len()) as u64,
            dry_run: request.dry_run,
        };
        if !request.dry_run && !report.removed.is_empty() {
            self.statistics.durable().await?;
            self.observer.cleaned(&report);
            self.statistics.mark_changed();
        }
        Ok(report)
    }

    /// Deletes local copies of stored files the index no longer has (another replica cleaned them
    /// up), and returns how many. Files written in the last minute are left alone: their index
    /// entry may be on its way.
    pub async fn drop_unindexed_copies(&self) -> Result<usize, EngineError> {
        self.files.drop_unindexed(Duration::from_secs(60)).await
    }

    /// Writes buffered counters to the store and announces changed totals. Run every
    /// [`STATS_TICK`], and once more at shutdown.
    pub async fn tick(&self) -> Result<(), EngineError> {
        let was_degraded = self.outage.degraded();
        match self.statistics.write_pending().await {
            // The group commit recorded the outage; it is shown in `stats`, `/health` and the
            // metrics, not reported every tick.
            Err(e) if e.is_store_unreachable() => {}
            written => written?,
        }
        let degraded = self.outage.degraded();
        if self.statistics.take_changed() || degraded != was_degraded {
            let counters = self.statistics.counters().await?;
            self.observer
                .stats_changed(counters.total, counters.cache_hits, degraded);
        }
        Ok(())
    }

    /// Writes buffered counters and makes every write so far durable (used at shutdown).
    pub async fn flush(&self) -> Result<(), EngineError> {
        self.tick().await?;
        self.statistics.durable().await?;
        let status = self.store_status();
        if status.degraded {
            tracing::error!(
                generations = status.buffering.buffered,
                files = status.buffering.files,
                "stopping while the shared store is unreachable: these buffered counts and index entries are lost"
            );
        }
        Ok(())
    }

    /// Whether the store answers, the file directory is writable and the drawing code draws.
    pub async fn checks(&self) -> Checks {
        health::run(self.store.as_ref(), self.files.artefacts()).await
    }
}

fn unix_ms(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests;
