//! One daemon per socket: a private runtime directory, an instance lock, safe replacement of a
//! stale socket, a socket that is 0600 from the moment it exists, and removal of only our own
//! socket at exit.

use interprocess::local_socket::{GenericFilePath, ListenerOptions, ToFsName};
use interprocess::os::unix::local_socket::ListenerOptionsExt;
use interprocess::os::unix::uds_local_socket::tokio::Listener;
use std::fs::File;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("another lunad is already running on {}", socket.display())]
    AlreadyRunning { socket: PathBuf },
    #[error(
        "{} is {problem}; the socket directory must be private (owner-only, mode 0700)",
        dir.display()
    )]
    UnsafeDir { dir: PathBuf, problem: String },
    #[error("{} exists and is not a socket: refusing to replace it", path.display())]
    NotASocket { path: PathBuf },
    #[error("a live daemon answers on {}: refusing to take its socket", path.display())]
    LiveSocket { path: PathBuf },
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> InstanceError {
    let path = path.to_owned();
    move |source| InstanceError::Io { what, path, source }
}

/// The held instance: releases the lock and our socket file when dropped.
pub struct Instance {
    /// `None` under socket activation: systemd runs one instance and owns the directory.
    _lock: Option<File>,
    socket: PathBuf,
    /// (device, inode) of the socket we bound; `None` under socket activation (systemd owns it).
    bound: Option<(u64, u64)>,
}

impl Instance {
    /// Adopts a socket-activated listener, or prepares the directory, takes the lock and binds.
    pub fn start(
        socket: &Path,
        activated: Option<OwnedFd>,
    ) -> Result<(Instance, Listener), InstanceError> {
        if let Some(fd) = activated {
            let listener =
                Listener::try_from(fd).map_err(io("cannot adopt activated socket", socket))?;
            let instance = Instance {
                _lock: None,
                socket: socket.to_owned(),
                bound: None,
            };
            return Ok((instance, listener));
        }
        let dir = socket.parent().unwrap_or(Path::new("."));
        private_dir(dir)?;
        let lock_path = socket.with_extension("lock");
        let lock = File::options()
            .mode(0o600)
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io("cannot open lock file", &lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(InstanceError::AlreadyRunning {
                    socket: socket.to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io("cannot lock", &lock_path)(e)),
        }

        remove_stale_socket(socket)?;
        let name = socket
            .to_fs_name::<GenericFilePath>()
            .map_err(io("invalid socket path", socket))?;
        // The mode is applied before bind, so the socket is never reachable with looser bits.
        let listener = ListenerOptions::new()
            .name(name)
            .mode(0o600)
            .reclaim_name(false)
            .create_tokio_as::<Listener>()
            .map_err(io("cannot listen on", socket))?;
        let meta = std::fs::symlink_metadata(socket).map_err(io("cannot stat", socket))?;
        Ok((
            Instance {
                _lock: Some(lock),
                socket: socket.to_owned(),
                bound: Some((meta.dev(), meta.ino())),
            },
            listener,
        ))
    }

    pub fn socket(&self) -> &Path {
        &self.socket
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // Only unlink the socket if it is still the one we bound: a successor may own the path now.
        if let Some(bound) = self.bound
            && let Ok(meta) = std::fs::symlink_metadata(&self.socket)
            && (meta.dev(), meta.ino()) == bound
        {
            let _ = std::fs::remove_file(&self.socket);
        }
    }
}

/// Creates `dir` 0700 if missing; otherwise requires it to be ours and private.
fn private_dir(dir: &Path) -> Result<(), InstanceError> {
    if !dir.exists() {
        crate::artefacts::create_private_dir(dir).map_err(io("cannot create", dir))?;
    }
    let meta = std::fs::metadata(dir).map_err(io("cannot stat", dir))?;
    let uid = luna_ipc::paths::effective_uid();
    let problem = if !meta.is_dir() {
        Some("not a directory".to_owned())
    } else if meta.uid() != uid {
        Some(format!("owned by uid {}, not {uid}", meta.uid()))
    } else if meta.permissions().mode() & 0o077 != 0 {
        Some(format!("mode {:o}", meta.permissions().mode() & 0o777))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(InstanceError::UnsafeDir {
            dir: dir.to_owned(),
            problem,
        }),
        None => Ok(()),
    }
}

/// Called with the instance lock held, so no live lunad owns a socket here; still, only a socket
/// file is removed, and only if nothing answers on it.
fn remove_stale_socket(socket: &Path) -> Result<(), InstanceError> {
    let meta = match std::fs::symlink_metadata(socket) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io("cannot stat", socket)(e)),
    };
    if !meta.file_type().is_socket() {
        return Err(InstanceError::NotASocket {
            path: socket.to_owned(),
        });
    }
    match std::os::unix::net::UnixStream::connect(socket) {
        Ok(_) => Err(InstanceError::LiveSocket {
            path: socket.to_owned(),
        }),
        Err(_) => {
            tracing::info!(socket = %socket.display(), "replacing stale socket from a previous run");
            std::fs::remove_file(socket).map_err(io("cannot remove stale socket", socket))
        }
    }
}

/// The listening socket passed by systemd (`LISTEN_FDS=1`), if any.
pub fn activated_socket() -> Result<Option<OwnedFd>, InstanceError> {
    let mut fds = sd_notify::listen_fds().map_err(io("invalid LISTEN_FDS", Path::new("")))?;
    Ok(fds.next().map(|fd| {
        // SAFETY: systemd passes us this descriptor and nothing else in the process owns it.
        unsafe { OwnedFd::from_raw_fd(fd) }
    }))
}
