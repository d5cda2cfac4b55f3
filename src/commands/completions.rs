//! `luna completions <shell>`: a completion script on stdout. Needs no daemon.

use clap_complete::Shell;
use std::io::Write;

pub fn run(shell: Shell, command: clap::Command) -> anyhow::Result<()> {
    let script = script(shell, command);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(())
}

/// The completion script of `command` (the whole command line, from `cli`).
pub fn script(shell: Shell, mut command: clap::Command) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "luna", &mut script);
    script
}
