//! nginx: `nginx -t`, shape checks, then a live nginx in front of a stub lunad.
//! The containers themselves run in tests/container_*.rs (podman); these checks need no
//! container engine. Needs Debian's nginx, prometheus (for promtool) and python3-yaml (to read YAML): a
//! missing tool fails the test with "run .ci/install-deps" rather than skipping anything.

mod deploy;
mod http;
mod support;

use deploy::nginx::*;
use deploy::*;
use serde_json::Value;
use std::sync::atomic::Ordering;

// ---------------------------------------------------------------------------------------------
// nginx

const CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

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
