//! Rendering through the caches: outputs by digest (single-flight, bounded in bytes), parsed
//! drawings shared by every raster size of a logo, and a bounded queue for the raster pool.

use super::cache::{CacheKey, DrawingCache, RenderCache, Rendered, drawing_cache, render_cache};
use super::{EngineError, Format};
use crate::art::{LogoSpec, render_svg};
use crate::raster::Drawing;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_util::bytes::Bytes;

/// How long a raster request waits for a free render slot before the engine says `Busy`.
const RENDER_QUEUE_WAIT: Duration = Duration::from_secs(15);
/// Raster requests allowed to wait per render slot; beyond that, `Busy` at once.
const QUEUE_PER_SLOT: usize = 8;
/// The share of the cache budget kept for parsed drawings.
const DRAWING_SHARE: u64 = 4;

pub struct Renderer {
    outputs: RenderCache,
    drawings: Arc<DrawingCache>,
    slots: Semaphore,
    threads: usize,
    waiting: AtomicUsize,
}

impl Renderer {
    /// `cache_bytes` bounds outputs and drawings together; `threads` raster renders run at once.
    pub fn new(cache_bytes: u64, threads: usize) -> Renderer {
        let drawing_bytes = cache_bytes / DRAWING_SHARE;
        Renderer {
            outputs: render_cache(cache_bytes - drawing_bytes),
            drawings: Arc::new(drawing_cache(drawing_bytes)),
            slots: Semaphore::new(threads),
            threads,
            waiting: AtomicUsize::new(0),
        }
    }

    /// Renders through the cache; identical concurrent requests render once. Returns the output
    /// and whether it came from the cache.
    pub async fn render(
        &self,
        spec: &LogoSpec,
        format: Format,
    ) -> Result<(Rendered, bool), EngineError> {
        let key = CacheKey {
            digest: *spec.digest().as_bytes(),
            format,
        };
        let guard = match self.outputs.get_value_or_guard_async(&key).await {
            Ok(hit) => return Ok((hit, true)),
            Err(guard) => guard,
        };
        let rendered = if format.is_raster() {
            let _slot = self.slot().await?;
            let spec = spec.clone();
            let drawings = self.drawings.clone();
            tokio::task::spawn_blocking(move || rasterise(&drawings, &spec, format))
                .await
                .map_err(|e| EngineError::Internal(format!("render task failed: {e}")))??
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

    /// A raster render slot, waiting in a bounded queue.
    async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, EngineError> {
        if let Ok(slot) = self.slots.try_acquire() {
            return Ok(slot);
        }
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let slot = if queued >= self.threads * QUEUE_PER_SLOT {
            Err(EngineError::Busy(self.threads))
        } else {
            match tokio::time::timeout(RENDER_QUEUE_WAIT, self.slots.acquire()).await {
                Ok(Ok(slot)) => Ok(slot),
                Ok(Err(_)) => Err(EngineError::Internal("render pool closed".into())),
                Err(_) => Err(EngineError::Busy(self.threads)),
            }
        };
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        slot
    }
}

/// Draws a raster, reusing the logo's parsed drawing when another size or format of it was
/// rendered before. Runs on the blocking pool.
fn rasterise(
    drawings: &DrawingCache,
    spec: &LogoSpec,
    format: Format,
) -> Result<Rendered, EngineError> {
    let start = Instant::now();
    let key = *Drawing::canonical(spec).digest().as_bytes();
    let drawing = match drawings.get(&key) {
        Some(drawing) => drawing,
        None => {
            let drawing = Arc::new(Drawing::of(spec).map_err(internal)?);
            drawings.insert(key, drawing.clone());
            drawing
        }
    };
    let bytes = match format {
        Format::Ico => drawing.ico(),
        _ => drawing.png(spec.size()),
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

    #[tokio::test]
    async fn every_raster_of_a_logo_shares_one_drawing() {
        let renderer = Renderer::new(8 << 20, 1);
        let spec = LogoSpec::parse("ultimate", "power", 64).unwrap();
        for (spec, format) in [
            (spec.clone(), Format::Png),
            (spec.clone().with_size(256).unwrap(), Format::Png),
            (spec.clone().with_animated(false), Format::Png),
            (spec.clone(), Format::Ico),
        ] {
            let (_, cached) = renderer.render(&spec, format).await.unwrap();
            assert!(!cached, "{format} at {} is a new output", spec.size());
        }
        assert_eq!(renderer.drawings.len(), 1);
        // Another seed is another picture.
        renderer
            .render(&spec.with_seed(7), Format::Png)
            .await
            .unwrap();
        assert_eq!(renderer.drawings.len(), 2);
    }
}
