//! nginx: `nginx -t`, shape checks, then a live nginx in front of a stub lunad.
//! The containers themselves run in tests/container_*.rs (podman); these checks need no
//! container engine. Needs Debian's nginx, prometheus (for promtool) and python3-yaml (to read YAML): a
//! missing tool fails the test with "run .ci/install-deps" rather than skipping anything.

mod deploy;
mod http;
mod support;

use deploy::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// nginx

const CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// deploy/nginx/nginx.conf, relocated into `dir`: upstream, listen address and the pid, log and
/// cache paths are the only things replaced. Several upstream ports stand for the several
/// addresses `lunad` resolves to when scaled.
fn nginx_config_in(dir: &Path, upstream_ports: &[u16], listen_port: u16) -> PathBuf {
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

fn nginx_command(dir: &Path, config: &Path) -> Command {
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

#[test]
fn nginx_accepts_its_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let config = nginx_config_in(dir.path(), &[free_port()], free_port());
    let out = run_ok(nginx_command(dir.path(), &config).arg("-t"));
    assert!(out.contains("test is successful"), "{out}");
}

/// Shape checks that a live request cannot show: every location repeats the security headers, no
/// HSTS over plain HTTP, the exact-match /generate, 429s.
#[test]
fn nginx_configuration_keeps_the_fixes() {
    let config = read("deploy/nginx/nginx.conf");
    let code: String = config
        .lines()
        .map(|l| l.split('#').next().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let mut locations = 0;
    for (start, _) in code.match_indices("location ") {
        let block = &code[start..start + code[start..].find('}').unwrap()];
        let header = block.lines().next().unwrap();
        assert!(
            block.contains("include security-headers.conf;"),
            "`{header}` does not include security-headers.conf"
        );
        locations += 1;
    }
    assert!(locations >= 7, "only {locations} locations");
    for needle in [
        "location = /generate {",
        "limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;",
        "limit_req_zone $binary_remote_addr zone=generate:10m rate=2r/s;",
        "limit_req zone=generate burst=5 nodelay;",
        "limit_req zone=api burst=20 nodelay;",
        "limit_req_status 429;",
        "server_tokens off;",
        "client_max_body_size 64k;",
        "keepalive 16;",
        "proxy_cache logo;",
    ] {
        assert!(code.contains(needle), "nginx.conf lacks `{needle}`");
    }
    assert!(
        !code.contains("location /generate"),
        "prefix /generate would also throttle /generators"
    );
    assert!(!code.contains("listen 443"), "no TLS server is configured");
    // The replicas share their state in Redis: plain round-robin, no pinning of clients.
    let upstream_start = code.find("upstream lunad {").expect("upstream lunad");
    let upstream =
        &code[upstream_start..upstream_start + code[upstream_start..].find('}').unwrap()];
    for pinning in ["hash ", "ip_hash", "sticky", "least_conn", "random"] {
        assert!(
            !upstream.contains(pinning),
            "upstream lunad balances with `{pinning}`, not round-robin"
        );
    }
    let retry = code
        .lines()
        .find_map(|l| l.trim().strip_prefix("proxy_next_upstream "))
        .expect("proxy_next_upstream");
    assert!(
        !retry.contains("non_idempotent"),
        "a POST /generate that reached lunad would be drawn and counted twice"
    );
    let headers = read("deploy/nginx/security-headers.conf");
    assert!(
        headers.contains(CSP),
        "security-headers.conf has another CSP"
    );
    assert!(
        !headers
            .lines()
            .chain(code.lines())
            .any(|l| !l.trim_start().starts_with('#') && l.contains("Strict-Transport-Security")),
        "HSTS must not be sent over plain HTTP"
    );
}

/// nginx in the foreground; stopped (workers included) on drop.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// nginx cannot be handed a bound socket, so its port is probed free first; if another
    /// process takes it before nginx binds, nginx exits and the next attempt picks another.
    fn start(upstream_ports: &[u16]) -> Nginx {
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

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// One HTTP/1.1 request on its own connection (Connection: close).
fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
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

fn dechunk(mut data: &[u8]) -> Vec<u8> {
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

fn assert_security_headers(what: &str, response: &Response) {
    for (name, value) in [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Content-Security-Policy", CSP),
    ] {
        assert_eq!(response.all(name), [value], "{what}: header {name}");
    }
    assert_eq!(
        response.header("Strict-Transport-Security"),
        None,
        "{what}: HSTS over HTTP"
    );
    assert_eq!(
        response.header("Server"),
        Some("nginx"),
        "{what}: server_tokens"
    );
}

/// The real nginx, with this repository's configuration, in front of a stub lunad.
#[test]
fn nginx_proxies_limits_and_protects_as_configured() {
    let stub = StubLunad::start();
    let nginx = Nginx::start(&[stub.port]);
    let port = nginx.port;
    let get = |path: &str| request(port, "GET", path, &[], b"");

    // Security headers on plain, download, health and refused responses alike.
    for path in ["/", "/download/serenity-simple-200.svg", "/health"] {
        let response = get(path);
        assert_eq!(response.status, 200, "GET {path}");
        assert_security_headers(&format!("GET {path}"), &response);
    }
    let metrics = get("/metrics");
    assert_eq!(
        metrics.status, 403,
        "/metrics is for private addresses, not loopback"
    );
    assert_security_headers("GET /metrics", &metrics);
    assert!(
        stub.seen("/metrics").is_empty(),
        "a refused /metrics reached lunad"
    );

    // Proxy headers: the client's address, never a forged X-Forwarded-For.
    let response = request(
        port,
        "GET",
        "/stats",
        &[("Host", "moon.example"), ("X-Forwarded-For", "203.0.113.9")],
        b"",
    );
    assert_eq!(response.status, 200);
    let stats = stub.seen("/stats").remove(0);
    assert_eq!(
        stats.headers.get("x-forwarded-for").map(String::as_str),
        Some("127.0.0.1")
    );
    assert_eq!(
        stats.headers.get("x-real-ip").map(String::as_str),
        Some("127.0.0.1")
    );
    assert_eq!(
        stats.headers.get("x-forwarded-proto").map(String::as_str),
        Some("http")
    );
    assert_eq!(
        stats.headers.get("host").map(String::as_str),
        Some("moon.example")
    );
    assert_eq!(
        stats.headers.get("connection"),
        None,
        "upstream keepalive needs Connection cleared"
    );

    // gzip for JSON and SVG.
    let variants = request(
        port,
        "GET",
        "/variants",
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    assert_eq!(
        variants.header("Content-Encoding"),
        Some("gzip"),
        "JSON is compressed"
    );
    assert_eq!(&variants.body[..2], [0x1f, 0x8b]);

    // /logo/ is cached: the second request and a HEAD never reach lunad.
    let logo = "/logo/simple/serenity.svg";
    let first = request(port, "GET", logo, &[("Accept-Encoding", "gzip")], b"");
    let second = get(logo);
    let head = request(port, "HEAD", logo, &[], b"");
    assert_eq!((first.status, second.status, head.status), (200, 200, 200));
    assert_eq!(first.header("X-Cache-Status"), Some("MISS"));
    assert_eq!(second.header("X-Cache-Status"), Some("HIT"));
    assert_eq!(head.header("X-Cache-Status"), Some("HIT"));
    assert_eq!(
        first.header("Content-Encoding"),
        Some("gzip"),
        "SVG is compressed"
    );
    assert_eq!(second.header("ETag"), Some("\"b3-0123\""));
    assert!(second.body.starts_with(b"<svg"));
    assert_security_headers("cached logo", &second);
    assert_eq!(
        stub.seen(logo).len(),
        1,
        "cached logo fetched again from lunad"
    );

    // Oversized bodies stop at nginx.
    let too_big = request(port, "POST", "/generate", &[], &vec![b' '; 80 * 1024]);
    assert_eq!(too_big.status, 413);
    assert!(stub.seen("/generate").is_empty());

    // /generators is only under the general limit...
    for _ in 0..8 {
        assert_eq!(
            get("/generators").status,
            200,
            "/generators must not share /generate's limit"
        );
    }
    // ...while /generate takes 1 + burst 5 at once, then answers 429 like lunad does.
    let body = br#"{"variant":"serenity","size":200,"generator_type":"simple"}"#;
    let statuses: Vec<Response> = (0..10)
        .map(|_| {
            request(
                port,
                "POST",
                "/generate",
                &[("Content-Type", "application/json")],
                body,
            )
        })
        .collect();
    let codes: Vec<u16> = statuses.iter().map(|r| r.status).collect();
    assert_eq!(codes[..6], [200; 6], "burst: {codes:?}");
    assert!(
        codes.iter().filter(|&&c| c == 200).count() <= 7,
        "not limited: {codes:?}"
    );
    let limited = statuses.iter().find(|r| r.status == 429).expect("a 429");
    assert_eq!(limited.header("Retry-After"), Some("1"));
    assert_eq!(limited.header("Content-Type"), Some("application/json"));
    let error: Value = serde_json::from_slice(&limited.body).expect("JSON 429 body");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .starts_with("Rate limit exceeded")
    );
    assert_security_headers("429", limited);
    let posted = stub.seen("/generate");
    assert_eq!(posted.len(), codes.iter().filter(|&&c| c == 200).count());
    assert!(posted.iter().all(|s| s.method == "POST"));

    // DELETE /cleanup passes through to lunad's token check.
    let cleanup = request(
        port,
        "DELETE",
        "/cleanup",
        &[("Authorization", "Bearer t")],
        b"",
    );
    assert_eq!(cleanup.status, 200);
    assert_eq!(
        stub.seen("/cleanup")[0]
            .headers
            .get("authorization")
            .map(String::as_str),
        Some("Bearer t")
    );

    // Upstream keepalive: far fewer connections than requests.
    let requests = stub.seen.lock().unwrap().len();
    let connections = stub.connections.load(Ordering::SeqCst);
    assert!(
        connections * 3 <= requests,
        "{connections} upstream connections for {requests} requests: keepalive is off"
    );

    let log = nginx.error_log();
    for bad in ["[emerg]", "[alert]", "[crit]"] {
        assert!(!log.contains(bad), "nginx error log:\n{log}");
    }
}

// ---------------------------------------------------------------------------------------------

/// Scaled lunad: `lunad` resolving to several replicas is stood in for by several upstream
/// servers. One client's requests spread over every live replica (no pinning), and a replica
/// that refuses connections (stopped, or scaled away) costs no request, POST /generate included.
#[test]
fn nginx_spreads_requests_over_replicas_and_skips_a_dead_one() {
    let (a, b) = (StubLunad::start(), StubLunad::start());
    let dead = free_port();
    let nginx = Nginx::start(&[a.port, dead, b.port]);
    for n in 0..12 {
        let response = request(nginx.port, "GET", "/stats", &[], b"");
        assert_eq!(response.status, 200, "GET /stats #{n}");
    }
    let body = br#"{"variant":"serenity","size":200,"generator_type":"simple"}"#;
    for n in 0..4 {
        let response = request(
            nginx.port,
            "POST",
            "/generate",
            &[("Content-Type", "application/json")],
            body,
        );
        assert_eq!(response.status, 200, "POST /generate #{n}");
    }
    let (on_a, on_b) = (a.seen("/stats").len(), b.seen("/stats").len());
    assert_eq!(on_a + on_b, 12);
    assert!(
        on_a >= 3 && on_b >= 3,
        "one client pinned to a replica: {on_a} and {on_b} of 12 requests"
    );
    let (posted_a, posted_b) = (a.seen("/generate").len(), b.seen("/generate").len());
    assert_eq!(posted_a + posted_b, 4, "a POST was lost or sent twice");
    assert!(
        posted_a >= 1 && posted_b >= 1,
        "POSTs: {posted_a} and {posted_b}"
    );
    let log = nginx.error_log();
    assert!(
        log.contains(&format!("127.0.0.1:{dead}")),
        "no request ever tried the dead replica, so skipping it was not tested:\n{log}"
    );
}

/// The real thing: deploy/nginx/nginx.conf in front of two real lunad replicas on one real
/// redis-server. A client going through nginx gets one service: every reply says the same totals,
/// and a stored file downloads whichever replica answers.
#[test]
fn nginx_serves_a_redis_fleet_as_one_service() {
    let redis = support::RedisServer::start();
    let url = redis.url();
    let replica = || http::Server::start("", &[("LUNA_STORE", url.as_str())]);
    let (a, b) = (replica(), replica());
    let port_of = |server: &http::Server| server.daemon.http_addr().port();
    let nginx = Nginx::start(&[port_of(&a), port_of(&b)]);
    let body = br#"{"variant":"mystery","size":128,"generator_type":"ultimate","format":"png"}"#;
    let mut links = Vec::new();
    for n in 0..4 {
        let response = request(
            nginx.port,
            "POST",
            "/generate",
            &[("Content-Type", "application/json")],
            body,
        );
        assert_eq!(response.status, 200, "POST /generate #{n}");
        let reply: Value = serde_json::from_slice(&response.body).unwrap();
        links.push(reply["download_url"].as_str().unwrap().to_owned());
    }
    assert!(
        links.windows(2).all(|w| w[0] == w[1]),
        "one content-addressed name"
    );
    // Round-robin: the file was stored by whichever replica answered first; both serve it.
    let downloads: Vec<Vec<u8>> = (0..4)
        .map(|_| request(nginx.port, "GET", &links[0], &[], b""))
        .map(|r| {
            assert_eq!(r.status, 200);
            r.body
        })
        .collect();
    assert!(
        downloads.windows(2).all(|w| w[0] == w[1]),
        "the same bytes from both replicas"
    );
    assert!(downloads[0].starts_with(b"\x89PNG"));
    let name = links[0].rsplit('/').next().unwrap();
    for server in [&a, &b] {
        assert!(
            server.env.data.join("files").join(name).exists(),
            "each replica answered a download (and keeps a copy)"
        );
    }
    for n in 0..4 {
        let response = request(nginx.port, "GET", "/stats", &[], b"");
        let stats: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(stats["total_generated"], 4, "GET /stats #{n}: {stats}");
        assert_eq!(stats["files"], 1, "GET /stats #{n}: {stats}");
    }
}
