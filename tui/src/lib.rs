//! luna's terminal UI: browse variants and styles, preview a logo and export it, over lunad's
//! IPC only (`luna-ipc`). [`run`] expects a running daemon; the `luna tui` command starts one.
//!
//! One connection carries requests (catalogue, stats, previews, exports, cleanups); a second
//! one is subscribed to `stats`, `generated` and `shutdown` events. Nothing polls: the screen is
//! redrawn when a key, a mouse event, a resize, a reply or a daemon event arrives. When the
//! daemon goes away a banner says so and a connection is retried every second.

pub mod action;
pub mod app;
pub mod catalogue;
pub mod daemon;
pub mod dialog;
pub mod graphics;
pub mod preview;
pub mod terminal;
pub mod ui;

// Their types are part of this crate's API (key events, frames, the image picker).
pub use {crossterm, ratatui, ratatui_image};

use action::Action;
use app::{App, Effect};
use futures_util::StreamExt;
use graphics::{Graphics, Mode};
use luna_ipc::{Client, ClientError};
use preview::PreviewKey;
use std::path::PathBuf;
use tokio::sync::{mpsc, watch};

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Runs the TUI against the daemon at `socket` until the user quits or SIGTERM, drawing the
/// preview in `graphics` mode (detected when `None`). The terminal is restored on return, on
/// error and on panic.
pub async fn run(socket: PathBuf, graphics: Option<Mode>) -> Result<(), TuiError> {
    // Fail before touching the terminal when there is no daemon at all.
    let first = Client::connect(&socket).await?;
    let mut terminal = terminal::init()?;
    // Before the event stream exists: the detection query reads the terminal's replies.
    let graphics = Graphics::detect(graphics);
    let result = event_loop(&mut terminal, socket, first, graphics).await;
    terminal::restore();
    result
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    socket: PathBuf,
    first: Client,
    graphics: Graphics,
) -> Result<(), TuiError> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (client_tx, clients) = watch::channel(None);
    let connection = tokio::spawn(daemon::connection(
        socket.clone(),
        first,
        tx.clone(),
        client_tx,
    ));
    let mut keys = crossterm::event::EventStream::new();
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let size = terminal.size()?;
    let mut app = App {
        width: size.width,
        height: size.height,
        graphics,
        cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        home: std::env::var_os("HOME").map(PathBuf::from),
        ..App::default()
    };
    let mut requested: Option<PreviewKey> = None;
    terminal.draw(|frame| ui::draw(frame, &app))?;
    let result = loop {
        let (pixels, cells) = app::layout::preview_size(&app);
        if let Some(key) = app.preview_key(pixels, cells)
            && requested.as_ref() != Some(&key)
            && clients.borrow().is_some()
        {
            requested = Some(key.clone());
            tokio::spawn(daemon::fetch_preview(
                clients.clone(),
                socket.clone(),
                key,
                app.graphics.picker.clone(),
                tx.clone(),
            ));
        }
        let action = tokio::select! {
            event = keys.next() => match event {
                Some(Ok(event)) => action::from_event(&event),
                Some(Err(e)) => break Err(e.into()),
                None => Some(Action::Quit),
            },
            action = rx.recv() => action,
            _ = sigterm.recv() => Some(Action::Quit),
        };
        let Some(action) = action else { continue };
        match &action {
            Action::Preview(p) if requested.as_ref() != Some(&p.key) => continue,
            Action::Connected { .. } => requested = None,
            _ => {}
        }
        match app.update(action) {
            Some(Effect::Export { args, request }) => {
                tokio::spawn(daemon::export(
                    clients.clone(),
                    socket.clone(),
                    args,
                    request,
                    tx.clone(),
                ));
            }
            Some(Effect::Cleanup(args)) => {
                tokio::spawn(daemon::cleanup(
                    clients.clone(),
                    socket.clone(),
                    args,
                    tx.clone(),
                ));
            }
            None => {}
        }
        if app.quit {
            break Ok(());
        }
        // Only after an action that was applied: a stale preview or an ignored event draws nothing.
        terminal.draw(|frame| ui::draw(frame, &app))?;
    };
    connection.abort();
    result
}
