//! Connecting to lunad, starting it in the background when it is not running.

use crate::exit::{Failure, UNAVAILABLE};
use crate::output::Output;
use luna_ipc::paths::is_system_socket;
use luna_ipc::{Client, ClientError};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long an autostarted lunad has to answer.
pub const START_TIMEOUT: Duration = Duration::from_secs(5);
/// Pause between connection attempts while it starts.
const RETRY_EVERY: Duration = Duration::from_millis(20);

/// Connects to lunad at `socket`; when it is not running and `autostart` is set, starts it and
/// waits until it answers. Never on the system unit's socket: systemd starts that lunad, and one
/// started here would run as root on root's data instead of the unit's state directory.
pub async fn connect(socket: &Path, autostart: bool, out: &Output) -> anyhow::Result<Client> {
    out.debug(format_args!("connecting to {}", socket.display()));
    match Client::connect(socket).await {
        Ok(client) => Ok(client),
        Err(ClientError::Unavailable { path, source })
            if autostart && !is_system_socket(socket) =>
        {
            out.debug(format_args!("lunad is not running ({source}); starting it"));
            let mut child = spawn_lunad(&path).map_err(|e| not_started(&path, &e.to_string()))?;
            out.note(format_args!("started lunad (pid {})", child.id()));
            Ok(wait_started(&path, &mut child).await?)
        }
        Err(e @ ClientError::Unavailable { .. }) => Err(not_running(socket, &e).into()),
        Err(e) => Err(e.into()),
    }
}

/// Exit 69 for a daemon that is not running, with how to start it.
pub fn not_running(socket: &Path, err: &ClientError) -> Failure {
    let how = match is_system_socket(socket) {
        true => format!("`{}`", start_hint(socket)),
        false => format!("`luna daemon start` or `{}`", start_hint(socket)),
    };
    Failure::new(
        "unavailable",
        UNAVAILABLE,
        format!("{err}; start it with {how}"),
    )
}

/// Exit 69 for a daemon that could not be started, with how to start it by hand.
pub fn not_started(socket: &Path, why: &str) -> Failure {
    Failure::new(
        "unavailable",
        UNAVAILABLE,
        format!(
            "lunad is not running at {} and could not be started: {why}; start it by hand with `{}`",
            socket.display(),
            start_hint(socket)
        ),
    )
}

/// How to start lunad on `socket` by hand; the system unit's socket is systemd's.
pub fn start_hint(socket: &Path) -> String {
    match is_system_socket(socket) {
        true => "systemctl start lunad.socket".to_owned(),
        false => format!("lunad --socket {}", socket.display()),
    }
}

/// Waits until the `child` we started answers at `socket`; fails early if it exits.
pub async fn wait_started(socket: &Path, child: &mut Child) -> Result<Client, Failure> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        let exited = child.try_wait().ok().flatten();
        match Client::connect(socket).await {
            Ok(client) => return Ok(client),
            Err(ClientError::Unavailable { .. } | ClientError::Closed) => {}
            Err(e) => return Err(Failure::from_client(&e)),
        }
        // Status 69: another lunad holds the socket's lock and is starting; keep waiting for it.
        if let Some(status) = exited.filter(|s| s.code() != Some(i32::from(UNAVAILABLE))) {
            return Err(not_started(socket, &format!("it exited ({status})")));
        }
        if Instant::now() >= deadline {
            let why = format!("it did not answer within {}s", START_TIMEOUT.as_secs());
            return Err(not_started(socket, &why));
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

/// The lunad executable: next to this `luna`, else on `PATH`.
pub fn find_lunad() -> Option<PathBuf> {
    let beside = std::env::current_exe()
        .ok()
        .map(|exe| exe.with_file_name("lunad"))
        .filter(|p| is_executable(p));
    beside.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("lunad"))
            .find(|p| is_executable(p))
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Starts `lunad --socket <socket>` detached: its own process group, standard streams on
/// /dev/null, not waited for (dropping the handle neither waits for nor kills it).
pub fn spawn_lunad(socket: &Path) -> anyhow::Result<Child> {
    use std::os::unix::process::CommandExt as _;
    let lunad = find_lunad().ok_or_else(|| anyhow::anyhow!("no lunad next to luna or on PATH"))?;
    Command::new(&lunad)
        .arg("--socket")
        .arg(socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", lunad.display()))
}

/// The pid of the process serving `socket`, from the kernel's peer credentials.
pub async fn peer_pid(socket: &Path) -> Option<u32> {
    let stream = tokio::net::UnixStream::connect(socket).await.ok()?;
    let pid = stream.peer_cred().ok()?.pid()?;
    u32::try_from(pid).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn no_autostart_fails_with_69_and_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("ctl.sock");
        let out = Output::plain();
        let Err(err) = connect(&socket, false, &out).await else {
            panic!("connected to nothing")
        };
        let failure = crate::exit::classify(&err);
        assert_eq!(failure.exit, 69);
        assert!(
            failure.message.contains("lunad is not running at"),
            "{}",
            failure.message
        );
        assert!(
            failure
                .message
                .contains(&format!("lunad --socket {}", socket.display()))
        );
    }

    #[test]
    fn the_system_socket_is_started_with_systemctl() {
        let socket = Path::new(luna_ipc::paths::SYSTEM_SOCKET);
        let err = ClientError::Unavailable {
            path: socket.to_owned(),
            source: std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        };
        let failure = not_running(socket, &err);
        assert_eq!(failure.exit, 69);
        assert!(
            failure
                .message
                .ends_with("start it with `systemctl start lunad.socket`"),
            "{}",
            failure.message
        );
    }

    #[tokio::test]
    async fn a_daemon_that_exits_is_reported_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("ctl.sock");
        let mut child = Command::new("true").spawn().unwrap();
        let started = Instant::now();
        let failure = wait_started(&socket, &mut child).await.err().unwrap();
        assert_eq!(failure.exit, 69);
        assert!(failure.message.contains("it exited"), "{}", failure.message);
        assert!(started.elapsed() < START_TIMEOUT);
    }
}
