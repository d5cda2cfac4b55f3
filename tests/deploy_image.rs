//! The container image and the compose stack, checked statically, the image's health probe run
//! against a real lunad, and the Redis service's command run with Debian's redis-server.
//! The containers themselves run in tests/container_*.rs (podman); these checks need no
//! container engine. Needs Debian's python3-yaml (to read YAML) and redis-server (with redis-tools): a
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

/// The compose file's Redis command, run for real with Debian's redis-server (on a free loopback
/// port, in a temporary directory instead of /data): the password reaches the server from the
/// environment without ever being an argument, the flags are applied, the health check tells a
/// right password from a wrong one, and SIGTERM stops Redis itself with its writes on disk.
#[test]
fn the_redis_command_keeps_the_password_out_of_its_arguments() {
    let redis_server = tool(&["/usr/bin/redis-server"], "redis-server");
    let redis_cli = tool(&["/usr/bin/redis-cli"], "redis-tools");
    let compose = yaml("deploy/compose.yaml");
    let redis = &compose["services"]["redis"];
    // Compose turns `$$` into `$` and substitutes any other `$`: a variable there would put the
    // password into the arguments.
    let argv: Vec<String> = redis["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let a = a.as_str().unwrap();
            assert!(
                !a.replace("$$", "").contains('$'),
                "compose would substitute a variable into the command: {a}"
            );
            a.replace("$$", "$")
        })
        .collect();
    let (auth_var, _) = redis["environment"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, v)| v.as_str().unwrap_or("").contains("LUNA_REDIS_PASSWORD"))
        .expect("the password in Redis's environment");
    let secret = "0123456789abcdef-deploy-test-secret";
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    // Redis overwrites its own arguments with a title once started, so `ps` cannot tell what it
    // was given: a `redis-server` first on PATH records its arguments, then runs the real one.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let recorded = dir.path().join("argv");
    std::fs::write(
        bin.join("redis-server"),
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexec '{}' \"$@\"\n",
            recorded.display(),
            redis_server.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        bin.join("redis-server"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        redis_server.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let log = std::fs::File::create(dir.path().join("redis.log")).unwrap();
    let mut server = Command::new(&argv[0])
        .args(&argv[1..])
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .current_dir(dir.path())
        .env("PATH", &path)
        .env(auth_var, secret)
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("the Redis command starts");
    struct Guard<'a>(&'a mut std::process::Child);
    impl Drop for Guard<'_> {
        fn drop(&mut self) {
            stop(self.0);
        }
    }
    let server = Guard(&mut server);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        let log = std::fs::read_to_string(dir.path().join("redis.log")).unwrap_or_default();
        assert!(
            server.0.try_wait().unwrap().is_none(),
            "Redis exited:\n{log}"
        );
        assert!(Instant::now() < deadline, "Redis never listened:\n{log}");
        thread::sleep(Duration::from_millis(20));
    }

    // `exec`: the process compose starts is redis-server itself, and its arguments hold no
    // password.
    let pid = server.0.id();
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap();
    assert_eq!(comm.trim(), "redis-server", "the shell did not exec Redis");
    let arguments = std::fs::read_to_string(&recorded).expect("redis-server ran from PATH");
    assert!(arguments.contains("--appendonly"), "{arguments}");
    assert!(
        !arguments.contains(secret),
        "the password is in Redis's arguments: {arguments}"
    );

    let cli = |auth: Option<&str>, args: &[&str]| {
        let mut command = Command::new(&redis_cli);
        command
            .args(["-p", &port.to_string()])
            .args(args)
            .env_remove("REDISCLI_AUTH");
        if let Some(auth) = auth {
            command.env("REDISCLI_AUTH", auth);
        }
        let output = command.output().unwrap();
        let text = [output.stdout, output.stderr].concat();
        String::from_utf8_lossy(&text).trim().to_owned()
    };
    assert!(
        cli(None, &["ping"]).contains("NOAUTH"),
        "Redis answers without a password"
    );
    for (name, value) in [
        ("appendonly", "yes"),
        ("appendfsync", "always"),
        ("maxmemory-policy", "noeviction"),
    ] {
        assert_eq!(
            cli(Some(secret), &["config", "get", name]),
            format!("{name}\n{value}"),
            "the running Redis's {name}"
        );
    }

    // The health check, as Docker runs it (CMD-SHELL: `sh -c`), aimed at this port.
    let test = redis["healthcheck"]["test"].as_array().unwrap();
    assert_eq!(test[0], "CMD-SHELL");
    let check = test[1].as_str().unwrap();
    assert!(check.contains("redis-cli "));
    let check = check.replace("redis-cli ", &format!("redis-cli -p {port} "));
    let healthy = |auth: &str| {
        Command::new("sh")
            .args(["-c", &check])
            .env("PATH", &path)
            .env(auth_var, auth)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    };
    assert!(healthy(secret), "unhealthy with the right password");
    assert!(!healthy("wrong-password"), "healthy with a wrong password");

    assert_eq!(cli(Some(secret), &["set", "luna:probe", "kept"]), "OK");
    // SIGTERM reaches Redis, which shuts down cleanly (exit 0).
    let pid = pid as libc::pid_t;
    // SAFETY: signalling our own child, which has not been reaped yet.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "Redis ignored SIGTERM");
        thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "Redis stopped with {status}");
    assert!(!healthy(secret), "healthy with Redis stopped");
    let aof: String = std::fs::read_dir(dir.path().join("appendonlydir"))
        .expect("an append-only directory")
        .map(|f| std::fs::read(f.unwrap().path()).unwrap())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(aof.contains("luna:probe"), "the write is not in the AOF");
}
