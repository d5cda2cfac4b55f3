//! A real `redis-server` (Debian's package) for the tests: on a loopback port, in a temp dir,
//! with a password and append-only persistence that syncs every write, so that any loss a test
//! sees is luna's, not Redis's.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const REDIS_SERVER: &str = "/usr/bin/redis-server";
pub const REDIS_PASSWORD: &str = "test-secret-8e1c";

pub struct RedisServer {
    /// `None` until started, and after a kill.
    child: Option<Child>,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts a server; the port is probed free, and a lost race with another process is retried.
    pub fn start() -> RedisServer {
        assert!(
            Path::new(REDIS_SERVER).exists(),
            "{REDIS_SERVER} is missing: run .ci/install-deps (Debian package redis-server)"
        );
        let dir = tempfile::Builder::new()
            .prefix("luna-redis-")
            .tempdir()
            .unwrap();
        let mut failures = Vec::new();
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .unwrap()
                .port();
            match spawn(dir.path(), port) {
                Ok(child) => {
                    return RedisServer {
                        child: Some(child),
                        port,
                        dir,
                    };
                }
                Err(failure) => failures.push(failure),
            }
        }
        panic!("redis-server did not start:\n{}", failures.join("\n"));
    }

    /// A server that is not running yet: its address is known (for lunad to start degraded
    /// against), and [`RedisServer::restart`] brings it up.
    pub fn not_started() -> RedisServer {
        let dir = tempfile::Builder::new()
            .prefix("luna-redis-")
            .tempdir()
            .unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        RedisServer {
            child: None,
            port,
            dir,
        }
    }

    /// `redis://:password@127.0.0.1:port`
    pub fn url(&self) -> String {
        format!("redis://:{REDIS_PASSWORD}@127.0.0.1:{}", self.port)
    }

    /// The same address without the password (it then comes from the environment).
    pub fn url_without_password(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// `kill -9`, as a crash or an OOM kill would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Removes the data, so the next [`RedisServer::restart`] comes up empty (a lost volume,
    /// or a failover to an empty replica). Call after [`RedisServer::kill`].
    pub fn wipe(&self) {
        for entry in std::fs::read_dir(self.dir.path()).unwrap().flatten() {
            let path = entry.path();
            if path == log_path(self.dir.path()) {
                continue;
            }
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }

    /// Starts again on the same port and data (after [`RedisServer::kill`]).
    pub fn restart(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match spawn(self.dir.path(), self.port) {
                Ok(child) => {
                    self.child = Some(child);
                    return;
                }
                Err(failure) => {
                    assert!(Instant::now() < deadline, "restart failed: {failure}");
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(log_path(self.dir.path())).unwrap_or_default()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn log_path(dir: &Path) -> PathBuf {
    dir.join("redis.log")
}

fn spawn(dir: &Path, port: u16) -> Result<Child, String> {
    let mut child = Command::new(REDIS_SERVER)
        .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(["--requirepass", REDIS_PASSWORD])
        .arg("--dir")
        .arg(dir)
        .args([
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
        ])
        .arg("--logfile")
        .arg(log_path(dir))
        .args(["--daemonize", "no"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("spawn {REDIS_SERVER}: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(log_path(dir)).unwrap_or_default();
            return Err(format!("redis-server exited with {status}:\n{log}"));
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!("redis-server did not listen on {port} within 10 s"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(child)
}
