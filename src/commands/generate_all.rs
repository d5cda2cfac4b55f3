//! `luna generate-all`: every (or a filtered set of) style × variant × size combination into the
//! output directory. Also the batch runner that favicon and validate-all share.

use super::args::{FormatArg, ParallelArg, RenderOpts};
use super::generate::{batch_path, generate_many, progress_bar, result_json, save};
use super::{Ctx, style_keys, variant_keys};
use crate::exit::{self, Failure};
use crate::output::RED;
use clap::Args;
use luna_ipc::{Client, Format, GenerateArgs, GenerateResult};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Args)]
pub struct GenerateAllCmd {
    /// Only these variants (repeatable) [default: all]
    #[arg(short = 'v', long = "variant", value_name = "VARIANT")]
    pub variants: Vec<String>,
    /// Only these styles (repeatable) [default: all]
    #[arg(
        short = 'g',
        long = "style",
        visible_alias = "generator",
        value_name = "STYLE"
    )]
    pub styles: Vec<String>,
    /// Sizes in pixels (repeatable)
    #[arg(short = 's', long = "size", value_name = "PX", default_values_t = [200])]
    pub sizes: Vec<i64>,
    /// Output format
    #[arg(long, value_enum, default_value = "svg")]
    pub format: FormatArg,
    #[command(flatten)]
    pub render: RenderOpts,
    #[command(flatten)]
    pub parallel: ParallelArg,
}

pub async fn run(ctx: &Ctx, cmd: GenerateAllCmd) -> anyhow::Result<()> {
    let client = Arc::new(ctx.client().await?);
    let variants = match cmd.variants {
        v if v.is_empty() => variant_keys(&client).await?,
        v => v,
    };
    let styles = match cmd.styles {
        s if s.is_empty() => style_keys(&client).await?,
        s => s,
    };
    let jobs: Vec<GenerateArgs> = combinations(&styles, &variants, &cmd.sizes, cmd.format.into())
        .map(|mut args| {
            args.animated = !cmd.render.still;
            args.seed = cmd.render.seed;
            args
        })
        .collect();
    let dir = ctx.global.output_dir.clone();
    let batch = run_batch(
        ctx,
        &client,
        &jobs,
        cmd.parallel.parallel.into(),
        |_, result| {
            let path = batch_path(&dir, result);
            save(result, &path)?;
            Ok(result_json(result, &path))
        },
    )
    .await;
    if ctx.out.json {
        for (args, outcome) in jobs.iter().zip(&batch.results) {
            match outcome {
                Ok(value) => ctx.out.json_line(value)?,
                Err(f) => ctx.out.json_line(&failure_json(args, f))?,
            }
        }
        ctx.out.json_line(&serde_json::json!({"summary": {
            "generated": batch.succeeded(), "total": jobs.len(),
            "output_dir": dir.display().to_string(), "seconds": batch.elapsed.as_secs_f64(),
        }}))?;
    } else if !ctx.out.quiet || batch.succeeded() < jobs.len() {
        ctx.out.line(format!(
            "{}/{} logos generated in {}/ ({:.1} s)",
            batch.succeeded(),
            jobs.len(),
            dir.display().to_string().trim_end_matches('/'),
            batch.elapsed.as_secs_f64()
        ))?;
    }
    batch.check(ctx, &jobs, "logos")
}

/// Every style × variant × size, styles outermost.
pub fn combinations<'a>(
    styles: &'a [String],
    variants: &'a [String],
    sizes: &'a [i64],
    format: Format,
) -> impl Iterator<Item = GenerateArgs> + 'a {
    styles.iter().flat_map(move |style| {
        variants.iter().flat_map(move |variant| {
            sizes
                .iter()
                .map(move |&size| GenerateArgs::new(style, variant, size, format))
        })
    })
}

/// `style/variant size format`
pub fn job_label(args: &GenerateArgs) -> String {
    format!(
        "{}/{} {} {}",
        args.style,
        args.variant,
        args.size,
        args.format.extension()
    )
}

fn failure_json(args: &GenerateArgs, f: &Failure) -> serde_json::Value {
    serde_json::json!({
        "ok": false, "style": args.style, "variant": args.variant, "size": args.size,
        "format": args.format,
        "error": {"code": f.code, "message": f.message, "exit": f.exit},
    })
}

/// The outcome of each job, in job order.
pub struct Batch<T> {
    pub results: Vec<Result<T, Failure>>,
    pub elapsed: Duration,
}

impl<T> Batch<T> {
    pub fn succeeded(&self) -> usize {
        self.results.iter().filter(|r| r.is_ok()).count()
    }

    /// Lists the failures on stderr (human mode) and fails with their combined exit status.
    pub fn check(&self, ctx: &Ctx, jobs: &[GenerateArgs], noun: &str) -> anyhow::Result<()> {
        let failed: Vec<(&GenerateArgs, &Failure)> = jobs
            .iter()
            .zip(&self.results)
            .filter_map(|(args, r)| r.as_ref().err().map(|f| (args, f)))
            .collect();
        if failed.is_empty() {
            return Ok(());
        }
        if !ctx.out.json {
            for (args, f) in &failed {
                eprintln!(
                    "{} {}: {}",
                    ctx.out.paint(RED, "✗"),
                    job_label(args),
                    f.message
                );
            }
        }
        let code = exit::combine(failed.iter().map(|(_, f)| f.exit));
        let first = failed[0].1;
        let failure = Failure::new(
            if failed.iter().all(|(_, f)| f.code == first.code) {
                &first.code
            } else {
                "failed"
            },
            code,
            format!("{} of {} {noun} failed", failed.len(), jobs.len()),
        );
        Err(failure.into())
    }
}

/// Runs `jobs` with a progress bar; `finish` turns each reply into the caller's `T` (and may
/// write files); its errors count as that job's failure.
pub async fn run_batch<T>(
    ctx: &Ctx,
    client: &Arc<Client>,
    jobs: &[GenerateArgs],
    parallel: usize,
    mut finish: impl FnMut(usize, &GenerateResult) -> anyhow::Result<T>,
) -> Batch<T> {
    let started = Instant::now();
    let bar = progress_bar(&ctx.out, jobs.len());
    let mut results: Vec<Option<Result<T, Failure>>> = jobs.iter().map(|_| None).collect();
    generate_many(client, jobs, parallel, |index, reply| {
        let outcome = match reply {
            Ok(result) => finish(index, &result).map_err(|e| exit::classify(&e)),
            Err(e) => Err(Failure::from_client(&e)),
        };
        bar.set_message(job_label(&jobs[index]));
        bar.inc(1);
        results[index] = Some(outcome);
    })
    .await;
    bar.finish_and_clear();
    Batch {
        results: results
            .into_iter()
            .map(|r| r.expect("every job completes"))
            .collect(),
        elapsed: started.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_cover_the_product_in_order() {
        let styles = ["simple".to_owned(), "ai_moon".to_owned()];
        let variants = ["power".to_owned(), "mystery".to_owned()];
        let jobs: Vec<_> = combinations(&styles, &variants, &[64, 128], Format::Png).collect();
        assert_eq!(jobs.len(), 8);
        assert_eq!(job_label(&jobs[0]), "simple/power 64 png");
        assert_eq!(job_label(&jobs[1]), "simple/power 128 png");
        assert_eq!(job_label(&jobs[7]), "ai_moon/mystery 128 png");
        assert!(jobs.iter().all(|j| j.animated && !j.store));
    }

    #[test]
    fn failures_as_json() {
        let args = GenerateArgs::new("simple", "nope", 200, Format::Svg);
        let value = failure_json(
            &args,
            &Failure::new("invalid_argument", 64, "unknown variant"),
        );
        assert_eq!(value["ok"], false);
        assert_eq!(value["format"], "svg");
        assert_eq!(value["error"]["exit"], 64);
    }
}
