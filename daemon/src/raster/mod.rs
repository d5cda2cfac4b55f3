//! Raster output: PNG and lossless WebP at any size, multi-size ICO, the favicon set and the
//! favicon package. The styles draw straight onto tiny-skia pixmaps ([`painter`]), held to
//! resvg's render of the same logo's SVG by `tests/raster_fidelity.rs`.
//!
//! Rasters always show the static pose (the first frame): the SVG's SMIL animation is not drawn.

mod favicon_package;
mod icon;
mod layers;
mod painter;
mod png;
mod sheet;
mod webp;

pub use favicon_package::{
    APPLE_TOUCH_SIZE, Background, FILE_NAMES, FaviconPackage, PACKAGE_ICO_SIZES, PWA_SIZES,
    PackageFile, SAFE_ZONE, SNIPPET, favicon_package,
};
pub use icon::{FAVICON_SIZES, ICO_SIZES, favicon_set, ico};
pub use layers::StaticLayers;
pub use painter::{Painter, Parts, paint};
pub use png::encode_png;
pub use sheet::contact_sheet;
pub use webp::encode_webp;

use crate::art::{DEFAULT_SIZE, LogoSpec};
use tiny_skia::Pixmap;

/// Raster failures. The pictures are our own, so these mean a bug or memory exhaustion, never
/// bad input.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("cannot allocate a {0}×{0} pixmap")]
    Alloc(u32),
    #[error("PNG encoding failed: {0}")]
    Encode(#[from] ::png::EncodingError),
    #[error("ICO encoding failed: {0}")]
    Ico(#[from] std::io::Error),
    #[error("WebP encoding failed: {0}")]
    Webp(#[from] image_webp::EncodingError),
}

/// A logo's static pose, ready to rasterise at any size. The picture does not depend on the
/// size (everything is drawn in the 200-unit design space), so one drawing serves every PNG
/// size, the three ICO images and the favicon set.
pub struct Drawing {
    spec: LogoSpec,
}

impl Drawing {
    pub fn of(spec: &LogoSpec) -> Drawing {
        Drawing {
            spec: Drawing::canonical(spec),
        }
    }

    /// The spec whose drawing serves `spec` at every size: what it shows in pixels
    /// ([`LogoSpec::raster_identity`]), at the default size.
    pub fn canonical(spec: &LogoSpec) -> LogoSpec {
        spec.raster_identity()
            .with_size(DEFAULT_SIZE)
            .expect("the default size is valid")
    }

    /// Premultiplied RGBA pixels at `size`×`size`, the drawing scaled to fit.
    pub fn pixmap(&self, size: u32) -> Result<Pixmap, RasterError> {
        paint(&self.spec, size).ok_or(RasterError::Alloc(size))
    }

    pub fn png(&self, size: u32) -> Result<Vec<u8>, RasterError> {
        encode_png(self.pixmap(size)?)
    }
}

/// Renders the logo's static pose to premultiplied RGBA pixels at its size.
pub fn render_pixmap(spec: &LogoSpec) -> Result<Pixmap, RasterError> {
    Drawing::of(spec).pixmap(spec.size())
}

/// The logo as a PNG at its size.
pub fn png(spec: &LogoSpec) -> Result<Vec<u8>, RasterError> {
    Drawing::of(spec).png(spec.size())
}
