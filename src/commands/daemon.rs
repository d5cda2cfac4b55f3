//! `luna daemon start|stop|status`.

use super::Ctx;
use super::stats::key_values;
use crate::connect::{not_started, peer_pid, spawn_lunad, wait_started};
use crate::exit::{Failure, TEMPFAIL, UNAVAILABLE};
use crate::output::human_duration;
use clap::Subcommand;
use luna_ipc::paths::is_system_socket;
use luna_ipc::{Client, ClientError};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum DaemonAction {
    /// Start lunad in the background unless it is running
    Start,
    /// Ask lunad to shut down and wait until it has
    Stop,
    /// Whether lunad is running (exit 0) or not (exit 69), with its version and uptime
    Status,
}

/// How long `stop` waits for the daemon to go away.
const STOP_TIMEOUT: Duration = Duration::from_secs(15);

pub async fn run(ctx: &Ctx, action: DaemonAction) -> anyhow::Result<()> {
    let socket = ctx.socket();
    ctx.out.debug(format_args!("socket {}", socket.display()));
    match action {
        DaemonAction::Start => start(ctx, &socket).await,
        DaemonAction::Stop => stop(ctx, &socket).await,
        DaemonAction::Status => status(ctx, &socket).await,
    }
}

/// Connects without starting anything; `None` when nothing listens at `socket`.
async fn probe(socket: &Path) -> anyhow::Result<Option<Client>> {
    match Client::connect(socket).await {
        Ok(client) => Ok(Some(client)),
        Err(ClientError::Unavailable { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn start(ctx: &Ctx, socket: &Path) -> anyhow::Result<()> {
    let (client, started, pid) = match probe(socket).await? {
        Some(client) => {
            let pid = peer_pid(socket).await;
            (client, false, pid)
        }
        None if is_system_socket(socket) => return Err(systemd_owns(socket, "start").into()),
        None => {
            let mut child = spawn_lunad(socket).map_err(|e| not_started(socket, &e.to_string()))?;
            let client = wait_started(socket, &mut child).await?;
            (client, true, Some(child.id()))
        }
    };
    let version = &client.hello().version;
    if ctx.out.json {
        let report = json!({"running": true, "started": started, "pid": pid,
                            "socket": socket.display().to_string(), "version": version});
        ctx.out.json_line(&report)?;
    } else if !ctx.out.quiet {
        let pid = pid.map(|p| format!(", pid {p}")).unwrap_or_default();
        let what = if started {
            "started lunad"
        } else {
            "lunad is already running"
        };
        ctx.out.line(format!(
            "{what} at {} (version {version}{pid})",
            socket.display()
        ))?;
    }
    Ok(())
}

/// Exit 64 for `start`/`stop` on the system unit's socket: systemd starts lunad there, and would
/// start it again on the next connection after a `shutdown`.
fn systemd_owns(socket: &Path, verb: &str) -> Failure {
    let units = match verb {
        "stop" => "lunad.socket lunad.service",
        _ => "lunad.socket",
    };
    let message = format!(
        "{} is the system unit's socket: {verb} lunad with `systemctl {verb} {units}`",
        socket.display()
    );
    Failure::usage(message)
}

async fn stop(ctx: &Ctx, socket: &Path) -> anyhow::Result<()> {
    if is_system_socket(socket) {
        return Err(systemd_owns(socket, "stop").into());
    }
    let Some(client) = probe(socket).await? else {
        if ctx.out.json {
            let report = json!({"running": false, "stopped": false,
                                "socket": socket.display().to_string()});
            ctx.out.json_line(&report)?;
        } else if !ctx.out.quiet {
            ctx.out
                .line(format!("lunad is not running at {}", socket.display()))?;
        }
        return Ok(());
    };
    let pid = peer_pid(socket).await;
    match client.shutdown().await {
        Ok(_) | Err(ClientError::Closed) => {}
        Err(e) => return Err(e.into()),
    }
    drop(client);
    ctx.out.debug("shutdown sent; waiting for lunad to go away");
    let started = Instant::now();
    while !gone(socket).await {
        if started.elapsed() >= STOP_TIMEOUT {
            let message = format!("lunad did not stop within {}s", STOP_TIMEOUT.as_secs());
            return Err(Failure::new("timeout", TEMPFAIL, message).into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if ctx.out.json {
        let report = json!({"running": false, "stopped": true, "pid": pid,
                            "socket": socket.display().to_string()});
        ctx.out.json_line(&report)?;
    } else if !ctx.out.quiet {
        let pid = pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
        ctx.out.line(format!("stopped lunad{pid}"))?;
    }
    Ok(())
}

/// Whether the socket is gone or refuses connections.
async fn gone(socket: &Path) -> bool {
    if !socket.exists() {
        return true;
    }
    matches!(
        tokio::net::UnixStream::connect(socket).await,
        Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound)
    )
}

async fn status(ctx: &Ctx, socket: &Path) -> anyhow::Result<()> {
    let shown = socket.display().to_string();
    let Some(client) = probe(socket).await? else {
        if ctx.out.json {
            ctx.out
                .json_line(&json!({"running": false, "socket": shown}))?;
        }
        let message = format!("lunad is not running at {shown}");
        return Err(Failure::new("unavailable", UNAVAILABLE, message).into());
    };
    let pid = client.version().await?.pid;
    let stats = client.stats().await?;
    let hello = client.hello();
    if ctx.out.json {
        let report = json!({
            "running": true, "socket": shown, "server": hello.server, "version": hello.version,
            "proto": hello.proto, "algorithm": hello.algorithm, "features": hello.features,
            "pid": pid, "uptime_seconds": stats.uptime_seconds, "total_generated": stats.total_generated,
        });
        ctx.out.json_line(&report)?;
        return Ok(());
    }
    let mut lines = vec![
        ("lunad", format!("running at {shown}")),
        ("version", hello.version.clone()),
        ("protocol", hello.proto.to_string()),
        ("algorithm", hello.algorithm.to_string()),
    ];
    lines.push(("pid", pid.to_string()));
    lines.push(("uptime", human_duration(stats.uptime_seconds)));
    lines.push(("generated", stats.total_generated.to_string()));
    ctx.out.text(&key_values(&lines, &ctx.out))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_missing_socket_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        assert!(gone(&dir.path().join("ctl.sock")).await);
        // A socket file nobody listens on refuses connections.
        let path = dir.path().join("stale.sock");
        drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
        assert!(gone(&path).await);
        let path = dir.path().join("live.sock");
        let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert!(!gone(&path).await);
    }
}
