//! Human output (aligned tables, optional colour) versus `--json` (one compact JSON value per
//! line), errors on stderr, and atomic output files.

use crate::exit::Failure;
use clap::builder::styling::{AnsiColor, Style};
use serde::Serialize;
use std::io::{self, IsTerminal, Write};

pub const BOLD: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const GREEN: Style = AnsiColor::Green.on_default();
pub const RED: Style = AnsiColor::Red.on_default().bold();

pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
    color: bool,
    err_color: bool,
}

/// Colour only on a terminal, and never with `NO_COLOR` set to anything non-empty.
fn colour_allowed(tty: bool) -> bool {
    tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Output {
    pub fn new(json: bool, quiet: bool, verbose: bool) -> Output {
        Output {
            json,
            quiet,
            verbose,
            color: !json && colour_allowed(io::stdout().is_terminal()),
            err_color: !json && colour_allowed(io::stderr().is_terminal()),
        }
    }

    /// Output without colour, whatever the terminal (tests).
    #[cfg(test)]
    pub fn plain() -> Output {
        Output {
            json: false,
            quiet: false,
            verbose: false,
            color: false,
            err_color: false,
        }
    }

    /// Whether stdout gets colour.
    pub fn coloured(&self) -> bool {
        self.color
    }

    /// `text` in `style` when stdout gets colour.
    pub fn paint(&self, style: Style, text: &str) -> String {
        paint(self.color, style, text)
    }

    /// A line on stdout.
    pub fn line(&self, text: impl std::fmt::Display) -> io::Result<()> {
        writeln!(io::stdout().lock(), "{text}")
    }

    /// Text as is on stdout.
    pub fn text(&self, text: &str) -> io::Result<()> {
        io::stdout().lock().write_all(text.as_bytes())
    }

    /// A value as one compact JSON line on stdout.
    pub fn json_line(&self, value: &impl Serialize) -> io::Result<()> {
        let text = serde_json::to_string(value).map_err(io::Error::other)?;
        let mut out = io::stdout().lock();
        writeln!(out, "{text}")?;
        out.flush()
    }

    /// A daemon result as one JSON line, through `serde_json::Value` so its keys come out in
    /// the order they had when results were printed untyped (sorted).
    pub fn json_result(&self, result: &impl Serialize) -> io::Result<()> {
        let value = serde_json::to_value(result).map_err(io::Error::other)?;
        self.json_line(&value)
    }

    /// Progress and side notes on stderr; not with `--quiet` or `--json`.
    pub fn note(&self, text: impl std::fmt::Display) {
        if !self.quiet && !self.json {
            eprintln!("{text}");
        }
    }

    /// Details on stderr with `--verbose`.
    pub fn debug(&self, text: impl std::fmt::Display) {
        if self.verbose {
            eprintln!("{}", paint(self.err_color, DIM, &format!("luna: {text}")));
        }
    }

    /// Reports a failure on stderr: `luna: message`, or the JSON error object.
    pub fn error(&self, failure: &Failure) {
        if failure.silent {
            return;
        }
        if self.json {
            eprintln!("{}", error_json(failure));
        } else {
            let prefix = paint(self.err_color, RED, "luna:");
            eprintln!("{prefix} {}", failure.message);
        }
    }
}

pub fn paint(enabled: bool, style: Style, text: &str) -> String {
    if enabled {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// `{"error":{"code":…,"message":…,"exit":N}}`
pub fn error_json(failure: &Failure) -> serde_json::Value {
    serde_json::json!({
        "error": {"code": failure.code, "message": failure.message, "exit": failure.exit}
    })
}

/// A table with aligned columns, two spaces apart; numeric columns are right-aligned.
pub struct Table {
    headers: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// Headers ending in `>` are right-aligned (the `>` is dropped).
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers
                .iter()
                .map(|h| h.trim_end_matches('>').to_owned())
                .collect(),
            right: headers.iter().map(|h| h.ends_with('>')).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn render(&self, out: &Output) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| display_width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(widths.len()) {
                widths[i] = widths[i].max(display_width(cell));
            }
        }
        let headers: Vec<String> = self.headers.iter().map(|h| out.paint(BOLD, h)).collect();
        let mut text = String::new();
        for row in std::iter::once(&headers).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(widths.len()) {
                let pad = " ".repeat(widths[i].saturating_sub(display_width(cell)));
                if i > 0 {
                    line.push_str("  ");
                }
                if self.right[i] {
                    line.push_str(&pad);
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&pad);
                }
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }

    pub fn print(&self, out: &Output) -> io::Result<()> {
        out.text(&self.render(out))
    }
}

/// Terminal columns taken by `text`: ANSI escapes take none, wide emoji and CJK take two,
/// combining marks and variation selectors none. An approximation that fits luna's names.
pub fn display_width(text: &str) -> usize {
    let mut width = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ params… final byte in @..~
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) && c != '[' {
                    break;
                }
            }
            continue;
        }
        width += char_width(c);
    }
    width
}

/// Emoji below U+1F000 that terminals draw two columns wide (Emoji_Presentation).
const WIDE_SYMBOLS: &str = "⌚⌛⏩⏪⏫⏬⏰⏳◽◾☔☕♈♉♊♋♌♍♎♏♐♑♒♓♿⚓⚡⚪⚫⚽⚾⛄⛅⛎⛔⛪⛲⛳⛴⛵⛺⛽✅✊✋✨❌❎❓❔❕❗➕➖➗➰➿⬛⬜⭐⭕";

fn char_width(c: char) -> usize {
    let u = c as u32;
    let zero = matches!(u, 0x300..=0x36F | 0x200B..=0x200F | 0x20D0..=0x20FF | 0xFE00..=0xFE0F);
    let wide = matches!(u, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF)
        || matches!(u, 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
        || matches!(u, 0x1F300..=0x1F64F | 0x1F680..=0x1F6FF | 0x1F900..=0x1FAFF)
        || WIDE_SYMBOLS.contains(c);
    if zero || c.is_control() {
        0
    } else if wide {
        2
    } else {
        1
    }
}

pub use luna_ipc::text::human_bytes;

/// Seconds for people, to the second: `3h 2m 1s`; `0s` for less than a second.
pub fn human_duration(seconds: f64) -> String {
    let secs = if seconds.is_finite() && seconds > 0.0 {
        seconds as u64
    } else {
        0
    };
    humantime::format_duration(std::time::Duration::from_secs(secs)).to_string()
}

/// Milliseconds with one decimal: `0.4 ms`.
pub fn millis(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_humanised() {
        assert_eq!(human_duration(3723.9), "1h 2m 3s");
        assert_eq!(human_duration(0.2), "0s");
        assert_eq!(human_duration(f64::NAN), "0s");
        assert_eq!(millis(0.000_42), "0.4 ms");
    }

    #[test]
    fn widths_count_emoji_and_skip_escapes() {
        assert_eq!(display_width("🌙 Sérénité"), 11);
        assert_eq!(display_width("⚡ Puissance"), 12);
        assert_eq!(display_width("✨ Éveil"), 8);
        assert_eq!(display_width(&paint(true, RED, "abc")), 3);
        assert_eq!(display_width("e\u{301}"), 1);
    }

    #[test]
    fn tables_align_columns() {
        let mut table = Table::new(&["key", "name", "count>"]);
        table.row(vec!["power".into(), "⚡ Puissance".into(), "7".into()]);
        table.row(vec!["serenity".into(), "🌙 Sérénité".into(), "12".into()]);
        let text = table.render(&Output::plain());
        let expected = "\
key       name          count
power     ⚡ Puissance      7
serenity  🌙 Sérénité      12
";
        assert_eq!(text, expected);
    }

    #[test]
    fn errors_as_json() {
        let value = error_json(&Failure::new("unavailable", 69, "lunad is not running"));
        let expected = serde_json::json!({
            "error": {"code": "unavailable", "message": "lunad is not running", "exit": 69}
        });
        assert_eq!(value, expected);
    }
}
