//! Writes `docs/gallery.png`: all 8 styles (columns) × 5 variants (rows).
//!
//! `cargo run --release --example contact_sheet [OUTPUT.png]`

use anyhow::Context;
use luna_daemon::art::DEFAULT_SEED;
use luna_daemon::raster::{contact_sheet, encode_png};

fn main() -> anyhow::Result<()> {
    let output = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "docs/gallery.png".to_owned());
    let sheet = contact_sheet(160, 16, DEFAULT_SEED)?;
    let (width, height) = (sheet.width(), sheet.height());
    let png = encode_png(sheet)?;
    std::fs::write(&output, &png).with_context(|| format!("writing {output}"))?;
    println!("wrote {output} ({width}×{height} px, {} bytes)", png.len());
    Ok(())
}
