//! `luna`: the command line of lunad, the moon-logo daemon. It talks to lunad only through
//! luna-ipc, starting it in the background when needed.

mod cli;
mod commands;
mod connect;
mod exit;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap prints help, version and usage errors itself (usage errors exit 2).
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("luna: cannot start the async runtime: {e}");
            return ExitCode::from(exit::SOFTWARE);
        }
    };
    let ctx = commands::Ctx::new(cli.global);
    let result = runtime.block_on(cli.command.run(&ctx));
    // Don't wait for stray tasks (an events stream, a pending read) once the command is done.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(err) => {
            let failure = exit::classify(&err);
            ctx.out.error(&failure);
            ExitCode::from(failure.exit)
        }
    }
}
