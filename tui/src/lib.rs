//! luna's terminal UI: browse variants and styles, preview a logo and export it, over lunad's
//! IPC only (`luna-ipc`). [`run`] expects a running daemon; the `luna tui` command starts one.
//!
//! One connection carries requests (catalogue, stats, previews, exports); a second one is
//! subscribed to `stats`, `generated` and `shutdown` events. Nothing polls: the screen is redrawn
//! when a key, a resize, a reply or a daemon event arrives. When the daemon goes away a banner
//! says so and a connection is retried every second.

pub mod action;
pub mod app;
pub mod preview;
pub mod ui;

use action::Action;
use app::{App, PreviewKey, Style, Variant};
use futures_util::StreamExt;
use luna_ipc::{Client, ClientError, Command, Format, GenerateArgs, SubscribeArgs, Topic};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// Pause between reconnection attempts.
const RECONNECT_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Runs the TUI against the daemon at `socket` until the user quits or SIGTERM. The terminal is
/// restored on return, on error and on panic.
pub async fn run(socket: PathBuf) -> Result<(), TuiError> {
    // Fail before touching the terminal when there is no daemon at all.
    let first = Client::connect(&socket).await?;
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, socket, first).await;
    ratatui::restore();
    result
}

type Shared = watch::Receiver<Option<Arc<Client>>>;

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    socket: PathBuf,
    first: Client,
) -> Result<(), TuiError> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (client_tx, client_rx) = watch::channel(None);
    let connection = tokio::spawn(connection(socket.clone(), first, tx.clone(), client_tx));
    let mut keys = crossterm::event::EventStream::new();
    let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let size = terminal.size()?;
    let mut app = App {
        width: size.width,
        height: size.height,
        mono: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        ..App::default()
    };
    let mut requested: Option<PreviewKey> = None;
    let result = loop {
        terminal.draw(|frame| ui::draw(frame, &app))?;
        let pixels = ui::preview_pixels(&app, app.width, app.height);
        if let Some(key) = app.preview_key(pixels)
            && requested.as_ref() != Some(&key)
            && client_rx.borrow().is_some()
        {
            requested = Some(key.clone());
            tokio::spawn(fetch_preview(
                client_rx.clone(),
                socket.clone(),
                key,
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
            Action::Export => match export_args(&app) {
                Some((args, name)) => {
                    tokio::spawn(export(
                        client_rx.clone(),
                        socket.clone(),
                        args,
                        name,
                        tx.clone(),
                    ));
                }
                None => continue,
            },
            Action::Preview(key, _) if requested.as_ref() != Some(key) => continue,
            Action::Connected { .. } => requested = None,
            _ => {}
        }
        app.update(action);
        if app.quit {
            break Ok(());
        }
    };
    connection.abort();
    result
}

#[derive(Deserialize)]
struct VariantRow {
    variant_type: String,
    name: String,
    colors: Colors,
    animation_speed: f64,
    glow_intensity: f64,
}

#[derive(Deserialize)]
struct Colors {
    primary: String,
    secondary: String,
    accent: String,
    glow: String,
}

#[derive(Deserialize)]
struct StyleRow {
    key: String,
    name: String,
}

async fn catalogue(client: &Client) -> Result<(Vec<Variant>, Vec<Style>), ClientError> {
    let variants: Vec<VariantRow> = client.call_as(&Command::Variants).await?;
    let styles: Vec<StyleRow> = client.call_as(&Command::Styles).await?;
    let variants = variants
        .into_iter()
        .map(|v| Variant {
            key: v.variant_type,
            name: v.name,
            colors: [
                v.colors.primary,
                v.colors.secondary,
                v.colors.accent,
                v.colors.glow,
            ],
            speed: v.animation_speed,
            glow: v.glow_intensity,
        })
        .collect();
    let styles = styles
        .into_iter()
        .map(|s| Style {
            key: s.key,
            name: s.name,
        })
        .collect();
    Ok((variants, styles))
}

/// Keeps a request connection in `client_tx` and turns daemon events into actions; on loss,
/// reports it and reconnects every second.
async fn connection(
    socket: PathBuf,
    first: Client,
    tx: mpsc::UnboundedSender<Action>,
    client_tx: watch::Sender<Option<Arc<Client>>>,
) {
    let mut first = Some(first);
    loop {
        let client = match first.take() {
            Some(client) => client,
            None => match Client::connect(&socket).await {
                Ok(client) => client,
                Err(_) => {
                    tokio::time::sleep(RECONNECT_EVERY).await;
                    continue;
                }
            },
        };
        let client = Arc::new(client);
        // Stored before the catalogue is announced, so the preview it triggers finds a client.
        client_tx.send_replace(Some(client.clone()));
        let _ = tx.send(Action::Connected {
            algorithm: client.hello().algorithm,
        });
        match catalogue(&client).await {
            Ok((variants, styles)) => {
                let _ = tx.send(Action::Catalogue { variants, styles });
            }
            Err(e) => {
                let _ = tx.send(Action::Status(format!("cannot list variants: {e}")));
            }
        }
        send_stats(&client, &tx).await;
        if let Ok(events) = Client::connect(&socket).await {
            let topics = vec![Topic::Stats, Topic::Generated, Topic::Shutdown];
            let subscribe = Command::Subscribe(SubscribeArgs {
                topics: Some(topics),
            });
            match events.call(&subscribe).await {
                Ok(_) => follow(&events, &client, &tx).await,
                Err(e) => {
                    let _ = tx.send(Action::Status(format!("cannot subscribe: {e}")));
                }
            }
        }
        client_tx.send_replace(None);
        let _ = tx.send(Action::Disconnected);
        tokio::time::sleep(RECONNECT_EVERY).await;
    }
}

async fn send_stats(client: &Client, tx: &mpsc::UnboundedSender<Action>) {
    match client.stats().await {
        Ok(stats) => {
            let _ = tx.send(Action::Stats {
                total: stats.total_generated,
                hits: stats.cache_hits,
            });
        }
        Err(e) => {
            let _ = tx.send(Action::Status(format!("stats: {e}")));
        }
    }
}

/// Daemon events until the connection closes or the daemon shuts down.
async fn follow(events: &Client, client: &Client, tx: &mpsc::UnboundedSender<Action>) {
    while let Some(event) = events.next_event().await {
        let data = &event.data;
        let number = |key: &str| data.get(key).and_then(serde_json::Value::as_u64);
        let text = |key: &str| {
            data.get(key)
                .and_then(|v| v.as_str())
                .unwrap_or("?")
                .to_owned()
        };
        let action = match event.event.as_str() {
            "stats" => match (number("total_generated"), number("cache_hits")) {
                (Some(total), Some(hits)) => Action::Stats { total, hits },
                _ => continue,
            },
            "generated" => Action::Generated(format!(
                "{} {} {} px {}",
                text("style"),
                text("variant"),
                number("size").unwrap_or(0),
                text("format"),
            )),
            "lagged" => {
                send_stats(client, tx).await;
                continue;
            }
            "shutdown" => return,
            _ => continue,
        };
        if tx.send(action).is_err() {
            return;
        }
    }
}

/// Runs `call` on the request connection; once more on a fresh one when it was closed (the
/// daemon closes idle connections).
async fn with_client<T, F, Fut>(clients: &Shared, socket: &Path, call: F) -> Result<T, ClientError>
where
    F: Fn(Arc<Client>) -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let current = clients.borrow().clone();
    if let Some(client) = current {
        match call(client).await {
            Err(ClientError::Closed | ClientError::Io(_)) => {}
            other => return other,
        }
    }
    call(Arc::new(Client::connect(socket).await?)).await
}

async fn fetch_preview(
    clients: Shared,
    socket: PathBuf,
    key: PreviewKey,
    tx: mpsc::UnboundedSender<Action>,
) {
    let mut args = GenerateArgs::new(&key.style, &key.variant, i64::from(key.pixels), Format::Png);
    args.animated = false;
    args.seed = Some(key.seed);
    let result = with_client(&clients, &socket, |client| {
        let args = args.clone();
        async move { client.generate(args).await }
    })
    .await;
    let action = match result {
        Ok(result) => match result.decode_data().map(|png| preview::decode(&png)) {
            Some(Ok(image)) => Action::Preview(key, image),
            Some(Err(e)) => Action::Status(format!("preview: bad PNG: {e}")),
            None => Action::Status("preview: no data in the reply".into()),
        },
        Err(e) => Action::Status(format!("preview: {e}")),
    };
    let _ = tx.send(action);
}

fn export_args(app: &App) -> Option<(GenerateArgs, String)> {
    let name = app.export_name()?;
    let mut args = GenerateArgs::new(
        &app.current_style()?.key,
        &app.current_variant()?.key,
        i64::from(app.size),
        Format::Svg,
    );
    args.animated = app.animated;
    args.seed = Some(app.seed);
    Some((args, name))
}

async fn export(
    clients: Shared,
    socket: PathBuf,
    args: GenerateArgs,
    name: String,
    tx: mpsc::UnboundedSender<Action>,
) {
    let result = with_client(&clients, &socket, |client| {
        let args = args.clone();
        async move { client.generate(args).await }
    })
    .await;
    let status = match result {
        Ok(result) => match result.decode_data() {
            Some(bytes) => match write_atomic(Path::new(&name), &bytes) {
                Ok(()) => format!("exported ./{name}"),
                Err(e) => format!("cannot write {name}: {e}"),
            },
            None => "export: no data in the reply".into(),
        },
        Err(e) => format!("export: {e}"),
    };
    let _ = tx.send(Action::Status(status));
}

/// Writes a temporary file next to `path`, then renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_data()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("luna-tui-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.svg");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
