//! `luna tui` benchmarks against a real `lunad`: drawing a whole 160×48 frame, and a key press to
//! the new preview on screen (the key handled, the PNG requested over IPC, rendered by lunad,
//! decoded, encoded for the terminal and the frame drawn). Frames go through crossterm's backend
//! into a sink, so escape-sequence encoding is counted but no terminal is needed.
//!
//! `cargo bench --bench tui` (prints a table; results go to docs/PERFORMANCE.md). The idle
//! check (no redraw, no CPU) is `bench/tui_idle.sh`.

#[path = "support/daemon.rs"]
mod support;

use luna_ipc::Client;
use luna_tui::action::Action;
use luna_tui::app::{App, Daemon as DaemonState};
use luna_tui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use luna_tui::graphics::{Graphics, Mode};
use luna_tui::ratatui::backend::CrosstermBackend;
use luna_tui::ratatui::layout::Rect;
use luna_tui::ratatui::{Terminal, TerminalOptions, Viewport};
use luna_tui::ratatui_image::picker::{Picker, ProtocolType};
use luna_tui::{daemon, ui};
use std::time::{Duration, Instant};
use support::{Daemon, percentile};

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;
const RUNS: usize = 150;

type Sink = Terminal<CrosstermBackend<std::io::Sink>>;

fn terminal() -> Sink {
    let viewport = Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT));
    Terminal::with_options(
        CrosstermBackend::new(std::io::sink()),
        TerminalOptions { viewport },
    )
    .expect("terminal")
}

fn graphics(mode: Mode) -> Graphics {
    let protocol = match mode {
        Mode::Kitty => ProtocolType::Kitty,
        Mode::Sixel => ProtocolType::Sixel,
        Mode::Iterm2 => ProtocolType::Iterm2,
        _ => return Graphics::cells(mode),
    };
    // A 10×20 px cell, the picker's default when a terminal does not report its font.
    let mut picker = Picker::halfblocks();
    picker.set_protocol_type(protocol);
    Graphics {
        mode,
        picker: Some(picker),
    }
}

fn press(app: &mut App, c: char) {
    app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )));
}

/// The preview for the app's current selection, fetched from lunad and stored in the app.
async fn show_preview(app: &mut App, client: &Client) {
    let (pixels, cells) = ui::preview_size(app);
    let key = app.preview_key(pixels, cells).expect("a selection");
    let preview = daemon::load_preview(client, key, app.graphics.picker.as_ref())
        .await
        .expect("preview");
    app.update(Action::Preview(Box::new(preview)));
}

struct Row {
    case: String,
    median: Duration,
    p95: Duration,
    max: Duration,
}

fn row(case: String, mut times: Vec<Duration>) -> Row {
    times.sort();
    Row {
        case,
        median: percentile(&times, 0.5),
        p95: percentile(&times, 0.95),
        max: *times.last().expect("runs"),
    }
}

async fn app(client: &Client, mode: Mode) -> App {
    let (variants, styles) = daemon::catalogue(client).await.expect("catalogue");
    App {
        variants,
        styles,
        daemon: DaemonState::Connected,
        width: WIDTH,
        height: HEIGHT,
        graphics: graphics(mode),
        ..App::default()
    }
}

/// A whole frame: each draw shows another variant's preview, so most cells change.
async fn frame_draw(client: &Client, mode: Mode) -> Row {
    let mut apps = Vec::new();
    for variant in 0..2 {
        let mut app = app(client, mode).await;
        app.variant = variant;
        show_preview(&mut app, client).await;
        apps.push(app);
    }
    let mut terminal = terminal();
    let times = (0..RUNS)
        .map(|i| {
            let app = &apps[i % 2];
            let start = Instant::now();
            terminal.draw(|frame| ui::draw(frame, app)).expect("draw");
            start.elapsed()
        })
        .collect();
    row(format!("frame draw 160×48, {}", mode.label()), times)
}

/// A key press to the new preview drawn. `key` is `s` (a new seed: lunad renders) or `j`
/// (the next variant: after the first round, lunad's cache answers).
async fn key_to_preview(client: &Client, mode: Mode, key: char) -> Row {
    let mut app = app(client, mode).await;
    let mut terminal = terminal();
    show_preview(&mut app, client).await;
    terminal.draw(|frame| ui::draw(frame, &app)).expect("draw");
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        press(&mut app, key);
        show_preview(&mut app, client).await;
        terminal.draw(|frame| ui::draw(frame, &app)).expect("draw");
        times.push(start.elapsed());
    }
    let what = if key == 's' {
        "new seed, rendered"
    } else {
        "next variant, cached"
    };
    row(format!("key → preview ({what}), {}", mode.label()), times)
}

fn main() {
    let (daemon, _) = Daemon::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let rows = runtime.block_on(async {
        let client = Client::connect(&daemon.socket).await.expect("connect");
        let mut rows = Vec::new();
        for mode in [
            Mode::TrueColor,
            Mode::Ansi256,
            Mode::Kitty,
            Mode::Iterm2,
            Mode::Sixel,
        ] {
            rows.push(frame_draw(&client, mode).await);
        }
        for mode in [Mode::TrueColor, Mode::Kitty, Mode::Iterm2, Mode::Sixel] {
            rows.push(key_to_preview(&client, mode, 's').await);
            rows.push(key_to_preview(&client, mode, 'j').await);
        }
        rows
    });
    println!("| case | median | p95 | max |");
    println!("|---|---|---|---|");
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    for r in rows {
        println!(
            "| {} | {} | {} | {} |",
            r.case,
            ms(r.median),
            ms(r.p95),
            ms(r.max)
        );
    }
}
