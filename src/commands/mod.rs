//! One module per subcommand, each with its clap arguments; `cli` assembles and dispatches them.

pub mod args;
pub mod clean;
pub mod completions;
pub mod daemon;
pub mod events;
pub mod favicon;
pub mod favicon_all;
pub mod files;
pub mod generate;
pub mod generate_all;
pub mod raw;
pub mod stats;
pub mod styles;
pub mod tui;
pub mod validate_all;
pub mod variants;
pub mod version;

use crate::connect;
use crate::output::Output;
use args::Global;
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
