//! `luna tui` in a real terminal: a real lunad, `luna tui` inside a detached tmux session
//! (120×40), keys and SGR mouse reports sent with `tmux send-keys`, the screen read with
//! `tmux capture-pane -p`, and the bytes the TUI writes recorded with `tmux pipe-pane`.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::{Daemon, Env, wait_until};

const TMUX: &str = "/usr/bin/tmux";
/// The longest any single screen condition is waited for.
const WAIT: Duration = Duration::from_secs(15);

/// A tmux server of our own, killed on drop even when the test fails. Its socket lives in a
/// temp dir of its own (`-S`), so nothing is left in /tmp/tmux-UID.
struct Tmux {
    server: tempfile::TempDir,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(TMUX)
            .arg("-S")
            .arg(self.server.path().join("tmux.sock"))
            // The user's ~/.tmux.conf must not change what the test sees.
            .args(["-f", "/dev/null"])
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn start(dir: &Path, socket: &Path) -> Tmux {
        Tmux::start_with(dir, socket, &[])
    }

    /// `luna tui` with `env` added to its environment (inherited by an autostarted lunad).
    fn start_with(dir: &Path, socket: &Path, env: &[(&str, &str)]) -> Tmux {
        // One server per test: tests run in parallel in one process.
        let tmux = Tmux {
            server: tempfile::tempdir().expect("temp dir"),
        };
        let extra: String = env
            .iter()
            .map(|(name, value)| format!("{name}='{value}' "))
            .collect();
        let command = format!(
            "env {extra}LUNA_SOCKET='{}' '{}' tui",
            socket.display(),
            env!("CARGO_BIN_EXE_luna")
        );
        let dir = dir.to_str().expect("utf-8 temp dir");
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            dir,
            &command,
        ]);
        assert!(out.status.success(), "{out:?}");
        tmux
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p"]).stdout).into_owned()
    }

    fn keys(&self, keys: &str) {
        let out = self.run(&["send-keys", keys]);
        assert!(out.status.success(), "{out:?}");
    }

    /// Types `text` literally (no key names).
    fn type_text(&self, text: &str) {
        let out = self.run(&["send-keys", "-l", text]);
        assert!(out.status.success(), "{out:?}");
    }

    /// An SGR mouse report, as a terminal sends it: `button` at 0-based (`column`, `row`).
    fn mouse(&self, button: u8, column: u16, row: u16) {
        let (x, y) = (column + 1, row + 1);
        self.type_text(&format!("\x1b[<{button};{x};{y}M"));
        if button < 64 {
            self.type_text(&format!("\x1b[<{button};{x};{y}m"));
        }
    }

    /// Waits for the TUI to exit after `q`.
    /// Records what the TUI writes to the terminal from now on into `file`.
    fn record(&self, file: &Path) {
        let out = self.run(&["pipe-pane", "-o", &format!("cat > '{}'", file.display())]);
        assert!(out.status.success(), "{out:?}");
    }

    fn wait_exit(&self) {
        let deadline = Instant::now() + WAIT;
        while self.run(&["has-session"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "luna tui did not quit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the screen satisfies `ok`, and returns it.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "no {what} on screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The selected row of the focused list: the word after the `▶ ` marker.
fn selected(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains("▶ "))?;
    let after = line.split("▶ ").nth(1)?;
    after.split_whitespace().next().map(str::to_owned)
}

/// The status bar: the last non-empty line.
fn status(screen: &str) -> String {
    screen
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_owned()
}

fn skip_without_tmux() -> bool {
    let missing = !Path::new(TMUX).exists();
    if missing {
        eprintln!("skipped: no {TMUX}");
    }
    missing
}

#[test]
fn tui_browses_with_keys_and_mouse_shows_stats_and_exports() {
    if skip_without_tmux() {
        return;
    }
    let daemon = Daemon::start();
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("brand-kit")).expect("mkdir");
    let tmux = Tmux::start(dir.path(), daemon.socket());

    let screen = tmux.wait_for("variant list and connected status", |s| {
        s.contains("serenity") && s.contains("lunad connected") && s.contains("ms to screen")
    });
    assert_eq!(selected(&screen).as_deref(), Some("serenity"), "{screen}");
    assert!(
        screen.contains("blocks"),
        "tmux gets half-blocks:\n{screen}"
    );

    tmux.keys("j");
    tmux.wait_for("power selected and previewed", |s| {
        selected(s).as_deref() == Some("power") && s.contains("Preview · simple · power")
    });
    // The previews are generates: the stats event updates the status bar.
    tmux.wait_for("stats in the status bar", |s| {
        let bar = status(s);
        bar.contains("generated") && !bar.contains("generated 0 ")
    });

    // A click on the fourth variant row (the list's border is row 0), then the wheel over the
    // styles list.
    tmux.mouse(0, 5, 4);
    tmux.wait_for("awakening clicked", |s| {
        selected(s).as_deref() == Some("awakening") && s.contains("Preview · simple · awakening")
    });
    let styles_row = tmux
        .screen()
        .lines()
        .position(|l| l.contains("Styles"))
        .expect("styles pane") as u16;
    tmux.mouse(65, 5, styles_row + 2);
    tmux.wait_for("the wheel moved the style", |s| {
        s.contains("Preview · advanced · awakening")
    });

    // Export with the defaults: the dialog proposes the CLI's file name.
    tmux.keys("e");
    tmux.wait_for("export dialog", |s| {
        s.contains("arkalia-luna-advanced-awakening-256.svg")
    });
    tmux.keys("Enter");
    let name = "arkalia-luna-advanced-awakening-256.svg";
    tmux.wait_for("exported SVG", |s| s.contains(&format!("exported {name}")));
    let svg = std::fs::read_to_string(dir.path().join(name)).expect("exported file");
    roxmltree::Document::parse(&svg).expect("well-formed SVG");

    // A 64 px PNG into a directory reached with Tab completion.
    tmux.keys("e");
    tmux.wait_for("export dialog", |s| s.contains("Tab complete"));
    tmux.keys("Right");
    tmux.keys("Down");
    tmux.keys("C-u");
    tmux.type_text("64");
    tmux.keys("Down");
    tmux.keys("C-u");
    tmux.type_text("bra");
    tmux.keys("Tab");
    tmux.wait_for("completed path", |s| s.contains("brand-kit/"));
    tmux.type_text("moon.png");
    tmux.keys("Enter");
    tmux.wait_for("exported PNG", |s| {
        s.contains("exported brand-kit/moon.png")
    });
    let png = std::fs::read(dir.path().join("brand-kit/moon.png")).expect("exported PNG");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let info = decoder.read_info().expect("valid PNG");
    assert_eq!((info.info().width, info.info().height), (64, 64));

    // Idle: nothing is redrawn, so nothing reaches the terminal.
    std::thread::sleep(Duration::from_millis(500));
    let record = dir.path().join("idle.out");
    tmux.record(&record);
    std::thread::sleep(Duration::from_secs(2));
    tmux.run(&["pipe-pane"]);
    let written = std::fs::read(&record).map_or(0, |b| b.len());
    assert_eq!(written, 0, "the idle TUI wrote {written} bytes");

    tmux.keys("?");
    tmux.wait_for("help overlay", |s| s.contains("type a seed"));
    tmux.keys("q");
    tmux.wait_for("help closed", |s| !s.contains("type a seed"));
    tmux.keys("q");
    tmux.wait_exit();
}

#[test]
fn tui_edits_the_palette_cleans_up_and_survives_a_tiny_terminal() {
    if skip_without_tmux() {
        return;
    }
    let daemon = Daemon::start();
    let stored = daemon.ok(
        "generate",
        serde_json::json!({"variant": "power", "store": true}),
    );
    let file = stored["file"].as_str().expect("stored file").to_owned();
    let dir = tempfile::tempdir().expect("temp dir");
    let tmux = Tmux::start(dir.path(), daemon.socket());
    tmux.wait_for("connected", |s| {
        s.contains("lunad connected") && s.contains("ms to screen")
    });

    tmux.keys("p");
    tmux.wait_for("palette dialog", |s| s.contains("Ctrl-R"));
    tmux.keys("C-u");
    tmux.type_text("#ff0000");
    tmux.keys("Enter");
    tmux.wait_for("custom palette", |s| {
        s.contains("custom palette") && s.contains("#ff0000")
    });

    tmux.keys("S");
    tmux.wait_for("seed dialog", |s| s.contains("The seed places"));
    tmux.type_text("777");
    tmux.keys("Enter");
    tmux.wait_for("typed seed", |s| s.contains("seed     777"));

    // Cleanup: a dry run for a day finds nothing this young; every file finds the stored one.
    tmux.keys("c");
    tmux.wait_for("dry run", |s| s.contains("would remove 0 files"));
    tmux.keys("Left");
    tmux.keys("Left");
    tmux.wait_for("dry run of every file", |s| {
        s.contains("every stored file") && s.contains("would remove 1 file,")
    });
    assert!(daemon_has_file(&daemon, &file), "a dry run deletes nothing");
    tmux.keys("y");
    tmux.wait_for("cleanup done", |s| status(s).contains("removed 1 file,"));
    assert!(
        !daemon_has_file(&daemon, &file),
        "the confirmed cleanup deleted {file}"
    );

    tmux.run(&["resize-window", "-x", "50", "-y", "15"]);
    tmux.wait_for("too small", |s| s.contains("terminal too small"));
    tmux.run(&["resize-window", "-x", "100", "-y", "30"]);
    tmux.wait_for("back", |s| {
        s.contains("Variants") && s.contains("custom palette")
    });
    tmux.keys("q");
    tmux.wait_exit();
}

fn daemon_has_file(daemon: &Daemon, name: &str) -> bool {
    let files = daemon.ok("files", serde_json::json!({}));
    files.to_string().contains(name)
}

#[test]
fn tui_starts_lunad_when_none_runs_and_reconnects_after_a_restart() {
    if skip_without_tmux() {
        return;
    }
    let env = Env::new();
    let dir = tempfile::tempdir().expect("temp dir");
    // No daemon: like every luna command, the TUI starts one (it inherits these variables).
    let tmux = Tmux::start_with(
        dir.path(),
        &env.socket,
        &[
            ("LUNA_DATA_DIR", env.data.to_str().expect("utf-8 temp dir")),
            ("LUNA_HTTP_LISTEN", "127.0.0.1:0"),
        ],
    );
    tmux.wait_for("autostarted lunad", |s| {
        s.contains("lunad connected") && s.contains("ms to screen")
    });

    let stop = Command::new(env!("CARGO_BIN_EXE_luna"))
        .args(["--no-autostart", "daemon", "stop"])
        .env("LUNA_SOCKET", &env.socket)
        .output()
        .expect("luna daemon stop");
    assert!(stop.status.success(), "{stop:?}");
    tmux.wait_for("the banner", |s| {
        s.contains("lunad unavailable — reconnecting")
    });
    // An export with no daemon: the error goes to the status bar and the TUI carries on.
    tmux.keys("e");
    tmux.wait_for("export dialog", |s| s.contains("Tab complete"));
    tmux.keys("Enter");
    tmux.wait_for("the export error", |s| status(s).contains("export: "));

    let _daemon = Daemon::start_in(&env);
    tmux.wait_for("reconnected", |s| {
        !s.contains("reconnecting") && status(s).contains("lunad connected")
    });
    tmux.keys("j");
    tmux.wait_for("previews again", |s| s.contains("Preview · simple · power"));
    tmux.keys("q");
    tmux.wait_exit();
}

/// With a protocol forced, the preview reaches the terminal as that protocol's escape sequences
/// (tmux does not draw them, but `pipe-pane` records what the TUI wrote).
#[test]
fn tui_writes_kitty_sixel_and_iterm2_images_when_asked() {
    if skip_without_tmux() {
        return;
    }
    let daemon = Daemon::start();
    for (mode, label, marker) in [
        ("kitty", "kitty graphics", "\x1b_G"),
        ("sixel", "sixel", "\x1bP"),
        ("iterm2", "iTerm2 images", "\x1b]1337;File="),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let tmux = Tmux::start_with(dir.path(), daemon.socket(), &[("LUNA_GRAPHICS", mode)]);
        tmux.wait_for("the forced mode", |s| {
            s.contains(label) && s.contains("ms to screen")
        });
        let record = dir.path().join("out");
        tmux.record(&record);
        tmux.keys("j");
        tmux.wait_for("the next preview", |s| {
            s.contains("Preview · simple · power")
        });
        wait_until(
            WAIT,
            &format!("{mode}'s {marker:?} in what the TUI wrote"),
            || {
                let written = std::fs::read(&record).unwrap_or_default();
                String::from_utf8_lossy(&written).contains(marker)
            },
        );
        tmux.keys("q");
        tmux.wait_exit();
    }
}
