//! A contact sheet: every style (columns) × variant (rows) on a dark card, for galleries.

use super::{RasterError, render_pixmap};
use crate::art::{LogoSpec, Style, Variant};
use tiny_skia::{Color, Pixmap, PixmapPaint, Transform};

/// Background of the sheet: the original web UI's dark slate, so glows read as they do on a page.
const BACKGROUND: (u8, u8, u8) = (0x0f, 0x17, 0x2a);

/// Renders all 40 combinations at `cell` pixels each with `gap` pixels between them.
/// `seed` applies to every cell, so a sheet is reproducible.
pub fn contact_sheet(cell: u32, gap: u32, seed: u64) -> Result<Pixmap, RasterError> {
    let columns = Style::ALL.len() as u32;
    let rows = Variant::ALL.len() as u32;
    let width = columns * cell + (columns + 1) * gap;
    let height = rows * cell + (rows + 1) * gap;
    let mut sheet = Pixmap::new(width, height).ok_or(RasterError::Alloc(width.max(height)))?;
    let (r, g, b) = BACKGROUND;
    sheet.fill(Color::from_rgba8(r, g, b, 255));
    for (row, variant) in Variant::ALL.into_iter().enumerate() {
        for (column, style) in Style::ALL.into_iter().enumerate() {
            let spec = LogoSpec::new(style, variant, cell)
                .map_err(|_| RasterError::Alloc(cell))?
                .with_seed(seed);
            let logo = render_pixmap(&spec)?;
            let x = gap + column as u32 * (cell + gap);
            let y = gap + row as u32 * (cell + gap);
            sheet.draw_pixmap(
                x as i32,
                y as i32,
                logo.as_ref(),
                &PixmapPaint::default(),
                Transform::identity(),
                None,
            );
        }
    }
    Ok(sheet)
}
