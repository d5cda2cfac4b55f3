//! How the preview reaches the screen. Terminals that speak an image protocol (kitty, sixel,
//! iTerm2) get real pixels through ratatui-image; the rest get half-blocks in true colour, or in
//! the 256-colour palette when the terminal does not announce true colour, and `NO_COLOR` gets a
//! density ramp of plain characters.

use ratatui_image::picker::cap_parser::QueryStdioOptions;
use ratatui_image::picker::{Picker, ProtocolType};
use std::fmt;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Kitty,
    Sixel,
    Iterm2,
    TrueColor,
    Ansi256,
    Ascii,
}

impl Mode {
    /// Every name `--graphics` takes; `auto` (detect) is `None`.
    pub const BY_NAME: [(&str, Option<Mode>); 7] = [
        ("auto", None),
        ("kitty", Some(Mode::Kitty)),
        ("sixel", Some(Mode::Sixel)),
        ("iterm2", Some(Mode::Iterm2)),
        ("truecolor", Some(Mode::TrueColor)),
        ("256", Some(Mode::Ansi256)),
        ("ascii", Some(Mode::Ascii)),
    ];

    pub const NAMES: [&str; 7] = {
        let mut names = [""; 7];
        let mut i = 0;
        while i < 7 {
            names[i] = Mode::BY_NAME[i].0;
            i += 1;
        }
        names
    };

    /// A mode by name; `auto` (detect) is `None`.
    pub fn parse(name: &str) -> Result<Option<Mode>, String> {
        Mode::BY_NAME
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, mode)| *mode)
            .ok_or_else(|| {
                format!(
                    "unknown graphics mode {name:?}: use one of {}",
                    Mode::NAMES.join(", ")
                )
            })
    }

    fn protocol(self) -> Option<ProtocolType> {
        match self {
            Mode::Kitty => Some(ProtocolType::Kitty),
            Mode::Sixel => Some(ProtocolType::Sixel),
            Mode::Iterm2 => Some(ProtocolType::Iterm2),
            _ => None,
        }
    }

    /// The largest preview worth encoding for an image protocol. Encoding time grows with the
    /// pixel count (sixel about 17 ms at 384 px and 30 ms at 512 px on the benchmark machine),
    /// and a key press should show its preview within 30 ms (docs/PERFORMANCE.md).
    pub fn max_pixels(self) -> Option<u32> {
        match self {
            Mode::Sixel => Some(384),
            Mode::Kitty | Mode::Iterm2 => Some(512),
            Mode::TrueColor | Mode::Ansi256 | Mode::Ascii => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Kitty => "kitty graphics",
            Mode::Sixel => "sixel",
            Mode::Iterm2 => "iTerm2 images",
            Mode::TrueColor => "true-colour blocks",
            Mode::Ansi256 => "256-colour blocks",
            Mode::Ascii => "text (NO_COLOR)",
        }
    }
}

/// The preview's way of drawing, with the picker that encodes images for protocol modes.
#[derive(Clone)]
pub struct Graphics {
    pub mode: Mode,
    pub picker: Option<Picker>,
}

impl fmt::Debug for Graphics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Graphics")
            .field("mode", &self.mode)
            .finish()
    }
}

impl Graphics {
    /// Block or text drawing, which needs no terminal query.
    pub fn cells(mode: Mode) -> Graphics {
        Graphics { mode, picker: None }
    }

    /// Picks the mode: `forced` if given, text under `NO_COLOR`, blocks inside tmux or screen,
    /// else what the terminal answers to ratatui-image's query. Call it in raw mode, before
    /// reading terminal events: the query writes escape sequences and reads the replies.
    pub fn detect(forced: Option<Mode>) -> Graphics {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let colorterm = std::env::var("COLORTERM").unwrap_or_default();
        let blocks = if matches!(colorterm.as_str(), "truecolor" | "24bit") {
            Mode::TrueColor
        } else {
            Mode::Ansi256
        };
        // A multiplexer swallows the query unless passthrough is configured: the query would
        // then wait out its timeout and its reader thread would eat the first key press.
        let multiplexed = std::env::var_os("TMUX").is_some()
            || std::env::var("TERM")
                .is_ok_and(|t| t.starts_with("screen") || t.starts_with("tmux"));
        match forced {
            Some(mode) if mode.protocol().is_none() => return Graphics::cells(mode),
            None if no_color => return Graphics::cells(Mode::Ascii),
            None if multiplexed => return Graphics::cells(blocks),
            _ => {}
        }
        let mut picker = if multiplexed {
            // A protocol forced inside a multiplexer: no query. The cell size comes from the
            // kernel's window size when the terminal reports pixels, else a typical 10×20.
            match kernel_cell_size() {
                // The only constructor that takes a cell size; it is deprecated in favour of the
                // query, which is exactly what cannot run here.
                #[allow(deprecated)]
                Some(cell) => Picker::from_fontsize(cell.into()),
                None => Picker::halfblocks(),
            }
        } else {
            // Terminals answer within milliseconds; the library's default wait is 2 s.
            let options = QueryStdioOptions {
                timeout: Duration::from_millis(500),
                ..QueryStdioOptions::default()
            };
            Picker::from_query_stdio_with_options(options).unwrap_or_else(|_| Picker::halfblocks())
        };
        let mode = match forced {
            Some(mode) => mode,
            None => match picker.protocol_type() {
                ProtocolType::Kitty => Mode::Kitty,
                ProtocolType::Sixel => Mode::Sixel,
                ProtocolType::Iterm2 => Mode::Iterm2,
                ProtocolType::Halfblocks => return Graphics::cells(blocks),
            },
        };
        if let Some(protocol) = mode.protocol() {
            picker.set_protocol_type(protocol);
        }
        Graphics {
            mode,
            picker: Some(picker),
        }
    }

    /// Pixels per terminal cell (width, height) for the preview's PNG.
    pub fn cell_pixels(&self) -> (u16, u16) {
        match &self.picker {
            Some(picker) => {
                let font = picker.font_size();
                (font.width.max(1), font.height.max(1))
            }
            // One pixel per column, two per row (the upper and lower half-block).
            None => (1, 2),
        }
    }
}

/// Pixels per cell from the terminal's window size (TIOCGWINSZ), when it reports pixels.
fn kernel_cell_size() -> Option<(u16, u16)> {
    let size = crossterm::terminal::window_size().ok()?;
    (size.width > 0 && size.height > 0 && size.columns > 0 && size.rows > 0)
        .then(|| (size.width / size.columns, size.height / size.rows))
        .filter(|&(w, h)| w > 0 && h > 0)
}

/// The xterm 256-colour index nearest to an RGB colour: the 6×6×6 cube or the grey ramp.
pub fn ansi256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let nearest_level = |c: u8| {
        (0..6)
            .min_by_key(|&i| (i32::from(LEVELS[i]) - i32::from(c)).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (nearest_level(r), nearest_level(g), nearest_level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let grey_step = ((u16::from(r) + u16::from(g) + u16::from(b)) / 3).saturating_sub(3) / 10;
    let grey_index = grey_step.min(23) as u8;
    let grey = 8 + 10 * grey_index;
    let distance = |(cr, cg, cb): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(cr, r) + d(cg, g) + d(cb, b)
    };
    if distance((grey, grey, grey)) < distance(cube) {
        232 + grey_index
    } else {
        16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_by_name() {
        assert_eq!(Mode::parse("auto"), Ok(None));
        assert_eq!(Mode::parse("256"), Ok(Some(Mode::Ansi256)));
        assert_eq!(Mode::parse("kitty"), Ok(Some(Mode::Kitty)));
        assert!(Mode::parse("vga").unwrap_err().contains("truecolor"));
    }

    #[test]
    fn cell_modes_need_no_terminal_query() {
        let g = Graphics::detect(Some(Mode::TrueColor));
        assert_eq!((g.mode, g.cell_pixels()), (Mode::TrueColor, (1, 2)));
        assert!(g.picker.is_none());
    }

    #[test]
    fn ansi256_picks_the_cube_or_the_grey_ramp() {
        assert_eq!(ansi256(0, 0, 0), 16);
        assert_eq!(ansi256(255, 255, 255), 231);
        assert_eq!(ansi256(255, 0, 0), 196);
        assert_eq!(ansi256(0x30, 0x30, 0x30), 236, "a dark grey is on the ramp");
        assert_eq!(ansi256(0x1e, 0x3a, 0x8a), 24, "serenity's primary");
    }
}
