//! The command line: its clap definitions, assembled from each command's arguments, and which
//! command runs what.

use crate::commands::args::{Global, ParallelArg};
use crate::commands::{
    Ctx, clean, completions, daemon, events, favicon, favicon_all, files, generate, generate_all,
    raw, stats, styles, tui, validate_all, variants, version,
};
use clap::{CommandFactory, Parser, Subcommand};

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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the moon variants with their names, speed, glow and colours
    #[command(visible_alias = "info", alias = "list-variants")]
    Variants,
    /// List the drawing styles (generators)
    #[command(visible_alias = "generators")]
    Styles,
    /// Generate one logo into a file (or stdout)
    Generate(generate::GenerateCmd),
    /// Generate every (or a filtered set of) style × variant × size combination
    GenerateAll(generate_all::GenerateAllCmd),
    /// Write a variant's favicon package (favicon.ico, icon.svg, apple-touch-icon.png, PWA and
    /// maskable icons, site.webmanifest) and print its <link> tags
    Favicon(favicon::FaviconCmd),
    /// Write the favicon package of every variant, each in DIR/<variant>/
    FaviconAll(favicon_all::FaviconAllCmd),
    /// Show the daemon's generation statistics
    Stats,
    /// List the files in the daemon's artefact store, newest first
    Files(files::FilesCmd),
    /// Remove files from the daemon's artefact store
    Clean(clean::CleanCmd),
    /// Print the daemon's events as they happen, until Ctrl-C
    Events(events::EventsCmd),
    /// Start, stop or inspect lunad
    Daemon {
        #[command(subcommand)]
        action: daemon::DaemonAction,
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

impl Command {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        match self {
            Command::Variants => variants::run(ctx).await,
            Command::Styles => styles::run(ctx).await,
            Command::Generate(cmd) => generate::run(ctx, cmd).await,
            Command::GenerateAll(cmd) => generate_all::run(ctx, cmd).await,
            Command::Favicon(cmd) => favicon::run(ctx, cmd.variant.get(), cmd.common).await,
            Command::FaviconAll(cmd) => favicon_all::run(ctx, cmd).await,
            Command::Stats => stats::run(ctx).await,
            Command::Files(cmd) => files::run(ctx, cmd).await,
            Command::Clean(cmd) => clean::run(ctx, cmd).await,
            Command::Events(cmd) => events::run(ctx, cmd).await,
            Command::Daemon { action } => daemon::run(ctx, action).await,
            Command::Completions { shell } => completions::run(shell, Cli::command()),
            Command::Tui { graphics } => tui::run(ctx, &graphics).await,
            Command::Version => version::run(ctx).await,
            Command::Raw { request } => raw::run(ctx, &request).await,
            Command::ValidateAll(cmd) => validate_all::run(ctx, cmd).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
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
