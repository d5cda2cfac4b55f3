//! The container image and the compose stack, checked statically, and the image's health probe
//! run against a real lunad (the Redis service's command runs in tests/deploy_redis.rs).
//! The containers themselves run in tests/container_*.rs (podman); these checks need no
//! container engine. Needs Debian's python3-yaml (to read YAML): a missing tool fails the test
//! with "run .ci/install-deps" rather than skipping anything.

mod deploy;

use deploy::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

// Container image and compose stack (static; tests/container_*.rs run them with podman)

#[test]
fn the_compose_stack_exposes_only_nginx_and_commits_no_secret() {
    let text = read("deploy/compose.yaml");
    assert!(!text.to_lowercase().contains("admin123"));
    let compose = yaml("deploy/compose.yaml");
    let services = compose["services"].as_object().unwrap();
    let names: BTreeSet<&str> = services.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        BTreeSet::from(["lunad", "redis", "nginx", "prometheus", "grafana"])
    );
    let declared_volumes = compose["volumes"].as_object().unwrap();
    let networks = compose["networks"].as_object().unwrap();
    for (name, service) in services {
        assert!(
            service.get("container_name").is_none(),
            "{name}: container_name prevents scaling"
        );
        let image = service["image"].as_str().unwrap_or("");
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
    assert_eq!(env["LUNA_SOCKET"], "/var/lib/luna/run/ctl.sock");
    assert!(env["LUNA_TRUSTED_PROXIES"].is_string());
    assert_required_variable("LUNA_CLEANUP_TOKEN", &env["LUNA_CLEANUP_TOKEN"]);
    assert_eq!(lunad["deploy"]["resources"]["limits"]["memory"], "256M");
    assert_eq!(
        lunad["read_only"], true,
        "lunad writes only to its data volume"
    );

    // Replicas share Redis and nothing else: no named volume (each keeps its data directory in
    // its own anonymous volume from the image's VOLUME), the store named by service, no password
    // in the URL, and the same required password variable as Redis.
    for volume in lunad["volumes"].as_array().into_iter().flatten() {
        let source = volume.as_str().unwrap().split(':').next().unwrap();
        assert!(
            !declared_volumes.contains_key(source),
            "lunad mounts the named volume {source}: every replica would share it"
        );
    }
    let store = env["LUNA_STORE"].as_str().expect("LUNA_STORE is set");
    let address = store
        .strip_prefix("redis://")
        .unwrap_or_else(|| panic!("LUNA_STORE is not a redis:// URL: {store}"));
    assert!(!address.contains('@'), "LUNA_STORE carries credentials");
    let (host, port) = address
        .trim_end_matches('/')
        .split_once(':')
        .unwrap_or((address, "6379"));
    assert_eq!(port, "6379", "Redis listens on its default port");
    let redis = services
        .get(host)
        .unwrap_or_else(|| panic!("LUNA_STORE points at {host}, which is no service"));
    assert_eq!(host, "redis");
    assert_eq!(
        lunad["depends_on"][host]["condition"], "service_healthy",
        "lunad must wait for a healthy Redis"
    );
    let password = required_variable(&env["LUNA_REDIS_PASSWORD"]);
    assert_eq!(password, "LUNA_REDIS_PASSWORD");

    // Redis: private, password required, append-only, healthy, locked down.
    let image = redis["image"].as_str().unwrap();
    assert!(image.starts_with("redis:"), "official image: {image}");
    assert!(redis.get("ports").is_none(), "Redis must not be published");
    for network in redis["networks"].as_array().unwrap() {
        let network = network.as_str().unwrap();
        assert_eq!(networks[network]["internal"], true, "Redis on {network}");
        assert!(
            lunad["networks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == network),
            "lunad cannot reach Redis on {network}"
        );
    }
    let redis_env = redis["environment"].as_object().expect("Redis environment");
    let auth = redis_env
        .get("REDISCLI_AUTH")
        .expect("REDISCLI_AUTH for the health check and the server");
    assert_eq!(
        required_variable(auth),
        password,
        "Redis and lunad must use the same password"
    );
    let command: Vec<&str> = redis["command"]
        .as_array()
        .expect("command as a list")
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let flag = |name: &str| {
        command
            .iter()
            .position(|a| *a == name)
            .and_then(|i| command.get(i + 1).copied())
    };
    assert_eq!(flag("--appendonly"), Some("yes"), "append-only persistence");
    assert_eq!(
        flag("--appendfsync"),
        Some("always"),
        "an acknowledged write must survive a crash"
    );
    assert_eq!(flag("--maxmemory-policy"), Some("noeviction"));
    assert_eq!(flag("--port"), None, "LUNA_STORE assumes the default port");
    assert!(
        !command.iter().any(|a| a.contains("--requirepass")),
        "a password argument shows in ps: {command:?}"
    );
    assert!(
        redis["volumes"].as_array().unwrap().iter().any(|v| v
            .as_str()
            .unwrap()
            .ends_with(":/data")
            && declared_volumes.contains_key(v.as_str().unwrap().split(':').next().unwrap())),
        "Redis data in a named volume"
    );
    let user = redis["user"].as_str().expect("Redis runs as its own user");
    assert!(!["root", "0", "0:0"].contains(&user), "Redis runs as root");
    let probe = redis["healthcheck"]["test"].to_string();
    assert!(
        probe.contains("redis-cli") && probe.contains("ping"),
        "{probe}"
    );
    assert_eq!(redis["cap_drop"], json!(["ALL"]));
    assert!(
        redis["security_opt"]
            .as_array()
            .unwrap()
            .contains(&json!("no-new-privileges:true"))
    );

    assert_eq!(
        services["nginx"]["ports"],
        json!(["${LUNA_PUBLIC_PORT:-80}:80"]),
        "port 80 unless the operator picks another"
    );
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

/// The variable of a `${VAR:?message}` value.
fn required_variable(value: &Value) -> &str {
    assert_required_variable("the value", value);
    let value = value.as_str().unwrap();
    &value[2..value.find(":?").unwrap()]
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
    assert_eq!(
        stages.len(),
        4,
        "a build stage, the binaries' source (the builder unless BINARIES names an image) and a runtime stage"
    );
    assert!(
        stages[0].contains("ARG BINARIES=builder"),
        "built from source by default"
    );
    assert!(stages[1].starts_with("rust:1.95-bookworm AS builder"));
    assert!(code.contains("cargo build --release --locked --bin lunad --bin luna"));
    assert_eq!(stages[2].trim(), "${BINARIES} AS binaries");
    let runtime = stages[3];
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
        ["COPY --from=binaries /out/lunad /out/luna /usr/local/bin/"]
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
        "LUNA_SOCKET=/var/lib/luna/run/ctl.sock",
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
