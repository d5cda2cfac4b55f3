//! The in-memory cache of rendered outputs, bounded in bytes, with single-flight: concurrent
//! identical requests render once (quick_cache's placeholder guards).

use super::Format;
use crate::raster::StaticLayers;
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

/// The seed-free layers of logos as pixels, by [`StaticLayers::key`] (spec without its seed, and
/// size): a new seed of a logo redraws only its seeded parts.
pub type LayerCache =
    quick_cache::sync::Cache<[u8; 32], std::sync::Arc<StaticLayers>, LayerWeighter>;

#[derive(Debug, Clone, Copy)]
pub struct LayerWeighter;

impl Weighter<[u8; 32], std::sync::Arc<StaticLayers>> for LayerWeighter {
    fn weight(&self, _key: &[u8; 32], value: &std::sync::Arc<StaticLayers>) -> u64 {
        value.weight() + 96
    }
}

pub fn layer_cache(capacity_bytes: u64) -> LayerCache {
    // Two layers of a 256 px logo weigh 512 KiB.
    let estimated_items = (capacity_bytes / 524_288).clamp(4, 1 << 12) as usize;
    LayerCache::with_weighter(estimated_items, capacity_bytes.max(1), LayerWeighter)
}
