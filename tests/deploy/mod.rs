//! Shared by the deployment tests: repository files, Debian tools by path, YAML via python3-yaml,
//! and the metric names PromQL may use.
#![allow(dead_code)]

pub mod nginx;

use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// A Debian tool by absolute path (sbin is not on a normal user's PATH), or a failure that says
/// how to get it.
pub fn tool(candidates: &[&str], package: &str) -> PathBuf {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "{} is missing (Debian package {package}): run .ci/install-deps",
                candidates[0]
            )
        })
}

pub fn nginx_bin() -> PathBuf {
    tool(&["/usr/sbin/nginx", "/usr/bin/nginx"], "nginx")
}

pub fn promtool_bin() -> PathBuf {
    tool(&["/usr/bin/promtool"], "prometheus")
}

/// A YAML file as JSON, read by Debian's python3-yaml (the crate graph has no YAML parser).
pub fn yaml(rel: &str) -> Value {
    let python = tool(&["/usr/bin/python3"], "python3-yaml");
    let output = Command::new(python)
        .args([
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)",
        ])
        .arg(root().join(rel))
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("No module named 'yaml'"),
        "python3-yaml is missing: run .ci/install-deps"
    );
    assert!(output.status.success(), "{rel} is not valid YAML: {stderr}");
    serde_json::from_slice(&output.stdout).expect("python printed JSON")
}

pub fn run_ok(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

// ---------------------------------------------------------------------------------------------
// Metric names: every PromQL expression may only use what lunad exposes.

pub const GAUGES_AND_COUNTERS: &[&str] = &[
    "arkalia_luna_uptime_seconds",
    "arkalia_luna_requests_total",
    "arkalia_luna_responses_total",
    "arkalia_luna_logo_generations_total",
    "arkalia_luna_errors_total",
    "arkalia_luna_last_generation_duration_seconds",
    "arkalia_luna_avg_generation_duration_seconds",
    "arkalia_luna_health_status",
    "arkalia_luna_cache_hits_total",
    "arkalia_luna_rate_limited_total",
    "arkalia_luna_ipc_connections",
    "arkalia_luna_store_size_bytes",
    "arkalia_luna_build_info",
    "arkalia_luna_store_degraded",
    "arkalia_luna_store_buffered_generations",
    "arkalia_luna_store_buffer_dropped_total",
    "arkalia_luna_rate_limit_local_total",
    "process_cpu_seconds_total",
    "process_open_fds",
    "process_max_fds",
    "process_virtual_memory_bytes",
    "process_virtual_memory_max_bytes",
    "process_resident_memory_bytes",
    "process_start_time_seconds",
    "process_threads",
    "up",
];
pub const HISTOGRAMS: &[&str] = &[
    "arkalia_luna_request_duration_seconds",
    "arkalia_luna_generation_duration_seconds",
];

pub fn known_metric(name: &str) -> bool {
    GAUGES_AND_COUNTERS.contains(&name)
        || HISTOGRAMS.iter().any(|h| {
            name.strip_prefix(h)
                .is_some_and(|rest| ["_bucket", "_sum", "_count"].contains(&rest))
        })
}

/// The metric names a PromQL expression selects: identifiers that are not functions, keywords,
/// label names (inside `{}` or `by (…)`), strings, numbers or durations.
pub fn metric_names(expr: &str) -> Vec<String> {
    const KEYWORDS: &[&str] = &[
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "bool",
        "and",
        "or",
        "unless",
        "offset",
        "inf",
        "nan",
        // Aggregations, which may be followed by `by (…)` instead of their argument.
        "sum",
        "min",
        "max",
        "avg",
        "group",
        "stddev",
        "stdvar",
        "count",
        "count_values",
        "bottomk",
        "topk",
        "quantile",
        "limitk",
        "limit_ratio",
    ];
    const GROUPING: &[&str] = &[
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
    ];
    let chars: Vec<char> = expr.chars().collect();
    let mut names = Vec::new();
    let mut i = 0;
    let skip_to = |from: usize, close: char| -> usize {
        let mut j = from + 1;
        let mut quote = None;
        while j < chars.len() {
            match (quote, chars[j]) {
                (Some(q), '\\') if q != '`' => j += 1,
                (Some(q), c) if c == q => quote = None,
                (None, '"' | '\'' | '`') => quote = Some(chars[j]),
                (None, c) if c == close => return j + 1,
                _ => {}
            }
            j += 1;
        }
        panic!("unbalanced {close:?} in {expr}");
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            i = skip_to(i, '}');
        } else if c == '[' {
            i = skip_to(i, ']');
        } else if matches!(c, '"' | '\'' | '`') {
            let mut j = i + 1;
            while chars[j] != c {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            i = j + 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
        } else if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | ':'))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let mut next = i;
            while next < chars.len() && chars[next].is_whitespace() {
                next += 1;
            }
            let call = chars.get(next) == Some(&'(');
            if GROUPING.contains(&word.as_str()) && call {
                i = skip_to(next, ')');
            } else if !call && !KEYWORDS.contains(&word.to_ascii_lowercase().as_str()) {
                names.push(word);
            }
        } else {
            i += 1;
        }
    }
    names
}

pub fn assert_known_metrics(where_: &str, expr: &str) {
    let names = metric_names(expr);
    assert!(!names.is_empty(), "{where_}: no metric in `{expr}`");
    for name in names {
        assert!(
            known_metric(&name),
            "{where_}: `{expr}` uses unknown metric {name}"
        );
    }
}

/// One request as the stub lunad saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
}

/// A stand-in for lunad's HTTP side: HTTP/1.1 with keep-alive, fixed answers per route, and a
/// record of every request.
pub struct StubLunad {
    pub port: u16,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub connections: Arc<AtomicUsize>,
    pub health_status: Arc<AtomicU16>,
}

impl StubLunad {
    pub fn start() -> StubLunad {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let stub = StubLunad {
            port: listener.local_addr().unwrap().port(),
            seen: Arc::default(),
            connections: Arc::default(),
            health_status: Arc::new(AtomicU16::new(200)),
        };
        let (seen, connections, health) = (
            stub.seen.clone(),
            stub.connections.clone(),
            stub.health_status.clone(),
        );
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                connections.fetch_add(1, Ordering::SeqCst);
                let (seen, health) = (seen.clone(), health.clone());
                thread::spawn(move || serve_connection(stream, &seen, &health));
            }
        });
        stub
    }

    pub fn seen(&self, path: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|s| s.path == path).cloned().collect()
    }
}

pub fn serve_connection(stream: TcpStream, seen: &Mutex<Vec<Seen>>, health: &AtomicU16) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        let mut headers = HashMap::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
            }
        }
        let length: usize = headers
            .get("content-length")
            .map_or(0, |v| v.parse().unwrap());
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        seen.lock().unwrap().push(Seen {
            method: method.clone(),
            path: path.clone(),
            headers,
        });
        let big_json = format!(
            "[{}]",
            vec![r#"{"name":"serenity","speed":1.0}"#; 60].join(",")
        );
        let (status, content_type, extra, body) = match path.as_str() {
            "/health" => {
                let status = health.load(Ordering::SeqCst);
                (
                    status,
                    "application/json",
                    "",
                    r#"{"status":"ok"}"#.to_owned(),
                )
            }
            "/variants" => (200, "application/json", "", big_json),
            p if p.starts_with("/logo/") => (
                200,
                "image/svg+xml",
                "Cache-Control: public, max-age=31536000, immutable\r\nETag: \"b3-0123\"\r\n",
                format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\">{}</svg>",
                    "<circle r=\"1\"/>".repeat(60)
                ),
            ),
            _ => (200, "application/json", "", r#"{"ok":true}"#.to_owned()),
        };
        let head = format!(
            "HTTP/1.1 {status} Stub\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             X-Frame-Options: SAMEORIGIN\r\n{extra}\r\n",
            body.len()
        );
        let mut response = head.into_bytes();
        if method != "HEAD" {
            response.extend_from_slice(body.as_bytes());
        }
        if writer.write_all(&response).is_err() {
            return;
        }
    }
}

/// SIGTERM (nginx's master then stops its workers), SIGKILL if that takes over 5 s.
pub fn stop(child: &mut Child) {
    let pid = child.id() as libc::pid_t;
    // SAFETY: signalling our own child, which has not been reaped yet.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
