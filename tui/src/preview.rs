//! The logo preview: a PNG decoded to RGBA and drawn as half-blocks (`▀`, foreground = top pixel,
//! background = bottom pixel), or with a density ramp under `NO_COLOR`.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

/// Decoded RGBA pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    /// `width * height` RGBA pixels, row by row.
    pub rgba: Vec<[u8; 4]>,
}

impl Image {
    fn pixel(&self, x: u32, y: u32) -> [u8; 4] {
        if x >= self.width || y >= self.height {
            return [0, 0, 0, 0];
        }
        self.rgba[(y * self.width + x) as usize]
    }
}

/// Decodes a PNG (any colour type, 8-bit after expansion) into RGBA.
pub fn decode(bytes: &[u8]) -> Result<Image, png::DecodingError> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info()?;
    let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
    let info = reader.next_frame(&mut buf)?;
    let channels = info.color_type.samples();
    let rgba = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| match p {
            [g] => [*g, *g, *g, 255],
            [g, a] => [*g, *g, *g, *a],
            [r, g, b] => [*r, *g, *b, 255],
            [r, g, b, a] => [*r, *g, *b, *a],
            _ => [0, 0, 0, 0],
        })
        .collect();
    Ok(Image {
        width: info.width,
        height: info.height,
        rgba,
    })
}

/// A pixel over a black background.
fn over_black([r, g, b, a]: [u8; 4]) -> (u8, u8, u8) {
    let mix = |c: u8| ((u16::from(c) * u16::from(a)) / 255) as u8;
    (mix(r), mix(g), mix(b))
}

const RAMP: &[char] = &[' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];

/// The image as terminal lines: one line per two pixel rows.
pub fn lines(image: &Image, mono: bool) -> Vec<Line<'static>> {
    (0..image.height.div_ceil(2))
        .map(|row| {
            let spans: Vec<Span<'static>> = (0..image.width)
                .map(|x| {
                    let top = over_black(image.pixel(x, row * 2));
                    let bottom = over_black(image.pixel(x, row * 2 + 1));
                    if mono {
                        let luma = |(r, g, b): (u8, u8, u8)| {
                            (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000
                        };
                        let level = (luma(top) + luma(bottom)) / 2;
                        let index = (level as usize * (RAMP.len() - 1)) / 255;
                        Span::raw(RAMP[index].to_string())
                    } else {
                        Span::styled(
                            "▀",
                            Style::new()
                                .fg(Color::Rgb(top.0, top.1, top.2))
                                .bg(Color::Rgb(bottom.0, bottom.1, bottom.2)),
                        )
                    }
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
pub(crate) fn gradient(size: u32) -> Image {
    let rgba = (0..size * size)
        .map(|i| {
            let (x, y) = (i % size, i / size);
            [(x * 255 / size) as u8, (y * 255 / size) as u8, 128, 255]
        })
        .collect();
    Image {
        width: size,
        height: size,
        rgba,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_blocks_take_two_rows_per_line() {
        let image = gradient(8);
        let lines = lines(&image, false);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].spans.len(), 8);
        assert_eq!(lines[0].spans[0].content, "▀");
        assert_eq!(lines[0].spans[0].style.fg, Some(Color::Rgb(0, 0, 128)));
        assert_eq!(lines[0].spans[0].style.bg, Some(Color::Rgb(0, 31, 128)));
    }

    #[test]
    fn mono_uses_a_density_ramp() {
        let image = Image {
            width: 2,
            height: 2,
            rgba: vec![
                [0, 0, 0, 255],
                [255, 255, 255, 255],
                [0, 0, 0, 255],
                [255; 4],
            ],
        };
        let lines = lines(&image, true);
        assert_eq!(lines[0].to_string(), " @");
    }

    #[test]
    fn decodes_a_png() {
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, 2, 1);
            encoder.set_color(png::ColorType::Rgb);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&[255, 0, 0, 0, 0, 255]).unwrap();
        }
        let image = decode(&bytes).unwrap();
        assert_eq!(image.rgba, vec![[255, 0, 0, 255], [0, 0, 255, 255]]);
    }
}
