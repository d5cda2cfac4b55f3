//! HTTP limits against a real lunad: per-client rate limits (429 + Retry-After, forwarded
//! clients only behind a trusted proxy), the render queue bound (503 + Retry-After), the header
//! timeout, and a graceful drain of in-flight requests on SIGTERM.

mod http;
mod support;

use http::Server;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const PERMISSIVE: &str = "[http.rate_limits]\ngenerate = 0\nlogo = 0\ndefault = 0\n";

#[test]
fn beyond_the_render_queue_clients_get_503_with_retry_after() {
    // One render slot, so at most 8 requests may wait: a burst of large rasters overflows it.
    let s = Server::start(&format!("render_threads = 1\n{PERMISSIVE}"), &[]);
    let base = s.base.clone();
    let replies: Vec<(u16, Option<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..24)
            .map(|seed| {
                let base = base.clone();
                scope.spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .build()
                        .into();
                    let reply = agent
                        .get(format!(
                            "{base}/logo/ultimate/power.png?size=1024&seed={seed}"
                        ))
                        .call()
                        .unwrap();
                    let retry = reply
                        .headers()
                        .get("retry-after")
                        .map(|v| v.to_str().unwrap().to_owned());
                    (reply.status().as_u16(), retry)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let busy: Vec<_> = replies
        .iter()
        .filter(|(status, _)| *status == 503)
        .collect();
    let ok = replies.iter().filter(|(status, _)| *status == 200).count();
    assert!(!busy.is_empty(), "no request was turned away: {replies:?}");
    assert!(
        ok >= 9,
        "the slot and the queue (1 + 8) must be served: {replies:?}"
    );
    assert!(busy.iter().all(|(_, retry)| retry.as_deref() == Some("1")));
    assert_eq!(
        ok + busy.len(),
        replies.len(),
        "only 200 or 503: {replies:?}"
    );
    assert_eq!(s.get("/health").status, 200, "the daemon stays healthy");
}

#[test]
fn slow_headers_are_cut_off() {
    let s = Server::start(
        &format!("[http]\nheader_timeout = \"1s\"\n{PERMISSIVE}"),
        &[],
    );
    let address = s.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let started = Instant::now();
    let mut buffer = Vec::new();
    let _ = stream.read_to_end(&mut buffer);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(4),
        "the connection stayed open {waited:?} without complete headers"
    );
    // A well-behaved client is unaffected. On a new connection: the harness's pooled one has
    // been idle past the 1 s header timeout, which also closes idle keep-alive connections.
    let fresh = ureq::get(format!("{}/health", s.base))
        .call()
        .expect("GET /health");
    assert_eq!(fresh.status(), 200);
}

#[test]
fn sigterm_drains_in_flight_requests_then_exits_cleanly() {
    let mut s = Server::start(PERMISSIVE, &[]);
    let base = s.base.clone();
    let in_flight = std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut reply = agent
            .get(format!(
                "{base}/logo/ultimate/creative.png?size=2048&seed=99"
            ))
            .call()
            .unwrap();
        let body = reply
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap();
        (reply.status().as_u16(), body)
    });
    // Let the render start, then ask the daemon to stop.
    std::thread::sleep(Duration::from_millis(150));
    s.daemon.sigterm();
    let (status, body) = in_flight.join().unwrap();
    assert_eq!(status, 200, "the request in flight was answered");
    assert_eq!(&body[..8], b"\x89PNG\r\n\x1a\n");
    let exit = s.daemon.wait_exit(Duration::from_secs(15));
    assert_eq!(exit.code(), Some(0));
    assert!(
        TcpStream::connect(s.base.trim_start_matches("http://")).is_err(),
        "still listening"
    );
}

#[test]
fn generate_is_rate_limited_per_client_with_retry_after() {
    let config = "[http]\ntrusted_proxies = [\"127.0.0.1\"]\n[http.rate_limits]\ngenerate = 5\n";
    let s = Server::start(config, &[]);
    let body = "{\"variant\":\"power\"}";
    for i in 0..5 {
        let reply = s.post_json("/generate", body);
        assert_eq!(reply.status, 200, "request {i}");
        assert_eq!(reply.header("x-ratelimit-limit"), Some("5"));
    }
    let limited = s.post_json("/generate", body);
    assert_eq!(limited.status, 429);
    assert_eq!(limited.code(), "rate_limited");
    assert_eq!(
        limited.json()["error"]["message"],
        "Rate limit exceeded: 5 per 1 minute"
    );
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    // Other routes have their own quota.
    assert_eq!(s.get("/generators").status, 200);
    // Behind a trusted proxy, each forwarded client has its own bucket.
    let forwarded = s.post(
        "/generate",
        body.as_bytes(),
        &[
            ("content-type", "application/json"),
            ("x-forwarded-for", "198.51.100.7"),
        ],
    );
    assert_eq!(forwarded.status, 200);
    let metrics = s.get("/metrics").text();
    assert!(metrics.contains("arkalia_luna_rate_limited_total{route=\"/generate\"} 1"));
    assert!(
        metrics.contains("arkalia_luna_responses_total{route=\"/generate\",status_code=\"429\"} 1")
    );
}

#[test]
fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    let s = Server::start("[http.rate_limits]\ngenerate = 2\n", &[]);
    let body = "{\"variant\":\"power\"}".as_bytes();
    for forged in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let reply = s.post(
            "/generate",
            body,
            &[
                ("content-type", "application/json"),
                ("x-forwarded-for", forged),
            ],
        );
        let expected = if forged.ends_with('3') { 429 } else { 200 };
        assert_eq!(reply.status, expected, "forged {forged}");
    }
}
