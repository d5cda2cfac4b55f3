//! `luna version`: luna's version, and lunad's when one answers quickly. Never starts lunad.

use super::Ctx;
use luna_ipc::{Client, Hello};
use std::time::Duration;

/// How long to wait for a running daemon's greeting (a live one greets within a second).
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let socket = ctx.socket();
    let hello = match tokio::time::timeout(PROBE_TIMEOUT, Client::connect(&socket)).await {
        Ok(Ok(client)) => Some(client.hello().clone()),
        Ok(Err(e)) => {
            ctx.out.debug(format_args!("no daemon: {e}"));
            None
        }
        Err(_) => {
            ctx.out.debug("no daemon: it did not greet in time");
            None
        }
    };
    if ctx.out.json {
        let report = serde_json::json!({"luna": env!("CARGO_PKG_VERSION"), "lunad": hello});
        ctx.out.json_line(&report)?;
    } else {
        ctx.out
            .line(format!("luna {}", env!("CARGO_PKG_VERSION")))?;
        if let Some(hello) = hello {
            ctx.out.line(daemon_line(&hello))?;
        }
    }
    Ok(())
}

/// `lunad 0.1.0 (protocol 1, algorithm 1)`
pub fn daemon_line(hello: &Hello) -> String {
    format!(
        "{} {} (protocol {}, algorithm {})",
        hello.server, hello.version, hello.proto, hello.algorithm
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_daemon_line() {
        let hello = Hello {
            server: "lunad".into(),
            version: "0.1.0".into(),
            proto: 1,
            algorithm: 3,
            features: vec![],
        };
        assert_eq!(daemon_line(&hello), "lunad 0.1.0 (protocol 1, algorithm 3)");
    }
}
