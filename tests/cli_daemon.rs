//! Every `luna` command against a real lunad on a temp socket, as a shell script would use it.

mod support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use support::Daemon;

struct Cli {
    socket: std::path::PathBuf,
    cwd: tempfile::TempDir,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

impl Cli {
    fn new(daemon: &Daemon) -> Cli {
        Cli {
            socket: daemon.socket().to_owned(),
            cwd: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_luna"));
        command
            .args(args)
            .current_dir(self.cwd.path())
            .env("LUNA_SOCKET", &self.socket)
            .env("LUNA_NO_AUTOSTART", "1")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Out {
        let output = self.command(args).output().unwrap();
        Out {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn ok(&self, args: &[&str]) -> Out {
        let out = self.run(args);
        assert_eq!(out.code, 0, "luna {args:?} failed: {}", out.stderr);
        out
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.cwd.path().join(name)
    }
}

fn is_png(path: &Path, size: u32) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        && u32::from_be_bytes(bytes[16..20].try_into().unwrap()) == size
}

#[test]
fn listing_commands_show_the_variants_and_styles() {
    let d = Daemon::start();
    let cli = Cli::new(&d);
    let variants = cli.ok(&["variants"]).stdout;
    for name in [
        "Sérénité",
        "Puissance",
        "Mystère",
        "Éveil/Sagesse",
        "Énergie créative",
        "#1e40af",
    ] {
        assert!(variants.contains(name), "{name} missing from:\n{variants}");
    }
    assert_eq!(cli.ok(&["info"]).stdout, variants, "`info` is an alias");
    let json = cli.ok(&["variants", "--json"]).json();
    assert_eq!(json[1]["variant_type"], "power");
    let styles = cli.ok(&["generators", "--json"]).json();
    assert_eq!(styles.as_array().unwrap().len(), 8);
    assert!(cli.ok(&["styles"]).stdout.contains("realism_max"));
}

#[test]
fn generate_writes_the_requested_formats_and_names() {
    let d = Daemon::start();
    let cli = Cli::new(&d);
    cli.ok(&["generate", "serenity"]);
    let svg = std::fs::read_to_string(cli.path("exports/arkalia-luna-serenity-200.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<animate"));
    cli.ok(&[
        "generate",
        "-v",
        "power",
        "-g",
        "ultra_max",
        "-s",
        "64",
        "--static",
    ]);
    let still =
        std::fs::read_to_string(cli.path("exports/arkalia-luna-ultra-max-power-64.svg")).unwrap();
    assert!(!still.contains("<animate"));
    cli.ok(&["generate", "mystery", "-o", "moon.png", "-s", "48"]);
    assert!(is_png(&cli.path("moon.png"), 48));
    cli.ok(&["generate", "creative", "-o", "icon.ico"]);
    assert_eq!(
        &std::fs::read(cli.path("icon.ico")).unwrap()[..4],
        &[0, 0, 1, 0]
    );
    let stdout = cli.ok(&[
        "generate",
        "awakening",
        "-o",
        "-",
        "--palette",
        "#111111,#222222,#333333,#444444",
    ]);
    assert!(
        stdout.stdout.contains("#222222"),
        "the palette's secondary colour is drawn"
    );
    let seeded = cli
        .ok(&[
            "generate", "power", "-g", "ultimate", "--seed", "7", "-o", "-",
        ])
        .stdout;
    assert_eq!(
        seeded,
        cli.ok(&[
            "generate", "power", "-g", "ultimate", "--seed", "7", "-o", "-"
        ])
        .stdout
    );
    let json = cli
        .ok(&["generate", "power", "--json", "-o", "x.svg"])
        .json();
    assert_eq!(json["variant"], "power");
    assert!(json.get("data").is_none());
}

#[test]
fn daemon_errors_become_exit_codes() {
    let d = Daemon::start();
    let cli = Cli::new(&d);
    let unknown = cli.run(&["generate", "sunny"]);
    assert_eq!(unknown.code, 64, "{}", unknown.stderr);
    assert!(
        unknown
            .stderr
            .contains("serenity, power, mystery, awakening, creative")
    );
    assert_eq!(cli.run(&["generate", "power", "-s", "9999"]).code, 64);
    assert_eq!(
        cli.run(&["generate", "power", "--palette", "nope"]).code,
        64
    );
    let json = cli.run(&["--json", "generate", "power", "-g", "fancy"]);
    assert_eq!(json.code, 64);
    let error: Value = serde_json::from_str(json.stderr.trim()).unwrap();
    assert_eq!(error["error"]["code"], "invalid_argument");
    assert_eq!(cli.run(&["raw", "{\"cmd\":\"fly\"}"]).code, 64);
    let unwritable = cli.run(&["generate", "power", "-o", "/proc/nope/out.svg"]);
    assert!(
        matches!(unwritable.code, 73 | 74),
        "{}: {}",
        unwritable.code,
        unwritable.stderr
    );
}

#[test]
fn batch_commands_cover_every_combination() {
    let d = Daemon::start();
    let cli = Cli::new(&d);
    let out = cli.ok(&["generate-all", "-s", "32", "-p", "4", "--json"]);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        41,
        "one JSON line per logo, then a summary:\n{}",
        out.stdout
    );
    assert_eq!(lines[40]["summary"]["generated"], 40);
    let files = std::fs::read_dir(cli.path("exports")).unwrap().count();
    assert_eq!(files, 40);
    cli.ok(&[
        "-O",
        "subset",
        "generate-all",
        "-v",
        "power",
        "-v",
        "mystery",
        "-g",
        "dashboard",
        "-s",
        "16",
        "-s",
        "64",
    ]);
    assert_eq!(std::fs::read_dir(cli.path("subset")).unwrap().count(), 4);
    assert_eq!(cli.ok(&["validate-all"]).code, 0);

    // The favicon package: tested file by file in tests/favicon.rs; here the CLI's layout.
    let printed = cli.ok(&["favicon", "serenity", "-o", "icons"]).stdout;
    assert!(
        printed.contains(r#"<link rel="icon" href="/icon.svg" type="image/svg+xml">"#),
        "{printed}"
    );
    assert_eq!(
        &std::fs::read(cli.path("icons/favicon.ico")).unwrap()[..4],
        &[0, 0, 1, 0]
    );
    for (name, size) in [
        ("apple-touch-icon.png", 180),
        ("icon-192.png", 192),
        ("icon-512.png", 512),
        ("icon-512-maskable.png", 512),
    ] {
        assert!(is_png(&cli.path(&format!("icons/{name}")), size), "{name}");
    }
    cli.ok(&["favicon-all", "-o", "all-icons"]);
    for variant in ["serenity", "power", "mystery", "awakening", "creative"] {
        let dir = cli.path(&format!("all-icons/{variant}"));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 8, "{variant}");
    }
    assert_eq!(std::fs::read_dir(cli.path("all-icons")).unwrap().count(), 5);
}

#[test]
fn stats_files_clean_and_raw_drive_the_store() {
    let d = Daemon::start();
    let cli = Cli::new(&d);
    for size in ["64", "128"] {
        let stored = cli.ok(&["raw", &format!("{{\"cmd\":\"generate\",\"args\":{{\"variant\":\"power\",\"size\":{size},\"store\":true}}}}")]);
        assert!(stored.stdout.contains("\"ok\":true"), "{}", stored.stdout);
    }
    let stats = cli.ok(&["stats", "--json"]).json();
    assert_eq!(stats["total_generated"], 2);
    assert_eq!(stats["files"], 2);
    assert!(cli.ok(&["stats"]).stdout.contains("total generated"));
    let files = cli.ok(&["files", "--json"]).json();
    assert_eq!(files["total"], 2);
    assert!(
        cli.ok(&["files"])
            .stdout
            .contains("arkalia-luna-power-128-simple-")
    );

    assert_eq!(
        cli.run(&["clean"]).code,
        64,
        "clean without --confirm is refused"
    );
    let preview = cli.ok(&["clean", "--dry-run", "--json"]).json();
    assert_eq!(
        (preview["removed"].as_u64(), preview["dry_run"].as_bool()),
        (Some(2), Some(true))
    );
    let young = cli
        .ok(&["clean", "--confirm", "--older-than", "1h", "--json"])
        .json();
    assert_eq!(young["removed"], 0, "nothing is an hour old");
    let all = cli.ok(&["clean", "--confirm", "--json"]).json();
    assert_eq!(all["removed"], 2);
    assert_eq!(cli.ok(&["files", "--json"]).json()["total"], 0);
}

#[test]
fn events_stream_until_the_daemon_stops() {
    let mut d = Daemon::start();
    let cli = Cli::new(&d);
    let mut events = cli
        .command(&[
            "events",
            "--json",
            "--topic",
            "generated",
            "--topic",
            "shutdown",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the subscription is in place: generate until an event shows up.
    let reader = std::thread::spawn({
        let stdout = events.stdout.take().unwrap();
        move || {
            use std::io::BufRead;
            std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        }
    });
    for _ in 0..20 {
        cli.ok(&["generate", "power", "-o", "-"]);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let status = cli.ok(&["daemon", "status", "--json"]).json();
    assert_eq!(status["version"], env!("CARGO_PKG_VERSION"));
    cli.ok(&["daemon", "stop"]);
    let lines = reader.join().unwrap();
    let exit = events.wait().unwrap();
    assert_eq!(
        exit.code(),
        Some(0),
        "events exits cleanly when the daemon stops"
    );
    let kinds: Vec<String> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .map(|e| e["event"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(kinds.iter().any(|k| k == "generated"), "{lines:?}");
    assert!(kinds.iter().any(|k| k == "shutdown"), "{lines:?}");
    assert_eq!(
        d.wait_exit(std::time::Duration::from_secs(15)).code(),
        Some(0)
    );
    let stopped = cli.run(&["daemon", "status"]);
    assert_eq!(stopped.code, 69, "status of a stopped daemon");
}
