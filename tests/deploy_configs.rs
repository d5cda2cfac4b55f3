//! The deployment and monitoring files, checked with the real tools where this machine has them:
//! promtool (config, rules and rule unit tests), nginx (`nginx -t`, then a live nginx in front of a
//! stub lunad), lunad + luna for the image's health probe, and static checks for the rest.
//!
//! Docker itself cannot run here (no container engine on these machines), so the Dockerfile and
//! compose.yaml are checked statically; nothing in this file calls docker.
//!
//! Needs Debian's nginx, prometheus (for promtool) and python3-yaml (to read YAML): a missing
//! tool fails the test with "run .ci/install-deps" rather than skipping anything.

use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// A Debian tool by absolute path (sbin is not on a normal user's PATH), or a failure that says
/// how to get it.
fn tool(candidates: &[&str], package: &str) -> PathBuf {
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

fn nginx_bin() -> PathBuf {
    tool(&["/usr/sbin/nginx", "/usr/bin/nginx"], "nginx")
}

fn promtool_bin() -> PathBuf {
    tool(&["/usr/bin/promtool"], "prometheus")
}

/// A YAML file as JSON, read by Debian's python3-yaml (the crate graph has no YAML parser).
fn yaml(rel: &str) -> Value {
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

fn run_ok(command: &mut Command) -> String {
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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

// ---------------------------------------------------------------------------------------------
// Metric names: every PromQL expression may only use what lunad exposes.

const GAUGES_AND_COUNTERS: &[&str] = &[
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
const HISTOGRAMS: &[&str] = &[
    "arkalia_luna_request_duration_seconds",
    "arkalia_luna_generation_duration_seconds",
];

fn known_metric(name: &str) -> bool {
    GAUGES_AND_COUNTERS.contains(&name)
        || HISTOGRAMS.iter().any(|h| {
            name.strip_prefix(h)
                .is_some_and(|rest| ["_bucket", "_sum", "_count"].contains(&rest))
        })
}

/// The metric names a PromQL expression selects: identifiers that are not functions, keywords,
/// label names (inside `{}` or `by (…)`), strings, numbers or durations.
fn metric_names(expr: &str) -> Vec<String> {
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

fn assert_known_metrics(where_: &str, expr: &str) {
    let names = metric_names(expr);
    assert!(!names.is_empty(), "{where_}: no metric in `{expr}`");
    for name in names {
        assert!(
            known_metric(&name),
            "{where_}: `{expr}` uses unknown metric {name}"
        );
    }
}

#[test]
fn the_metric_name_extractor_understands_promql() {
    assert_eq!(
        metric_names(
            r#"histogram_quantile(0.95, sum by (le, route) (rate(arkalia_luna_request_duration_seconds_bucket{route!~"/metrics|x{1}"}[5m])))"#
        ),
        ["arkalia_luna_request_duration_seconds_bucket"]
    );
    assert_eq!(
        metric_names("sum(rate(a_total[$__rate_interval])) * 60 / on() group_left b > bool 1e3"),
        ["a_total", "b"]
    );
    assert_eq!(metric_names("absent(up{job=\"lunad\"})"), ["up"]);
    assert!(!known_metric("arkalia_luna_requests_total_bucket"));
    assert!(!known_metric("arkalia_luna_generation_duration_seconds"));
    assert!(known_metric(
        "arkalia_luna_generation_duration_seconds_count"
    ));
}

// ---------------------------------------------------------------------------------------------
// Prometheus

#[test]
fn promtool_accepts_the_prometheus_config_and_the_alert_rules() {
    let promtool = promtool_bin();
    let out = run_ok(Command::new(&promtool).current_dir(root()).args([
        "check",
        "config",
        "monitoring/prometheus.yml",
    ]));
    assert!(out.contains("1 rule files found"), "{out}");
    run_ok(Command::new(&promtool).current_dir(root()).args([
        "check",
        "rules",
        "monitoring/alerts.yml",
    ]));

    let config = yaml("monitoring/prometheus.yml");
    assert_eq!(config["global"]["scrape_interval"], "15s");
    assert_eq!(config["rule_files"], json!(["alerts.yml"]));
    let jobs = config["scrape_configs"].as_array().unwrap();
    let lunad = jobs
        .iter()
        .find(|j| j["job_name"] == "lunad")
        .expect("job lunad");
    assert_eq!(lunad["scrape_interval"], "5s");
    assert_eq!(lunad["metrics_path"], "/metrics");
    let sd = &lunad["dns_sd_configs"][0];
    assert_eq!(
        (&sd["names"], &sd["port"]),
        (&json!(["lunad"]), &json!(8000))
    );
    assert!(jobs.iter().any(|j| j["job_name"] == "prometheus"));

    for rule in alert_rules() {
        assert_known_metrics(
            rule["alert"].as_str().unwrap(),
            rule["expr"].as_str().unwrap(),
        );
    }
}

fn alert_rules() -> Vec<Value> {
    let rules = yaml("monitoring/alerts.yml");
    rules["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap().clone())
        .collect()
}

/// `promtool test rules` on synthetic series: each alert fires on the trouble it is meant for
/// and stays quiet on healthy traffic. The annotations are stripped from a copy of the rules, so
/// rewording them needs no change here.
#[test]
fn the_alerts_fire_on_trouble_and_not_on_healthy_traffic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rules = yaml("monitoring/alerts.yml");
    for group in rules["groups"].as_array_mut().unwrap() {
        for rule in group["rules"].as_array_mut().unwrap() {
            rule.as_object_mut().unwrap().remove("annotations");
        }
    }
    let names: BTreeSet<String> = alert_rules()
        .iter()
        .map(|r| r["alert"].as_str().unwrap().to_owned())
        .collect();
    for expected in [
        "LunadDown",
        "LunadAbsent",
        "LunadUnhealthy",
        "LunadHighErrorRate",
        "LunadSlowRoute",
        "LunadRateLimiting",
    ] {
        assert!(names.contains(expected), "alerts.yml lacks {expected}");
    }
    std::fs::write(dir.path().join("rules.json"), rules.to_string()).unwrap();

    let inst = "10.0.0.2:8000";
    let bucket = |route: &str, le: &str, values: &str| {
        json!({"series": format!(
            "arkalia_luna_request_duration_seconds_bucket{{job=\"lunad\",instance=\"{inst}\",route=\"{route}\",method=\"GET\",le=\"{le}\"}}"),
            "values": values})
    };
    let mut latency = Vec::new();
    for le in ["0.005", "0.05", "0.25", "0.5", "1.0", "+Inf"] {
        // /health: everything under 5 ms. /generate: everything between 250 and 500 ms.
        latency.push(bucket("/health", le, "0+10x80"));
        let slow = if ["0.5", "1.0", "+Inf"].contains(&le) {
            "0+10x80"
        } else {
            "0x80"
        };
        latency.push(bucket("/generate", le, slow));
    }
    let tests = json!({
        "rule_files": ["rules.json"],
        "evaluation_interval": "15s",
        "tests": [
            {
                "interval": "15s",
                "input_series": [
                    {"series": format!("up{{job=\"lunad\",instance=\"{inst}\"}}"), "values": "1x3 0x20"},
                    {"series": format!("arkalia_luna_health_status{{job=\"lunad\",instance=\"{inst}\"}}"), "values": "1x3 0x20"},
                ],
                "alert_rule_test": [
                    {"eval_time": "30s", "alertname": "LunadDown", "exp_alerts": []},
                    {"eval_time": "30s", "alertname": "LunadUnhealthy", "exp_alerts": []},
                    {"eval_time": "3m", "alertname": "LunadDown", "exp_alerts": [
                        {"exp_labels": {"severity": "critical", "job": "lunad", "instance": inst}}]},
                    {"eval_time": "3m", "alertname": "LunadUnhealthy", "exp_alerts": [
                        {"exp_labels": {"severity": "critical", "job": "lunad", "instance": inst}}]},
                    {"eval_time": "3m", "alertname": "LunadAbsent", "exp_alerts": []},
                ],
            },
            {
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_uptime_seconds", "values": "0+15x20"},
                ],
                "alert_rule_test": [
                    {"eval_time": "4m", "alertname": "LunadAbsent", "exp_alerts": [
                        {"exp_labels": {"severity": "critical", "job": "lunad"}}]},
                ],
            },
            {
                // 2 errors for every 10 successes: a 17 % error rate.
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_responses_total{route=\"/generate\",status_code=\"200\"}", "values": "0+10x80"},
                    {"series": "arkalia_luna_responses_total{route=\"/generate\",status_code=\"500\"}", "values": "0+2x80"},
                ],
                "alert_rule_test": [
                    {"eval_time": "3m", "alertname": "LunadHighErrorRate", "exp_alerts": []},
                    {"eval_time": "15m", "alertname": "LunadHighErrorRate", "exp_alerts": [
                        {"exp_labels": {"severity": "warning"}}]},
                ],
            },
            {
                // 1 error per 1000 responses: no alert.
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_responses_total{route=\"/health\",status_code=\"200\"}", "values": "0+1000x80"},
                    {"series": "arkalia_luna_responses_total{route=\"/generate\",status_code=\"503\"}", "values": "0+1x80"},
                ],
                "alert_rule_test": [
                    {"eval_time": "15m", "alertname": "LunadHighErrorRate", "exp_alerts": []},
                ],
            },
            {
                "interval": "15s",
                "input_series": latency,
                "alert_rule_test": [
                    {"eval_time": "3m", "alertname": "LunadSlowRoute", "exp_alerts": []},
                    {"eval_time": "15m", "alertname": "LunadSlowRoute", "exp_alerts": [
                        {"exp_labels": {"severity": "warning", "route": "/generate"}}]},
                ],
            },
            {
                // /generate: 2 rejections a second for 20 minutes; /stats: one every 50 s.
                "interval": "15s",
                "input_series": [
                    {"series": "arkalia_luna_rate_limited_total{route=\"/generate\"}", "values": "0+30x80"},
                    {"series": "arkalia_luna_rate_limited_total{route=\"/stats\"}", "values": "0+0.3x80"},
                ],
                "alert_rule_test": [
                    {"eval_time": "8m", "alertname": "LunadRateLimiting", "exp_alerts": []},
                    {"eval_time": "18m", "alertname": "LunadRateLimiting", "exp_alerts": [
                        {"exp_labels": {"severity": "info", "route": "/generate"}}]},
                ],
            },
        ],
    });
    let file = dir.path().join("alerts_test.json");
    std::fs::write(&file, serde_json::to_string_pretty(&tests).unwrap()).unwrap();
    run_ok(
        Command::new(promtool_bin())
            .current_dir(dir.path())
            .args(["test", "rules"])
            .arg(&file),
    );
}

// ---------------------------------------------------------------------------------------------
// nginx

const CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// deploy/nginx/nginx.conf, relocated into `dir`: upstream, listen address and the pid, log and
/// cache paths are the only things replaced.
fn nginx_config_in(dir: &Path, upstream_port: u16, listen_port: u16) -> PathBuf {
    let original = read("deploy/nginx/nginx.conf");
    let d = dir.display();
    let mut config = original.clone();
    for (from, to) in [
        (
            "server lunad:8000;",
            format!("server 127.0.0.1:{upstream_port};"),
        ),
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
    let config = nginx_config_in(dir.path(), free_port(), free_port());
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

/// One request as the stub lunad saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: HashMap<String, String>,
}

/// A stand-in for lunad's HTTP side: HTTP/1.1 with keep-alive, fixed answers per route, and a
/// record of every request.
struct StubLunad {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    connections: Arc<AtomicUsize>,
    health_status: Arc<AtomicU16>,
}

impl StubLunad {
    fn start() -> StubLunad {
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

    fn seen(&self, path: &str) -> Vec<Seen> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|s| s.path == path).cloned().collect()
    }
}

fn serve_connection(stream: TcpStream, seen: &Mutex<Vec<Seen>>, health: &AtomicU16) {
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

/// nginx in the foreground; stopped (workers included) on drop.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    fn start(upstream_port: u16) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let config = nginx_config_in(dir.path(), upstream_port, port);
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
                panic!("nginx exited with {status}:\n{log}");
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not listen on {port} within 10 s"
            );
            thread::sleep(Duration::from_millis(20));
        }
        Nginx { child, port, dir }
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

/// SIGTERM (nginx's master then stops its workers), SIGKILL if that takes over 5 s.
fn stop(child: &mut Child) {
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
    let nginx = Nginx::start(stub.port);
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
// Grafana

#[test]
fn the_grafana_dashboard_is_the_corrected_overview() {
    let text = read("monitoring/grafana/dashboards/luna-overview.json");
    assert!(
        !text.contains("timeSeries"),
        "Grafana's panel type is `timeseries`"
    );
    let dashboard: Value = serde_json::from_str(&text).expect("dashboard JSON");
    assert_eq!(dashboard["uid"], "arkalia-luna-overview");
    assert_eq!(dashboard["title"], "Arkalia-LUNA Overview");
    let panels = dashboard["panels"].as_array().unwrap();
    let mut ids = BTreeSet::new();
    let mut exprs_by_panel: HashMap<i64, Vec<String>> = HashMap::new();
    let mut cells = BTreeSet::new();
    for panel in panels {
        let id = panel["id"].as_i64().expect("numeric panel id");
        assert!(ids.insert(id), "panel id {id} used twice");
        let kind = panel["type"].as_str().unwrap();
        assert!(
            ["timeseries", "stat"].contains(&kind),
            "panel {id}: type {kind}"
        );
        assert_eq!(
            panel["datasource"]["uid"], "prometheus",
            "panel {id}: datasource by uid"
        );
        let targets = panel["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "panel {id} has no query");
        for target in targets {
            assert_eq!(
                target["datasource"]["uid"], "prometheus",
                "panel {id}: target datasource"
            );
            let expr = target["expr"].as_str().unwrap();
            assert_known_metrics(&format!("panel {id}"), expr);
            exprs_by_panel.entry(id).or_default().push(expr.to_owned());
        }
        let g = &panel["gridPos"];
        let (x, y, w, h) = (
            g["x"].as_i64().unwrap(),
            g["y"].as_i64().unwrap(),
            g["w"].as_i64().unwrap(),
            g["h"].as_i64().unwrap(),
        );
        assert!(x + w <= 24, "panel {id} is wider than the grid");
        for cx in x..x + w {
            for cy in y..y + h {
                assert!(
                    cells.insert((cx, cy)),
                    "panel {id} overlaps another at {cx},{cy}"
                );
            }
        }
    }
    let mut distinct: Vec<&Vec<String>> = exprs_by_panel.values().collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        exprs_by_panel.len(),
        "two panels show the same queries"
    );

    let panel = |id: i64| &exprs_by_panel[&id];
    let uptime = panels.iter().find(|p| p["id"] == 1).unwrap();
    assert_eq!(uptime["type"], "stat");
    assert!(panel(1)[0].contains("arkalia_luna_uptime_seconds"));
    assert!(panel(2)[0].contains("arkalia_luna_requests_total"));
    assert!(panel(3)[0].contains("by (route)"));
    assert!(panel(4)[0].contains("by (variant, generator)"));
    for id in [12, 13] {
        assert!(
            panel(id)[0].contains("arkalia_luna_request_duration_seconds_bucket"),
            "panel {id}"
        );
    }
    assert!(panel(13)[0].contains("route"), "panel 13 is p95 by route");
    let all: String = exprs_by_panel
        .values()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    for metric in [
        "arkalia_luna_cache_hits_total",
        "arkalia_luna_rate_limited_total",
        "arkalia_luna_ipc_connections",
        "arkalia_luna_store_size_bytes",
        "by (format)",
    ] {
        assert!(all.contains(metric), "no panel shows {metric}");
    }
}

#[test]
fn grafana_provisioning_points_at_prometheus_and_the_dashboards() {
    let datasources = yaml("monitoring/grafana/provisioning/datasources/prometheus.yaml");
    let ds = &datasources["datasources"][0];
    assert_eq!(ds["uid"], "prometheus");
    assert_eq!(ds["type"], "prometheus");
    assert_eq!(ds["url"], "http://prometheus:9090");
    assert_eq!(ds["isDefault"], true);

    let dashboards = yaml("monitoring/grafana/provisioning/dashboards/dashboards.yaml");
    let provider = &dashboards["providers"][0];
    assert_eq!(provider["type"], "file");
    let path = provider["options"]["path"].as_str().unwrap();
    // compose.yaml mounts monitoring/grafana/dashboards at that path.
    let compose = yaml("deploy/compose.yaml");
    let mounts: Vec<&str> = compose["services"]["grafana"]["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        mounts.contains(&format!("../monitoring/grafana/dashboards:{path}:ro").as_str()),
        "grafana does not mount the dashboards at {path}: {mounts:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Container image and compose stack (static: no container engine here)

#[test]
fn the_compose_stack_exposes_only_nginx_and_commits_no_secret() {
    let text = read("deploy/compose.yaml");
    assert!(!text.to_lowercase().contains("admin123"));
    let compose = yaml("deploy/compose.yaml");
    let services = compose["services"].as_object().unwrap();
    let names: BTreeSet<&str> = services.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        BTreeSet::from(["lunad", "nginx", "prometheus", "grafana"]),
        "no Redis"
    );
    let declared_volumes = compose["volumes"].as_object().unwrap();
    let networks = compose["networks"].as_object().unwrap();
    for (name, service) in services {
        assert!(
            service.get("container_name").is_none(),
            "{name}: container_name prevents scaling"
        );
        let image = service["image"].as_str().unwrap_or("");
        assert!(!image.contains("redis"), "{name}: image {image}");
        if name != "lunad" {
            assert!(
                !image.ends_with(":latest"),
                "{name}: pin the image, not {image}"
            );
        }
        let limits = &service["deploy"]["resources"]["limits"];
        assert!(
            limits["cpus"].is_string() && limits["memory"].is_string(),
            "{name}: resource limits"
        );
        for port in service["ports"].as_array().into_iter().flatten() {
            let port = port.as_str().expect("ports as strings");
            assert!(
                name == "nginx" || port.starts_with("127.0.0.1:"),
                "{name} publishes {port} publicly"
            );
        }
        for volume in service["volumes"].as_array().into_iter().flatten() {
            let source = volume.as_str().unwrap().split(':').next().unwrap();
            if source.starts_with('.') {
                assert!(
                    root().join("deploy").join(source).exists(),
                    "{name}: {source} missing"
                );
            } else {
                assert!(
                    declared_volumes.contains_key(source),
                    "{name}: volume {source} undeclared"
                );
            }
        }
        for network in service["networks"].as_array().unwrap() {
            assert!(
                networks.contains_key(network.as_str().unwrap()),
                "{name}: network {network}"
            );
        }
        if name != "lunad" {
            assert!(
                service["healthcheck"]["test"].is_array(),
                "{name}: healthcheck"
            );
        }
    }

    let lunad = &services["lunad"];
    assert!(
        lunad.get("ports").is_none(),
        "lunad must only be reachable through nginx"
    );
    for network in lunad["networks"].as_array().unwrap() {
        assert_eq!(
            networks[network.as_str().unwrap()]["internal"],
            true,
            "lunad on a routed network"
        );
    }
    assert_eq!(lunad["build"]["dockerfile"], "deploy/Dockerfile");
    assert!(
        root()
            .join("deploy")
            .join(lunad["build"]["context"].as_str().unwrap())
            .join("deploy/Dockerfile")
            .is_file()
    );
    let env = &lunad["environment"];
    assert_eq!(env["LUNA_HTTP_LISTEN"], "0.0.0.0:8000");
    assert_eq!(env["LUNA_DATA_DIR"], "/var/lib/luna");
    assert_eq!(env["LUNA_SOCKET"], "/run/luna/ctl.sock");
    assert!(env["LUNA_TRUSTED_PROXIES"].is_string());
    assert_required_variable("LUNA_CLEANUP_TOKEN", &env["LUNA_CLEANUP_TOKEN"]);
    assert_eq!(lunad["deploy"]["resources"]["limits"]["memory"], "256M");

    assert_eq!(services["nginx"]["ports"], json!(["80:80"]));
    assert_eq!(
        services["nginx"]["depends_on"]["lunad"]["condition"],
        "service_healthy"
    );
    let grafana_env = &services["grafana"]["environment"];
    assert_required_variable(
        "GF_SECURITY_ADMIN_PASSWORD",
        &grafana_env["GF_SECURITY_ADMIN_PASSWORD"],
    );
    assert_eq!(grafana_env["GF_USERS_ALLOW_SIGN_UP"], "false");
}

/// `${VAR:?message}`: compose refuses to start without it, and no value is committed.
fn assert_required_variable(name: &str, value: &Value) {
    let value = value
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not set"));
    assert!(
        value.starts_with("${") && value.contains(":?") && value.ends_with('}'),
        "{name} must come from the deployment's environment, not the file: {value}"
    );
}

#[test]
fn the_image_is_minimal_and_runs_as_an_unprivileged_user() {
    let dockerfile = read("deploy/Dockerfile");
    let code: Vec<&str> = dockerfile
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    let code = code.join("\n");
    let stages: Vec<&str> = code.split("\nFROM ").collect();
    assert_eq!(stages.len(), 3, "a build stage and a runtime stage");
    assert!(stages[1].starts_with("rust:1.95-bookworm AS builder"));
    assert!(code.contains("cargo build --release --locked --bin lunad --bin luna"));
    let runtime = stages[2];
    assert!(runtime.starts_with("debian:bookworm-slim"));
    for banned in [
        "apt-get install",
        "curl",
        "gcc",
        "build-essential",
        "COPY . ",
    ] {
        assert!(!runtime.contains(banned), "runtime stage has `{banned}`");
    }
    let copies: Vec<&str> = runtime.lines().filter(|l| l.starts_with("COPY")).collect();
    assert_eq!(
        copies,
        ["COPY --from=builder /out/lunad /out/luna /usr/local/bin/"]
    );
    let user = runtime
        .lines()
        .filter_map(|l| l.strip_prefix("USER "))
        .next_back()
        .expect("a USER");
    assert!(!["root", "0", "0:0"].contains(&user.trim()), "runs as root");
    for needle in [
        "VOLUME [\"/var/lib/luna\"]",
        "EXPOSE 8000",
        "ENTRYPOINT [\"/usr/local/bin/lunad\"]",
        "LUNA_HTTP_LISTEN=0.0.0.0:8000",
        "LUNA_DATA_DIR=/var/lib/luna",
        "LUNA_SOCKET=/run/luna/ctl.sock",
        "LUNA_LOG_FORMAT=json",
        "HEALTHCHECK ",
    ] {
        assert!(runtime.contains(needle), "runtime stage lacks `{needle}`");
    }
    assert!(
        !code.contains("LUNA_CLEANUP_TOKEN="),
        "the cleanup token belongs to the deployment"
    );

    let ignore = read(".dockerignore");
    let patterns: Vec<&str> = ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(
        patterns[0], "*",
        ".dockerignore starts by excluding everything"
    );
    for excluded in [
        "**/target/",
        "**/.git/",
        "**/docs/",
        "**/exports/",
        "**/tests/",
    ] {
        assert!(
            patterns.contains(&excluded),
            ".dockerignore lacks {excluded}"
        );
    }
    // Everything the build reads is let back in: the manifests and every workspace member.
    let manifest = read("Cargo.toml");
    let members = manifest
        .lines()
        .find_map(|l| l.strip_prefix("members = "))
        .expect("workspace members");
    let mut needed: Vec<String> = vec!["Cargo.toml".into(), "Cargo.lock".into(), "src/".into()];
    needed.extend(
        members
            .trim_matches(|c| c == '[' || c == ']')
            .split(',')
            .map(|m| format!("{}/", m.trim().trim_matches('"'))),
    );
    if manifest.contains("[[bench]]") {
        needed.push("benches/".into());
    }
    for path in needed {
        assert!(
            patterns.contains(&format!("!{path}").as_str()),
            ".dockerignore drops {path}"
        );
        assert!(
            root().join(&path).exists(),
            "{path} missing from the repository"
        );
    }
}

/// The image's HEALTHCHECK command, run for real: `luna` over a real lunad's socket plus the
/// /dev/tcp probe of GET /health (against the stub, on a free port instead of 8000).
#[test]
fn the_image_health_probe_tells_healthy_from_unhealthy() {
    let dockerfile = read("deploy/Dockerfile");
    let line = dockerfile
        .split("HEALTHCHECK ")
        .nth(1)
        .expect("HEALTHCHECK")
        .replace("\\\n", " ");
    let exec = &line[line.find("CMD [").unwrap() + 4..line.find("]\n").unwrap() + 1];
    let argv: Vec<String> = serde_json::from_str(exec).expect("HEALTHCHECK in exec (JSON) form");
    assert_eq!(argv[..2], ["bash", "-c"]);
    assert!(argv[2].contains("/dev/tcp/127.0.0.1/8000"));

    let stub = StubLunad::start();
    let script = argv[2].replace(
        "/dev/tcp/127.0.0.1/8000",
        &format!("/dev/tcp/127.0.0.1/{}", stub.port),
    );
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("run/ctl.sock");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_luna"))
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let probe = || {
        Command::new("bash")
            .args(["-c", &script])
            .env("PATH", &path)
            .env("LUNA_SOCKET", &socket)
            .env("LUNA_NO_AUTOSTART", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .code()
    };

    assert_eq!(probe(), Some(1), "healthy without a lunad");
    let mut lunad = Command::new(env!("CARGO_BIN_EXE_lunad"))
        .env("LUNA_SOCKET", &socket)
        .env("LUNA_DATA_DIR", dir.path().join("data"))
        .env("LUNA_HTTP_LISTEN", "127.0.0.1:0")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env_remove("LUNA_CONFIG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("lunad starts");
    let deadline = Instant::now() + Duration::from_secs(15);
    while probe() != Some(0) {
        assert!(
            Instant::now() < deadline,
            "the probe never passed with lunad up and /health 200"
        );
        thread::sleep(Duration::from_millis(50));
    }
    stub.health_status.store(503, Ordering::SeqCst);
    assert_eq!(probe(), Some(1), "healthy while /health answers 503");
    stub.health_status.store(200, Ordering::SeqCst);
    assert_eq!(probe(), Some(0));
    stop(&mut lunad);
    assert_eq!(probe(), Some(1), "healthy after lunad stopped");
}
