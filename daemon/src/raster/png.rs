//! PNG encoding tuned for speed: fdeflate's fast mode with the Paeth filter. Measured on 256 px
//! logos (docs/PERFORMANCE.md): the adaptive filter cost a fifth more time for files no smaller,
//! and the default level costs twenty times the time for files about 12% smaller.

use super::RasterError;
use std::sync::LazyLock;
use tiny_skia::Pixmap;

/// Encodes a pixmap as 8-bit RGBA PNG (straight alpha, as PNG requires). It consumes the
/// pixmap: demultiplied in place, with no copy of the pixels.
pub fn encode_png(pixmap: Pixmap) -> Result<Vec<u8>, RasterError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let rgba = into_straight_rgba(pixmap);
    // Logos compress to a third to a half of their pixels: one allocation, no regrowth.
    let mut out = Vec::with_capacity(rgba.len() / 2);
    let mut encoder = ::png::Encoder::new(&mut out, width, height);
    encoder.set_color(::png::ColorType::Rgba);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_compression(::png::Compression::Fast);
    encoder.set_filter(::png::Filter::Paeth);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgba)?;
    writer.finish()?;
    Ok(out)
}

/// `DEMULTIPLY[alpha][channel]`: tiny-skia's own rounding (`c / (a / 255) + 0.5`, f64),
/// tabulated once, so the result is bit for bit what `PremultipliedColorU8::demultiply` gives
/// at a lookup per channel instead of three f64 divisions per pixel.
static DEMULTIPLY: LazyLock<Box<[[u8; 256]; 256]>> = LazyLock::new(|| {
    let mut table = Box::new([[0u8; 256]; 256]);
    for (alpha, row) in table.iter_mut().enumerate().skip(1) {
        let a = alpha as f64 / 255.0;
        for (channel, out) in row.iter_mut().enumerate() {
            *out = (channel as f64 / a + 0.5) as u8;
        }
    }
    table
});

/// tiny-skia keeps premultiplied pixels; file formats want straight alpha. Demultiplied in
/// place.
pub(crate) fn into_straight_rgba(pixmap: Pixmap) -> Vec<u8> {
    let mut rgba = pixmap.take();
    demultiply(&mut rgba);
    rgba
}

fn demultiply(rgba: &mut [u8]) {
    let table = &*DEMULTIPLY;
    for pixel in rgba.chunks_exact_mut(4) {
        let alpha = pixel[3];
        if alpha != 255 {
            let row = &table[usize::from(alpha)];
            pixel[0] = row[usize::from(pixel[0])];
            pixel[1] = row[usize::from(pixel[1])];
            pixel[2] = row[usize::from(pixel[2])];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the encoder writes decodes, with the png crate's decoder, to the very pixels it was
    /// given (straight alpha): the speed settings lose nothing.
    #[test]
    fn encoded_pixels_decode_unchanged() {
        let (width, height) = (37, 23);
        let mut pixmap = Pixmap::new(width, height).unwrap();
        for (i, pixel) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let alpha = (i * 7 % 256) as u8;
            let channel = |k: usize| ((i * k + i / 3) % 256) as u8 % alpha.max(1);
            pixel.copy_from_slice(&[channel(13), channel(29), channel(5), alpha]);
        }
        let png = encode_png(pixmap.clone()).unwrap();
        let mut reader = ::png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .unwrap();
        let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut decoded).unwrap();
        assert_eq!((info.width, info.height), (width, height));
        assert_eq!(info.color_type, ::png::ColorType::Rgba);
        assert_eq!(decoded, into_straight_rgba(pixmap.clone()));
    }

    #[test]
    fn the_table_demultiplies_exactly_as_tiny_skia() {
        let mut pixmap = Pixmap::new(256, 256).unwrap();
        // Every (alpha, channel) pair a premultiplied pixel can hold.
        for (i, pixel) in pixmap.data_mut().chunks_exact_mut(4).enumerate() {
            let (alpha, channel) = ((i / 256) as u8, (i % 256) as u8);
            let channel = channel.min(alpha);
            pixel.copy_from_slice(&[channel, channel / 2, 0, alpha]);
        }
        let expected: Vec<u8> = pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        assert_eq!(into_straight_rgba(pixmap.clone()), expected);
    }
}
