//! Colours and four-colour palettes, with strict hex parsing.

use std::fmt;

use super::ArtError;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// The four roles every drawing paints with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Palette {
    pub primary: Rgb,
    pub secondary: Rgb,
    pub accent: Rgb,
    pub glow: Rgb,
}

impl Rgb {
    /// Parses `#rrggbb`, `rrggbb`, `#rgb` or `rgb` (any case). The `#` is optional so that
    /// palettes fit in URLs without escaping.
    pub fn parse(text: &str) -> Result<Rgb, ArtError> {
        let bad = |reason: &'static str| ArtError::BadColour {
            given: truncate(text),
            reason,
        };
        let hex = text.strip_prefix('#').unwrap_or(text);
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("only hex digits 0-9 and a-f are allowed"));
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).expect("checked hex digit");
        match hex.len() {
            6 => Ok(Rgb {
                r: digit(0) * 16 + digit(1),
                g: digit(2) * 16 + digit(3),
                b: digit(4) * 16 + digit(5),
            }),
            3 => Ok(Rgb {
                r: digit(0) * 17,
                g: digit(1) * 17,
                b: digit(2) * 17,
            }),
            _ => Err(bad("expected 3 or 6 hex digits, like #1e3a8a")),
        }
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl Palette {
    /// Parses four colours (primary, secondary, accent, glow) separated by commas.
    pub fn parse(text: &str) -> Result<Palette, ArtError> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if parts.len() != 4 {
            return Err(ArtError::PaletteLength { given: parts.len() });
        }
        Palette::from_colours(&parts)
    }

    /// Builds a palette from exactly four colour strings.
    pub fn from_colours<S: AsRef<str>>(colours: &[S]) -> Result<Palette, ArtError> {
        let [primary, secondary, accent, glow] = colours else {
            return Err(ArtError::PaletteLength {
                given: colours.len(),
            });
        };
        Ok(Palette {
            primary: Rgb::parse(primary.as_ref())?,
            secondary: Rgb::parse(secondary.as_ref())?,
            accent: Rgb::parse(accent.as_ref())?,
            glow: Rgb::parse(glow.as_ref())?,
        })
    }

    pub fn colours(&self) -> [Rgb; 4] {
        [self.primary, self.secondary, self.accent, self.glow]
    }
}

impl fmt::Display for Palette {
    /// The canonical form `#rrggbb,#rrggbb,#rrggbb,#rrggbb`, accepted back by [`Palette::parse`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{},{},{}",
            self.primary, self.secondary, self.accent, self.glow
        )
    }
}

/// Keeps error messages bounded when someone sends a megabyte as a colour.
fn truncate(text: &str) -> String {
    match text.char_indices().nth(32) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_long_short_and_hashless_forms() {
        let long = Rgb::parse("#1E3a8a").unwrap();
        assert_eq!(
            long,
            Rgb {
                r: 0x1e,
                g: 0x3a,
                b: 0x8a
            }
        );
        assert_eq!(Rgb::parse("1e3a8a").unwrap(), long);
        assert_eq!(
            Rgb::parse("#fa0").unwrap(),
            Rgb {
                r: 0xff,
                g: 0xaa,
                b: 0
            }
        );
    }

    #[test]
    fn rejects_malformed_colours_with_reason() {
        for bad in [
            "",
            "#",
            "#12345",
            "#1234567",
            "#ggg000",
            "red",
            "#１２３",
            "#12 456",
        ] {
            let err = Rgb::parse(bad).unwrap_err();
            assert!(matches!(err, ArtError::BadColour { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn palette_round_trips_through_its_display_form() {
        let p = Palette::parse("#111111, #222, 333333,#abcdef").unwrap();
        assert_eq!(p.to_string(), "#111111,#222222,#333333,#abcdef");
        assert_eq!(Palette::parse(&p.to_string()).unwrap(), p);
    }

    #[test]
    fn palette_needs_exactly_four_colours() {
        let err = Palette::parse("#111,#222,#333").unwrap_err();
        assert!(matches!(err, ArtError::PaletteLength { given: 3 }));
    }

    #[test]
    fn huge_input_is_truncated_in_the_error() {
        let err = Rgb::parse(&"z".repeat(10_000)).unwrap_err();
        assert!(err.to_string().len() < 200);
    }
}
