//! One file per command, mirroring the CLI's `src/commands/`.

mod cleanup;
mod commands;
mod favicon;
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
        Command::Ping => reply(Ok(ping::handle())),
        Command::Version => reply(Ok(version::handle(state))),
        Command::Commands => reply(Ok(commands::handle())),
        Command::Variants => reply(Ok(variants::handle())),
        Command::Styles => reply(Ok(styles::handle())),
        Command::Generate(args) => reply(generate::handle(state, args).await),
        Command::Favicon(args) => reply(favicon::handle(state, args).await),
        Command::Stats => reply(stats::handle(state).await),
        Command::Files(args) => reply(files::handle(state, args).await),
        Command::File(args) => reply(file::handle(state, args).await),
        Command::Cleanup(args) => reply(cleanup::handle(state, args).await),
        Command::Shutdown => reply(Ok(shutdown::handle(state))),
        Command::Subscribe(_) | Command::Unsubscribe => {
            unreachable!("the connection handles subscriptions itself")
        }
    }
}

/// A handler's typed result as the reply's `result`.
pub(crate) fn reply<T: serde::Serialize>(result: Result<T, WireError>) -> Result<Value, WireError> {
    result.map(|value| serde_json::to_value(value).expect("results serialise"))
}
