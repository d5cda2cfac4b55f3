//! The `luna` binary without a daemon: help, usage errors, exit codes and error shapes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `luna` with a clean environment: no socket from the caller's shell, no colour, no autostart
/// unless a test turns it back on.
fn luna(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_luna"));
    command
        .args(args)
        .env_remove("LUNA_SOCKET")
        .env_remove("NO_COLOR")
        .env("LUNA_NO_AUTOSTART", "1");
    command
}

fn run(command: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("luna runs");
    let code = status.code().expect("luna exits normally");
    (
        code,
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// A socket path nobody serves, in a directory that is removed after the test.
fn missing_socket() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("ctl.sock");
    (dir, socket)
}

fn socket_arg(socket: &Path) -> String {
    socket.to_str().unwrap().to_owned()
}

#[test]
fn help_lists_every_command() {
    let (code, stdout, _) = run(&mut luna(&["--help"]));
    assert_eq!(code, 0);
    for command in [
        "variants",
        "styles",
        "generate",
        "generate-all",
        "favicon",
        "favicon-all",
        "stats",
        "files",
        "clean",
        "events",
        "daemon",
        "completions",
        "version",
        "raw",
        "validate-all",
    ] {
        assert!(
            stdout.contains(&format!("\n  {command} ")),
            "{command} missing:\n{stdout}"
        );
    }
    let (code, stdout, _) = run(&mut luna(&["generate", "--help"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("--generator") && stdout.contains("--id-prefix"),
        "{stdout}"
    );
}

#[test]
fn version_flag_and_command_need_no_daemon() {
    let expected = format!("luna {}\n", env!("CARGO_PKG_VERSION"));
    let (code, stdout, _) = run(&mut luna(&["--version"]));
    assert_eq!((code, stdout.as_str()), (0, expected.as_str()));

    let (_dir, socket) = missing_socket();
    // `version` never starts the daemon, even with autostart on.
    let mut command = luna(&["version", "--socket", &socket_arg(&socket)]);
    command.env_remove("LUNA_NO_AUTOSTART");
    let (code, stdout, stderr) = run(&mut command);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, expected.as_str(), "")
    );
    assert!(!socket.exists());

    let (code, stdout, _) = run(&mut luna(&[
        "version",
        "--json",
        "--socket",
        &socket_arg(&socket),
    ]));
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["luna"], env!("CARGO_PKG_VERSION"));
    assert!(value["lunad"].is_null());
}

#[test]
fn clap_usage_errors_exit_2() {
    for args in [
        &["frobnicate"][..],
        &["generate"],
        &["generate", "power", "--variant", "mystery"],
        &["generate", "power", "--format", "gif"],
        &["generate-all", "--parallel", "0"],
        &["clean", "--older-than", "soon"],
        &["events", "--topic", "weather"],
        &["completions", "tcsh"],
        &["stats", "--quiet", "--verbose"],
    ] {
        let (code, stdout, stderr) = run(&mut luna(args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stdout.is_empty() && stderr.contains("error"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn clean_without_confirm_is_refused_with_64() {
    let (_dir, socket) = missing_socket();
    let (code, stdout, stderr) = run(&mut luna(&["clean", "--socket", &socket_arg(&socket)]));
    assert_eq!(code, 64);
    assert!(stdout.is_empty());
    assert!(
        stderr.starts_with("luna: ") && stderr.contains("--confirm"),
        "{stderr}"
    );
}

#[test]
fn raw_rejects_bad_json_with_65() {
    let (_dir, socket) = missing_socket();
    for request in ["{not json", "[1,2]"] {
        let (code, _, stderr) = run(&mut luna(&[
            "raw",
            request,
            "--socket",
            &socket_arg(&socket),
        ]));
        assert_eq!(code, 65, "{request}: {stderr}");
    }
}

#[test]
fn no_autostart_without_a_daemon_exits_69() {
    let (_dir, socket) = missing_socket();
    let shown = socket_arg(&socket);
    for args in [
        &["variants"][..],
        &["styles"],
        &["stats"],
        &["files", "--limit", "3"],
        &["generate", "power"],
        &["generate-all"],
        &["favicon", "serenity"],
        &["validate-all"],
        &["events"],
        &["raw", r#"{"cmd":"ping"}"#],
    ] {
        let mut command = luna(args);
        command
            .args(["--no-autostart", "--socket", &shown])
            .env_remove("LUNA_NO_AUTOSTART");
        let (code, stdout, stderr) = run(&mut command);
        assert_eq!(code, 69, "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}: {stdout}");
        assert!(
            stderr.starts_with(&format!("luna: lunad is not running at {shown}")),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains(&format!("lunad --socket {shown}")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert!(!socket.exists());
}

#[test]
fn the_environment_turns_autostart_off_too() {
    let (_dir, socket) = missing_socket();
    let mut command = luna(&["stats"]);
    command
        .env("LUNA_SOCKET", &socket)
        .env("LUNA_NO_AUTOSTART", "1");
    let (code, _, stderr) = run(&mut command);
    assert_eq!(code, 69, "{stderr}");
    assert!(stderr.contains(&socket_arg(&socket)), "{stderr}");
}

#[test]
fn json_errors_are_one_object_on_stderr() {
    let (_dir, socket) = missing_socket();
    let (code, stdout, stderr) = run(&mut luna(&[
        "stats",
        "--json",
        "--socket",
        &socket_arg(&socket),
    ]));
    assert_eq!(code, 69);
    assert!(stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&stderr).unwrap();
    assert_eq!(value["error"]["code"], "unavailable");
    assert_eq!(value["error"]["exit"], 69);
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not running")
    );

    let (code, _, stderr) = run(&mut luna(&["clean", "--json"]));
    assert_eq!(code, 64);
    let value: serde_json::Value = serde_json::from_str(&stderr).unwrap();
    assert_eq!(
        (
            value["error"]["code"].as_str(),
            value["error"]["exit"].as_u64()
        ),
        (Some("usage"), Some(64))
    );
}

#[test]
fn daemon_status_and_stop_never_start_lunad() {
    let (_dir, socket) = missing_socket();
    let shown = socket_arg(&socket);
    let mut status = luna(&["daemon", "status", "--socket", &shown]);
    status.env_remove("LUNA_NO_AUTOSTART");
    let (code, stdout, stderr) = run(&mut status);
    assert_eq!(code, 69);
    assert!(stdout.is_empty());
    assert_eq!(stderr, format!("luna: lunad is not running at {shown}\n"));

    let (code, stdout, _) = run(&mut luna(&[
        "daemon", "status", "--json", "--socket", &shown,
    ]));
    assert_eq!(code, 69);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["running"], false);

    let mut stop = luna(&["daemon", "stop", "--socket", &shown]);
    stop.env_remove("LUNA_NO_AUTOSTART");
    let (code, stdout, _) = run(&mut stop);
    assert_eq!(code, 0);
    assert_eq!(stdout, format!("lunad is not running at {shown}\n"));
    assert!(!socket.exists());
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, stdout, stderr) = run(&mut luna(&["completions", shell]));
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("generate-all"), "{shell}");
    }
}

/// Stops the daemon a test started, even when the test fails.
struct StopOnDrop(PathBuf);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = luna(&["daemon", "stop", "--socket", &socket_arg(&self.0)]).output();
    }
}

/// The one test with a real lunad (built next to luna): autostart, a generation, stop.
#[test]
fn autostart_generate_and_stop_with_a_real_daemon() {
    let _ = env!("CARGO_BIN_EXE_lunad"); // make sure it is built next to luna
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("run/ctl.sock");
    let shown = socket_arg(&socket);
    let with_daemon = |args: &[&str]| {
        let mut command = luna(args);
        command
            .args(["--socket", &shown])
            .env_remove("LUNA_NO_AUTOSTART")
            .env("LUNA_DATA_DIR", dir.path().join("data"))
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .current_dir(dir.path());
        command
    };
    let _stop = StopOnDrop(socket.clone());

    let (code, stdout, stderr) = run(&mut with_daemon(&["generate", "power", "-s", "64"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("started lunad (pid "), "{stderr}");
    assert!(stdout.starts_with("✓ exports/arkalia-luna-power-64.svg  (simple · power · 64×64"));
    let svg =
        std::fs::read_to_string(dir.path().join("exports/arkalia-luna-power-64.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));

    let (code, stdout, stderr) = run(&mut with_daemon(&["stats", "--json"]));
    assert_eq!(code, 0, "{stderr}");
    let stats: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(stats["total_generated"], 1);

    let (code, stdout, _) = run(&mut with_daemon(&["raw", r#"{"cmd":"nope"}"#]));
    assert_eq!(code, 64);
    assert!(stdout.contains(r#""code":"unknown_command""#), "{stdout}");

    let (code, stdout, stderr) = run(&mut with_daemon(&["daemon", "stop"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("stopped lunad"), "{stdout}");
    let (code, _, _) = run(&mut with_daemon(&["daemon", "status"]));
    assert_eq!(code, 69);
}
