//! `luna validate-all`: every style × variant at 64 px, each reply checked.

use super::args::ParallelArg;
use super::generate::decode;
use super::generate_all::{combinations, run_batch};
use super::{Ctx, style_keys, variant_keys};
use crate::exit::{DATAERR, Failure};
use crate::output::{GREEN, Output, RED, Table, human_bytes, millis};
use luna_ipc::{Format, GenerateArgs, GenerateResult};
use serde_json::json;
use std::sync::Arc;

/// What a valid reply looked like.
#[derive(Debug, Clone)]
pub struct Check {
    pub bytes: usize,
    pub seconds: f64,
    pub cached: bool,
}

pub async fn run(ctx: &Ctx, cmd: ParallelArg) -> anyhow::Result<()> {
    let client = Arc::new(ctx.client().await?);
    let styles = style_keys(&client).await?;
    let variants = variant_keys(&client).await?;
    let jobs: Vec<GenerateArgs> = combinations(&styles, &variants, &[64], Format::Svg).collect();
    let batch = run_batch(ctx, &client, &jobs, cmd.parallel.into(), |_, r| check(r)).await;
    let results: Vec<(GenerateArgs, Result<Check, Failure>)> =
        jobs.into_iter().zip(batch.results).collect();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    if ctx.out.json {
        let rows: Vec<_> = results.iter().map(|(args, r)| row_json(args, r)).collect();
        let report = json!({"total": results.len(), "valid": results.len() - failed,
                            "failed": failed, "results": rows});
        ctx.out.json_line(&report)?;
    } else {
        table(&results, &ctx.out).print(&ctx.out)?;
        ctx.out.line(format!(
            "\n{}/{} combinations valid",
            results.len() - failed,
            results.len()
        ))?;
    }
    if failed > 0 {
        let message = format!("{failed} of {} combinations failed", results.len());
        return Err(Failure::new("invalid", DATAERR, message).into());
    }
    Ok(())
}

/// The reply decodes to a complete, non-empty SVG document.
pub fn check(result: &GenerateResult) -> anyhow::Result<Check> {
    let bytes = decode(result)?;
    let text = std::str::from_utf8(&bytes).unwrap_or_default();
    if !(text.contains("<svg") && text.trim_end().ends_with("</svg>")) {
        return Err(Failure::data("the reply is not a complete SVG document").into());
    }
    Ok(Check {
        bytes: bytes.len(),
        seconds: result.generation_time,
        cached: result.cached,
    })
}

fn row_json(args: &GenerateArgs, result: &Result<Check, Failure>) -> serde_json::Value {
    match result {
        Ok(c) => json!({"style": args.style, "variant": args.variant, "ok": true,
                        "bytes": c.bytes, "generation_time": c.seconds, "cached": c.cached}),
        Err(f) => json!({"style": args.style, "variant": args.variant, "ok": false,
                         "error": {"code": f.code, "message": f.message, "exit": f.exit}}),
    }
}

pub fn table(results: &[(GenerateArgs, Result<Check, Failure>)], out: &Output) -> Table {
    let mut table = Table::new(&["", "style", "variant", "bytes>", "time>", "error"]);
    for (args, result) in results {
        let (mark, bytes, time, error) = match result {
            Ok(c) => {
                let time = if c.cached {
                    "cached".into()
                } else {
                    millis(c.seconds)
                };
                (
                    out.paint(GREEN, "✓"),
                    human_bytes(c.bytes as u64),
                    time,
                    String::new(),
                )
            }
            Err(f) => (
                out.paint(RED, "✗"),
                "-".into(),
                "-".into(),
                f.message.clone(),
            ),
        };
        table.row(vec![
            mark,
            args.style.clone(),
            args.variant.clone(),
            bytes,
            time,
            error,
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(data: &str) -> GenerateResult {
        GenerateResult {
            style: "simple".into(),
            variant: "power".into(),
            size: 64,
            format: Format::Svg,
            animated: true,
            seed: 0,
            digest: String::new(),
            bytes: data.len() as u64,
            cached: false,
            generation_time: 0.002,
            file: None,
            data: Some(data.into()),
            encoding: Some(luna_ipc::Encoding::Utf8),
        }
    }

    #[test]
    fn replies_are_checked() {
        assert_eq!(check(&reply("<svg a='1'></svg>\n")).unwrap().bytes, 18);
        assert!(check(&reply("<svg")).is_err());
        assert!(check(&reply("")).is_err());
    }

    #[test]
    fn the_table_marks_each_combination() {
        let args = GenerateArgs::new("simple", "power", 64, Format::Svg);
        let results = vec![
            (
                args.clone(),
                check(&reply("<svg></svg>")).map_err(|e| crate::exit::classify(&e)),
            ),
            (args, Err(Failure::data("broken"))),
        ];
        let text = table(&results, &Output::plain()).render(&Output::plain());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "✓  simple  power     11 B  2.0 ms");
        assert_eq!(lines[2], "✗  simple  power        -       -  broken");
    }
}
