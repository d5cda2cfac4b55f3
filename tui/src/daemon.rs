//! Everything the TUI asks of lunad: the catalogue, stats and events on a kept connection, and
//! previews, exports and cleanups as tasks that report back as [`Action`]s.

use crate::action::Action;
use crate::catalogue::{Style, Variant};
use crate::dialog::export::ExportRequest;
use crate::preview::{self, Preview, PreviewKey};
use luna_ipc::text::{cleanup_summary, human_bytes};
use luna_ipc::{
    CleanupArgs, Client, ClientError, GenerateArgs, GeneratedEvent, StatsEvent, StoreState,
    SubscribeArgs, Topic,
};
use ratatui_image::picker::Picker;
use serde::Deserialize as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch};

/// Pause between reconnection attempts.
const RECONNECT_EVERY: Duration = Duration::from_secs(1);

pub type Actions = mpsc::UnboundedSender<Action>;

/// The request connection while there is one, shared with the tasks.
pub type Shared = watch::Receiver<Option<Arc<Client>>>;

/// The daemon's variants and styles.
pub async fn catalogue(client: &Client) -> Result<(Vec<Variant>, Vec<Style>), ClientError> {
    let variants = client.variants().await?;
    let styles = client.styles().await?;
    Ok((
        variants.into_iter().map(Variant::from).collect(),
        styles.into_iter().map(Style::from).collect(),
    ))
}

/// Keeps a request connection in `client_tx` and turns daemon events into actions; on loss,
/// reports it and reconnects every second.
pub async fn connection(
    socket: PathBuf,
    first: Client,
    tx: Actions,
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
        // Subscribed before anything is generated for us, so the stats snapshot below and the
        // events after it miss nothing.
        let events = subscribe(&socket, &tx).await;
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
        if let Some(events) = events {
            follow(&events, &client, &tx).await;
        }
        client_tx.send_replace(None);
        let _ = tx.send(Action::Disconnected);
        tokio::time::sleep(RECONNECT_EVERY).await;
    }
}

/// A connection subscribed to the events the TUI shows.
async fn subscribe(socket: &Path, tx: &Actions) -> Option<Client> {
    let events = Client::connect(socket).await.ok()?;
    let topics = vec![Topic::Stats, Topic::Generated, Topic::Shutdown];
    let subscribed = events
        .subscribe(SubscribeArgs {
            topics: Some(topics),
        })
        .await;
    match subscribed {
        Ok(_) => Some(events),
        Err(e) => {
            let _ = tx.send(Action::Status(format!("cannot subscribe: {e}")));
            None
        }
    }
}

async fn send_stats(client: &Client, tx: &Actions) {
    match client.stats().await {
        Ok(stats) => {
            let _ = tx.send(Action::Stats {
                total: stats.total_generated,
                hits: stats.cache_hits,
                store_degraded: stats.store == StoreState::Degraded,
            });
        }
        Err(e) => {
            let _ = tx.send(Action::Status(format!("stats: {e}")));
        }
    }
}

/// Daemon events until the connection closes or the daemon shuts down. Heartbeats are not
/// passed on: they would only cause redraws.
async fn follow(events: &Client, client: &Client, tx: &Actions) {
    while let Some(event) = events.next_event().await {
        let action = match event.event.as_str() {
            "stats" => match StatsEvent::deserialize(&event.data) {
                Ok(stats) => Action::Stats {
                    total: stats.total_generated,
                    hits: stats.cache_hits,
                    store_degraded: stats.store == StoreState::Degraded,
                },
                Err(_) => continue,
            },
            "generated" => match GeneratedEvent::deserialize(&event.data) {
                Ok(g) => Action::Generated(format!(
                    "{} {} {} px {}{}",
                    g.style,
                    g.variant,
                    g.size,
                    g.format.extension(),
                    g.replica.map(|r| format!(" on {r}")).unwrap_or_default(),
                )),
                Err(_) => continue,
            },
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

async fn generate(
    clients: &Shared,
    socket: &Path,
    args: &GenerateArgs,
) -> Result<(luna_ipc::GenerateResult, Vec<u8>), String> {
    let result = with_client(clients, socket, |client| {
        let args = args.clone();
        async move { client.generate(args).await }
    })
    .await
    .map_err(|e| e.to_string())?;
    let bytes = result
        .decode_data()
        .ok_or_else(|| "no data in the reply".to_string())?;
    Ok((result, bytes))
}

/// Asks lunad for the preview `key` names, and makes it drawable (encoded for `picker`'s image
/// protocol when there is one).
pub async fn load_preview(
    client: &Client,
    key: PreviewKey,
    picker: Option<&Picker>,
) -> Result<Preview, String> {
    let start = Instant::now();
    let result = client
        .generate(key.args())
        .await
        .map_err(|e| e.to_string())?;
    let png = result
        .decode_data()
        .ok_or_else(|| "no data in the reply".to_string())?;
    preview_from_png(key, &result, &png, picker, start)
}

fn preview_from_png(
    key: PreviewKey,
    result: &luna_ipc::GenerateResult,
    png: &[u8],
    picker: Option<&Picker>,
    start: Instant,
) -> Result<Preview, String> {
    let image = preview::decode(png).map_err(|e| format!("bad PNG: {e}"))?;
    let protocol = match picker {
        Some(picker) => {
            Some(preview::encode(&image, picker, key.cells).map_err(|e| e.to_string())?)
        }
        None => None,
    };
    Ok(Preview {
        key,
        image,
        protocol,
        render_secs: result.generation_time,
        cached: result.cached,
        round_trip: start.elapsed(),
    })
}

pub async fn fetch_preview(
    clients: Shared,
    socket: PathBuf,
    key: PreviewKey,
    picker: Option<Picker>,
    tx: Actions,
) {
    let start = Instant::now();
    let action = match generate(&clients, &socket, &key.args()).await {
        Ok((result, png)) => {
            // Decoding and protocol encoding take milliseconds: off the async workers.
            let done = tokio::task::spawn_blocking(move || {
                preview_from_png(key, &result, &png, picker.as_ref(), start)
            })
            .await;
            match done {
                Ok(Ok(preview)) => Action::Preview(Box::new(preview)),
                Ok(Err(e)) => Action::Status(format!("preview: {e}")),
                Err(e) => Action::Status(format!("preview: {e}")),
            }
        }
        Err(e) => Action::Status(format!("preview: {e}")),
    };
    let _ = tx.send(action);
}

pub async fn export(
    clients: Shared,
    socket: PathBuf,
    args: GenerateArgs,
    request: ExportRequest,
    tx: Actions,
) {
    let status = match generate(&clients, &socket, &args).await {
        Ok((_, bytes)) => match luna_ipc::export::write_atomic(&request.path, &bytes) {
            Ok(()) => format!(
                "exported {} ({}, {})",
                request.shown,
                request.format.extension().to_uppercase(),
                human_bytes(bytes.len() as u64)
            ),
            Err(e) => e.to_string(),
        },
        Err(e) => format!("export: {e}"),
    };
    let _ = tx.send(Action::Status(status));
}

pub async fn cleanup(clients: Shared, socket: PathBuf, args: CleanupArgs, tx: Actions) {
    let result = with_client(&clients, &socket, |client| {
        let args = args.clone();
        async move { client.cleanup(args).await }
    })
    .await
    .map_err(|e| format!("cleanup: {e}"));
    let action = if args.dry_run {
        Action::CleanupChecked {
            older_than_secs: args.older_than_secs,
            result,
        }
    } else {
        Action::Status(match result {
            Ok(result) => cleanup_summary(&result),
            Err(e) => e,
        })
    };
    let _ = tx.send(action);
}
