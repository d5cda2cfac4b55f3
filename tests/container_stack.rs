//! The compose stack, brought up unchanged from `deploy/compose.yaml` with podman-compose: two
//! lunad replicas on Redis behind nginx, scraped by Prometheus. nginx, Redis and Prometheus are
//! local stand-ins built from Debian's packages (nothing can be pulled here); their configuration
//! files are the real ones. Grafana has no Debian package: its queries are evaluated through
//! Prometheus instead.

mod deploy;
mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use support::{Podman, free_port, podman, podman_compose, wait_until};

/// In start order: each depends only on services before it.
const SERVICES: [&str; 4] = ["redis", "lunad", "nginx", "prometheus"];

struct Stack {
    podman: Podman,
    project: String,
    env: Vec<(&'static str, String)>,
    public_port: u16,
    prometheus_port: u16,
}

impl Stack {
    fn compose(&self, args: &[&str]) -> Output {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut command = Command::new(podman_compose());
        command
            .env("CONTAINERS_CONF", self.podman.conf())
            .args(["-f", &format!("{root}/deploy/compose.yaml")])
            .args(["-p", &self.project])
            .args(args);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        command.output().unwrap()
    }

    fn compose_ok(&self, args: &[&str]) -> String {
        let output = self.compose(args);
        assert!(
            output.status.success(),
            "podman-compose {}: {}\n{}\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The project's containers of one service.
    fn containers(&self, service: &str) -> Vec<String> {
        let listed = self.podman.run(&[
            "ps",
            "-a",
            "--filter",
            &format!("label=io.podman.compose.project={}", self.project),
            "--filter",
            &format!("label=com.docker.compose.service={service}"),
            "--format",
            "{{.Names}}",
        ]);
        // Not `ok`: teardown calls this while a failed test unwinds, where a second panic
        // would abort before anything is removed.
        String::from_utf8_lossy(&listed.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn up(&self) {
        // podman runs no health-check timers without systemd, and podman-compose waits for
        // `service_healthy`: run every check once a second meanwhile, as the timers would.
        let stop = Arc::new(AtomicBool::new(false));
        let checker = {
            let (stop, conf, project) = (
                stop.clone(),
                self.podman.conf().to_owned(),
                self.project.clone(),
            );
            std::thread::spawn(move || drive_health_checks(&stop, &conf, &project))
        };
        let output = self.compose(&[
            "up",
            "-d",
            "--no-build",
            "--scale",
            "lunad=2",
            "redis",
            "lunad",
            "nginx",
            "prometheus",
        ]);
        stop.store(true, Ordering::Relaxed);
        checker.join().unwrap();
        assert!(
            output.status.success(),
            "podman-compose up: {}\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn healthy(&self, container: &str) -> bool {
        self.podman
            .run(&["healthcheck", "run", container])
            .status
            .success()
    }

    fn logs(&self) -> String {
        let mut text = String::new();
        for service in SERVICES {
            for container in self.containers(service) {
                let logs = self.podman.run(&["logs", "--tail", "30", &container]);
                text.push_str(&format!(
                    "---- {container}\n{}{}\n",
                    String::from_utf8_lossy(&logs.stdout),
                    String::from_utf8_lossy(&logs.stderr)
                ));
            }
        }
        text
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // Containers first, dependents before what they depend on, at once (a graceful stop is
        // tested above); then networks and volumes.
        for service in SERVICES.iter().rev() {
            for container in self.containers(service) {
                let _ = self.podman.run(&["rm", "-f", "-v", "-t", "0", &container]);
            }
        }
        let _ = self.compose(&["down", "-v", "-t", "0"]);
    }
}

fn drive_health_checks(stop: &AtomicBool, conf: &Path, project: &str) {
    while !stop.load(Ordering::Relaxed) {
        let names = Command::new("podman")
            .env("CONTAINERS_CONF", conf)
            .args(["ps", "--filter"])
            .arg(format!("label=io.podman.compose.project={project}"))
            .args(["--format", "{{.Names}}"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        for name in names.lines() {
            let _ = Command::new("podman")
                .env("CONTAINERS_CONF", conf)
                .args(["healthcheck", "run", name])
                .output();
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// Evaluates `expr` at Prometheus now; panics on an error; returns the result vector.
fn query(prometheus: u16, expr: &str) -> Vec<Value> {
    let mut response = agent()
        .get(format!("http://127.0.0.1:{prometheus}/api/v1/query"))
        .query("query", expr)
        .call()
        .unwrap();
    let body: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["status"], "success", "{expr}: {body}");
    body["data"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_compose_stack_serves_two_replicas_behind_nginx_with_prometheus() {
    let podman = podman();
    podman.luna_image();
    podman.stand_ins();
    let started = Instant::now();
    let (public_port, prometheus_port) = (free_port(), free_port());
    let stack = Stack {
        project: format!("luna-stack-{}", std::process::id()),
        env: vec![
            ("LUNA_CLEANUP_TOKEN", "stack-test-cleanup-token".to_owned()),
            (
                "LUNA_REDIS_PASSWORD",
                "0123456789abcdef0123456789abcdef".to_owned(),
            ),
            ("GRAFANA_ADMIN_PASSWORD", "not-used-here".to_owned()),
            ("LUNA_PUBLIC_PORT", public_port.to_string()),
            ("PROMETHEUS_PORT", prometheus_port.to_string()),
        ],
        podman,
        public_port,
        prometheus_port,
    };
    stack.up();
    let replicas = stack.containers("lunad");
    assert_eq!(replicas.len(), 2, "two lunad replicas:\n{}", stack.logs());
    for replica in &replicas {
        assert!(
            stack.healthy(replica),
            "{replica} healthy:\n{}",
            stack.logs()
        );
    }
    eprintln!("stack up and healthy in {:?}", started.elapsed());

    // The hardening the compose file asks for is applied to every replica.
    for replica in &replicas {
        let config = stack.podman.ok(&[
            "inspect",
            "--format",
            "{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.Memory}} {{.HostConfig.SecurityOpt}}",
            replica,
        ]);
        assert!(config.starts_with("true 268435456 "), "{replica}: {config}");
        assert!(config.contains("no-new-privileges"), "{replica}: {config}");
        let status = stack.podman.ok(&["exec", replica, "cat", "/proc/1/status"]);
        let caps = status.lines().find(|l| l.starts_with("CapEff:")).unwrap();
        assert!(caps.ends_with("0000000000000000"), "{replica}: {caps}");
    }

    // Only nginx (and Prometheus, on loopback) publish a port.
    for service in ["redis", "lunad"] {
        for container in stack.containers(service) {
            let ports = stack.podman.ok(&["port", &container]);
            assert!(ports.is_empty(), "{container} publishes {ports}");
        }
    }
    let nginx = stack.containers("nginx");
    let published = stack.podman.ok(&["port", &nginx[0]]);
    assert!(
        published.contains(&format!(":{}", stack.public_port)),
        "nginx publishes {published:?}:\n{}",
        stack.logs()
    );

    // Through nginx: both replicas answer (round-robin), and they are one service.
    let public = format!("http://127.0.0.1:{}", stack.public_port);
    for n in 0..6 {
        let body = format!(r#"{{"variant":"power","size":{}}}"#, 100 + n);
        let mut reply = agent()
            .post(format!("{public}/generate"))
            .header("content-type", "application/json")
            .send(&body)
            .unwrap();
        assert_eq!(
            reply.status().as_u16(),
            200,
            "{}",
            reply.body_mut().read_to_string().unwrap()
        );
    }
    for replica in &replicas {
        let metrics = stack
            .podman
            .ok(&["exec", replica, "luna", "--json", "stats"]);
        let stats: Value = serde_json::from_str(&metrics).unwrap();
        assert_eq!(stats["total_generated"], 6, "{replica}: one fleet");
    }
    // nginx resolves both replicas: Prometheus sees each one's own request counter move.
    wait_until(
        Duration::from_secs(30),
        "Prometheus scrapes both replicas",
        || {
            let up = query(stack.prometheus_port, r#"up{job="lunad"} == 1"#);
            up.len() == 2
        },
    );
    let per_instance = query(
        stack.prometheus_port,
        r#"sum by (instance) (arkalia_luna_requests_total{route="/generate"})"#,
    );
    assert_eq!(
        per_instance.len(),
        2,
        "both replicas answered POST /generate through nginx: {per_instance:?}"
    );

    // After some traffic, every dashboard and alert query evaluates, and every metric it uses
    // has data; dashboard queries return data themselves.
    std::thread::sleep(Duration::from_secs(12));
    let dashboard: Value = serde_json::from_str(&deploy::read(
        "monitoring/grafana/dashboards/luna-overview.json",
    ))
    .unwrap();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            let expr = target["expr"].as_str().unwrap();
            let result = query(stack.prometheus_port, expr);
            assert!(
                !result.is_empty(),
                "panel {}: `{expr}` returns no data",
                panel["id"]
            );
        }
    }
    let rules = deploy::yaml("monitoring/alerts.yml");
    for group in rules["groups"].as_array().unwrap() {
        for rule in group["rules"].as_array().unwrap() {
            let expr = rule["expr"].as_str().unwrap();
            query(stack.prometheus_port, expr);
            for metric in deploy::metric_names(expr) {
                let series = query(stack.prometheus_port, &format!("{{__name__=\"{metric}\"}}"));
                assert!(
                    !series.is_empty(),
                    "{}: {metric} has no data",
                    rule["alert"]
                );
            }
        }
    }

    // down && up keeps the data (statistics and the file index live in Redis's named volume).
    // `down` leaves each replica's anonymous data volume behind (as Docker does): note them to
    // remove them after, so the test leaves nothing.
    let anonymous: Vec<String> = replicas
        .iter()
        .flat_map(|replica| {
            let mounts = stack.podman.ok(&[
                "inspect",
                "--format",
                "{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}} {{end}}{{end}}",
                replica,
            ]);
            mounts
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let stopping = Instant::now();
    stack.compose_ok(&["down", "-t", "10"]);
    eprintln!("compose down: {:?}", stopping.elapsed());
    for volume in &anonymous {
        let _ = stack.podman.run(&["volume", "rm", volume]);
    }
    stack.up();
    let replica = stack.containers("lunad")[0].clone();
    let stats = stack
        .podman
        .ok(&["exec", &replica, "luna", "--json", "stats"]);
    let stats: Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["total_generated"], 6, "after down and up");
    eprintln!("whole stack test: {:?}", started.elapsed());
}
