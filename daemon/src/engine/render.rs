//! Rendering through the caches: outputs by digest (single-flight, bounded in bytes), the
//! seed-free layers of rasters, and a queue for the raster pool bounded by
//! time: a request waits while its expected wait stays within a budget. A waiting request holds
//! its spec only, no pixels, so the queue's memory stays small however long it gets.

use super::cache::{CacheKey, LayerCache, RenderCache, Rendered, layer_cache, render_cache};
use super::{EngineError, Format};
use crate::art::{LogoSpec, render_svg};
use crate::raster::{Drawing, StaticLayers, encode_png, encode_webp};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore};
use tokio_util::bytes::Bytes;

/// The longest an admitted request waits for a slot, however the estimate went (a render stuck on
/// a pathological input must not hold its queue forever).
const MAX_WAIT: Duration = Duration::from_secs(30);
/// The render-time estimate before anything was rendered: a mid-sized PNG.
const FIRST_ESTIMATE_MICROS: u64 = 10_000;
/// The share of the cache budget kept for seed-free layers.
const LAYER_SHARE: u64 = 4;

pub struct Renderer {
    outputs: RenderCache,
    layers: Arc<LayerCache>,
    slots: Semaphore,
    threads: usize,
    waiting: AtomicUsize,
    /// The longest expected wait a request is admitted with.
    budget: Duration,
    /// Moving average of raster render times, in µs.
    average_micros: AtomicU64,
    /// Signalled when work asks for a slot: the start (or continuation) of a burst.
    started: Notify,
}

impl Renderer {
    /// `cache_bytes` bounds outputs and layers together; `threads` raster renders run at once;
    /// a raster request is turned away when its expected wait for a slot exceeds `budget`.
    pub fn new(cache_bytes: u64, threads: usize, budget: Duration) -> Renderer {
        let layer_bytes = cache_bytes / LAYER_SHARE;
        Renderer {
            outputs: render_cache(cache_bytes - layer_bytes),
            layers: Arc::new(layer_cache(layer_bytes)),
            slots: Semaphore::new(threads),
            threads,
            waiting: AtomicUsize::new(0),
            budget,
            average_micros: AtomicU64::new(FIRST_ESTIMATE_MICROS),
            started: Notify::new(),
        }
    }

    /// Folds one render time into the moving average (weight 1/8: a few renders move it).
    fn observe(&self, seconds: f64) {
        let sample = (seconds * 1e6) as u64;
        let _ = self
            .average_micros
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |avg| {
                Some((avg * 7 + sample) / 8)
            });
    }

    /// How long the `position`-th request in the queue can expect to wait.
    fn expected_wait(&self, position: usize) -> Duration {
        let average = self.average_micros.load(Ordering::Relaxed);
        Duration::from_micros(average * position as u64 / self.threads as u64)
    }

    /// Renders through the cache; identical concurrent requests render once. Returns the output
    /// and whether it came from the cache.
    pub async fn render(
        &self,
        spec: &LogoSpec,
        format: Format,
    ) -> Result<(Rendered, bool), EngineError> {
        let key = CacheKey {
            digest: *match format.is_raster() {
                // A new seed of a style without seeded parts is a hit, not a render.
                true => spec.raster_identity().digest(),
                false => spec.digest(),
            }
            .as_bytes(),
            format,
        };
        let guard = match self.outputs.get_value_or_guard_async(&key).await {
            Ok(hit) => return Ok((hit, true)),
            Err(guard) => guard,
        };
        let rendered = if format.is_raster() {
            let spec = spec.clone();
            let layers = self.layers.clone();
            let rendered = self
                .in_slot(move || rasterise(&layers, &spec, format))
                .await??;
            self.observe(rendered.render_seconds);
            rendered
        } else {
            // Tens of microseconds: cheaper inline than a trip to the blocking pool.
            let start = Instant::now();
            let svg = render_svg(spec);
            Rendered {
                bytes: Bytes::from(svg),
                render_seconds: start.elapsed().as_secs_f64(),
            }
        };
        let _ = guard.insert(rendered.clone());
        Ok((rendered, false))
    }

    /// Runs `work` on the blocking pool in a render slot, after a wait in the queue if its
    /// expected length fits the budget: every raster, and favicon packages. Only single rasters'
    /// times feed the average the queue is estimated with.
    pub async fn in_slot<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, EngineError> {
        let slot = self.slot().await?;
        let done = tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| EngineError::Internal(format!("render task failed: {e}")));
        drop(slot);
        done
    }

    /// Resolves when work has asked for a slot since the last call (at once if it has).
    pub async fn rasters_started(&self) {
        self.started.notified().await;
    }

    /// Whether no raster is being drawn or waits for a slot.
    pub fn rasters_idle(&self) -> bool {
        self.waiting.load(Ordering::SeqCst) == 0 && self.slots.available_permits() == self.threads
    }

    /// A raster render slot, after a wait in the queue if its expected length fits the budget.
    async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, EngineError> {
        self.started.notify_one();
        if let Ok(slot) = self.slots.try_acquire() {
            return Ok(slot);
        }
        let place = Waiting::enter(&self.waiting);
        let expected = self.expected_wait(place.position);
        if expected > self.budget {
            Err(EngineError::Busy {
                slots: self.threads,
                retry_after: expected - self.budget,
            })
        } else {
            match tokio::time::timeout(MAX_WAIT.max(self.budget), self.slots.acquire()).await {
                Ok(Ok(slot)) => Ok(slot),
                Ok(Err(_)) => Err(EngineError::Internal("render pool closed".into())),
                Err(_) => Err(EngineError::Busy {
                    slots: self.threads,
                    retry_after: self.budget,
                }),
            }
        }
    }
}

/// A place in the queue, given back however the wait ends: with a slot, refused, or dropped
/// because the client went away.
struct Waiting<'a> {
    count: &'a AtomicUsize,
    position: usize,
}

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize) -> Waiting<'a> {
        let position = count.fetch_add(1, Ordering::SeqCst) + 1;
        Waiting { count, position }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Draws a raster, reusing the logo's seed-free layers when it was drawn at this size before.
/// Runs on the blocking pool.
fn rasterise(
    layers: &LayerCache,
    spec: &LogoSpec,
    format: Format,
) -> Result<Rendered, EngineError> {
    let start = Instant::now();
    let bytes = match format {
        Format::Ico => Drawing::of(spec).ico(),
        // PNG and WebP, one size: the seed-free layers at that size, and only the seeded parts
        // drawn anew.
        _ => {
            let key = StaticLayers::key(spec, spec.size());
            let layers = match layers.get(&key) {
                Some(found) => found,
                None => {
                    let drawn = Arc::new(StaticLayers::draw(spec, spec.size()).map_err(internal)?);
                    layers.insert(key, drawn.clone());
                    drawn
                }
            };
            let pixmap = layers.compose(spec).map_err(internal)?;
            match format {
                Format::Webp => encode_webp(pixmap),
                _ => encode_png(pixmap),
            }
        }
    }
    .map_err(internal)?;
    Ok(Rendered {
        bytes: Bytes::from(bytes),
        render_seconds: start.elapsed().as_secs_f64(),
    })
}

fn internal(e: crate::raster::RasterError) -> EngineError {
    EngineError::Internal(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Favicon packages run in the renderer's slots: while one holds the only slot, rasters and
    /// other packages queue on the same budget (here 1 ms, so they are turned away).
    #[tokio::test]
    async fn work_in_a_slot_shares_the_queue_with_rasters() {
        let renderer = Arc::new(Renderer::new(8 << 20, 1, Duration::from_millis(1)));
        let (started, running) = std::sync::mpsc::channel();
        let holder = renderer.clone();
        let long = tokio::spawn(async move {
            holder
                .in_slot(move || {
                    started.send(()).unwrap();
                    std::thread::sleep(Duration::from_millis(300));
                })
                .await
        });
        tokio::task::spawn_blocking(move || running.recv().unwrap())
            .await
            .unwrap();
        let spec = LogoSpec::parse("simple", "power", 64).unwrap();
        let raster = renderer.render(&spec, Format::Png).await;
        assert!(
            matches!(raster, Err(EngineError::Busy { .. })),
            "{raster:?}"
        );
        let package = renderer.in_slot(|| ()).await;
        assert!(
            matches!(package, Err(EngineError::Busy { .. })),
            "{package:?}"
        );
        long.await.unwrap().unwrap();
        assert!(renderer.in_slot(|| ()).await.is_ok());
        assert!(renderer.rasters_idle());
    }

    #[tokio::test]
    async fn a_new_seed_redraws_only_the_seeded_parts() {
        let renderer = Renderer::new(8 << 20, 1, Duration::from_secs(3));
        let spec = LogoSpec::parse("ultimate", "power", 64).unwrap();
        for (spec, format) in [
            (spec.clone(), Format::Png),
            (spec.clone().with_size(256).unwrap(), Format::Png),
            (spec.clone(), Format::Ico),
        ] {
            let (_, cached) = renderer.render(&spec, format).await.unwrap();
            assert!(!cached, "{format} at {} is a new output", spec.size());
        }
        // A raster shows the static pose, so the still logo is the animated one's output.
        let (_, cached) = renderer
            .render(&spec.clone().with_animated(false), Format::Png)
            .await
            .unwrap();
        assert!(cached);
        // A PNG's seed-free layers are per size (64 and 256 px).
        assert_eq!(renderer.layers.len(), 2);
        // Another seed is another picture, on the same layers.
        let (other, cached) = renderer
            .render(&spec.clone().with_seed(7), Format::Png)
            .await
            .unwrap();
        let (first, _) = renderer.render(&spec, Format::Png).await.unwrap();
        assert!(!cached && other.bytes != first.bytes);
        assert_eq!(renderer.layers.len(), 2);
    }
}
