//! The compose file's Redis service, its command run for real with Debian's redis-server: the
//! password stays out of the arguments. The containers themselves run in tests/container_*.rs.
//! Needs Debian's python3-yaml (to read YAML) and redis-server (with redis-tools): a missing tool
//! fails the test with "run .ci/install-deps" rather than skipping anything.

mod deploy;

use deploy::*;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

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
