//! `luna clean`: remove files from the daemon's artefact store.

use super::Ctx;
use crate::exit::Failure;
use clap::Args;
use luna_ipc::CleanupArgs;
use std::time::Duration;

#[derive(Debug, Clone, Args)]
pub struct CleanCmd {
    /// Really delete files (required unless --dry-run)
    #[arg(long)]
    pub confirm: bool,
    /// Only files older than this, e.g. 24h, 7days, 30m
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub older_than: Option<Duration>,
    /// Remove the oldest files until the store holds at most this many bytes
    #[arg(long, value_name = "BYTES")]
    pub max_total_bytes: Option<u64>,
    /// Show what would be removed without removing it
    #[arg(long)]
    pub dry_run: bool,
}

pub async fn run(ctx: &Ctx, cmd: CleanCmd) -> anyhow::Result<()> {
    let args = cleanup_args(&cmd)?;
    let client = ctx.client().await?;
    let result = client.cleanup(args).await?;
    if ctx.out.json {
        ctx.out.json_result(&result)?;
        return Ok(());
    }
    if ctx.out.verbose || result.dry_run {
        for name in &result.files {
            ctx.out.line(format!("  {name}"))?;
        }
    }
    if !ctx.out.quiet {
        ctx.out.line(luna_ipc::text::cleanup_summary(&result))?;
    }
    Ok(())
}

/// The request, or exit 64 when neither --confirm nor --dry-run was given.
pub fn cleanup_args(cmd: &CleanCmd) -> Result<CleanupArgs, Failure> {
    if !cmd.confirm && !cmd.dry_run {
        return Err(Failure::usage(
            "clean deletes files: pass --confirm to delete them (or --dry-run to see which)",
        ));
    }
    Ok(CleanupArgs {
        // A dry run deletes nothing, so it needs no confirmation from the user.
        confirm: true,
        older_than_secs: cmd.older_than.map(|d| d.as_secs()),
        max_total_bytes: cmd.max_total_bytes,
        dry_run: cmd.dry_run,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn cmd(confirm: bool, dry_run: bool) -> CleanCmd {
        CleanCmd {
            confirm,
            older_than: Some(Duration::from_secs(86_400)),
            max_total_bytes: None,
            dry_run,
        }
    }

    #[test]
    fn confirmation_is_required_unless_dry_run() {
        assert_eq!(cleanup_args(&cmd(false, false)).unwrap_err().exit, 64);
        let args = cleanup_args(&cmd(false, true)).unwrap();
        assert!(args.dry_run && args.confirm);
        assert_eq!(
            cleanup_args(&cmd(true, false)).unwrap().older_than_secs,
            Some(86_400)
        );
    }
}
