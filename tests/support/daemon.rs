//! The `lunad` process handle: spawning the real binary with a clean environment and its log
//! captured, waiting for its greeting, signals, exit status and log.

use super::{Conn, Env};
use serde_json::Value;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// How long a test waits for lunad to greet after it was spawned.
pub const START_TIMEOUT: Duration = Duration::from_secs(10);

pub fn lunad_bin() -> &'static str {
    env!("CARGO_BIN_EXE_lunad")
}

/// A running (or exited) lunad. Dropping it kills the process; if the test is failing, its log
/// is printed.
pub struct Daemon {
    pub env: Arc<Env>,
    child: Child,
    pub log: PathBuf,
    status: Option<ExitStatus>,
    /// The greeting line's JSON, once [`Daemon::wait_ready`] saw it.
    pub greeting: Option<Value>,
}

impl Daemon {
    /// A fresh temp dir and a daemon serving in it.
    pub fn start() -> Daemon {
        Daemon::start_with(|_| {})
    }

    /// Like [`Daemon::start`], with a chance to add flags or environment.
    pub fn start_with(configure: impl FnOnce(&mut Command)) -> Daemon {
        Daemon::start_in_with(&Env::new(), configure)
    }

    /// A daemon in an existing temp dir (restarts on the same socket and data).
    pub fn start_in(env: &Arc<Env>) -> Daemon {
        Daemon::start_in_with(env, |_| {})
    }

    pub fn start_in_with(env: &Arc<Env>, configure: impl FnOnce(&mut Command)) -> Daemon {
        let mut daemon = Daemon::spawn_in(env, configure);
        daemon.wait_ready();
        daemon
    }

    /// Spawns lunad with `--socket` and `--data-dir` without waiting for it to serve.
    pub fn spawn_in(env: &Arc<Env>, configure: impl FnOnce(&mut Command)) -> Daemon {
        let mut cmd = Command::new(lunad_bin());
        cmd.arg("--socket").arg(&env.socket);
        cmd.arg("--data-dir").arg(&env.data);
        Daemon::spawn_command(env, cmd, configure)
    }

    /// Spawns a prepared command (its arguments are the caller's) with the harness's
    /// environment and log capture.
    pub fn spawn_command(
        env: &Arc<Env>,
        mut cmd: Command,
        configure: impl FnOnce(&mut Command),
    ) -> Daemon {
        let n = env.spawned.fetch_add(1, Ordering::SeqCst);
        let log = env.dir.path().join(format!("lunad-{n}.log"));
        let log_file = std::fs::File::create(&log).expect("create log file");
        // A clean environment for what lunad reads: only what the test sets applies.
        for var in [
            "LUNA_SOCKET",
            "LUNA_DATA_DIR",
            "LUNA_CONFIG",
            "LUNA_CACHE_BYTES",
            "LUNA_STORE",
            "LUNA_REDIS_PASSWORD",
            "LUNA_LOG_FORMAT",
            "NOTIFY_SOCKET",
            "LISTEN_FDS",
            "LISTEN_PID",
            "LISTEN_FDNAMES",
        ] {
            cmd.env_remove(var);
        }
        // No stray user config file: point the XDG config home into the temp dir.
        cmd.env("XDG_CONFIG_HOME", env.dir.path().join("xdg-config"));
        cmd.env("RUST_LOG", "info");
        cmd.env("NO_COLOR", "1");
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log_file));
        configure(&mut cmd);
        let child = cmd.spawn().expect("spawn lunad");
        Daemon {
            env: env.clone(),
            child,
            log,
            status: None,
            greeting: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn socket(&self) -> &Path {
        &self.env.socket
    }

    /// Polls `connect` every 10 ms until the greeting arrives (at most [`START_TIMEOUT`]).
    pub fn wait_ready(&mut self) {
        let socket = self.env.socket.clone();
        self.wait_ready_at(&socket);
    }

    /// [`Daemon::wait_ready`] for a daemon serving on another path.
    pub fn wait_ready_at(&mut self, socket: &Path) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.try_status() {
                panic!(
                    "lunad exited with {status} before serving\n{}",
                    self.log_text()
                );
            }
            if let Ok(stream) = UnixStream::connect(socket) {
                let mut conn = Conn::from_stream(stream);
                conn.set_timeout(Duration::from_secs(5));
                if let Some(line) = conn.try_read_line() {
                    let value: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|e| panic!("greeting is not JSON ({e}): {line}"));
                    assert!(value.get("hello").is_some(), "not a greeting: {line}");
                    self.greeting = Some(value);
                    return;
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "lunad did not greet within {START_TIMEOUT:?}\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A new connection, greeting consumed.
    pub fn connect(&self) -> Conn {
        Conn::connect(&self.env.socket)
    }

    /// One request on a fresh connection; returns the whole reply.
    pub fn request(&self, request: Value) -> Value {
        self.connect().request(request)
    }

    /// One command on a fresh connection; asserts `ok` and returns the result.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.connect().ok(cmd, args)
    }

    pub fn stats(&self) -> Value {
        self.ok("stats", Value::Null)
    }

    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: plain kill(2) on our own child's pid.
        let rc = unsafe { libc::kill(self.child.id() as libc::pid_t, signal) };
        assert_eq!(rc, 0, "kill({signal}) failed");
    }

    pub fn sigterm(&self) {
        self.signal(libc::SIGTERM);
    }

    /// SIGKILL, and reap the process.
    pub fn kill9(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            self.status = Some(self.child.wait().expect("wait for lunad"));
        }
    }

    /// The exit status, if the process has exited.
    pub fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("try_wait");
        }
        self.status
    }

    /// Waits for the process to exit; panics (with the log) after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_status() {
                return status;
            }
            if Instant::now() > deadline {
                panic!("lunad still running after {timeout:?}\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the exit and asserts its code, showing the daemon's log when it differs.
    pub fn assert_exit(&mut self, code: i32, timeout: Duration) {
        let status = self.wait_exit(timeout);
        assert_eq!(status.code(), Some(code), "{}", self.log_text());
    }

    pub fn is_running(&mut self) -> bool {
        self.try_status().is_none()
    }

    pub fn log_text(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        format!(
            "---- {} ----\n{text}---- end of log ----",
            self.log.display()
        )
    }

    /// The HTTP address lunad bound, from its `lunad ready` log line: start it with
    /// `--http-listen 127.0.0.1:0` and the kernel picks a free port, with nothing to race for.
    pub fn http_addr(&self) -> std::net::SocketAddr {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            let logged = log
                .lines()
                .filter(|line| line.contains("lunad ready"))
                .flat_map(str::split_whitespace)
                .find_map(|word| word.strip_prefix("http="));
            if let Some(addr) = logged {
                return addr
                    .parse()
                    .unwrap_or_else(|e| panic!("lunad logged http={addr} ({e})"));
            }
            assert!(
                Instant::now() < deadline,
                "lunad logged no HTTP address within {START_TIMEOUT:?}\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The number of open file descriptors of the daemon (Linux).
    pub fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.log_text());
        }
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
