//! Favicons: a multi-size `.ico` and the PNG set browsers and phones ask for.

use super::png::into_straight_rgba;
use super::{Drawing, RasterError};
use crate::art::LogoSpec;
use tiny_skia::Pixmap;

/// Sizes packed into the `.ico`.
pub const ICO_SIZES: [u32; 3] = [16, 32, 48];
/// The PNG favicon set: classic 16/32, Apple touch 180, Android 192 and 512.
pub const FAVICON_SIZES: [u32; 5] = [16, 32, 180, 192, 512];

/// A `.ico` holding the logo at 16, 32 and 48 px (the spec's own size is ignored).
pub fn ico(spec: &LogoSpec) -> Result<Vec<u8>, RasterError> {
    Drawing::of(spec).ico()
}

impl Drawing {
    /// A `.ico` holding the drawing at 16, 32 and 48 px.
    pub fn ico(&self) -> Result<Vec<u8>, RasterError> {
        ico_of(&ICO_SIZES, |size| self.pixmap(size))
    }
}

/// A `.ico` of the pixmaps `draw` makes at `sizes`.
pub(super) fn ico_of(
    sizes: &[u32],
    draw: impl Fn(u32) -> Result<Pixmap, RasterError>,
) -> Result<Vec<u8>, RasterError> {
    let mut dir = ico::IconDir::new(ico::ResourceType::Icon);
    for &size in sizes {
        let rgba = into_straight_rgba(draw(size)?);
        let image = ico::IconImage::from_rgba_data(size, size, rgba);
        dir.add_entry(ico::IconDirEntry::encode(&image)?);
    }
    let mut out = Vec::new();
    dir.write(&mut out)?;
    Ok(out)
}

/// The PNG favicon set as `(size, png)` pairs, in [`FAVICON_SIZES`] order.
pub fn favicon_set(spec: &LogoSpec) -> Result<Vec<(u32, Vec<u8>)>, RasterError> {
    let drawing = Drawing::of(spec);
    FAVICON_SIZES
        .iter()
        .map(|&size| Ok((size, drawing.png(size)?)))
        .collect()
}
