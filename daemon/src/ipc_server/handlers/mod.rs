//! One file per command, mirroring the CLI's `src/commands/`.

mod cleanup;
mod commands;
mod file;
mod files;
mod generate;
mod ping;
mod shutdown;
mod stats;
mod styles;
pub mod subscribe;
mod variants;
mod version;

use crate::state::State;
use luna_ipc::{Command, WireError};
use serde_json::Value;

/// Runs a command. `subscribe`/`unsubscribe` change the connection and are handled by it.
pub async fn dispatch(state: &State, command: Command) -> Result<Value, WireError> {
    match command {
        Command::Ping => Ok(ping::handle()),
        Command::Version => Ok(version::handle(state)),
        Command::Commands => Ok(commands::handle()),
        Command::Variants => Ok(variants::handle()),
        Command::Styles => Ok(styles::handle()),
        Command::Generate(args) => generate::handle(state, args).await,
        Command::Stats => stats::handle(state),
        Command::Files(args) => files::handle(state, args),
        Command::File(args) => file::handle(state, args).await,
        Command::Cleanup(args) => cleanup::handle(state, args).await,
        Command::Shutdown => Ok(shutdown::handle(state)),
        Command::Subscribe(_) | Command::Unsubscribe => {
            unreachable!("the connection handles subscriptions itself")
        }
    }
}

pub(crate) fn to_value<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("results serialise")
}
