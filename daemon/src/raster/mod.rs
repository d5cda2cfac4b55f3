//! Raster output: PNG at any size, multi-size ICO and the favicon set, via resvg/tiny-skia.
//!
//! resvg does not play SMIL, so rasters are always drawn from the static pose (the first frame).

mod icon;
mod png;
mod sheet;

pub use icon::{FAVICON_SIZES, ICO_SIZES, favicon_set, ico};
pub use png::encode_png;
pub use sheet::contact_sheet;

use crate::art::{LogoSpec, render_svg};
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
}

/// Renders the logo's static pose to premultiplied RGBA pixels at its size.
pub fn render_pixmap(spec: &LogoSpec) -> Result<Pixmap, RasterError> {
    let svg = render_svg(&spec.clone().with_animated(false));
    rasterise(&svg, spec.size())
}

/// Renders any SVG document to a `size`×`size` pixmap, scaling its intrinsic size to fit.
pub fn rasterise(svg: &str, size: u32) -> Result<Pixmap, RasterError> {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default())?;
    let mut pixmap = Pixmap::new(size, size).ok_or(RasterError::Alloc(size))?;
    let intrinsic = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        size as f32 / intrinsic.width(),
        size as f32 / intrinsic.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    Ok(pixmap)
}

/// The logo as a PNG at its size.
pub fn png(spec: &LogoSpec) -> Result<Vec<u8>, RasterError> {
    encode_png(&render_pixmap(spec)?)
}
