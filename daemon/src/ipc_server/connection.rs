//! One client connection: greeting, requests answered concurrently, event forwarding for
//! subscribers, idle timeout, and a clean drain when the client or the daemon goes away.

use super::handlers::{self, subscribe};
use super::{request, wire};
use crate::state::State;
use crate::telemetry::Published;
use futures_util::{SinkExt, StreamExt};
use luna_ipc::framing::{Frame, FrameCodec};
use luna_ipc::{
    ByeEvent, ErrorCode, FEATURES, Greeting, Hello, LaggedEvent, MAX_LINE_BYTES, PROTOCOL_VERSION,
    Response, Topic, WireError,
};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinSet;
use tokio_util::codec::{FramedRead, FramedWrite};

/// Consecutive unparseable lines after which a connection is dropped.
const MAX_BAD_LINES: u32 = 16;
/// Subscribers get a heartbeat this often, so they can tell a quiet daemon from a dead one.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Replies and events queued for a slow reader before the connection stops reading requests.
const OUTBOX: usize = 256;

pub fn greeting() -> String {
    serde_json::to_string(&Greeting {
        hello: Hello {
            server: "lunad".to_owned(),
            version: crate::VERSION.to_owned(),
            proto: PROTOCOL_VERSION,
            algorithm: crate::art::ALGORITHM_VERSION,
            features: FEATURES.iter().map(|f| (*f).to_owned()).collect(),
        },
    })
    .expect("greeting serialises")
}

/// Writes a single error line and closes: for refused peers and connections over the limit.
pub async fn refuse<S: AsyncWrite + Unpin>(stream: S, error: WireError) {
    let mut out = FramedWrite::new(stream, FrameCodec::new(MAX_LINE_BYTES));
    let line = serde_json::to_string(&Response::failure(Value::Null, error)).expect("serialises");
    let _ = tokio::time::timeout(Duration::from_secs(1), out.send(line)).await;
}

pub async fn serve<S>(state: Arc<State>, stream: S)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let (read, write) = tokio::io::split(stream);
    let mut frames = FramedRead::new(read, FrameCodec::new(MAX_LINE_BYTES));
    let (outbox, outbox_rx) = mpsc::channel::<String>(OUTBOX);
    let writer = tokio::spawn(write_loop(write, outbox_rx));
    let _ = outbox.send(greeting()).await;

    let mut in_flight = JoinSet::new();
    let mut subscription: Option<(broadcast::Receiver<Arc<Published>>, BTreeSet<Topic>)> = None;
    let mut bad_lines = 0;
    let idle_timeout = state.settings.idle_timeout;
    let idle = tokio::time::sleep(idle_timeout);
    tokio::pin!(idle);
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.reset();
    // Once the daemon stops, requests already received are finished while new ones are told
    // `shutting_down` (retryable), until nothing is left or the drain time is up.
    let mut draining = false;
    let drain_deadline = tokio::time::sleep(std::time::Duration::MAX / 4);
    tokio::pin!(drain_deadline);

    let reason = loop {
        if draining && in_flight.is_empty() {
            break "shutdown";
        }
        tokio::select! {
            biased;
            _ = state.shutdown.cancelled(), if !draining => {
                draining = true;
                drain_deadline.as_mut().reset(tokio::time::Instant::now() + state.settings.drain_timeout);
            }
            _ = &mut drain_deadline, if draining => break "shutdown",
            event = next_event(&mut subscription) => {
                let line = subscription.as_ref().and_then(|(_, topics)| event_line(event, topics, &state));
                if let Some(line) = line {
                    let _ = outbox.send(line).await;
                }
            }
            _ = heartbeat.tick(), if subscription.is_some() => {
                let _ = outbox.send(event_line_of("heartbeat", &state, json!({}))).await;
            }
            _ = &mut idle, if subscription.is_none() && in_flight.is_empty() => break "idle_timeout",
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
            frame = frames.next() => {
                idle.as_mut().reset(tokio::time::Instant::now() + idle_timeout);
                let frame = match frame {
                    None => break "eof",
                    Some(Err(e)) => {
                        tracing::debug!(error = %e, "connection read error");
                        break "read_error";
                    }
                    Some(Ok(frame)) => frame,
                };
                let line = match frame {
                    Frame::Line(line) if line.trim().is_empty() => continue,
                    Frame::Line(line) => line,
                    Frame::TooLong => {
                        let e = WireError::new(
                            ErrorCode::FrameTooLarge,
                            format!("request line longer than {MAX_LINE_BYTES} bytes; discarded"),
                        );
                        bad_lines += 1;
                        let _ = outbox.send(reply(Value::Null, Err(e))).await;
                        if bad_lines >= MAX_BAD_LINES { break "too_many_errors" }
                        continue;
                    }
                    Frame::NotUtf8 => {
                        let e = WireError::new(ErrorCode::ParseError, "request line is not valid UTF-8");
                        bad_lines += 1;
                        let _ = outbox.send(reply(Value::Null, Err(e))).await;
                        if bad_lines >= MAX_BAD_LINES { break "too_many_errors" }
                        continue;
                    }
                };
                let (id, command) = match request::parse(&line) {
                    Ok(parsed) => parsed,
                    Err((id, e)) => {
                        log_bad_line(&line, &e);
                        bad_lines += 1;
                        let _ = outbox.send(reply(id, Err(e))).await;
                        if bad_lines >= MAX_BAD_LINES { break "too_many_errors" }
                        continue;
                    }
                };
                bad_lines = 0;
                if draining {
                    let e = WireError::new(ErrorCode::ShuttingDown, "lunad is shutting down; retry against the next instance");
                    let _ = outbox.send(reply(id, Err(e))).await;
                    continue;
                }
                match command {
                    luna_ipc::Command::Subscribe(args) => {
                        let (topics, result) = subscribe::topics(&args);
                        subscription = Some((state.telemetry.events.subscribe(), topics));
                        heartbeat.reset();
                        let _ = outbox.send(reply(id, handlers::reply(Ok(result)))).await;
                    }
                    luna_ipc::Command::Unsubscribe => {
                        subscription = None;
                        let _ = outbox.send(reply(id, handlers::reply(Ok(subscribe::unsubscribed())))).await;
                    }
                    command => {
                        let task_state = state.clone();
                        let outbox = outbox.clone();
                        let work = async move {
                            let result = handlers::dispatch(&task_state, command).await;
                            let _ = outbox.send(reply(id, result)).await;
                        };
                        in_flight.spawn(state.requests.track_future(work));
                    }
                }
            }
        }
    };

    // Answer everything already accepted, then say goodbye. A shutdown's drain time started
    // when the daemon began stopping: what is left of it, not a second full window.
    let drain_until = match draining {
        true => drain_deadline.deadline(),
        false => tokio::time::Instant::now() + state.settings.drain_timeout,
    };
    let drain = async { while in_flight.join_next().await.is_some() {} };
    if tokio::time::timeout_at(drain_until, drain).await.is_err() {
        // Past the bound: drop the rest unanswered, so `bye` is the last line.
        tracing::warn!(
            abandoned = in_flight.len(),
            "drain timeout: closing with requests unanswered"
        );
        in_flight.abort_all();
        while in_flight.join_next().await.is_some() {}
    }
    if let Some((mut events, topics)) = subscription.take() {
        // Deliver what was published before the goodbye (the shutdown event among them).
        while let Ok(event) = events.try_recv() {
            if let Some(line) = event_line(Ok(event), &topics, &state) {
                let _ = outbox.send(line).await;
            }
        }
    }
    if reason != "eof" && reason != "read_error" {
        let bye = ByeEvent {
            reason: reason.to_owned(),
        };
        let _ = outbox.send(event_line_of("bye", &state, bye)).await;
    }
    drop(outbox);
    let _ = writer.await;
}

async fn next_event(
    subscription: &mut Option<(broadcast::Receiver<Arc<Published>>, BTreeSet<Topic>)>,
) -> Result<Arc<Published>, broadcast::error::RecvError> {
    match subscription {
        Some((events, _)) => events.recv().await,
        None => std::future::pending().await,
    }
}

/// The line to forward for a received event, if the subscriber wants it.
fn event_line(
    event: Result<Arc<Published>, broadcast::error::RecvError>,
    topics: &BTreeSet<Topic>,
    state: &State,
) -> Option<String> {
    match event {
        Ok(published) => topics
            .contains(&wire::topic(&published.event))
            .then(|| serde_json::to_string(&wire::event(&published)).expect("events serialise")),
        Err(broadcast::error::RecvError::Lagged(dropped)) => {
            Some(event_line_of("lagged", state, LaggedEvent { dropped }))
        }
        Err(broadcast::error::RecvError::Closed) => None,
    }
}

/// A line for an event of the connection itself (not from the bus), numbered like the last one.
fn event_line_of(kind: &str, state: &State, data: impl serde::Serialize) -> String {
    let event = luna_ipc::Event {
        event: kind.to_owned(),
        seq: state.telemetry.events.last_seq(),
        data: serde_json::to_value(data).expect("event data serialises"),
    };
    serde_json::to_string(&event).expect("events serialise")
}

fn reply(id: Value, result: Result<Value, WireError>) -> String {
    let response = match result {
        Ok(value) => Response::success(id, value),
        Err(error) => {
            if error.code == ErrorCode::Internal {
                tracing::error!(message = %error.message, "internal error answered");
            }
            Response::failure(id, error)
        }
    };
    serde_json::to_string(&response).expect("responses serialise")
}

/// Logs bad input as its length and a short escaped prefix: never the whole line, never raw.
fn log_bad_line(line: &str, error: &WireError) {
    let prefix: String = line.chars().take(48).collect();
    tracing::debug!(len = line.len(), prefix = ?prefix, code = %error.code, "rejected request");
}

async fn write_loop<W: AsyncWrite + Unpin>(write: W, mut outbox: mpsc::Receiver<String>) {
    let mut out = FramedWrite::new(write, FrameCodec::new(usize::MAX / 2));
    while let Some(line) = outbox.recv().await {
        // Batch what is already queued into one write.
        if out.feed(line).await.is_err() {
            return;
        }
        while let Ok(more) = outbox.try_recv() {
            if out.feed(more).await.is_err() {
                return;
            }
        }
        if SinkExt::<String>::flush(&mut out).await.is_err() {
            return;
        }
    }
}
