//! Raster output: PNG and lossless WebP at any size, multi-size ICO, the favicon set and the
//! favicon package, via resvg/tiny-skia.
//!
//! resvg does not play SMIL, so rasters are always drawn from the static pose (the first frame).

mod favicon_package;
mod icon;
mod layers;
mod png;
mod sheet;
mod webp;

pub use favicon_package::{
    APPLE_TOUCH_SIZE, Background, FILE_NAMES, FaviconPackage, PACKAGE_ICO_SIZES, PWA_SIZES,
    PackageFile, SAFE_ZONE, SNIPPET, favicon_package,
};
pub use icon::{FAVICON_SIZES, ICO_SIZES, favicon_set, ico};
pub use layers::StaticLayers;
pub use png::encode_png;
pub use sheet::contact_sheet;
pub use webp::encode_webp;

use crate::art::{DEFAULT_SIZE, LogoSpec, render_svg};
use tiny_skia::Pixmap;

/// Raster failures. The SVG is our own, so these mean a bug or memory exhaustion, never bad input.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("generated SVG did not parse: {0}")]
    Parse(#[from] usvg::Error),
    #[error("cannot allocate a {0}×{0} pixmap")]
    Alloc(u32),
    #[error("PNG encoding failed: {0}")]
    Encode(#[from] ::png::EncodingError),
    #[error("ICO encoding failed: {0}")]
    Ico(#[from] std::io::Error),
    #[error("WebP encoding failed: {0}")]
    Webp(#[from] image_webp::EncodingError),
}

/// A logo's static pose, drawn and parsed once, ready to rasterise at any size. The picture does
/// not depend on the size (everything is drawn in the 200-unit viewBox), so one drawing serves
/// every PNG size, the three ICO images and the favicon set.
pub struct Drawing {
    tree: usvg::Tree,
    /// The SVG text's length: a proxy for the parsed tree's memory, for cache weights.
    source_bytes: usize,
}

impl Drawing {
    /// Draws `spec`'s static pose. It is always drawn at the default size, so a drawing (and so
    /// every raster made from it) is the same whatever size it was first asked for at.
    pub fn of(spec: &LogoSpec) -> Result<Drawing, RasterError> {
        let svg = render_svg(&Drawing::canonical(spec));
        Drawing::parse(&svg)
    }

    /// The spec whose drawing serves `spec` at every size: what it shows in pixels
    /// ([`LogoSpec::raster_identity`]), at the default size.
    pub fn canonical(spec: &LogoSpec) -> LogoSpec {
        spec.raster_identity()
            .with_size(DEFAULT_SIZE)
            .expect("the default size is valid")
    }

    /// Parses an SVG document (of any intrinsic size).
    pub fn parse(svg: &str) -> Result<Drawing, RasterError> {
        Ok(Drawing {
            tree: usvg::Tree::from_str(svg, &usvg::Options::default())?,
            source_bytes: svg.len(),
        })
    }

    /// Rough bytes the drawing holds in memory.
    pub fn weight(&self) -> u64 {
        // A parsed node costs a few times its text; measured trees stay under 4x.
        4 * self.source_bytes as u64
    }

    /// Premultiplied RGBA pixels at `size`×`size`, the drawing scaled to fit.
    pub fn pixmap(&self, size: u32) -> Result<Pixmap, RasterError> {
        let mut pixmap = Pixmap::new(size, size).ok_or(RasterError::Alloc(size))?;
        self.draw_onto(&mut pixmap);
        Ok(pixmap)
    }

    /// Draws over what `pixmap` holds, scaled to fill it.
    pub fn draw_onto(&self, pixmap: &mut Pixmap) {
        let intrinsic = self.tree.size();
        let transform = tiny_skia::Transform::from_scale(
            pixmap.width() as f32 / intrinsic.width(),
            pixmap.height() as f32 / intrinsic.height(),
        );
        resvg::render(&self.tree, transform, &mut pixmap.as_mut());
    }

    pub fn png(&self, size: u32) -> Result<Vec<u8>, RasterError> {
        encode_png(self.pixmap(size)?)
    }
}

/// Renders the logo's static pose to premultiplied RGBA pixels at its size.
pub fn render_pixmap(spec: &LogoSpec) -> Result<Pixmap, RasterError> {
    Drawing::of(spec)?.pixmap(spec.size())
}

/// Renders any SVG document to a `size`×`size` pixmap, scaling its intrinsic size to fit.
pub fn rasterise(svg: &str, size: u32) -> Result<Pixmap, RasterError> {
    Drawing::parse(svg)?.pixmap(size)
}

/// The logo as a PNG at its size.
pub fn png(spec: &LogoSpec) -> Result<Vec<u8>, RasterError> {
    Drawing::of(spec)?.png(spec.size())
}
