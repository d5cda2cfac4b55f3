//! A real `lunad` on a private temp socket, for the benchmarks.

use std::io::{BufRead, BufReader};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Daemon {
    pub child: Child,
    pub socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Daemon {
    pub fn start() -> (Daemon, Duration) {
        let dir = tempfile::tempdir().expect("temp dir");
        // lunad requires a private (0700) socket directory.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let socket = dir.path().join("ctl.sock");
        let started = Instant::now();
        // LUNA_BENCH_LUNAD runs the same benchmark against another build (a side-by-side check).
        let lunad = std::env::var_os("LUNA_BENCH_LUNAD")
            .unwrap_or_else(|| env!("CARGO_BIN_EXE_lunad").into());
        let child = Command::new(lunad)
            .arg("--socket")
            .arg(&socket)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .env("RUST_LOG", "warn")
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn lunad");
        loop {
            if let Ok(stream) = UnixStream::connect(&socket) {
                let mut line = String::new();
                BufReader::new(stream).read_line(&mut line).unwrap();
                if line.contains("\"hello\"") {
                    break;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "lunad did not start"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        let ready = started.elapsed();
        (
            Daemon {
                child,
                socket,
                _dir: dir,
            },
            ready,
        )
    }

    #[allow(dead_code)] // Not every benchmark reads it.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `p` quantile (0–1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
