//! Python tools from PyPI (podman-compose, schemathesis), each in its own venv made once per
//! machine under a file lock and kept between runs of the suite: pinned versions, nothing
//! installed into the system's Python.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

const TOOLS: &str = "/var/tmp/luna-tools";

/// The path of `bin` from `package==version`, installing it first if this machine lacks it.
pub fn pypi_tool(package: &str, version: &str, bin: &str) -> PathBuf {
    std::fs::create_dir_all(TOOLS).unwrap();
    let venv = Path::new(TOOLS).join(format!("{package}-{version}"));
    let path = venv.join("bin").join(bin);
    let lock = File::create(Path::new(TOOLS).join(format!("{package}.lock"))).unwrap();
    lock.lock().unwrap();
    if path.exists() {
        return path;
    }
    // A venv left half-made by an interrupted run is made again.
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "python3 -m venv (Debian package python3-venv): {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let installed = Command::new(venv.join("bin/pip"))
        .args(["install", "-q", "--disable-pip-version-check"])
        .arg(format!("{package}=={version}"))
        .output()
        .unwrap();
    assert!(
        installed.status.success(),
        "pip install {package}=={version}: {}",
        String::from_utf8_lossy(&installed.stderr)
    );
    assert!(path.exists(), "{package} has no {bin}");
    path
}
