//! Where the daemon's socket lives.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Environment variable that overrides the socket path for the daemon and every client.
pub const SOCKET_ENV: &str = "LUNA_SOCKET";
/// File name of the socket inside the runtime directory.
pub const SOCKET_NAME: &str = "ctl.sock";
/// The system unit's socket: `deploy/systemd/lunad.socket` listens on `%t/luna/ctl.sock`, and `%t`
/// is `/run` for the system manager.
pub const SYSTEM_SOCKET: &str = "/run/luna/ctl.sock";

/// The socket path, the same rule for lunad and every client:
/// 1. `$LUNA_SOCKET`;
/// 2. for root, the system socket [`SYSTEM_SOCKET`] when it exists: on a server, root means the
///    system unit's lunad, whether or not a login set `XDG_RUNTIME_DIR`;
/// 3. `$XDG_RUNTIME_DIR/luna/ctl.sock`;
/// 4. `/tmp/luna-<uid>/ctl.sock` (created 0700 by the daemon, like a runtime dir).
pub fn default_socket_path() -> PathBuf {
    resolve(
        std::env::var_os(SOCKET_ENV),
        effective_uid(),
        Path::new(SYSTEM_SOCKET),
        runtime_dir(),
    )
}

/// [`default_socket_path`]'s rule, with its inputs passed in so that tests can vary them.
fn resolve(env: Option<OsString>, euid: u32, system: &Path, runtime_dir: PathBuf) -> PathBuf {
    if let Some(path) = env.filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    // symlink_metadata: a socket is found without connecting to it (which would start lunad).
    if euid == 0 && system.symlink_metadata().is_ok() {
        return system.to_path_buf();
    }
    runtime_dir.join(SOCKET_NAME)
}

/// Whether `socket` is the system unit's: systemd owns it, so luna starts or stops no lunad there.
pub fn is_system_socket(socket: &Path) -> bool {
    socket == Path::new(SYSTEM_SOCKET)
}

/// luna's runtime directory: `$XDG_RUNTIME_DIR/luna`, or `/tmp/luna-<uid>` without one.
pub fn runtime_dir() -> PathBuf {
    match directories::BaseDirs::new().and_then(|d| d.runtime_dir().map(|p| p.to_path_buf())) {
        Some(dir) => dir.join("luna"),
        None => std::env::temp_dir().join(format!("luna-{}", effective_uid())),
    }
}

/// The effective user id of this process.
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socket_is_named_ctl_sock_under_a_luna_dir() {
        let dir = runtime_dir();
        assert!(
            dir.ends_with("luna")
                || dir
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("luna-")
        );
    }

    /// A directory with a real socket file standing in for /run/luna/ctl.sock.
    fn system_socket() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SOCKET_NAME);
        let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        (dir, path)
    }

    #[test]
    fn root_finds_the_system_socket_when_it_exists() {
        let (_dir, system) = system_socket();
        let runtime = PathBuf::from("/run/user/0/luna");
        assert_eq!(resolve(None, 0, &system, runtime.clone()), system);
        // An empty LUNA_SOCKET counts as unset.
        assert_eq!(resolve(Some("".into()), 0, &system, runtime), system);
        // Without XDG_RUNTIME_DIR (sudo, podman exec): the same.
        assert_eq!(
            resolve(None, 0, &system, PathBuf::from("/tmp/luna-0")),
            system
        );
    }

    #[test]
    fn root_falls_back_to_its_runtime_dir_without_a_system_socket() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join(SOCKET_NAME);
        let got = resolve(None, 0, &missing, PathBuf::from("/tmp/luna-0"));
        assert_eq!(got, Path::new("/tmp/luna-0/ctl.sock"));
    }

    #[test]
    fn other_users_keep_their_own_socket() {
        let (_dir, system) = system_socket();
        let got = resolve(None, 1000, &system, PathBuf::from("/run/user/1000/luna"));
        assert_eq!(got, Path::new("/run/user/1000/luna/ctl.sock"));
    }

    #[test]
    fn luna_socket_wins_over_everything() {
        let (_dir, system) = system_socket();
        let got = resolve(
            Some("/srv/x.sock".into()),
            0,
            &system,
            PathBuf::from("/tmp/l"),
        );
        assert_eq!(got, Path::new("/srv/x.sock"));
    }

    #[test]
    fn only_the_system_path_is_the_system_socket() {
        assert!(is_system_socket(Path::new("/run/luna/ctl.sock")));
        assert!(!is_system_socket(Path::new("/run/user/0/luna/ctl.sock")));
    }
}
