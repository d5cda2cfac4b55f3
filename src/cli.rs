//! The command line, as clap definitions.

use crate::commands::{
    clean::CleanCmd, daemon::DaemonAction, events::EventsCmd, favicon::FaviconCmd,
    favicon_all::FaviconAllCmd, files::FilesCmd,
};
use clap::builder::FalseyValueParser;
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum, ValueHint};
use std::path::PathBuf;

/// Animated moon logos, drawn by the lunad daemon.
///
/// luna talks to lunad over a Unix socket and starts it in the background when it is not
/// running (unless --no-autostart or LUNA_NO_AUTOSTART=1).
#[derive(Debug, Parser)]
#[command(name = "luna", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// lunad's socket [default: $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]
    #[arg(long, global = true, env = "LUNA_SOCKET", hide_env_values = true, value_name = "PATH",
          value_hint = ValueHint::FilePath)]
    pub socket: Option<PathBuf>,
    /// Machine output: the daemon's result as JSON, one object per line for streams
    #[arg(long, global = true)]
    pub json: bool,
    /// Never start lunad; fail with exit 69 when it is not running
    #[arg(long, global = true, env = "LUNA_NO_AUTOSTART", hide_env_values = true,
          action = ArgAction::SetTrue, value_parser = FalseyValueParser::new())]
    pub no_autostart: bool,
    /// Where generated files go when no -o is given
    #[arg(short = 'O', long, global = true, value_name = "DIR", default_value = "exports",
          value_hint = ValueHint::DirPath)]
    pub output_dir: PathBuf,
    /// Only errors and requested data
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Explain what luna is doing, on stderr
    #[arg(long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the moon variants with their names, speed, glow and colours
    #[command(visible_alias = "info", alias = "list-variants")]
    Variants,
    /// List the drawing styles (generators)
    #[command(visible_alias = "generators")]
    Styles,
    /// Generate one logo into a file (or stdout)
    Generate(GenerateCmd),
    /// Generate every (or a filtered set of) style × variant × size combination
    GenerateAll(GenerateAllCmd),
    /// Write a variant's favicon set: an .ico and PNGs at 16, 32, 180, 192 and 512 px
    Favicon(FaviconCmd),
    /// Write the favicon sets of all variants
    FaviconAll(FaviconAllCmd),
    /// Show the daemon's generation statistics
    Stats,
    /// List the files in the daemon's artefact store, newest first
    Files(FilesCmd),
    /// Remove files from the daemon's artefact store
    Clean(CleanCmd),
    /// Print the daemon's events as they happen, until Ctrl-C
    Events(EventsCmd),
    /// Start, stop or inspect lunad
    Daemon {
        #[command(subcommand)]
        action: DaemonAction,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Browse, preview and export logos in a terminal UI
    Tui {
        /// How to draw the preview: detected from the terminal by default
        #[arg(long, env = "LUNA_GRAPHICS", default_value = "auto", value_name = "MODE",
              value_parser = luna_tui::graphics::Mode::NAMES)]
        graphics: String,
    },
    /// Print luna's version, and lunad's when it is running
    Version,
    /// Send one JSON request to lunad and print the reply line
    Raw {
        /// A request object, e.g. '{"cmd":"ping"}'
        #[arg(value_name = "JSON")]
        request: String,
    },
    /// Generate every style × variant at 64 px and check each result
    ValidateAll(ParallelArg),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Svg,
    Png,
    Ico,
}

impl From<FormatArg> for luna_ipc::Format {
    fn from(value: FormatArg) -> Self {
        match value {
            FormatArg::Svg => luna_ipc::Format::Svg,
            FormatArg::Png => luna_ipc::Format::Png,
            FormatArg::Ico => luna_ipc::Format::Ico,
        }
    }
}

/// Options shared by the commands that render logos.
#[derive(Debug, Clone, Args)]
pub struct RenderOpts {
    /// A still picture (no animation)
    #[arg(long = "static")]
    pub still: bool,
    /// Seed of the seeded styles (default: the daemon's)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

/// One style, `simple` unless given.
#[derive(Debug, Clone, Args)]
pub struct StyleArg {
    /// The style (see `luna styles`)
    #[arg(
        short = 'g',
        long = "style",
        visible_alias = "generator",
        value_name = "STYLE",
        default_value = "simple"
    )]
    pub style: String,
}

/// A variant, as a positional argument or with -v; one is required.
#[derive(Debug, Clone, Args)]
#[group(id = "which", required = true, multiple = false)]
pub struct VariantArg {
    /// The variant (serenity, power, mystery, awakening, creative)
    #[arg(id = "variant", value_name = "VARIANT")]
    pub positional: Option<String>,
    /// The variant, as an option
    #[arg(
        short = 'v',
        long = "variant",
        id = "variant_flag",
        value_name = "VARIANT"
    )]
    pub flag: Option<String>,
}

impl VariantArg {
    pub fn get(&self) -> &str {
        let variant = self.positional.as_deref().or(self.flag.as_deref());
        variant.expect("clap requires one")
    }
}

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

#[derive(Debug, Clone, Args)]
pub struct ParallelArg {
    /// Requests in flight at once
    #[arg(short, long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallel: u16,
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;
    use std::time::Duration;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("luna").chain(args.iter().copied()))
    }

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn generate_takes_the_variant_either_way() {
        let Command::Generate(g) = parse(&["generate", "power"]).unwrap().command else {
            panic!()
        };
        assert_eq!(
            (g.variant.get(), g.style.style.as_str(), g.size),
            ("power", "simple", 200)
        );
        let Command::Generate(g) = parse(&[
            "generate",
            "-v",
            "mystery",
            "--generator",
            "ultimate",
            "-s",
            "64",
        ])
        .unwrap()
        .command
        else {
            panic!()
        };
        assert_eq!(
            (g.variant.get(), g.style.style.as_str(), g.size),
            ("mystery", "ultimate", 64)
        );
        assert!(parse(&["generate"]).is_err());
        assert!(parse(&["generate", "power", "-v", "mystery"]).is_err());
    }

    #[test]
    fn aliases_and_globals() {
        for alias in ["variants", "info", "list-variants"] {
            assert!(matches!(
                parse(&[alias]).unwrap().command,
                Command::Variants
            ));
        }
        assert!(matches!(
            parse(&["generators"]).unwrap().command,
            Command::Styles
        ));
        let cli = parse(&["stats", "--json", "-O", "out", "--socket", "/s"]).unwrap();
        assert!(cli.global.json);
        assert_eq!(cli.global.output_dir, PathBuf::from("out"));
        assert_eq!(cli.global.socket, Some(PathBuf::from("/s")));
    }

    #[test]
    fn generate_all_repeats_and_defaults() {
        let Command::GenerateAll(g) = parse(&[
            "generate-all",
            "-v",
            "power",
            "-v",
            "mystery",
            "-s",
            "64",
            "-s",
            "128",
        ])
        .unwrap()
        .command
        else {
            panic!()
        };
        assert_eq!(g.variants, ["power", "mystery"]);
        assert!(g.styles.is_empty());
        assert_eq!(g.sizes, [64, 128]);
        assert_eq!(g.parallel.parallel, 4);
    }

    #[test]
    fn clean_parses_durations() {
        let Command::Clean(c) = parse(&["clean", "--older-than", "1day"]).unwrap().command else {
            panic!()
        };
        assert_eq!(c.older_than, Some(Duration::from_secs(86_400)));
    }
}
