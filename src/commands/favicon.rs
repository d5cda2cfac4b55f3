//! `luna favicon`: a variant's favicon set, an `.ico` (16, 32 and 48 px inside) and PNGs for
//! browsers and phones.

use super::args::{StyleArg, VariantArg};
use super::generate::{result_json, save, summary_line};
use super::generate_all::run_batch;
use super::{Ctx, variant_keys};
use clap::{Args, ValueHint};
use luna_ipc::{Format, GenerateArgs};
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
    /// Output directory [default: the global --output-dir]
    #[arg(short, long = "output", value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub output: Option<PathBuf>,
    /// Seed of the seeded styles
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

/// PNG sizes: classic 16/32, Apple touch 180, Android 192 and 512.
pub const PNG_SIZES: [i64; 5] = [16, 32, 180, 192, 512];
/// The size sent for the `.ico`; the daemon packs its own set of sizes into it.
const ICO_SIZE: i64 = 48;

/// Writes the favicon sets of `variants` (all the daemon's when `None`).
pub async fn run(
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
    let dir = opts.output.unwrap_or_else(|| ctx.global.output_dir.clone());
    let jobs: Vec<GenerateArgs> = variants
        .iter()
        .flat_map(|variant| favicon_jobs(&opts.style.style, variant, opts.seed))
        .collect();
    let paths: Vec<PathBuf> = jobs.iter().map(|args| favicon_path(&dir, args)).collect();
    let batch = run_batch(ctx, &client, &jobs, parallel, |index, result| {
        save(result, &paths[index])?;
        Ok(result.clone())
    })
    .await;
    for (path, outcome) in paths.iter().zip(&batch.results) {
        let Ok(result) = outcome else { continue };
        if ctx.out.json {
            ctx.out.json_line(&result_json(result, path))?;
        } else if variants.len() == 1 && !ctx.out.quiet {
            ctx.out
                .line(summary_line(&ctx.out, &path.display().to_string(), result))?;
        }
    }
    if !ctx.out.json && (!ctx.out.quiet || batch.succeeded() < jobs.len()) {
        let which = match variants.as_slice() {
            [one] => one.clone(),
            all => format!("{} variants", all.len()),
        };
        ctx.out.line(format!(
            "{}/{} favicon files for {which} written to {}/",
            batch.succeeded(),
            jobs.len(),
            dir.display().to_string().trim_end_matches('/')
        ))?;
    }
    batch.check(ctx, &jobs, "favicon files")
}

/// The `.ico` then the PNGs, all still pictures.
pub fn favicon_jobs(style: &str, variant: &str, seed: Option<u64>) -> Vec<GenerateArgs> {
    let ico = GenerateArgs::new(style, variant, ICO_SIZE, Format::Ico);
    let pngs = PNG_SIZES
        .iter()
        .map(|&size| GenerateArgs::new(style, variant, size, Format::Png));
    std::iter::once(ico)
        .chain(pngs)
        .map(|mut args| {
            args.animated = false;
            args.seed = seed;
            args
        })
        .collect()
}

/// `favicon-{variant}.ico` and `favicon-{variant}-{size}.png`
pub fn favicon_path(dir: &Path, args: &GenerateArgs) -> PathBuf {
    let name = match args.format {
        Format::Ico => format!("favicon-{}.ico", args.variant),
        format => format!(
            "favicon-{}-{}.{}",
            args.variant,
            args.size,
            format.extension()
        ),
    };
    dir.join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_favicon_set_is_one_ico_and_five_pngs() {
        let jobs = favicon_jobs("simple", "power", Some(3));
        let names: Vec<String> = jobs
            .iter()
            .map(|j| favicon_path(Path::new("out"), j).display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "out/favicon-power.ico",
                "out/favicon-power-16.png",
                "out/favicon-power-32.png",
                "out/favicon-power-180.png",
                "out/favicon-power-192.png",
                "out/favicon-power-512.png",
            ]
        );
        assert!(
            jobs.iter()
                .all(|j| !j.animated && j.seed == Some(3) && j.style == "simple")
        );
    }
}
