//! `luna variants` (aliases `info`, `list-variants`): the moon variants.

use super::Ctx;
use crate::output::{Output, Table};
use luna_ipc::VariantInfo;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let rows = client.variants().await?;
    if ctx.out.json {
        ctx.out.json_result(&rows)?;
    } else {
        table(&rows, &ctx.out).print(&ctx.out)?;
    }
    Ok(())
}

pub fn table(rows: &[VariantInfo], out: &Output) -> Table {
    let mut table = Table::new(&[
        "key",
        "name",
        "description",
        "speed>",
        "glow>",
        "primary",
        "secondary",
        "accent",
        "glow",
    ]);
    for v in rows {
        let c = &v.colors;
        table.row(vec![
            v.variant_type.clone(),
            v.name.clone(),
            v.description.clone(),
            format!("{:.1}x", v.animation_speed),
            format!("{:.1}", v.glow_intensity),
            swatch(out, &c.primary),
            swatch(out, &c.secondary),
            swatch(out, &c.accent),
            swatch(out, &c.glow),
        ]);
    }
    table
}

/// `#rrggbb`, after a coloured block when stdout gets colour.
fn swatch(out: &Output, hex: &str) -> String {
    let rgb = hex
        .strip_prefix('#')
        .filter(|h| h.len() == 6)
        .and_then(|h| u32::from_str_radix(h, 16).ok());
    match rgb {
        Some(rgb) if out.coloured() => {
            let (r, g, b) = (rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff);
            format!("\x1b[48;2;{r};{g};{b}m  \x1b[0m {hex}")
        }
        _ => hex.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_render_as_a_table() {
        let json = serde_json::json!([{
            "variant_type": "serenity", "name": "🌙 Sérénité", "description": "Calme",
            "colors": {"primary": "#1e3a8a", "secondary": "#3b82f6", "accent": "#60a5fa",
                       "glow": "#93c5fd"},
            "animation_speed": 1.5, "glow_intensity": 0.8
        }]);
        let rows: Vec<VariantInfo> = serde_json::from_value(json).unwrap();
        let text = table(&rows, &Output::plain()).render(&Output::plain());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("key       name         description  speed  glow  primary"));
        assert!(lines[1].starts_with("serenity  🌙 Sérénité  Calme         1.5x   0.8  #1e3a8a"));
        assert!(lines[1].ends_with("#93c5fd"));
    }
}
