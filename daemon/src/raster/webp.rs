//! Lossless WebP (VP8L) from the same pixels as the PNG: a lossless format of one pixmap, so a
//! WebP and a PNG of a logo decode to identical pixels.

use super::RasterError;
use super::png::into_straight_rgba;
use tiny_skia::Pixmap;

/// Encodes a pixmap as lossless RGBA WebP (straight alpha, as WebP requires), demultiplied in
/// place.
pub fn encode_webp(pixmap: Pixmap) -> Result<Vec<u8>, RasterError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let rgba = into_straight_rgba(pixmap);
    let mut out = Vec::with_capacity(rgba.len() / 4);
    image_webp::WebPEncoder::new(&mut out).encode(
        &rgba,
        width,
        height,
        image_webp::ColorType::Rgba8,
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::art::LogoSpec;
    use crate::raster::Drawing;

    #[test]
    fn a_webp_is_a_riff_vp8l_file_at_the_asked_size() {
        let drawing = Drawing::of(&LogoSpec::parse("simple", "power", 64).unwrap());
        let webp = encode_webp(drawing.pixmap(64).unwrap()).unwrap();
        assert_eq!(&webp[..4], b"RIFF");
        assert_eq!(&webp[8..16], b"WEBPVP8L");
        // The VP8L header: signature 0x2f, then 14-bit width-1 and height-1.
        assert_eq!(webp[20], 0x2f);
        let bits = u32::from_le_bytes(webp[21..25].try_into().unwrap());
        assert_eq!((bits & 0x3fff) + 1, 64);
        assert_eq!(((bits >> 14) & 0x3fff) + 1, 64);
        // Same inputs, same bytes.
        assert_eq!(webp, encode_webp(drawing.pixmap(64).unwrap()).unwrap());
    }
}
