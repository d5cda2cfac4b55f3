//! nginx for the tests: deploy/nginx/nginx.conf relocated into a temp dir (only the upstream, the
//! listen address and the pid, log and cache paths change) and run with Debian's nginx, plus a
//! minimal HTTP/1.1 client that shows every status and header.

use super::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// deploy/nginx/nginx.conf, relocated into `dir`: upstream, listen address and the pid, log and
/// cache paths are the only things replaced. Several upstream ports stand for the several
/// addresses `lunad` resolves to when scaled.
pub fn nginx_config_in(dir: &Path, upstream_ports: &[u16], listen_port: u16) -> PathBuf {
    let original = read("deploy/nginx/nginx.conf");
    let d = dir.display();
    let mut config = original.clone();
    let servers: Vec<String> = upstream_ports
        .iter()
        .map(|port| format!("server 127.0.0.1:{port};"))
        .collect();
    for (from, to) in [
        ("server lunad:8000;", servers.join("\n        ")),
        (
            "listen 80 default_server;",
            format!("listen 127.0.0.1:{listen_port} default_server;"),
        ),
        ("/var/run/nginx.pid", format!("{d}/nginx.pid")),
        ("/var/log/nginx/", format!("{d}/")),
        ("/var/cache/nginx/", format!("{d}/cache/")),
    ] {
        assert!(
            config.contains(from),
            "nginx.conf no longer contains `{from}`"
        );
        config = config.replace(from, &to);
    }
    let directives: String = config
        .lines()
        .map(|l| l.split('#').next().unwrap())
        .collect();
    for leftover in ["/var/", "lunad:8000", "listen 80"] {
        assert!(
            !directives.contains(leftover),
            "nginx.conf has another `{leftover}` the test cannot relocate"
        );
    }
    std::fs::create_dir_all(dir.join("cache")).unwrap();
    // nginx's workers run as an unprivileged user when the test runs as root.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(
        root().join("deploy/nginx/security-headers.conf"),
        dir.join("security-headers.conf"),
    )
    .unwrap();
    let path = dir.join("nginx.conf");
    std::fs::write(&path, config).unwrap();
    path
}

pub fn nginx_command(dir: &Path, config: &Path) -> Command {
    let mut command = Command::new(nginx_bin());
    command
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(config)
        .arg("-e")
        .arg(dir.join("error.log"));
    command
}

/// nginx in the foreground; stopped (workers included) on drop.
pub struct Nginx {
    pub child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

impl Nginx {
    /// nginx cannot be handed a bound socket, so its port is probed free first; if another
    /// process takes it before nginx binds, nginx exits and the next attempt picks another.
    pub fn start(upstream_ports: &[u16]) -> Nginx {
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Nginx::try_start(upstream_ports) {
                Ok(nginx) => return nginx,
                Err(failure) => failures.push(failure),
            }
        }
        panic!("nginx did not start:\n{}", failures.join("\n"));
    }

    fn try_start(upstream_ports: &[u16]) -> Result<Nginx, String> {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let config = nginx_config_in(dir.path(), upstream_ports, port);
        let mut child = nginx_command(dir.path(), &config)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                let log = std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default();
                return Err(format!("nginx exited with {status}:\n{log}"));
            }
            if Instant::now() > deadline {
                stop(&mut child);
                return Err(format!("nginx did not listen on {port} within 10 s"));
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(Nginx { child, port, dir })
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// One HTTP/1.1 request on its own connection (Connection: close).
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        head.push_str("Host: luna.test\r\n");
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    // nginx may answer (413) before reading a large body; the answer is what counts.
    let _ = stream.write_all(&bytes);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head for {method} {path}: {raw:?}"));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

pub fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("chunk size line");
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}
