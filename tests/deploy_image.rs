//! The container image and the compose stack, checked statically, and the image's health probe
//! run against a real lunad.
//! Docker itself cannot run here (no container engine on these machines), so nothing here calls
//! docker. Needs Debian's nginx, prometheus (for promtool) and python3-yaml (to read YAML): a
//! missing tool fails the test with "run .ci/install-deps" rather than skipping anything.

mod deploy;

use deploy::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

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
