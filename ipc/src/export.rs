//! Exported files, shared by the CLI and the TUI: the original's default names, and writes that
//! never leave a half-written file behind.

use crate::proto::Format;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// `arkalia-luna-{variant}-{size}.{ext}` for the simple style, else
/// `arkalia-luna-{style}-{variant}-{size}.{ext}` with `_` in the style turned into `-`.
pub fn default_file_name(style: &str, variant: &str, size: u32, format: Format) -> String {
    let ext = format.extension();
    if style == "simple" {
        format!("arkalia-luna-{variant}-{size}.{ext}")
    } else {
        let style = style.replace('_', "-");
        format!("arkalia-luna-{style}-{variant}-{size}.{ext}")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create directory {}: {source}", dir.display())]
    Directory {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create {}: {source}", path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced, then
/// renamed into place. Parent directories are created.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`, a FIFO) is written in place: renaming a
    // temporary file over it would replace the device node itself.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|source| WriteError::Write {
                path: path.to_path_buf(),
                source,
            });
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|source| WriteError::Directory {
        dir: parent.to_path_buf(),
        source,
    })?;
    let create = |source| WriteError::Create {
        path: path.to_path_buf(),
        source,
    };
    // 0666 minus the umask, like any file a shell command creates (tempfile's default is 0600).
    use std::os::unix::fs::PermissionsExt;
    let mut file = tempfile::Builder::new()
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(parent)
        .map_err(create)?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_data())
        .map_err(|source| WriteError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    file.persist(path).map_err(|e| create(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_is_written_in_place_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"<svg/>").unwrap();
        assert_eq!(reader.join().unwrap(), b"<svg/>");
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn file_names_follow_the_original() {
        assert_eq!(
            default_file_name("simple", "serenity", 200, Format::Svg),
            "arkalia-luna-serenity-200.svg"
        );
        assert_eq!(
            default_file_name("ai_moon", "serenity", 200, Format::Png),
            "arkalia-luna-ai-moon-serenity-200.png"
        );
    }

    #[test]
    fn atomic_writes_create_parents_replace_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/logo.svg");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        let blocked = dir.path().join("a/b/logo.svg/inside.svg");
        assert!(matches!(
            write_atomic(&blocked, b"x"),
            Err(WriteError::Directory { .. })
        ));
    }
}
