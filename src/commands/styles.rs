//! `luna styles` (alias `generators`): the drawing styles.

use super::{Ctx, call_typed};
use crate::output::Table;
use serde::Deserialize;

/// One entry of the daemon's `styles` result.
#[derive(Debug, Clone, Deserialize)]
pub struct StyleRow {
    pub key: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub seeded: bool,
}

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let (rows, raw) = call_typed::<Vec<StyleRow>>(&client, &luna_ipc::Command::Styles).await?;
    if ctx.out.json {
        ctx.out.json_line(&raw)?;
    } else {
        table(&rows).print(&ctx.out)?;
    }
    Ok(())
}

pub fn table(rows: &[StyleRow]) -> Table {
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
        let rows: Vec<StyleRow> = serde_json::from_value(json).unwrap();
        let text = table(&rows).render(&Output::plain());
        let expected = "\
key       aliases  name      description
simple    -        Simple    Sobre
advanced  default  Advanced  Riche (seeded)
";
        assert_eq!(text, expected);
    }
}
