//! `luna tui` in a real terminal: a real lunad, `luna tui` inside a detached tmux session
//! (120×40), keys sent with `tmux send-keys`, the screen read with `tmux capture-pane -p`.

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use support::Daemon;

const TMUX: &str = "/usr/bin/tmux";
/// The longest any single screen condition is waited for.
const WAIT: Duration = Duration::from_secs(15);

/// A tmux server of our own (`-L`), killed on drop even when the test fails.
struct Tmux {
    name: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(TMUX)
            .arg("-L")
            .arg(&self.name)
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn start(dir: &Path, socket: &Path) -> Tmux {
        let tmux = Tmux {
            name: format!("luna-tui-test-{}", std::process::id()),
        };
        let command = format!(
            "env LUNA_SOCKET='{}' '{}' tui",
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

/// The selected variant: the one after the `▶ ` marker.
fn selected(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains("▶ "))?;
    let after = line.split("▶ ").nth(1)?;
    after.split_whitespace().next().map(str::to_owned)
}

#[test]
fn tui_moves_shows_stats_and_exports_an_svg() {
    if !Path::new(TMUX).exists() {
        eprintln!("skipped: no {TMUX}");
        return;
    }
    let daemon = Daemon::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let tmux = Tmux::start(dir.path(), daemon.socket());

    let screen = tmux.wait_for("variant list and connected status", |s| {
        s.contains("serenity") && s.contains("lunad connected")
    });
    assert_eq!(selected(&screen).as_deref(), Some("serenity"), "{screen}");

    tmux.keys("j");
    tmux.wait_for("power selected and previewed", |s| {
        selected(s).as_deref() == Some("power") && s.contains("Preview · simple · power")
    });

    // The preview is a generate: the stats event updates the status bar.
    tmux.wait_for("stats in the status bar", |s| {
        s.lines()
            .rfind(|l| !l.trim().is_empty())
            .is_some_and(|l| l.contains("generated") && !l.contains("generated 0 "))
    });

    tmux.keys("e");
    let name = "arkalia-luna-power-256.svg";
    tmux.wait_for("export path", |s| s.contains(&format!("exported ./{name}")));
    let svg = std::fs::read_to_string(dir.path().join(name)).expect("exported file");
    roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert!(
        svg.starts_with("<svg") || svg.starts_with("<?xml"),
        "{svg:.80}"
    );

    tmux.keys("?");
    tmux.wait_for("help overlay", |s| s.contains("new random seed"));
    tmux.keys("q");
    tmux.keys("q");
    let deadline = Instant::now() + WAIT;
    while tmux.run(&["has-session"]).status.success() {
        assert!(
            Instant::now() < deadline,
            "luna tui did not quit:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
