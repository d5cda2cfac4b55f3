//! One module per subcommand; [`run`] dispatches.

pub mod clean;
mod completions;
pub mod daemon;
pub mod events;
pub mod favicon;
pub mod favicon_all;
pub mod files;
mod generate;
mod generate_all;
mod raw;
mod stats;
mod styles;
mod tui;
mod validate_all;
mod variants;
mod version;

use crate::cli::{Cli, Command, Global};
use crate::connect;
use crate::output::Output;
use luna_ipc::Client;
use std::path::PathBuf;

/// What every command gets: the global options and the output settings.
pub struct Ctx {
    pub global: Global,
    pub out: Output,
}

impl Ctx {
    pub fn new(global: Global) -> Ctx {
        let out = Output::new(global.json, global.quiet, global.verbose);
        Ctx { global, out }
    }

    /// `--socket`, else `$LUNA_SOCKET`, else the runtime directory's `ctl.sock`.
    pub fn socket(&self) -> PathBuf {
        self.global
            .socket
            .clone()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(luna_ipc::paths::default_socket_path)
    }

    /// A connection, starting lunad unless autostart is off.
    pub async fn client(&self) -> anyhow::Result<Client> {
        connect::connect(&self.socket(), !self.global.no_autostart, &self.out).await
    }
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> (Ctx, anyhow::Result<()>) {
    let ctx = Ctx::new(cli.global);
    let result = dispatch(&ctx, cli.command).await;
    (ctx, result)
}

async fn dispatch(ctx: &Ctx, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Variants => variants::run(ctx).await,
        Command::Styles => styles::run(ctx).await,
        Command::Generate(cmd) => generate::run(ctx, cmd).await,
        Command::GenerateAll(cmd) => generate_all::run(ctx, cmd).await,
        Command::Favicon(cmd) => {
            let variant = cmd.variant.get().to_owned();
            favicon::run(ctx, Some(vec![variant]), cmd.common, 4).await
        }
        Command::FaviconAll(cmd) => favicon_all::run(ctx, cmd).await,
        Command::Stats => stats::run(ctx).await,
        Command::Files(cmd) => files::run(ctx, cmd).await,
        Command::Clean(cmd) => clean::run(ctx, cmd).await,
        Command::Events(cmd) => events::run(ctx, cmd).await,
        Command::Daemon { action } => daemon::run(ctx, action).await,
        Command::Completions { shell } => completions::run(shell),
        Command::Tui { graphics } => tui::run(ctx, &graphics).await,
        Command::Version => version::run(ctx).await,
        Command::Raw { request } => raw::run(ctx, &request).await,
        Command::ValidateAll(cmd) => validate_all::run(ctx, cmd).await,
    }
}

/// The keys of the daemon's variants, in its order.
pub async fn variant_keys(client: &Client) -> anyhow::Result<Vec<String>> {
    let list = client.variants().await?;
    Ok(list.into_iter().map(|v| v.variant_type).collect())
}

/// The canonical keys of the daemon's styles, in its order.
pub async fn style_keys(client: &Client) -> anyhow::Result<Vec<String>> {
    let list = client.styles().await?;
    Ok(list.into_iter().map(|s| s.key).collect())
}
