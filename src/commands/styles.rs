//! `luna styles` (alias `generators`): the drawing styles.

use super::Ctx;
use crate::output::Table;
use luna_ipc::StyleInfo;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let rows = client.styles().await?;
    if ctx.out.json {
        ctx.out.json_result(&rows)?;
    } else {
        table(&rows).print(&ctx.out)?;
    }
    Ok(())
}

pub fn table(rows: &[StyleInfo]) -> Table {
    let mut table = Table::new(&["key", "aliases", "name", "description"]);
    for s in rows {
        let aliases = if s.aliases.is_empty() {
            "-".to_owned()
        } else {
            s.aliases.join(", ")
        };
        let description = if s.seeded {
            format!("{} (seeded)", s.description)
        } else {
            s.description.clone()
        };
        table.row(vec![s.key.clone(), aliases, s.name.clone(), description]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;

    #[test]
    fn styles_render_as_a_table() {
        let json = serde_json::json!([
            {"key": "simple", "aliases": [], "name": "Simple", "description": "Sobre", "seeded": false},
            {"key": "advanced", "aliases": ["default"], "name": "Advanced", "description": "Riche",
             "seeded": true}
        ]);
        let rows: Vec<StyleInfo> = serde_json::from_value(json).unwrap();
        let text = table(&rows).render(&Output::plain());
        let expected = "\
key       aliases  name      description
simple    -        Simple    Sobre
advanced  default  Advanced  Riche (seeded)
";
        assert_eq!(text, expected);
    }
}
