//! `luna favicon`: a variant's favicon package written into a directory (`favicon.ico`,
//! `icon.svg`, `apple-touch-icon.png`, the PWA and maskable icons, `site.webmanifest` and
//! `favicon.html`), and the `<link>` tags printed for the page's `<head>`.

use super::args::{StyleArg, VariantArg};
use super::generate::write_atomic;
use super::{Ctx, variant_keys};
use crate::exit::{self, Failure};
use crate::output::{GREEN, RED, human_bytes, millis};
use clap::{Args, ValueHint};
use luna_ipc::{Client, FaviconArgs, FaviconResult};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Args)]
pub struct FaviconCmd {
    #[command(flatten)]
    pub variant: VariantArg,
    #[command(flatten)]
    pub common: FaviconOpts,
}

#[derive(Debug, Clone, Args)]
pub struct FaviconOpts {
    #[command(flatten)]
    pub style: StyleArg,
    /// Directory to write the package into [default: the global --output-dir]
    #[arg(short = 'o', long = "out", visible_alias = "output", value_name = "DIR",
          value_hint = ValueHint::DirPath)]
    pub out: Option<PathBuf>,
    /// Seed of the seeded styles
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Under every icon: a colour (#rrggbb or #rgb), or `none` for transparent icons where
    /// platforms allow them (the Apple touch and maskable icons must be opaque and keep the
    /// default) [default: a deep shade of the variant's primary colour]
    #[arg(long, value_name = "COLOUR|none")]
    pub background: Option<String>,
}

/// Writes the package of one variant into the directory and prints the `<link>` tags.
pub async fn run(ctx: &Ctx, variant: &str, opts: FaviconOpts) -> anyhow::Result<()> {
    let client = ctx.client().await?;
    let dir = opts
        .out
        .clone()
        .unwrap_or_else(|| ctx.global.output_dir.clone());
    let result = client.favicon(favicon_args(&opts, variant)).await?;
    let written = write_package(&result, &dir)?;
    if ctx.out.json {
        return Ok(ctx.out.json_line(&package_json(&result, &dir, &written))?);
    }
    if !ctx.out.quiet {
        ctx.out.line(summary_line(ctx, &result, &dir, &written))?;
        ctx.out.line("Add to your page's <head>:")?;
    }
    // The snippet is what was asked for, so `--quiet` keeps it.
    ctx.out.text(&result.snippet)?;
    Ok(())
}

/// Writes the package of each variant (all the daemon's when `None`) into its own subdirectory,
/// `parallel` at once.
pub async fn run_all(
    ctx: &Ctx,
    variants: Option<Vec<String>>,
    opts: FaviconOpts,
    parallel: usize,
) -> anyhow::Result<()> {
    let client = Arc::new(ctx.client().await?);
    let variants = match variants {
        Some(v) => v,
        None => variant_keys(&client).await?,
    };
    let root = opts
        .out
        .clone()
        .unwrap_or_else(|| ctx.global.output_dir.clone());
    let mut set = tokio::task::JoinSet::new();
    let mut outcomes: Vec<Option<Outcome>> = variants.iter().map(|_| None).collect();
    let mut next = 0;
    loop {
        while set.len() < parallel.max(1) && next < variants.len() {
            let (client, args) = (client.clone(), favicon_args(&opts, &variants[next]));
            set.spawn(package(client, args, root.join(&variants[next]), next));
            next += 1;
        }
        match set.join_next().await {
            Some(Ok((index, outcome))) => outcomes[index] = Some(outcome),
            Some(Err(e)) => std::panic::resume_unwind(e.into_panic()),
            None => break,
        }
    }
    let mut failures = Vec::new();
    for (variant, outcome) in variants.iter().zip(outcomes) {
        let dir = root.join(variant);
        match outcome.expect("every variant completes") {
            Ok((result, written)) if ctx.out.json => {
                ctx.out.json_line(&package_json(&result, &dir, &written))?;
            }
            Ok((result, written)) => {
                if !ctx.out.quiet {
                    ctx.out.line(summary_line(ctx, &result, &dir, &written))?;
                }
            }
            Err(f) => {
                if ctx.out.json {
                    ctx.out.json_line(&serde_json::json!({
                        "ok": false, "variant": variant,
                        "error": {"code": f.code, "message": f.message, "exit": f.exit},
                    }))?;
                } else {
                    eprintln!("{} {variant}: {}", ctx.out.paint(RED, "✗"), f.message);
                }
                failures.push(f);
            }
        }
    }
    if !ctx.out.json && !ctx.out.quiet && failures.is_empty() {
        ctx.out.line(format!(
            "{} favicon packages written to {}/; each has favicon.html with the <link> tags",
            variants.len(),
            root.display().to_string().trim_end_matches('/')
        ))?;
    }
    match failures.as_slice() {
        [] => Ok(()),
        [first, ..] => {
            let code = exit::combine(failures.iter().map(|f| f.exit));
            let same = failures.iter().all(|f| f.code == first.code);
            Err(Failure::new(
                if same { &first.code } else { "failed" },
                code,
                format!(
                    "{} of {} favicon packages failed",
                    failures.len(),
                    variants.len()
                ),
            )
            .into())
        }
    }
}

type Outcome = Result<(FaviconResult, Vec<u64>), Failure>;

async fn package(
    client: Arc<Client>,
    args: FaviconArgs,
    dir: PathBuf,
    index: usize,
) -> (usize, Outcome) {
    let outcome = match client.favicon(args).await {
        Ok(result) => write_package(&result, &dir)
            .map(|written| (result, written))
            .map_err(|e| exit::classify(&e)),
        Err(e) => Err(Failure::from_client(&e)),
    };
    (index, outcome)
}

fn favicon_args(opts: &FaviconOpts, variant: &str) -> FaviconArgs {
    FaviconArgs {
        seed: opts.seed,
        background: opts.background.clone(),
        ..FaviconArgs::new(&opts.style.style, variant)
    }
}

/// Writes every file of the package into `dir`; returns each file's size.
fn write_package(result: &FaviconResult, dir: &Path) -> anyhow::Result<Vec<u64>> {
    result
        .files
        .iter()
        .map(|file| {
            let bytes = file.decode_data().ok_or_else(|| {
                Failure::data(format!(
                    "lunad sent {} in a form luna cannot decode",
                    file.name
                ))
            })?;
            write_atomic(&dir.join(&file.name), &bytes)?;
            Ok(bytes.len() as u64)
        })
        .collect()
}

/// `✓ exports/  (favicon package · simple · serenity · 8 files · 380.1 KB · 52.3 ms)`
fn summary_line(ctx: &Ctx, result: &FaviconResult, dir: &Path, written: &[u64]) -> String {
    format!(
        "{} {}/  (favicon package · {} · {} · {} files · {} · {})",
        ctx.out.paint(GREEN, "✓"),
        dir.display().to_string().trim_end_matches('/'),
        result.style,
        result.variant,
        written.len(),
        human_bytes(written.iter().sum()),
        millis(result.generation_time),
    )
}

/// The `--json` line: the result without the inline data, and where each file went.
fn package_json(result: &FaviconResult, dir: &Path, written: &[u64]) -> serde_json::Value {
    let files: Vec<serde_json::Value> = result
        .files
        .iter()
        .zip(written)
        .map(|(file, bytes)| {
            serde_json::json!({
                "name": file.name, "media_type": file.media_type, "bytes": bytes,
                "path": dir.join(&file.name).display().to_string(),
            })
        })
        .collect();
    serde_json::json!({
        "ok": true, "style": result.style, "variant": result.variant, "seed": result.seed,
        "digest": result.digest, "background": result.background,
        "dir": dir.display().to_string(), "files": files, "snippet": result.snippet,
        "generation_time": result.generation_time,
    })
}
