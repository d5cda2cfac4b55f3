//! Where everything is: one layout for drawing, the mouse's hit-testing and the preview's size.

use super::{App, Daemon, OPTIONS, Pane};
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};

/// Below this, only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 20;

pub struct Areas {
    pub banner: Option<Rect>,
    pub variants: Rect,
    pub styles: Rect,
    pub options: Rect,
    pub preview: Rect,
    pub details: Rect,
    pub status: Rect,
}

pub fn areas(app: &App, area: Rect) -> Areas {
    let banner = app.daemon == Daemon::Unavailable;
    let [top, main, status] = Layout::vertical([
        Constraint::Length(u16::from(banner)),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Length(30), Constraint::Min(0)]).areas(main);
    let variants_height = u16::try_from(app.variants.len().clamp(1, 8)).unwrap_or(8) + 2;
    let [variants, options, styles] = Layout::vertical([
        Constraint::Length(variants_height),
        Constraint::Length(OPTIONS.len() as u16 + 2),
        Constraint::Min(3),
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

fn screen(app: &App) -> Areas {
    areas(app, Rect::new(0, 0, app.width, app.height))
}

/// Where a pane is on the current screen.
pub fn pane_area(app: &App, pane: Pane) -> Rect {
    let a = screen(app);
    match pane {
        Pane::Variants => a.variants,
        Pane::Styles => a.styles,
        Pane::Options => a.options,
    }
}

/// The first visible row of a list of `rows` visible rows with `selected` selected, the way
/// ratatui's `List` scrolls when it starts from the top.
fn first_visible(selected: usize, rows: u16) -> usize {
    selected.saturating_sub(usize::from(rows.max(1)) - 1)
}

/// What the mouse is over: a pane, and the list row under it if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub pane: Pane,
    pub row: Option<usize>,
}

pub fn hit(app: &App, column: u16, row: u16) -> Option<Hit> {
    if app.width < MIN_WIDTH || app.height < MIN_HEIGHT {
        return None;
    }
    let at = Position::new(column, row);
    [
        (Pane::Variants, app.variant),
        (Pane::Styles, app.style),
        (Pane::Options, app.option),
    ]
    .into_iter()
    .find_map(|(pane, selected)| {
        let area = pane_area(app, pane);
        if !area.contains(at) {
            return None;
        }
        let inner = area.inner(Margin::new(1, 1));
        let row = inner
            .contains(at)
            .then(|| first_visible(selected, inner.height) + usize::from(row - inner.y));
        Some(Hit { pane, row })
    })
}

/// The preview's inner area in cells, and the square PNG size in pixels that fills it.
pub fn preview_size(app: &App) -> (u32, (u16, u16)) {
    let inner = screen(app).preview.inner(Margin::new(1, 1));
    let (cell_w, cell_h) = app.graphics.cell_pixels();
    let mut pixels = (u32::from(inner.width) * u32::from(cell_w))
        .min(u32::from(inner.height) * u32::from(cell_h));
    if let Some(max) = app.graphics.mode.max_pixels() {
        pixels = pixels.min(max);
    }
    (pixels.clamp(16, 2048), (inner.width, inner.height))
}
