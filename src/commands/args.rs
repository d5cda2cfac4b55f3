//! Arguments that several commands share, the global options among them.

use clap::builder::FalseyValueParser;
use clap::{ArgAction, Args, ValueEnum, ValueHint};
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// lunad's socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Svg,
    Png,
    Ico,
    Webp,
}

impl From<FormatArg> for luna_ipc::Format {
    fn from(value: FormatArg) -> Self {
        match value {
            FormatArg::Svg => luna_ipc::Format::Svg,
            FormatArg::Png => luna_ipc::Format::Png,
            FormatArg::Ico => luna_ipc::Format::Ico,
            FormatArg::Webp => luna_ipc::Format::Webp,
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
pub struct ParallelArg {
    /// Requests in flight at once
    #[arg(short, long, default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallel: u16,
}
