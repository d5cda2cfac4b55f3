//! lunad's life as a process: socket and directory safety, one instance per socket, stale sockets,
//! systemd notification and socket activation, and the config file. How it shuts down is in
//! `daemon_shutdown.rs`.

mod support;

use serde_json::{Value, json};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::time::{Duration, Instant};
use support::{Conn, Daemon, Env, wait_until};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn socket_is_private_and_locked() {
    let d = Daemon::start();
    let meta = std::fs::symlink_metadata(d.socket()).unwrap();
    assert!(meta.file_type().is_socket());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600, "socket mode");
    assert_eq!(mode(&d.env.run), 0o700, "socket dir mode");
    assert!(d.env.run.join("ctl.lock").is_file(), "lock file");
    assert_eq!(mode(&d.env.data), 0o700, "data dir mode");
    assert_eq!(mode(&d.env.files_dir()), 0o700, "files dir mode");
    assert!(d.env.data.join("store").is_dir());
}

#[test]
fn a_missing_socket_dir_is_created_private() {
    let env = Env::new();
    let socket = env.path().join("fresh/sub/ctl.sock");
    let mut d = Daemon::spawn_command(
        &env,
        std::process::Command::new(support::lunad_bin()),
        |cmd| {
            cmd.arg("--socket")
                .arg(&socket)
                .arg("--data-dir")
                .arg(&env.data);
        },
    );
    d.wait_ready_at(&socket);
    let mut c = Conn::connect(&socket);
    assert_eq!(c.ok("ping", Value::Null)["pong"], true);
    assert_eq!(mode(socket.parent().unwrap()), 0o700);
    assert_eq!(mode(&socket), 0o600);
    d.sigterm();
    assert!(d.wait_exit(Duration::from_secs(15)).success());
}

#[test]
fn a_second_daemon_on_the_same_socket_exits_69() {
    let first = Daemon::start();
    let inode = std::fs::metadata(first.socket()).unwrap().ino();
    let mut second = Daemon::spawn_in(&first.env, |_| {});
    let status = second.wait_exit(Duration::from_secs(10));
    assert_eq!(status.code(), Some(69), "{}", second.log_text());
    assert!(
        second.log_text().contains("already running"),
        "{}",
        second.log_text()
    );
    // The first one still serves, on its own socket.
    assert_eq!(std::fs::metadata(first.socket()).unwrap().ino(), inode);
    assert_eq!(first.ok("ping", Value::Null)["pong"], true);
}

#[test]
fn simultaneous_starts_leave_exactly_one_daemon() {
    let env = Env::new();
    let mut daemons: Vec<Daemon> = (0..4).map(|_| Daemon::spawn_in(&env, |_| {})).collect();
    // Whoever serves first, the others must give up with 69.
    let mut c = {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(s) = UnixStream::connect(&env.socket) {
                let mut c = Conn::from_stream(s);
                if c.try_read_line().is_some() {
                    break c;
                }
            }
            assert!(Instant::now() < deadline, "none of them served");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let pid = c.ok("version", Value::Null)["pid"].as_u64().unwrap() as u32;
    for d in &mut daemons {
        if d.pid() == pid {
            continue;
        }
        let status = d.wait_exit(Duration::from_secs(10));
        assert_eq!(status.code(), Some(69), "{}", d.log_text());
    }
    let winner = daemons.iter_mut().find(|d| d.pid() == pid).unwrap();
    assert!(winner.is_running());
    assert_eq!(c.ok("ping", Value::Null)["pong"], true);
}

#[test]
fn a_live_foreign_socket_is_not_taken() {
    let env = Env::new();
    let listener = UnixListener::bind(&env.socket).unwrap();
    let inode = std::fs::metadata(&env.socket).unwrap().ino();
    let mut d = Daemon::spawn_in(&env, |_| {});
    d.assert_exit(69, Duration::from_secs(10));
    assert_eq!(
        std::fs::metadata(&env.socket).unwrap().ino(),
        inode,
        "socket replaced"
    );
    drop(listener);
}

#[test]
fn a_stale_socket_is_replaced() {
    let mut d = Daemon::start();
    d.ok(
        "generate",
        json!({"variant": "power", "size": 64, "store": true}),
    );
    d.kill9();
    let meta = std::fs::symlink_metadata(d.socket()).expect("kill -9 leaves the socket behind");
    assert!(meta.file_type().is_socket());
    assert!(
        UnixStream::connect(d.socket()).is_err(),
        "nothing listens on it"
    );

    let next = Daemon::start_in(&d.env);
    assert_eq!(next.ok("ping", Value::Null)["pong"], true);
    assert_eq!(next.stats()["total_generated"], 1);
    assert_eq!(next.stats()["files"], 1);
}

#[test]
fn a_regular_file_at_the_socket_path_is_refused_and_kept() {
    let env = Env::new();
    std::fs::write(&env.socket, "precious").unwrap();
    let mut d = Daemon::spawn_in(&env, |_| {});
    d.assert_exit(77, Duration::from_secs(10));
    assert_eq!(std::fs::read_to_string(&env.socket).unwrap(), "precious");
    assert!(d.log_text().contains("not a socket"), "{}", d.log_text());
}

#[test]
fn a_shared_socket_dir_is_refused() {
    let env = Env::new();
    std::fs::set_permissions(&env.run, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut d = Daemon::spawn_in(&env, |_| {});
    d.assert_exit(77, Duration::from_secs(10));
    assert!(
        !env.socket.exists(),
        "a socket was created in an unsafe dir"
    );
    assert_eq!(mode(&env.run), 0o755, "the dir's mode was changed");
}

#[test]
fn a_socket_dir_owned_by_another_user_is_refused() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIPPED a_socket_dir_owned_by_another_user_is_refused: needs root to chown");
        return;
    }
    let env = Env::new();
    std::os::unix::fs::chown(&env.run, Some(65534), Some(65534)).unwrap();
    let mut d = Daemon::spawn_in(&env, |_| {});
    d.assert_exit(77, Duration::from_secs(10));
    assert!(
        !env.socket.exists(),
        "a socket was created in someone else's dir"
    );
}

#[test]
fn bad_configuration_exits_78() {
    for (name, text) in [
        ("unknown-key.toml", "colour = \"blue\"\n"),
        ("zero-conns.toml", "max_connections = 0\n"),
        ("bad-age.toml", "[cleanup]\nmax_age = \"soon\"\n"),
        ("short-interval.toml", "[cleanup]\ninterval = \"100ms\"\n"),
        ("not-toml.toml", "this is = = not toml\n"),
    ] {
        let env = Env::new();
        let config = env.write_config(name, text);
        let mut d = Daemon::spawn_in(&env, |cmd| {
            cmd.arg("--config").arg(&config);
        });
        let status = d.wait_exit(Duration::from_secs(10));
        assert_eq!(status.code(), Some(78), "{name}: {}", d.log_text());
        assert!(!env.socket.exists(), "{name}: a socket was created");
    }
    // A --config file that does not exist is an error too.
    let env = Env::new();
    let missing = env.path().join("missing.toml");
    let mut d = Daemon::spawn_in(&env, |cmd| {
        cmd.arg("--config").arg(&missing);
    });
    d.assert_exit(78, Duration::from_secs(10));
}

#[test]
fn environment_variables_configure_it() {
    let env = Env::new();
    let config = env.write_config("lunad.toml", "max_connections = 1\n");
    let mut d = Daemon::spawn_command(
        &env,
        std::process::Command::new(support::lunad_bin()),
        |cmd| {
            cmd.env("LUNA_SOCKET", &env.socket)
                .env("LUNA_DATA_DIR", &env.data)
                .env("LUNA_CONFIG", &config)
                .env("LUNA_LOG_FORMAT", "json");
        },
    );
    d.wait_ready();
    assert!(env.data.join("store").is_dir(), "LUNA_DATA_DIR ignored");
    // LUNA_CONFIG applied: a second simultaneous connection is refused.
    let mut held = None;
    wait_until(Duration::from_secs(5), "the only connection slot", || {
        let mut c = Conn::connect_raw(&env.socket);
        let ok = c.read_json().get("hello").is_some();
        if ok {
            held = Some(c);
        }
        ok
    });
    let mut other = Conn::connect_raw(&env.socket);
    assert_eq!(other.read_json()["error"]["code"], "busy");
    drop(held);
    d.sigterm();
    assert!(d.wait_exit(Duration::from_secs(15)).success());
    // LUNA_LOG_FORMAT=json: every log line is a JSON object. Read after the exit, so no line is
    // caught half-written.
    let log = std::fs::read_to_string(&d.log).unwrap();
    assert!(log.contains("lunad ready"), "{log}");
    for line in log.lines() {
        let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(value.is_object(), "{line}");
    }
}

/// Reads datagrams until one contains `what`; returns everything received.
fn await_notify(sock: &UnixDatagram, what: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        sock.set_read_timeout(Some(
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1)),
        ))
        .unwrap();
        if let Ok(n) = sock.recv(&mut buf) {
            let text = String::from_utf8_lossy(&buf[..n]);
            seen.push_str(&text);
            if text.lines().any(|l| l == what) {
                return seen;
            }
        }
    }
    panic!("no {what} notification; received {seen:?}");
}

#[test]
fn systemd_is_notified() {
    let env = Env::new();
    let notify_path = env.path().join("notify.sock");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    let mut d = Daemon::spawn_in(&env, |cmd| {
        cmd.env("NOTIFY_SOCKET", &notify_path);
    });
    await_notify(&notify, "READY=1");
    // READY=1 means serving: no waiting needed.
    let mut c = Conn::connect(&env.socket);
    assert_eq!(c.ok("ping", Value::Null)["pong"], true);
    d.sigterm();
    await_notify(&notify, "STOPPING=1");
    assert_eq!(d.wait_exit(Duration::from_secs(15)).code(), Some(0));
}

#[test]
fn socket_activation_uses_the_passed_listener() {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let listener = UnixListener::bind(&env.socket).unwrap();
    let fd = listener.as_raw_fd();
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg(r#"LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@""#)
        .arg(support::lunad_bin())
        .arg("--socket")
        .arg(&env.socket)
        .arg("--data-dir")
        .arg(&env.data);
    // SAFETY: only async-signal-safe calls (dup2, fcntl) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if fd == 3 {
                let flags = libc::fcntl(3, libc::F_GETFD);
                if flags < 0 || libc::fcntl(3, libc::F_SETFD, flags & !libc::FD_CLOEXEC) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut d = Daemon::spawn_command(&env, cmd, |_| {});
    // The path is ours and already bound: a greeting proves lunad accepts on the passed fd
    // (binding the path itself would fail, since our listener is live).
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut c = loop {
        let mut c = Conn::connect_raw(&env.socket);
        c.set_timeout(Duration::from_secs(10));
        match c.try_read_line() {
            Some(line) => {
                assert!(line.contains("\"hello\""), "{line}");
                break c;
            }
            None => {
                assert!(Instant::now() < deadline, "no greeting\n{}", d.log_text());
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    };
    assert_eq!(c.ok("ping", Value::Null)["pong"], true);
    assert!(d.is_running());
    d.sigterm();
    d.assert_exit(0, Duration::from_secs(15));
    // systemd owns an activated socket: lunad leaves it in place.
    assert!(env.socket.exists(), "lunad removed the activated socket");
    drop(listener);
}

#[test]
fn the_config_file_cleanup_policy_is_applied() {
    let env = Env::new();
    let config = env.write_config(
        "lunad.toml",
        "[cleanup]\nmax_age = \"off\"\nmax_total_bytes = 1\ninterval = \"1s\"\n",
    );
    let d = Daemon::start_in_with(&env, |cmd| {
        cmd.arg("--config").arg(&config);
    });
    let mut events = d.connect();
    events.ok("subscribe", json!({"topics": ["cleaned"]}));
    let mut names = Vec::new();
    for seed in 0..3 {
        let r = d.ok(
            "generate",
            json!({"variant": "awakening", "size": 64, "seed": seed, "store": true}),
        );
        names.push(r["file"].as_str().unwrap().to_owned());
    }
    let cleaned = events.read_event("cleaned");
    assert!(
        cleaned["data"]["removed"].as_u64().unwrap() >= 1,
        "{cleaned}"
    );
    wait_until(
        Duration::from_secs(10),
        "the sweeper to prune every file",
        || env.stored_names().is_empty() && d.ok("files", Value::Null)["total"] == 0,
    );
    assert!(
        d.log_text().contains("periodic cleanup"),
        "{}",
        d.log_text()
    );
}
