//! `luna generate`: one logo into a file or stdout. Also the helpers the batch commands share:
//! default file names, saving results, concurrent requests and the progress bar.

use super::Ctx;
use super::args::{FormatArg, RenderOpts, StyleArg, VariantArg};
use crate::exit::Failure;
use crate::output::{GREEN, Output, human_bytes, millis};
use clap::{Args, ValueHint};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use luna_ipc::{Client, ClientError, Format, GenerateArgs, GenerateResult, PaletteArg};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Args)]
pub struct GenerateCmd {
    #[command(flatten)]
    pub variant: VariantArg,
    #[command(flatten)]
    pub style: StyleArg,
    /// Width and height in pixels (16 to 2048)
    #[arg(short, long, default_value_t = 200, value_name = "PX")]
    pub size: i64,
    /// Output file; `-` for stdout [default: <output-dir>/arkalia-luna-…]
    #[arg(short, long, value_name = "PATH", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,
    /// Output format [default: from -o's extension, else svg]
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    #[command(flatten)]
    pub render: RenderOpts,
    /// Four colours replacing the variant's: "#primary,#secondary,#accent,#glow"
    #[arg(long, value_name = "COLOURS")]
    pub palette: Option<String>,
    /// The SVG's <title>
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Prefix of the SVG's element ids (to inline several logos in one page)
    #[arg(long, value_name = "PREFIX")]
    pub id_prefix: Option<String>,
}

pub async fn run(ctx: &Ctx, cmd: GenerateCmd) -> anyhow::Result<()> {
    let to_stdout = cmd.output.as_deref() == Some(Path::new("-"));
    let from_extension = cmd
        .output
        .as_deref()
        .filter(|_| !to_stdout)
        .and_then(format_of_path);
    let format = cmd
        .format
        .map(Format::from)
        .or(from_extension)
        .unwrap_or_default();
    let args = GenerateArgs {
        variant: cmd.variant.get().to_owned(),
        style: cmd.style.style.clone(),
        size: cmd.size,
        format,
        animated: !cmd.render.still,
        seed: cmd.render.seed,
        palette: cmd.palette.clone().map(PaletteArg::Joined),
        id_prefix: cmd.id_prefix.clone(),
        title: cmd.title.clone(),
        store: false,
    };
    let client = ctx.client().await?;
    ctx.out
        .debug(format_args!("generate {}", serde_json::to_string(&args)?));
    let result = client.generate(args).await?;
    let bytes = decode(&result)?;
    if to_stdout {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&bytes)?;
        stdout.flush()?;
        ctx.out.note(summary_line(&ctx.out, "-", &result));
        return Ok(());
    }
    let path = cmd
        .output
        .unwrap_or_else(|| ctx.global.output_dir.join(default_file_name(&result)));
    write_atomic(&path, &bytes)?;
    if ctx.out.json {
        ctx.out.json_line(&result_json(&result, &path))?;
    } else if !ctx.out.quiet {
        ctx.out
            .line(summary_line(&ctx.out, &path.display().to_string(), &result))?;
    }
    Ok(())
}

/// The format named by a path's extension, if it is one of ours.
pub fn format_of_path(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Format::from_extension(&ext)
}

/// The original's file name for a result (see [`luna_ipc::export::default_file_name`]).
pub fn default_file_name(result: &GenerateResult) -> String {
    luna_ipc::export::default_file_name(&result.style, &result.variant, result.size, result.format)
}

/// The result's bytes; exit 65 when they are missing, undecodable or empty.
pub fn decode(result: &GenerateResult) -> Result<Vec<u8>, Failure> {
    result
        .decode_data()
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            Failure::data(format!(
                "lunad sent no usable data for {}/{} {} {}",
                result.style,
                result.variant,
                result.size,
                result.format.extension()
            ))
        })
}

/// Decodes and writes a result to `path`; returns the number of bytes written.
pub fn save(result: &GenerateResult, path: &Path) -> anyhow::Result<usize> {
    let bytes = decode(result)?;
    write_atomic(path, &bytes)?;
    Ok(bytes.len())
}

/// `✓ path  (style · variant · 200×200 · 5.1 KB · 0.4 ms)`
pub fn summary_line(out: &Output, path: &str, r: &GenerateResult) -> String {
    let timing = if r.cached {
        "cached".to_owned()
    } else {
        millis(r.generation_time)
    };
    // An .ico holds several sizes whatever was asked.
    let dimensions = match r.format {
        Format::Ico => "ico".to_owned(),
        _ => format!("{}×{}", r.size, r.size),
    };
    format!(
        "{} {path}  ({} · {} · {dimensions} · {} · {timing})",
        out.paint(GREEN, "✓"),
        r.style,
        r.variant,
        human_bytes(r.bytes),
    )
}

/// The result without its data, plus where it was written.
pub fn result_json(result: &GenerateResult, path: &Path) -> serde_json::Value {
    let mut value = serde_json::to_value(result).expect("results serialise");
    if let Some(object) = value.as_object_mut() {
        object.remove("data");
        object.remove("encoding");
        object.insert("path".into(), path.display().to_string().into());
    }
    value
}

/// Sends `jobs` with at most `parallel` in flight on one connection; `done` gets each job's
/// index and result as they complete.
pub async fn generate_many(
    client: &Arc<Client>,
    jobs: &[GenerateArgs],
    parallel: usize,
    mut done: impl FnMut(usize, Result<GenerateResult, ClientError>),
) {
    let mut set = tokio::task::JoinSet::new();
    let mut next = 0;
    loop {
        while set.len() < parallel.max(1) && next < jobs.len() {
            let (client, args, index) = (client.clone(), jobs[next].clone(), next);
            set.spawn(async move { (index, client.generate(args).await) });
            next += 1;
        }
        match set.join_next().await {
            Some(Ok((index, result))) => done(index, result),
            Some(Err(e)) => std::panic::resume_unwind(e.into_panic()),
            None => break,
        }
    }
}

/// A progress bar on stderr, hidden with --json, --quiet or when stderr is not a terminal.
pub fn progress_bar(out: &Output, len: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if out.json || out.quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let style = ProgressStyle::with_template("{bar:30.cyan/blue} {pos}/{len} {wide_msg}")
        .expect("valid template");
    bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    bar
}

/// Where batch commands write: the default name inside `dir`.
pub fn batch_path(dir: &Path, result: &GenerateResult) -> PathBuf {
    dir.join(default_file_name(result))
}

/// Writes `bytes` to `path` atomically, creating parent directories. Failing to create anything
/// is exit 73, failing to write is exit 74.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use luna_ipc::export::WriteError;
    luna_ipc::export::write_atomic(path, bytes).map_err(|e| match e {
        WriteError::Write { source, .. } => {
            anyhow::Error::new(source).context(format!("cannot write {}", path.display()))
        }
        other => Failure::cant_create(other.to_string()).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(style: &str, format: Format) -> GenerateResult {
        GenerateResult {
            style: style.into(),
            variant: "serenity".into(),
            size: 200,
            format,
            animated: true,
            seed: 7,
            digest: "d".into(),
            bytes: 5222,
            cached: false,
            generation_time: 0.000_4,
            file: None,
            data: Some("<svg/>".into()),
            encoding: Some(luna_ipc::Encoding::Utf8),
        }
    }

    #[test]
    fn default_names_follow_the_original() {
        assert_eq!(
            default_file_name(&result("simple", Format::Svg)),
            "arkalia-luna-serenity-200.svg"
        );
        assert_eq!(
            default_file_name(&result("ai_moon", Format::Png)),
            "arkalia-luna-ai-moon-serenity-200.png"
        );
    }

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(format_of_path(Path::new("a/logo.PNG")), Some(Format::Png));
        assert_eq!(format_of_path(Path::new("logo.ico")), Some(Format::Ico));
        assert_eq!(format_of_path(Path::new("logo.jpeg")), None);
        assert_eq!(format_of_path(Path::new("logo")), None);
    }

    #[test]
    fn summary_and_json() {
        let r = result("simple", Format::Svg);
        assert_eq!(
            summary_line(&Output::plain(), "exports/a.svg", &r),
            "✓ exports/a.svg  (simple · serenity · 200×200 · 5.1 KB · 0.4 ms)"
        );
        let json = result_json(&r, Path::new("exports/a.svg"));
        assert_eq!(json["path"], "exports/a.svg");
        assert!(json.get("data").is_none() && json.get("encoding").is_none());
        assert_eq!(json["digest"], "d");
    }

    #[test]
    fn empty_or_missing_data_is_bad_data() {
        let mut r = result("simple", Format::Svg);
        assert_eq!(decode(&r).unwrap(), b"<svg/>");
        r.data = Some(String::new());
        assert_eq!(decode(&r).unwrap_err().exit, 65);
        r.data = None;
        assert_eq!(decode(&r).unwrap_err().exit, 65);
    }

    #[test]
    fn failing_to_create_the_file_is_exit_73() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logo.svg");
        write_atomic(&path, b"one").unwrap();
        let blocked = dir.path().join("logo.svg/inside.svg");
        let err = write_atomic(&blocked, b"x").unwrap_err();
        assert_eq!(crate::exit::classify(&err).exit, 73);
    }
}
