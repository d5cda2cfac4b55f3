//! The dialogs, drawn over the main screen.

use super::{popup, swatch};
use crate::dialog::Dialog;
use crate::dialog::cleanup::{AGES, CleanupDialog};
use crate::dialog::export::{ExportDialog, Field};
use crate::dialog::input::Input;
use crate::dialog::palette::{NAMES, PaletteDialog, normalise};
use crate::dialog::seed::SeedDialog;
use crate::graphics::Mode;
use luna_ipc::Format;
use luna_ipc::text::cleanup_summary;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

const WIDTH: u16 = 66;

pub fn draw(frame: &mut Frame, area: Rect, dialog: &Dialog, mode: Mode) {
    let (title, lines) = match dialog {
        Dialog::Export(d) => (" Export ", export(d)),
        Dialog::Seed(d) => (" Seed ", seed(d)),
        Dialog::Palette(d) => (" Palette ", palette(d, mode)),
        Dialog::Cleanup(d) => (" Clean up ", cleanup(d)),
    };
    let height = u16::try_from(lines.len()).unwrap_or(20) + 2;
    let rect = popup(frame, area, WIDTH, height);
    frame.render_widget(
        Paragraph::new(lines)
            .block(
                Block::bordered()
                    .title(title)
                    .border_style(Style::new().fg(Color::Yellow)),
            )
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn label(text: &str, focused: bool) -> Span<'static> {
    let style = if focused {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    };
    Span::styled(format!("{text:<10}"), style)
}

/// The field's text, with the cursor as a reversed cell when focused.
fn field(input: &Input, focused: bool) -> Vec<Span<'static>> {
    if !focused {
        return vec![Span::raw(input.text().to_owned())];
    }
    let chars: Vec<char> = input.text().chars().collect();
    let at = input.cursor().min(chars.len());
    let before: String = chars[..at].iter().collect();
    let under = chars.get(at).map_or(" ".to_string(), |c| c.to_string());
    let after: String = chars
        .get(at + 1..)
        .map_or(String::new(), |c| c.iter().collect());
    vec![
        Span::raw(before),
        Span::styled(under, Style::new().add_modifier(Modifier::REVERSED)),
        Span::raw(after),
    ]
}

fn hint(text: &str) -> Line<'static> {
    Line::from(Span::styled(
        text.to_owned(),
        Style::new().add_modifier(Modifier::DIM),
    ))
}

fn error(text: &Option<String>) -> Option<Line<'static>> {
    text.as_ref()
        .map(|e| Line::from(Span::styled(e.clone(), Style::new().fg(Color::Red))))
}

fn export(d: &ExportDialog) -> Vec<Line<'static>> {
    let mut formats = vec![label("format", d.field() == Field::Format)];
    for format in Format::ALL {
        let name = format.extension().to_uppercase();
        formats.push(if format == d.format {
            Span::styled(
                format!("[{name}]"),
                Style::new().add_modifier(Modifier::BOLD),
            )
        } else {
            Span::raw(format!(" {name} "))
        });
        formats.push(Span::raw(" "));
    }
    let mut size = vec![label("size", d.field() == Field::Size)];
    if d.format == Format::Ico {
        size.push(Span::raw("16 + 32 + 48 px (an ICO holds all three)"));
    } else {
        size.extend(field(&d.size, d.field() == Field::Size));
        size.push(Span::raw(" px"));
    }
    let mut path = vec![label("path", d.field() == Field::Path)];
    path.extend(field(&d.path, d.field() == Field::Path));
    let mut lines = vec![Line::from(formats), Line::from(size), Line::from(path)];
    if !d.candidates.is_empty() {
        lines.push(Line::from(format!("         {}", d.candidates.join("  "))));
    }
    lines.extend(error(&d.error));
    lines.push(hint(
        "↑↓ field · ←→ change · Tab complete · Enter export · Esc cancel",
    ));
    lines
}

fn seed(d: &SeedDialog) -> Vec<Line<'static>> {
    let mut input = vec![label("seed", true)];
    input.extend(field(&d.input, true));
    let mut lines = vec![
        Line::from(format!(
            "The seed places the stars and dots; now {}.",
            d.current
        )),
        Line::from(input),
    ];
    lines.extend(error(&d.error));
    lines.push(hint("digits · Enter apply · Esc cancel"));
    lines
}

fn palette(d: &PaletteDialog, mode: Mode) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = NAMES
        .iter()
        .zip(&d.fields)
        .enumerate()
        .map(|(i, (name, input))| {
            let sample = match normalise(input.text()) {
                Some(colour) => swatch(&colour, mode),
                None => Span::styled("✗ ", Style::new().fg(Color::Red)),
            };
            let mut spans = vec![sample, Span::raw(" "), label(name, i == d.field)];
            spans.extend(field(input, i == d.field));
            Line::from(spans)
        })
        .collect();
    lines.extend(error(&d.error));
    lines.push(hint(
        "↑↓ field · Enter apply · Ctrl-R the variant's · Esc cancel",
    ));
    lines
}

fn cleanup(d: &CleanupDialog) -> Vec<Line<'static>> {
    let outcome = match &d.preview {
        None => Line::from("checking…"),
        Some(Ok(result)) => Line::from(cleanup_summary(result)),
        Some(Err(e)) => Line::from(Span::styled(e.clone(), Style::new().fg(Color::Red))),
    };
    vec![
        Line::from("Delete files from lunad's store:"),
        Line::from(vec![
            Span::raw("  ◀ "),
            Span::styled(AGES[d.age].0, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(" ▶"),
        ]),
        outcome,
        hint("←→ age · Enter or y delete · Esc or n cancel"),
    ]
}
