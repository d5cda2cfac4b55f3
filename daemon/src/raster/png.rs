//! PNG encoding with fast compression: several times quicker than the default level for at most
//! ~16% more bytes on glow art (measured in `shared/design/art-rendering.md`).

use super::RasterError;
use tiny_skia::Pixmap;

/// Encodes a pixmap as 8-bit RGBA PNG (straight alpha, as PNG requires).
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, RasterError> {
    let rgba = straight_rgba(pixmap);
    let mut out = Vec::with_capacity(rgba.len() / 4);
    let mut encoder = ::png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(::png::ColorType::Rgba);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_compression(::png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgba)?;
    writer.finish()?;
    Ok(out)
}

/// tiny-skia keeps premultiplied pixels; file formats want straight alpha.
pub(super) fn straight_rgba(pixmap: &Pixmap) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for pixel in pixmap.pixels() {
        let c = pixel.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    rgba
}
