//! The logo preview: the daemon's PNG decoded to RGBA, then either encoded for an image protocol
//! (ratatui-image) or drawn as half-blocks (`▀`: foreground = upper pixel, background = lower)
//! in true colour or the 256-colour palette, or as a density ramp under `NO_COLOR`.

use crate::graphics::{Mode, ansi256};
use luna_ipc::{Format, GenerateArgs, PaletteArg};
use ratatui::layout::Size;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;
use std::fmt;
use std::time::Duration;

/// What the preview shows; a new preview is fetched when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewKey {
    pub style: String,
    pub variant: String,
    pub seed: u64,
    pub palette: Option<[String; 4]>,
    /// Pixels (square).
    pub pixels: u32,
    /// The preview area in cells, for protocol images.
    pub cells: (u16, u16),
}

impl PreviewKey {
    /// The request for this preview: a static PNG.
    pub fn args(&self) -> GenerateArgs {
        let mut args = GenerateArgs::new(
            &self.style,
            &self.variant,
            i64::from(self.pixels),
            Format::Png,
        );
        args.animated = false;
        args.seed = Some(self.seed);
        args.palette = palette_arg(&self.palette);
        args
    }
}

/// An edited palette as `generate` takes it.
pub fn palette_arg(palette: &Option<[String; 4]>) -> Option<PaletteArg> {
    palette.as_ref().map(|p| PaletteArg::List(p.to_vec()))
}

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

/// A preview ready to draw, and how long it took.
#[derive(Clone)]
pub struct Preview {
    pub key: PreviewKey,
    pub image: Image,
    /// The image encoded for the terminal's protocol, in protocol modes.
    pub protocol: Option<Protocol>,
    /// Seconds lunad spent rendering (0 when it came from its cache).
    pub render_secs: f64,
    pub cached: bool,
    /// From the request leaving to the image decoded and encoded.
    pub round_trip: Duration,
}

impl fmt::Debug for Preview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Preview")
            .field("key", &self.key)
            .field("protocol", &self.protocol.is_some())
            .field("render_secs", &self.render_secs)
            .field("round_trip", &self.round_trip)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("bad PNG: {0}")]
    Png(#[from] png::DecodingError),
    #[error("cannot encode for the terminal: {0}")]
    Protocol(#[from] ratatui_image::errors::Errors),
    #[error("the decoded image does not match its size")]
    Buffer,
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

/// Encodes `image` for the picker's protocol, to fit `cells`.
pub fn encode(image: &Image, picker: &Picker, cells: (u16, u16)) -> Result<Protocol, PreviewError> {
    let flat = image.rgba.iter().flatten().copied().collect();
    let buffer =
        image::RgbaImage::from_raw(image.width, image.height, flat).ok_or(PreviewError::Buffer)?;
    Ok(picker.new_protocol(
        image::DynamicImage::ImageRgba8(buffer),
        Size::new(cells.0, cells.1),
        ratatui_image::Resize::Fit(None),
    )?)
}

/// A pixel over a black background, or `None` where the logo is transparent (the terminal's
/// own background shows there).
fn visible([r, g, b, a]: [u8; 4]) -> Option<(u8, u8, u8)> {
    let mix = |c: u8| ((u16::from(c) * u16::from(a)) / 255) as u8;
    (a >= 128).then(|| (mix(r), mix(g), mix(b)))
}

const RAMP: &[char] = &[' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];

fn luma((r, g, b): (u8, u8, u8)) -> u32 {
    (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000
}

/// The image as terminal lines, one line per two pixel rows, for the cell-drawing modes
/// (protocol modes fall back to true colour).
pub fn lines(image: &Image, mode: Mode) -> Vec<Line<'static>> {
    let colour = |(r, g, b): (u8, u8, u8)| match mode {
        Mode::Ansi256 => Color::Indexed(ansi256(r, g, b)),
        _ => Color::Rgb(r, g, b),
    };
    (0..image.height.div_ceil(2))
        .map(|row| {
            let spans: Vec<Span<'static>> = (0..image.width)
                .map(|x| {
                    let top = visible(image.pixel(x, row * 2));
                    let bottom = visible(image.pixel(x, row * 2 + 1));
                    if mode == Mode::Ascii {
                        let level = (top.map_or(0, luma) + bottom.map_or(0, luma)) / 2;
                        let index = (level as usize * (RAMP.len() - 1)) / 255;
                        return Span::raw(RAMP[index].to_string());
                    }
                    match (top, bottom) {
                        (None, None) => Span::raw(" "),
                        (Some(top), None) => Span::styled("▀", Style::new().fg(colour(top))),
                        (None, Some(bottom)) => Span::styled("▄", Style::new().fg(colour(bottom))),
                        (Some(top), Some(bottom)) => {
                            Span::styled("▀", Style::new().fg(colour(top)).bg(colour(bottom)))
                        }
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
        let lines = lines(&image, Mode::TrueColor);
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0].spans.len(), 8);
        assert_eq!(lines[0].spans[0].content, "▀");
        assert_eq!(lines[0].spans[0].style.fg, Some(Color::Rgb(0, 0, 128)));
        assert_eq!(lines[0].spans[0].style.bg, Some(Color::Rgb(0, 31, 128)));
    }

    #[test]
    fn the_256_colour_fallback_uses_palette_indices() {
        let lines = lines(&gradient(8), Mode::Ansi256);
        assert_eq!(
            lines[0].spans[0].style.fg,
            Some(Color::Indexed(ansi256(0, 0, 128)))
        );
        assert!(
            lines
                .iter()
                .flat_map(|l| &l.spans)
                .all(|s| matches!(s.style.fg, Some(Color::Indexed(_)))),
            "no true-colour cell in 256-colour mode"
        );
    }

    #[test]
    fn transparent_pixels_leave_the_terminal_background() {
        let image = Image {
            width: 3,
            height: 2,
            rgba: vec![
                [9, 9, 9, 0],
                [200, 0, 0, 255],
                [0, 0, 0, 0],
                [9, 9, 9, 0],
                [0, 0, 0, 0],
                [0, 200, 0, 255],
            ],
        };
        let spans = &lines(&image, Mode::TrueColor)[0].spans;
        assert_eq!(
            (spans[0].content.as_ref(), spans[0].style),
            (" ", Style::new())
        );
        assert_eq!(spans[1].content, "▀");
        assert_eq!(
            (spans[1].style.fg, spans[1].style.bg),
            (Some(Color::Rgb(200, 0, 0)), None)
        );
        assert_eq!(spans[2].content, "▄");
        assert_eq!(
            (spans[2].style.fg, spans[2].style.bg),
            (Some(Color::Rgb(0, 200, 0)), None)
        );
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
        let lines = lines(&image, Mode::Ascii);
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

    #[test]
    fn protocols_encode_to_fit_the_preview() {
        let mut picker = Picker::halfblocks();
        for protocol in [
            ratatui_image::picker::ProtocolType::Kitty,
            ratatui_image::picker::ProtocolType::Sixel,
            ratatui_image::picker::ProtocolType::Iterm2,
        ] {
            picker.set_protocol_type(protocol);
            let encoded = encode(&gradient(64), &picker, (20, 10)).unwrap();
            let size = encoded.size();
            assert!(
                size.width <= 20 && size.height <= 10,
                "{protocol:?}: {size:?}"
            );
            assert!(size.width > 0 && size.height > 0, "{protocol:?}: {size:?}");
        }
    }
}
