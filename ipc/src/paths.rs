//! Where the daemon's socket lives.

use std::path::PathBuf;

/// Environment variable that overrides the socket path for the daemon and every client.
pub const SOCKET_ENV: &str = "LUNA_SOCKET";
/// File name of the socket inside the runtime directory.
pub const SOCKET_NAME: &str = "ctl.sock";

/// The socket path: `$LUNA_SOCKET`, else `$XDG_RUNTIME_DIR/luna/ctl.sock`, else
/// `/tmp/luna-<uid>/ctl.sock` (created 0700 by the daemon, like a runtime dir).
pub fn default_socket_path() -> PathBuf {
    if let Some(path) = std::env::var_os(SOCKET_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    runtime_dir().join(SOCKET_NAME)
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
}
