//! Drawing: a pure function of [`App`].

use crate::action::KEYS;
use crate::app::{App, Daemon, OPTIONS, Pane};
use crate::preview;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};

/// Below this, only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

struct Areas {
    banner: Option<Rect>,
    variants: Rect,
    styles: Rect,
    options: Rect,
    preview: Rect,
    details: Rect,
    status: Rect,
}

fn areas(app: &App, area: Rect) -> Areas {
    let banner = app.daemon == Daemon::Unavailable;
    let [top, main, status] = Layout::vertical([
        Constraint::Length(u16::from(banner)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Length(30), Constraint::Min(0)]).areas(main);
    let styles_height = u16::try_from(app.styles.len().clamp(1, 8)).unwrap_or(8) + 2;
    let [variants, styles, options] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(styles_height),
        Constraint::Length(5),
    ])
    .areas(left);
    let [preview, details] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(9)]).areas(right);
    Areas {
        banner: banner.then_some(top),
        variants,
        styles,
        options,
        preview,
        details,
        status,
    }
}

/// The preview's inner size in cells for a terminal of `width`×`height`, and the square PNG size
/// in pixels that fills it (two pixels per cell row).
pub fn preview_pixels(app: &App, width: u16, height: u16) -> u32 {
    let inner = areas(app, Rect::new(0, 0, width, height))
        .preview
        .inner(ratatui::layout::Margin::new(1, 1));
    u32::from(inner.width.min(inner.height * 2)).clamp(16, 2048)
}

fn pane_block(title: &str, focused: bool) -> Block<'static> {
    let style = if focused {
        Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
    } else {
        Style::new()
    };
    Block::bordered()
        .title(format!(" {title} "))
        .border_style(style)
}

fn hex(color: &str) -> Color {
    let c = color.trim_start_matches('#');
    let byte = |i: usize| c.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
    match (byte(0), byte(2), byte(4)) {
        (Some(r), Some(g), Some(b)) if c.len() == 6 => Color::Rgb(r, g, b),
        _ => Color::Reset,
    }
}

fn swatch(color: &str, mono: bool) -> Span<'static> {
    if mono {
        Span::raw("")
    } else {
        Span::styled("██", Style::new().fg(hex(color)))
    }
}

fn highlight(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

fn marker(focused: bool) -> &'static str {
    if focused { "▶ " } else { "  " }
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "terminal too small: {}×{}, needs {MIN_WIDTH}×{MIN_HEIGHT}",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let a = areas(app, area);
    if let Some(banner) = a.banner {
        frame.render_widget(
            Paragraph::new("lunad unavailable — reconnecting")
                .alignment(Alignment::Center)
                .style(Style::new().fg(Color::Black).bg(Color::Red)),
            banner,
        );
    }

    let focused = app.focus == Pane::Variants;
    let items: Vec<ListItem> = app
        .variants
        .iter()
        .map(|v| {
            let mut spans = vec![Span::raw(format!("{:<10} ", v.key))];
            spans.extend(v.colors.iter().map(|c| swatch(c, app.mono)));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(app.variant));
    frame.render_stateful_widget(
        List::new(items)
            .block(pane_block("Variants", focused))
            .highlight_style(highlight(focused))
            .highlight_symbol(marker(focused)),
        a.variants,
        &mut state,
    );

    let focused = app.focus == Pane::Styles;
    let items: Vec<ListItem> = app
        .styles
        .iter()
        .map(|s| ListItem::new(s.key.clone()))
        .collect();
    let mut state = ListState::default().with_selected(Some(app.style));
    frame.render_stateful_widget(
        List::new(items)
            .block(pane_block("Styles", focused))
            .highlight_style(highlight(focused))
            .highlight_symbol(marker(focused)),
        a.styles,
        &mut state,
    );

    let focused = app.focus == Pane::Options;
    let values = [
        format!("{} px", app.size),
        app.seed.to_string(),
        if app.animated { "yes" } else { "no" }.to_string(),
    ];
    let items: Vec<ListItem> = OPTIONS
        .iter()
        .zip(values)
        .map(|(name, value)| ListItem::new(format!("{name:<9}{value}")))
        .collect();
    let mut state = ListState::default().with_selected(Some(app.option));
    frame.render_stateful_widget(
        List::new(items)
            .block(pane_block("Options", focused))
            .highlight_style(highlight(focused))
            .highlight_symbol(marker(focused)),
        a.options,
        &mut state,
    );

    let title = match (app.current_style(), app.current_variant()) {
        (Some(s), Some(v)) => format!("Preview · {} · {}", s.key, v.key),
        _ => "Preview".to_string(),
    };
    let block = pane_block(&title, false);
    let inner = block.inner(a.preview);
    frame.render_widget(block, a.preview);
    match &app.preview {
        Some((_, image)) => frame.render_widget(
            Paragraph::new(preview::lines(image, app.mono)).alignment(Alignment::Center),
            inner,
        ),
        None => frame.render_widget(
            Paragraph::new("loading…").alignment(Alignment::Center),
            inner,
        ),
    }

    let mut details: Vec<Line> = Vec::new();
    if let Some(v) = app.current_variant() {
        details.push(Line::from(format!("{} ({})", v.name, v.key)));
        let names = ["primary", "secondary", "accent", "glow"];
        for pair in names.iter().zip(&v.colors).collect::<Vec<_>>().chunks(2) {
            let mut spans = Vec::new();
            for (name, color) in pair {
                spans.push(swatch(color, app.mono));
                spans.push(Span::raw(format!(" {name:<9} {color}   ")));
            }
            details.push(Line::from(spans));
        }
        details.push(Line::from(format!("speed {}x · glow {}", v.speed, v.glow)));
    }
    let algorithm = app
        .algorithm
        .map_or_else(|| "?".to_string(), |a| a.to_string());
    details.push(Line::from(format!("algorithm version {algorithm}")));
    details.push(Line::from(format!(
        "export: {}",
        app.export_name().unwrap_or_default()
    )));
    if let Some(last) = &app.last_generated {
        details.push(Line::from(format!("lunad last generated: {last}")));
    }
    frame.render_widget(
        Paragraph::new(details)
            .block(pane_block("Details", false))
            .wrap(Wrap { trim: false }),
        a.details,
    );

    let daemon = match app.daemon {
        Daemon::Connecting => "connecting",
        Daemon::Connected => "connected",
        Daemon::Unavailable => "unavailable",
    };
    let status = format!(
        " lunad {daemon} │ generated {} │ cache hits {} │ {} │ ? help",
        app.total_generated, app.cache_hits, app.status
    );
    frame.render_widget(
        Paragraph::new(status).style(Style::new().add_modifier(Modifier::REVERSED)),
        a.status,
    );

    if app.help {
        draw_help(frame, area);
    }
}

fn draw_help(frame: &mut Frame, area: Rect) {
    let height = u16::try_from(KEYS.len()).unwrap_or(20) + 2;
    let width = 56.min(area.width);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + area.height.saturating_sub(height) / 2,
        width,
        height.min(area.height),
    );
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(
                    format!("{keys:<13}"),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*what),
            ])
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        popup,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fake;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn render(app: &App, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| draw(frame, app)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn with_preview(width: u16, height: u16) -> App {
        let mut app = fake();
        let pixels = preview_pixels(&app, width, height);
        let key = app.preview_key(pixels).unwrap();
        app.preview = Some((key, preview::gradient(pixels)));
        app.mono = true;
        app
    }

    #[test]
    fn snapshot_80x24() {
        insta::assert_snapshot!(render(&with_preview(80, 24), 80, 24));
    }

    #[test]
    fn snapshot_160x48() {
        let mut app = with_preview(160, 48);
        app.mono = false;
        insta::assert_snapshot!(render(&app, 160, 48));
    }

    #[test]
    fn snapshot_help_overlay() {
        let mut app = with_preview(80, 24);
        app.help = true;
        app.focus = Pane::Styles;
        insta::assert_snapshot!(render(&app, 80, 24));
    }

    #[test]
    fn snapshot_unavailable_banner() {
        let mut app = fake();
        app.update(crate::action::Action::Disconnected);
        insta::assert_snapshot!(render(&app, 80, 24));
    }

    #[test]
    fn too_small() {
        let text = render(&fake(), 59, 20);
        assert!(text.contains("terminal too small"), "{text}");
        let text = render(&fake(), 60, 20);
        assert!(!text.contains("terminal too small"), "{text}");
    }

    #[test]
    fn colour_preview_draws_half_blocks() {
        let mut app = with_preview(80, 24);
        app.mono = false;
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| draw(frame, &app)).unwrap();
        let buffer = terminal.backend().buffer();
        let half_blocks = buffer
            .content()
            .iter()
            .filter(|c| c.symbol() == "▀" && matches!(c.fg, Color::Rgb(..)))
            .count();
        assert!(half_blocks > 100, "{half_blocks}");
    }
}
