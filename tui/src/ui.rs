//! Drawing: a pure function of [`App`], in the areas its layout gives.

mod dialogs;

pub use crate::app::layout::{Hit, MIN_HEIGHT, MIN_WIDTH, hit, pane_area, preview_size};

use crate::action::KEYS;
use crate::app::layout::areas;
use crate::app::{App, Daemon, OPTIONS, Pane};
use crate::graphics::Mode;
use crate::preview;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph, Wrap};

/// The animation bases the styles use most, in seconds; the details show each loop's length,
/// base ÷ the variant's speed.
const DURATION_BASES: [f64; 3] = [2.0, 4.0, 6.0];

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

/// A colour sample; nothing under `NO_COLOR`, the nearest palette colour in 256-colour mode.
fn swatch(color: &str, mode: Mode) -> Span<'static> {
    match (mode, hex(color)) {
        (Mode::Ascii, _) | (_, Color::Reset) => Span::raw("  "),
        (Mode::Ansi256, Color::Rgb(r, g, b)) => Span::styled(
            "██",
            Style::new().fg(Color::Indexed(crate::graphics::ansi256(r, g, b))),
        ),
        (_, colour) => Span::styled("██", Style::new().fg(colour)),
    }
}

/// The selected row: a grey bar that keeps the swatches visible, reversed video without colour.
fn highlight(focused: bool, mode: Mode) -> Style {
    match (focused, mode) {
        (false, _) => Style::new().add_modifier(Modifier::BOLD),
        (true, Mode::Ascii) => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        (true, _) => Style::new()
            .bg(Color::Indexed(238))
            .add_modifier(Modifier::BOLD),
    }
}

fn marker(focused: bool) -> &'static str {
    if focused { "▶ " } else { "  " }
}

fn list(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    focused: bool,
    items: Vec<ListItem>,
    at: usize,
    mode: Mode,
) {
    let mut state = ListState::default().with_selected(Some(at));
    frame.render_stateful_widget(
        List::new(items)
            .block(pane_block(title, focused))
            .highlight_style(highlight(focused, mode))
            .highlight_symbol(marker(focused)),
        area,
        &mut state,
    );
}

/// `1.33`, `4`: seconds to two decimals without trailing zeros.
fn seconds(s: f64) -> String {
    let text = format!("{s:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
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
    let mode = app.graphics.mode;
    if let Some(banner) = a.banner {
        frame.render_widget(
            Paragraph::new("lunad unavailable — reconnecting")
                .alignment(Alignment::Center)
                .style(Style::new().fg(Color::Black).bg(Color::Red)),
            banner,
        );
    }

    let items = app
        .variants
        .iter()
        .map(|v| {
            let mut spans = vec![Span::raw(format!("{:<10} ", v.key))];
            spans.extend(v.colors.iter().map(|c| swatch(c, mode)));
            ListItem::new(Line::from(spans))
        })
        .collect();
    list(
        frame,
        a.variants,
        "Variants",
        app.focus == Pane::Variants,
        items,
        app.variant,
        mode,
    );

    let values = [
        format!("{} px", app.size),
        app.seed.to_string(),
        if app.animated { "yes" } else { "no" }.to_string(),
    ];
    let items = OPTIONS
        .iter()
        .zip(values)
        .map(|(name, value)| ListItem::new(format!("{name:<9}{value}")))
        .collect();
    list(
        frame,
        a.options,
        "Options",
        app.focus == Pane::Options,
        items,
        app.option,
        mode,
    );

    let items = app
        .styles
        .iter()
        .map(|s| ListItem::new(s.key.clone()))
        .collect();
    list(
        frame,
        a.styles,
        "Styles",
        app.focus == Pane::Styles,
        items,
        app.style,
        mode,
    );

    draw_preview(frame, app, a.preview);
    draw_details(frame, app, a.details);

    let daemon = match app.daemon {
        Daemon::Connecting => "connecting",
        Daemon::Connected => "connected",
        Daemon::Unavailable => "unavailable",
    };
    let store = if app.store_degraded {
        " │ store degraded"
    } else {
        ""
    };
    let status = format!(
        " lunad {daemon} │ generated {} │ cache hits {}{store} │ {}",
        app.total_generated, app.cache_hits, app.status
    );
    // The help hint keeps its place however long the status is.
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(8)]).areas(a.status);
    let bar = Style::new().add_modifier(Modifier::REVERSED);
    frame.render_widget(Paragraph::new(status).style(bar), left);
    frame.render_widget(Paragraph::new("│ ? help").style(bar), right);

    if let Some(dialog) = &app.dialog {
        dialogs::draw(frame, area, dialog, mode);
    }
    if app.help {
        draw_help(frame, area);
    }
}

fn draw_preview(frame: &mut Frame, app: &App, area: Rect) {
    let title = match (app.current_style(), app.current_variant()) {
        (Some(s), Some(v)) => format!("Preview · {} · {}", s.key, v.key),
        _ => "Preview".to_string(),
    };
    let block = pane_block(&title, false)
        .title_bottom(Line::from(format!(" {} ", app.graphics.mode.label())).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match &app.preview {
        Some(preview) => match &preview.protocol {
            Some(protocol) => {
                let size = protocol.size();
                let [centred] = Layout::horizontal([Constraint::Length(size.width)])
                    .flex(ratatui::layout::Flex::Center)
                    .areas(inner);
                frame.render_widget(ratatui_image::Image::new(protocol), centred);
            }
            None => frame.render_widget(
                Paragraph::new(preview::lines(&preview.image, app.graphics.mode))
                    .alignment(Alignment::Center),
                inner,
            ),
        },
        None => frame.render_widget(
            Paragraph::new("loading…").alignment(Alignment::Center),
            inner,
        ),
    }
}

fn draw_details(frame: &mut Frame, app: &App, area: Rect) {
    let mode = app.graphics.mode;
    let mut details: Vec<Line> = Vec::new();
    if let (Some(v), Some(colours)) = (app.current_variant(), app.colours()) {
        let custom = if app.palette.is_some() {
            " · custom palette"
        } else {
            ""
        };
        details.push(Line::from(format!("{} ({}){custom}", v.name, v.key)));
        let names = crate::dialog::palette::NAMES;
        // Two colours a line; a narrow panel drops the names to keep them on one line each.
        let named = area.width >= 46;
        for pair in names.iter().zip(colours).collect::<Vec<_>>().chunks(2) {
            let mut spans = Vec::new();
            for (name, color) in pair {
                spans.push(swatch(color, mode));
                spans.push(Span::raw(if named {
                    format!(" {name:<9} {color}   ")
                } else {
                    format!(" {color}  ")
                }));
            }
            details.push(Line::from(spans));
        }
        let loops: Vec<String> = DURATION_BASES
            .iter()
            .map(|base| seconds(base / v.speed))
            .collect();
        details.push(Line::from(format!(
            "speed {}× · glow {} · loops {} s",
            v.speed,
            v.glow,
            loops.join(" / ")
        )));
    }
    if let Some(p) = &app.preview {
        let rendered = if p.cached {
            "cached".to_string()
        } else {
            format!("{:.1} ms render", p.render_secs * 1000.0)
        };
        details.push(Line::from(format!(
            "preview {rendered} · {:.1} ms to screen",
            p.round_trip.as_secs_f64() * 1000.0
        )));
    }
    let algorithm = app
        .algorithm
        .map_or_else(|| "?".to_string(), |a| a.to_string());
    details.push(Line::from(format!(
        "algorithm version {algorithm} · export {} px {}",
        app.size,
        if app.animated { "animated" } else { "static" }
    )));
    if let Some(last) = &app.last_generated {
        details.push(Line::from(format!("lunad made {last}")));
    }
    frame.render_widget(
        Paragraph::new(details)
            .block(pane_block("Details", false))
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// A popup of `width`×`height` in the middle of `area`, cleared.
fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, rect);
    rect
}

fn draw_help(frame: &mut Frame, area: Rect) {
    let height = u16::try_from(KEYS.len()).unwrap_or(20) + 2;
    let rect = popup(frame, area, 58, height);
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
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Keys ")),
        rect,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::sample;
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
        let mut app = sample();
        app.width = width;
        app.height = height;
        app.graphics = crate::graphics::Graphics::cells(Mode::Ascii);
        let (pixels, cells) = preview_size(&app);
        app.preview = Some(preview::Preview {
            key: app.preview_key(pixels, cells).unwrap(),
            image: preview::gradient(pixels),
            protocol: None,
            render_secs: 0.0021,
            cached: false,
            round_trip: std::time::Duration::from_micros(4_300),
        });
        app
    }

    #[test]
    fn snapshot_80x24() {
        insta::assert_snapshot!(render(&with_preview(80, 24), 80, 24));
    }

    #[test]
    fn snapshot_160x48() {
        let mut app = with_preview(160, 48);
        app.graphics = crate::graphics::Graphics::cells(Mode::TrueColor);
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
        let mut app = sample();
        app.update(crate::action::Action::Disconnected);
        insta::assert_snapshot!(render(&app, 80, 24));
    }

    fn press(app: &mut App, code: crossterm::event::KeyCode) {
        use crossterm::event::{KeyEvent, KeyModifiers};
        app.update(crate::action::Action::Key(KeyEvent::new(
            code,
            KeyModifiers::NONE,
        )));
    }

    #[test]
    fn snapshot_export_dialog() {
        use crossterm::event::KeyCode;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("brand")).unwrap();
        std::fs::create_dir(dir.path().join("branding")).unwrap();
        let mut app = with_preview(80, 24);
        app.cwd = dir.path().to_path_buf();
        press(&mut app, KeyCode::Char('e'));
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Up);
        app.update(crate::action::Action::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('u'),
            crossterm::event::KeyModifiers::CONTROL,
        )));
        for c in "bra".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        press(&mut app, KeyCode::Tab);
        insta::assert_snapshot!(render(&app, 80, 24));
    }

    #[test]
    fn snapshot_palette_and_seed_dialogs() {
        use crossterm::event::KeyCode;
        let mut app = with_preview(80, 24);
        press(&mut app, KeyCode::Char('p'));
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Backspace);
        press(&mut app, KeyCode::Enter);
        let palette = render(&app, 80, 24);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('S'));
        press(&mut app, KeyCode::Char('7'));
        insta::assert_snapshot!(format!("{palette}\n\n{}", render(&app, 80, 24)));
    }

    #[test]
    fn snapshot_cleanup_dialog() {
        use crossterm::event::KeyCode;
        let mut app = with_preview(80, 24);
        press(&mut app, KeyCode::Char('c'));
        let checking = render(&app, 80, 24);
        assert!(checking.contains("checking…"), "{checking}");
        app.update(crate::action::Action::CleanupChecked {
            older_than_secs: Some(86_400),
            result: Ok(luna_ipc::CleanupResult {
                removed: 3,
                freed_bytes: 5222,
                remaining: 2,
                dry_run: true,
                files: vec![],
            }),
        });
        insta::assert_snapshot!(render(&app, 80, 24));
    }

    #[test]
    fn the_smallest_screen_still_shows_every_pane() {
        let app = with_preview(60, 20);
        let text = render(&app, 60, 20);
        for pane in [
            "Variants", "Options", "Styles", "Preview", "Details", "? help",
        ] {
            assert!(text.contains(pane), "{pane} missing at 60×20:\n{text}");
        }
    }

    #[test]
    fn a_256_colour_terminal_gets_palette_colours_only() {
        let mut app = with_preview(80, 24);
        app.graphics = crate::graphics::Graphics::cells(Mode::Ansi256);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| draw(frame, &app)).unwrap();
        let cells = terminal.backend().buffer().content();
        assert!(
            cells
                .iter()
                .all(|c| !matches!(c.fg, Color::Rgb(..)) && !matches!(c.bg, Color::Rgb(..)))
        );
        assert!(cells.iter().filter(|c| c.symbol() == "▀").count() > 100);
    }

    #[test]
    fn mouse_hits_follow_a_scrolled_list() {
        let mut app = with_preview(60, 20);
        app.styles = (0..8)
            .map(|i| crate::app::Style {
                key: format!("style{i}"),
                name: format!("Style {i}"),
            })
            .collect();
        app.style = 7;
        let area = pane_area(&app, Pane::Styles);
        let visible = area.height - 2;
        assert!(
            usize::from(visible) < app.styles.len(),
            "the list must scroll here"
        );
        let text = render(&app, 60, 20);
        let last_row = text.lines().nth(usize::from(area.y + visible)).unwrap();
        assert!(last_row.contains("style7"), "{text}");
        let hit = hit(&app, area.x + 3, area.y + visible).unwrap();
        assert_eq!(
            hit,
            Hit {
                pane: Pane::Styles,
                row: Some(7)
            }
        );
    }

    #[test]
    fn previews_fill_the_pane_and_protocol_images_are_capped() {
        let mut app = sample();
        (app.width, app.height) = (160, 48);
        let (pixels, cells) = preview_size(&app);
        assert_eq!(cells, (128, 36));
        assert_eq!(pixels, 72, "two pixels per cell row, limited by the height");
        let mut picker = ratatui_image::picker::Picker::halfblocks();
        picker.set_protocol_type(ratatui_image::picker::ProtocolType::Sixel);
        app.graphics = crate::graphics::Graphics {
            mode: Mode::Sixel,
            picker: Some(picker),
        };
        assert_eq!(
            preview_size(&app).0,
            384,
            "720 px would fit; sixel is capped"
        );
    }

    #[test]
    fn too_small() {
        let text = render(&sample(), 59, 20);
        assert!(text.contains("terminal too small"), "{text}");
        let text = render(&sample(), 60, 20);
        assert!(!text.contains("terminal too small"), "{text}");
    }

    #[test]
    fn colour_preview_draws_half_blocks() {
        let mut app = with_preview(80, 24);
        app.graphics = crate::graphics::Graphics::cells(Mode::TrueColor);
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
