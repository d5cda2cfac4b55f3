//! The temporary environment of an end-to-end test: a private directory with the socket's
//! directory and lunad's data directory.

use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

/// A private temporary directory holding `run/ctl.sock` (run is 0700) and `data/`. Several daemons
/// can run in it one after the other (crash and restart tests).
pub struct Env {
    pub dir: tempfile::TempDir,
    pub run: PathBuf,
    pub socket: PathBuf,
    pub data: PathBuf,
    /// How many daemons were spawned in it (numbers their logs).
    pub(super) spawned: AtomicUsize,
}

impl Env {
    pub fn new() -> Arc<Env> {
        let dir = tempfile::Builder::new()
            .prefix("lunad-e2e-")
            .tempdir()
            .expect("temp dir");
        let run = dir.path().join("run");
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&run)
            .expect("create run dir");
        Arc::new(Env {
            socket: run.join("ctl.sock"),
            data: dir.path().join("data"),
            run,
            dir,
            spawned: AtomicUsize::new(0),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data.join("files")
    }

    /// The stored artefact names in `data/files` (dot files excluded), sorted.
    pub fn stored_names(&self) -> Vec<String> {
        let mut names: Vec<String> = match std::fs::read_dir(self.files_dir()) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
    }

    /// Writes a config file in the temp dir and returns its path.
    pub fn write_config(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write config");
        path
    }
}

/// A loopback port that was free a moment ago, for programs that cannot pick their own and
/// report it (podman's `-p`, redis-server, nginx); the caller retries if another process takes
/// it first. lunad itself is started on port 0 instead.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
