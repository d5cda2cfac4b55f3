//! A typed async client. Requests may be in flight concurrently on one connection: replies are
//! matched by `id`, events are queued for [`Client::next_event`].

use crate::framing::{Frame, FrameCodec};
use crate::proto::{
    Command, Event, Greeting, Hello, MAX_LINE_BYTES, PROTOCOL_VERSION, Response, WireError,
};
use futures_util::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::UnixStream;
use tokio::net::unix::OwnedWriteHalf;
use tokio::sync::{mpsc, oneshot};
use tokio_util::codec::{FramedRead, FramedWrite};

/// How long a client waits for the greeting: a live daemon sends it at once.
pub const GREETING_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("lunad is not running at {} ({source})", path.display())]
    Unavailable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot reach lunad at {}: {source}", path.display())]
    Connect {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("I/O error talking to lunad: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "protocol mismatch: lunad speaks protocol {server}, this client speaks {client}; restart lunad or update luna so both are the same version"
    )]
    ProtocolMismatch { server: u32, client: u32 },
    #[error("unexpected data from lunad: {0}")]
    Protocol(String),
    #[error("{0}")]
    Remote(WireError),
    #[error("lunad closed the connection")]
    Closed,
    #[error("lunad did not answer within {0:?}")]
    Timeout(Duration),
}

type Pending = Arc<Mutex<HashMap<String, oneshot::Sender<Response>>>>;

pub struct Client {
    hello: Hello,
    writer: tokio::sync::Mutex<FramedWrite<OwnedWriteHalf, FrameCodec>>,
    pending: Pending,
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Event>>,
    next_id: AtomicU64,
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for Client {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Client {
    /// Connects and reads the greeting; fails on a protocol version other than ours.
    pub async fn connect(path: &Path) -> Result<Client, ClientError> {
        let stream = UnixStream::connect(path).await.map_err(|source| {
            let unavailable = matches!(
                source.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            );
            let path = path.to_path_buf();
            if unavailable {
                ClientError::Unavailable { path, source }
            } else {
                ClientError::Connect { path, source }
            }
        })?;
        let (read, write) = stream.into_split();
        let mut lines = FramedRead::new(read, FrameCodec::new(usize::MAX / 2));
        let first = tokio::time::timeout(GREETING_TIMEOUT, lines.next())
            .await
            .map_err(|_| ClientError::Timeout(GREETING_TIMEOUT))?;
        let hello = match first {
            Some(Ok(Frame::Line(line))) => match serde_json::from_str::<Greeting>(&line) {
                Ok(greeting) => greeting.hello,
                // A refused connection (busy, permission_denied) gets an error instead.
                Err(e) => match serde_json::from_str::<Response>(&line) {
                    Ok(Response {
                        error: Some(error), ..
                    }) => return Err(ClientError::Remote(error)),
                    _ => return Err(ClientError::Protocol(format!("bad greeting: {e}"))),
                },
            },
            Some(Ok(_)) => return Err(ClientError::Protocol("unreadable greeting".into())),
            Some(Err(e)) => return Err(ClientError::Io(e)),
            None => return Err(ClientError::Closed),
        };
        if hello.proto != PROTOCOL_VERSION {
            return Err(ClientError::ProtocolMismatch {
                server: hello.proto,
                client: PROTOCOL_VERSION,
            });
        }
        let pending: Pending = Arc::default();
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let reader = tokio::spawn(read_loop(lines, pending.clone(), events_tx));
        Ok(Client {
            hello,
            writer: tokio::sync::Mutex::new(FramedWrite::new(
                write,
                FrameCodec::new(MAX_LINE_BYTES),
            )),
            pending,
            events: tokio::sync::Mutex::new(events_rx),
            next_id: AtomicU64::new(1),
            reader,
        })
    }

    /// The server's greeting.
    pub fn hello(&self) -> &Hello {
        &self.hello
    }

    /// Sends a command and waits for its result.
    pub async fn call(&self, command: &Command) -> Result<Value, ClientError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut request = serde_json::json!({ "id": id, "cmd": command.name() });
        if let Some(args) = command.args() {
            request["args"] = args;
        }
        let response = self.send(request).await?;
        match (response.ok, response.result, response.error) {
            (true, result, _) => Ok(result.unwrap_or(Value::Null)),
            (false, _, Some(error)) => Err(ClientError::Remote(error)),
            (false, _, None) => Err(ClientError::Protocol("failure without an error".into())),
        }
    }

    /// Sends a command and deserialises its result (the typed methods, one per command, are
    /// generated from the command table in `proto`).
    pub async fn call_as<T: DeserializeOwned>(&self, command: &Command) -> Result<T, ClientError> {
        let value = self.call(command).await?;
        serde_json::from_value(value).map_err(|e| {
            ClientError::Protocol(format!("unexpected '{}' result: {e}", command.name()))
        })
    }

    /// Sends any JSON request object (an `id` is added if absent) and returns the raw reply.
    pub async fn send(&self, mut request: Value) -> Result<Response, ClientError> {
        let Some(object) = request.as_object_mut() else {
            return Err(ClientError::Protocol(
                "a request must be a JSON object".into(),
            ));
        };
        let id = object
            .entry("id")
            .or_insert_with(|| Value::from(self.next_id.fetch_add(1, Ordering::Relaxed)))
            .clone();
        let (tx, rx) = oneshot::channel();
        self.pending
            .lock()
            .expect("pending map")
            .insert(id.to_string(), tx);
        let line = request.to_string();
        let sent = self.writer.lock().await.send(line).await;
        if let Err(e) = sent {
            self.pending
                .lock()
                .expect("pending map")
                .remove(&id.to_string());
            return Err(ClientError::Io(e));
        }
        rx.await.map_err(|_| ClientError::Closed)
    }

    /// The next event, after a `subscribe`; `None` once the connection is closed.
    pub async fn next_event(&self) -> Option<Event> {
        self.events.lock().await.recv().await
    }
}

async fn read_loop(
    mut lines: FramedRead<tokio::net::unix::OwnedReadHalf, FrameCodec>,
    pending: Pending,
    events: mpsc::UnboundedSender<Event>,
) {
    while let Some(Ok(frame)) = lines.next().await {
        let Frame::Line(line) = frame else { continue };
        let Ok(value) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if value.get("event").is_some() {
            if let Ok(event) = serde_json::from_value::<Event>(value) {
                let _ = events.send(event);
            }
        } else if let Ok(response) = serde_json::from_value::<Response>(value) {
            let waiter = pending
                .lock()
                .expect("pending map")
                .remove(&response.id.to_string());
            if let Some(waiter) = waiter {
                let _ = waiter.send(response);
            }
        }
    }
    // Dropping the senders wakes every waiter with `Closed`.
    pending.lock().expect("pending map").clear();
}
