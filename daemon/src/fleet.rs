//! One event stream for a fleet: this replica's `generated` and `cleaned` events go out on the
//! shared channel, and the other replicas' come in to this replica's subscribers, each naming the
//! replica it happened on. Events are hints (as on one daemon): during a Redis outage they stay
//! local, and nothing waits for them.

use crate::art::{Style, Variant};
use crate::engine::Format;
use crate::state::State;
use crate::store::Fleet;
use crate::telemetry::{Event, Published};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// Most events sent in one message: under load, events leave in batches, not one per request.
const BATCH: usize = 256;

/// One message on the channel: the sending replica's name, a newline, and its batch of events
/// as a JSON array. The name comes first so a replica skips its own messages without parsing.
fn message(replica: &str, events: &[Shared]) -> String {
    let events = serde_json::to_string(events).expect("events serialise");
    format!("{replica}\n{events}")
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Shared {
    Generated {
        style: String,
        variant: String,
        size: u32,
        format: String,
        cached: bool,
        file: Option<String>,
    },
    Cleaned {
        removed: u64,
        freed_bytes: u64,
    },
}

impl Shared {
    /// The events other replicas care about; `stats` and `shutdown` are each replica's own.
    fn of(event: &Event) -> Option<Shared> {
        match event {
            Event::Generated {
                style,
                variant,
                size,
                format,
                cached,
                file,
            } => Some(Shared::Generated {
                style: (*style).to_owned(),
                variant: (*variant).to_owned(),
                size: *size,
                format: format.extension().to_owned(),
                cached: *cached,
                file: file.clone(),
            }),
            Event::Cleaned {
                removed,
                freed_bytes,
            } => Some(Shared::Cleaned {
                removed: *removed,
                freed_bytes: *freed_bytes,
            }),
            Event::Stats { .. } | Event::Shutdown => None,
        }
    }

    /// Back into a daemon event; `None` for keys this version does not know.
    fn event(self) -> Option<Event> {
        Some(match self {
            Shared::Generated {
                style,
                variant,
                size,
                format,
                cached,
                file,
            } => Event::Generated {
                style: Style::from_key(&style)?.key(),
                variant: Variant::from_key(&variant)?.key(),
                size,
                format: Format::from_extension(&format)?,
                cached,
                file,
            },
            Shared::Cleaned {
                removed,
                freed_bytes,
            } => Event::Cleaned {
                removed,
                freed_bytes,
            },
        })
    }
}

/// Relays events between this replica and the fleet until shutdown.
pub async fn relay(state: Arc<State>, fleet: Arc<dyn Fleet>) {
    let own: Arc<str> = Arc::from(state.settings.replica.as_str());
    let mut local = state.telemetry.events.subscribe();
    let mut remote = fleet.listen().await;
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            first = local.recv() => {
                let first = match first {
                    Ok(published) => published,
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                };
                let mut batch = Vec::new();
                push_own(&mut batch, &first, &own);
                while batch.len() < BATCH {
                    match local.try_recv() {
                        Ok(published) => push_own(&mut batch, &published, &own),
                        Err(_) => break,
                    }
                }
                send(&state, fleet.as_ref(), &own, batch).await;
            }
            Some(text) = remote.recv() => receive(&state, &own, &text),
        }
    }
}

fn push_own(batch: &mut Vec<Shared>, published: &Published, own: &Arc<str>) {
    if published.replica.as_ref() == Some(own)
        && let Some(shared) = Shared::of(&published.event)
    {
        batch.push(shared);
    }
}

async fn send(state: &State, fleet: &dyn Fleet, own: &str, events: Vec<Shared>) {
    if events.is_empty() || state.engine.store_degraded() {
        return;
    }
    if let Err(e) = fleet.publish(&message(own, &events)).await {
        tracing::debug!(error = %e, "fleet events not sent");
    }
}

fn receive(state: &State, own: &str, text: &str) {
    let Some((replica, events)) = text.split_once('\n') else {
        return tracing::debug!("ignored a fleet message without a replica");
    };
    if replica == own {
        return;
    }
    let events: Vec<Shared> = match serde_json::from_str(events) {
        Ok(events) => events,
        Err(e) => return tracing::debug!(error = %e, "ignored a fleet message"),
    };
    let replica: Arc<str> = Arc::from(replica);
    for event in events.into_iter().filter_map(Shared::event) {
        state.telemetry.events.publish_from(replica.clone(), event);
    }
    // The shared totals changed: this replica's next tick announces them to its subscribers.
    state.engine.note_fleet_change();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_cross_the_channel_unchanged() {
        let event = Event::Generated {
            style: "ultimate",
            variant: "power",
            size: 64,
            format: Format::Png,
            cached: false,
            file: Some("x.png".into()),
        };
        let shared = Shared::of(&event).expect("generated events are shared");
        let text = serde_json::to_string(&shared).unwrap();
        let back: Shared = serde_json::from_str(&text).unwrap();
        assert_eq!(back.event(), Some(event));
        assert!(Shared::of(&Event::Shutdown).is_none());
        let unknown = Shared::Generated {
            style: "nope".into(),
            variant: "power".into(),
            size: 64,
            format: "svg".into(),
            cached: true,
            file: None,
        };
        assert_eq!(unknown.event(), None);
    }
}
