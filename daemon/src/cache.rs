//! The in-memory cache of rendered outputs, bounded in bytes, with single-flight: concurrent
//! identical requests render once (quick_cache's placeholder guards).

use luna_ipc::Format;
use quick_cache::Weighter;
use tokio_util::bytes::Bytes;

/// Identifies an output: the spec digest (every input plus the algorithm version) and format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub digest: [u8; 32],
    pub format: Format,
}

/// A rendered output and what it cost.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Bytes,
    pub render_seconds: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct ByteWeighter;

impl Weighter<CacheKey, Rendered> for ByteWeighter {
    fn weight(&self, _key: &CacheKey, value: &Rendered) -> u64 {
        // The key and bookkeeping cost roughly a hundred bytes per entry.
        value.bytes.len() as u64 + 96
    }
}

pub type RenderCache = quick_cache::sync::Cache<CacheKey, Rendered, ByteWeighter>;

pub fn render_cache(capacity_bytes: u64) -> RenderCache {
    // Sized for ~16 KiB entries (an animated SVG); rasters are larger, so fewer fit.
    let estimated_items = (capacity_bytes / 16_384).clamp(16, 1 << 20) as usize;
    RenderCache::with_weighter(estimated_items, capacity_bytes.max(1), ByteWeighter)
}
