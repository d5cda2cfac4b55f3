//! Every error code lunad can produce and the bad-line limit: a real daemon, real sockets.
//! Robustness against garbage and load is in `daemon_robustness.rs`.

mod support;

use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;
use support::{Conn, Daemon, wait_until};

const MIB: usize = 1 << 20;

/// Sends one raw line and returns the reply, asserting it is an error with `code`.
fn raw_error(c: &mut Conn, line: &[u8], code: &str) -> Value {
    c.send_bytes(line);
    let reply = c.read_json();
    support::check_line_shape(&reply);
    assert_eq!(
        reply["ok"],
        false,
        "{} was accepted: {reply}",
        String::from_utf8_lossy(line)
    );
    assert_eq!(
        reply["error"]["code"],
        code,
        "for {:?}: {reply}",
        String::from_utf8_lossy(line)
    );
    assert_eq!(reply["error"]["retryable"], false, "{reply}");
    reply
}

fn assert_alive(c: &mut Conn) {
    assert_eq!(c.ok("ping", Value::Null), json!({"pong": true}));
}

#[test]
fn parse_errors() {
    let d = Daemon::start();
    let mut c = d.connect();
    for line in [
        &b"{\"cmd\":\n"[..],
        b"{\"id\":1,\"cmd\":\"ping\"\n",
        b"not json at all\n",
        b"{\"id\":1,\"cmd\":\"ping\"}}\n",
        b"\xff\xfe\x00{}\n",
        b"{\"id\":1,\"cmd\":\"\xc3\x28\"}\n",
    ] {
        let reply = raw_error(&mut c, line, "parse_error");
        assert_eq!(reply["id"], Value::Null, "{reply}");
    }
    assert_alive(&mut c);
}

#[test]
fn invalid_requests() {
    let d = Daemon::start();
    let mut c = d.connect();
    for line in [
        "[1,2]",
        "[{\"cmd\":\"ping\"}]",
        "\"ping\"",
        "42",
        "null",
        "{}",
        "{\"id\":1}",
        "{\"id\":1,\"args\":{}}",
        "{\"cmd\":7}",
        "{\"cmd\":null}",
        "{\"cmd\":[\"ping\"]}",
        "{\"id\":[1],\"cmd\":\"ping\"}",
        "{\"id\":{\"a\":1},\"cmd\":\"ping\"}",
        "{\"id\":true,\"cmd\":\"ping\"}",
        "{\"cmd\":\"ping\",\"extra\":1}",
        "{\"cmd\":\"ping\",\"Cmd\":\"ping\"}",
    ] {
        raw_error(&mut c, format!("{line}\n").as_bytes(), "invalid_request");
        // (A good line in between, so the bad-line limit is not reached.)
        assert_alive(&mut c);
    }
    // A valid id is echoed even when the request is refused.
    let reply = raw_error(
        &mut c,
        b"{\"id\":5,\"cmd\":\"ping\",\"x\":1}\n",
        "invalid_request",
    );
    assert_eq!(reply["id"], 5);
    let reply = raw_error(&mut c, b"{\"id\":\"m\"}\n", "invalid_request");
    assert_eq!(reply["id"], "m");
    assert_alive(&mut c);
}

#[test]
fn frame_too_large_keeps_the_connection_usable() {
    let d = Daemon::start();
    let mut c = d.connect();
    let mut huge = vec![b'a'; 2 * MIB];
    huge.push(b'\n');
    let reply = raw_error(&mut c, &huge, "frame_too_large");
    assert_eq!(reply["id"], Value::Null);
    assert_alive(&mut c);

    // The limit is exactly 1 MiB: a request of 1,048,576 bytes is read, one more byte is not.
    let padded = |len: usize| {
        let head = "{\"id\":\"big\",\"cmd\":\"ping\"";
        let mut line = head.to_owned();
        line.push_str(&" ".repeat(len - head.len() - 1));
        line.push('}');
        assert_eq!(line.len(), len);
        line
    };
    c.send_line(&padded(MIB));
    let reply = c.read_json();
    assert_eq!(reply["ok"], true, "a 1 MiB request was refused: {reply}");
    assert_eq!(reply["id"], "big");
    let reply = raw_error(
        &mut c,
        format!("{}\n", padded(MIB + 1)).as_bytes(),
        "frame_too_large",
    );
    assert_eq!(reply["id"], Value::Null);
    assert_alive(&mut c);
}

#[test]
fn unknown_command_lists_the_valid_ones() {
    let d = Daemon::start();
    let mut c = d.connect();
    let reply = c.request(json!({"id": 4, "cmd": "fly"}));
    assert_eq!(reply["id"], 4);
    let e = &reply["error"];
    assert_eq!(e["code"], "unknown_command");
    assert_eq!(e["retryable"], false);
    let valid: Vec<&str> = e["details"]["valid"]
        .as_array()
        .expect("details.valid")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let commands = c.ok("commands", Value::Null);
    assert_eq!(
        valid,
        commands["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect::<Vec<_>>()
    );
    assert!(valid.contains(&"generate") && valid.contains(&"file"));
    // Command names are case-sensitive.
    assert_eq!(c.err(json!({"cmd": "PING"}))["code"], "unknown_command");
}

#[test]
fn invalid_arguments_name_the_field() {
    let d = Daemon::start();
    let mut c = d.connect();
    let mut check = |args: Value, path: &str| -> Value {
        let e = c.err(json!({"cmd": "generate", "args": args}));
        assert_eq!(e["code"], "invalid_argument", "{args}: {e}");
        assert_eq!(e["retryable"], false);
        assert_eq!(e["details"]["path"], path, "{args}: {e}");
        e
    };
    let e = check(json!({"variant": "sunny"}), "variant");
    let valid = ["serenity", "power", "mystery", "awakening", "creative"];
    assert_eq!(e["details"]["valid"], json!(valid));
    let message = e["message"].as_str().unwrap();
    for key in valid {
        assert!(
            message.contains(key),
            "message does not list {key}: {message}"
        );
    }
    let e = check(json!({"variant": "power", "style": "baroque"}), "style");
    let styles = e["details"]["valid"].as_array().unwrap();
    for key in support::STYLES.iter().chain(&["default", "realism_max"]) {
        assert!(styles.contains(&json!(key)), "{key} missing from {e}");
    }
    for size in [
        json!(15),
        json!(2049),
        json!("abc"),
        json!(-1),
        json!(0),
        json!(64.5),
    ] {
        check(json!({"variant": "power", "size": size}), "size");
    }
    check(json!({"variant": "power", "colour": "red"}), "colour");
    check(json!({"style": "simple"}), "variant");
    check(json!({"variant": 3}), "variant");
    check(json!({"variant": "power", "format": "gif"}), "format");
    check(json!({"variant": "power", "seed": -1}), "seed");
    check(json!({"variant": "power", "animated": "yes"}), "animated");
    check(json!({"variant": "power", "store": 1}), "store");
    check(
        json!({"variant": "power", "palette": "#fff,#000"}),
        "palette",
    );
    check(
        json!({"variant": "power", "palette": "#ggg,#000,#111,#222"}),
        "palette",
    );
    check(
        json!({"variant": "power", "palette": ["#fff", "#000", "#111"]}),
        "palette",
    );
    check(
        json!({"variant": "power", "id_prefix": "1abc"}),
        "id_prefix",
    );
    check(json!({"variant": "power", "id_prefix": "a b"}), "id_prefix");
    check(json!({"variant": "power", "title": "bell\u{7}"}), "title");
    check(
        json!({"variant": "power", "title": "x".repeat(201)}),
        "title",
    );

    for request in [
        json!({"cmd": "generate"}),
        json!({"cmd": "generate", "args": null}),
        json!({"cmd": "generate", "args": [1]}),
        json!({"cmd": "ping", "args": {"x": 1}}),
        json!({"cmd": "ping", "args": 3}),
        json!({"cmd": "files", "args": {"limit": -1}}),
        json!({"cmd": "files", "args": {"max": 1}}),
        json!({"cmd": "file", "args": {}}),
        json!({"cmd": "file", "args": {"name": 7}}),
        json!({"cmd": "subscribe", "args": {"topics": ["weather"]}}),
        json!({"cmd": "cleanup", "args": {"confirm": "yes"}}),
        json!({"cmd": "cleanup", "args": {"confirm": true, "older_than": 5}}),
    ] {
        let e = c.err(request.clone());
        assert_eq!(e["code"], "invalid_argument", "{request}: {e}");
    }
    let e = c.err(json!({"cmd": "cleanup"}));
    assert_eq!(e["code"], "invalid_argument");
    assert_eq!(e["details"]["path"], "confirm");
    let e = c.err(json!({"cmd": "cleanup", "args": {"confirm": false}}));
    assert_eq!(e["code"], "invalid_argument");
    // Nothing was generated by any of these.
    assert_eq!(c.ok("stats", Value::Null)["total_generated"], 0);
}

#[test]
fn file_not_found() {
    let d = Daemon::start();
    let mut c = d.connect();
    let stored = c.ok(
        "generate",
        json!({"variant": "power", "size": 64, "store": true}),
    );
    let real = stored["file"].as_str().unwrap();
    // Well-formed but not stored: the same name with another hash.
    let hash_at = real.len() - ".svg".len() - 8;
    let mut fake = real.to_owned();
    let other = if &real[hash_at..hash_at + 8] == "0123abcd" {
        "fedc9876"
    } else {
        "0123abcd"
    };
    fake.replace_range(hash_at..hash_at + 8, other);
    // A file placed in the directory by someone else is not served either.
    let planted = "arkalia-luna-power-64-simple-00000000.svg";
    std::fs::write(d.env.files_dir().join(planted), "<svg/>").unwrap();
    for name in [
        fake.as_str(),
        planted,
        "../etc/passwd",
        "/etc/passwd",
        "../../../../../../etc/passwd",
        "..",
        "",
        "arkalia-luna-power-64-simple-0123abcd.svg/../../x",
    ] {
        let reply = c.request(json!({"id": "f", "cmd": "file", "args": {"name": name}}));
        assert_eq!(reply["id"], "f");
        assert_eq!(reply["error"]["code"], "not_found", "{name}: {reply}");
        assert_eq!(reply["error"]["retryable"], false);
        assert!(
            !reply["error"]["message"]
                .as_str()
                .unwrap()
                .contains("root:"),
            "{reply}"
        );
    }
    assert_eq!(c.ok("file", json!({"name": real}))["file"]["name"], real);
}

#[test]
fn connections_over_the_limit_are_told_busy() {
    let env = support::Env::new();
    let config = env.write_config("lunad.toml", "max_connections = 2\n");
    let d = Daemon::start_in_with(&env, |cmd| {
        cmd.arg("--config").arg(&config);
    });
    // wait_ready's probe connection may still be counted for a moment: hold two when possible.
    let mut held = Vec::new();
    wait_until(Duration::from_secs(5), "two held connections", || {
        let mut c = Conn::connect_raw(d.socket());
        let first = c.read_json();
        if first.get("hello").is_some() {
            held.push(c);
        }
        held.len() == 2
    });
    for c in &mut held {
        assert_alive(c);
    }
    let mut third = Conn::connect_raw(d.socket());
    let line = third.read_json();
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["id"], Value::Null);
    assert_eq!(line["error"]["code"], "busy", "{line}");
    assert_eq!(line["error"]["retryable"], true, "{line}");
    third.expect_eof();
    // The held connections are unaffected, and a slot frees up when one closes.
    assert_alive(&mut held[0]);
    held.pop();
    wait_until(Duration::from_secs(5), "a free connection slot", || {
        let mut c = Conn::connect_raw(d.socket());
        c.read_json().get("hello").is_some()
    });
}

#[test]
fn other_users_are_refused() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIPPED other_users_are_refused: needs root to connect as another user");
        return;
    }
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let python = ["/usr/bin/python3", "/usr/local/bin/python3"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let (Some(setpriv), Some(python)) = (setpriv, python) else {
        eprintln!("SKIPPED other_users_are_refused: needs setpriv and a system python3");
        return;
    };
    let d = Daemon::start();
    // Let `nobody` reach the socket: only SO_PEERCRED stands in the way then.
    let perms = |path: &std::path::Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    perms(d.env.path(), 0o711);
    perms(&d.env.run, 0o755);
    perms(d.socket(), 0o666);
    let script = r#"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode())
"#;
    let out = std::process::Command::new(setpriv)
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            python,
            "-c",
            script,
        ])
        .arg(d.socket())
        .output()
        .expect("run python as nobody");
    assert!(
        out.status.success(),
        "client as nobody failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected exactly one line, no greeting: {text:?}"
    );
    let reply: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(reply["ok"], false);
    assert_eq!(reply["error"]["code"], "permission_denied", "{reply}");
    assert_eq!(reply["error"]["retryable"], false);
    // Root is still served.
    assert_alive(&mut d.connect());
}

#[test]
fn sixteen_bad_lines_in_a_row_end_the_connection() {
    let d = Daemon::start();
    let mut c = d.connect();
    // A good request resets the count: 15 bad, 1 good, 15 bad is fine.
    for round in 0..2 {
        for i in 0..15 {
            let line = match i % 3 {
                0 => "garbage\n",
                1 => "[]\n",
                _ => "{\"cmd\":\"fly\"}\n",
            };
            c.send_line(line.trim_end());
            assert_eq!(c.read_json()["ok"], false);
        }
        if round == 0 {
            assert_alive(&mut c);
        }
    }
    let reply = c.request(json!({"id": "still", "cmd": "ping"}));
    assert_eq!(
        reply["ok"], true,
        "15 bad lines after a good one closed it: {reply}"
    );

    let mut c = d.connect();
    for _ in 0..16 {
        c.send_line("{oops");
        let reply = c.read_json();
        assert_eq!(reply["error"]["code"], "parse_error");
    }
    let bye = c.read_json();
    assert_eq!(bye["event"], "bye", "{bye}");
    assert_eq!(bye["data"]["reason"], "too_many_errors", "{bye}");
    assert!(bye["seq"].is_u64());
    c.expect_eof();
    // Other connections are unaffected.
    assert_alive(&mut d.connect());
}

/// Replaces `data/files` with a regular file, so storing anything fails with an I/O error.
fn break_the_files_dir(d: &Daemon) {
    let files = d.env.files_dir();
    std::fs::remove_dir_all(&files).unwrap();
    std::fs::write(&files, "not a directory").unwrap();
}

#[test]
fn io_failures_are_internal_errors() {
    let d = Daemon::start();
    break_the_files_dir(&d);
    let mut c = d.connect();
    let reply = c.request(json!({"id": 1, "cmd": "generate",
                                 "args": {"variant": "power", "size": 64, "store": true}}));
    assert_eq!(reply["id"], 1);
    let e = &reply["error"];
    assert_eq!(e["code"], "internal", "{reply}");
    assert_eq!(e["retryable"], false);
    assert!(!e["message"].as_str().unwrap().is_empty());
    // Nothing was counted for a failed generation; the daemon carries on.
    assert_eq!(c.ok("stats", Value::Null)["total_generated"], 0);
    assert_eq!(
        c.ok("generate", json!({"variant": "power", "size": 64}))["variant"],
        "power"
    );
}

#[test]

fn internal_errors_are_logged_with_the_same_message() {
    let d = Daemon::start();
    break_the_files_dir(&d);
    let e = d
        .connect()
        .err(json!({"cmd": "generate", "args": {"variant": "power", "size": 64, "store": true}}));
    assert_eq!(e["code"], "internal");
    let message = e["message"].as_str().unwrap().to_owned();
    wait_until(Duration::from_secs(5), "the error in the log", || {
        std::fs::read_to_string(&d.log).unwrap().contains(&message)
    });
}

#[test]
fn a_stored_file_deleted_behind_the_daemon_is_not_found() {
    let d = Daemon::start();
    let r = d.ok(
        "generate",
        json!({"variant": "power", "size": 64, "store": true}),
    );
    let name = r["file"].as_str().unwrap();
    std::fs::remove_file(d.env.files_dir().join(name)).unwrap();
    let e = d
        .connect()
        .err(json!({"cmd": "file", "args": {"name": name}}));
    assert_eq!(e["code"], "not_found", "{e}");
}
