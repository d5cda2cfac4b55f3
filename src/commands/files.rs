//! `luna files`: the daemon's stored artefacts, newest first.

use super::Ctx;
use crate::output::{Table, human_bytes};
use clap::Args;
use luna_ipc::{FilesArgs, FilesResult};

#[derive(Debug, Clone, Args)]
pub struct FilesCmd {
    /// At most this many files
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

pub async fn run(ctx: &Ctx, cmd: FilesCmd) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let files = client.files(FilesArgs { limit: cmd.limit }).await?;
    if ctx.out.json {
        ctx.out.json_result(&files)?;
        return Ok(());
    }
    let table = table(&files);
    if !table.is_empty() {
        table.print(&ctx.out)?;
    }
    if !ctx.out.quiet {
        ctx.out.line(footer(&files))?;
    }
    Ok(())
}

pub fn table(files: &FilesResult) -> Table {
    let mut table = Table::new(&[
        "name", "style", "variant", "size>", "format", "bytes>", "created",
    ]);
    for f in &files.files {
        table.row(vec![
            f.name.clone(),
            f.style.clone(),
            f.variant.clone(),
            f.size.to_string(),
            f.format.extension().to_owned(),
            human_bytes(f.bytes),
            f.created.clone(),
        ]);
    }
    table
}

/// `2 of 5 files shown, 1.2 MB in all`
pub fn footer(files: &FilesResult) -> String {
    let shown = files.files.len() as u64;
    let plural = if files.total == 1 { "" } else { "s" };
    let count = if shown < files.total {
        format!("{shown} of {} file{plural} shown", files.total)
    } else {
        format!("{} file{plural}", files.total)
    };
    format!("{count}, {} in all", human_bytes(files.total_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;

    #[test]
    fn files_render_with_a_footer() {
        let files: FilesResult = serde_json::from_value(serde_json::json!({
            "files": [{"name": "a.png", "style": "simple", "variant": "power", "size": 64,
                       "format": "png", "bytes": 3000, "created": "2026-11-25T19:53:35Z"}],
            "total": 4, "total_bytes": 3_000_000
        }))
        .unwrap();
        let text = table(&files).render(&Output::plain());
        assert_eq!(
            text.lines().nth(1).unwrap(),
            "a.png  simple  power      64  png     2.9 KB  2026-11-25T19:53:35Z"
        );
        assert_eq!(footer(&files), "1 of 4 files shown, 2.9 MB in all");
    }
}
