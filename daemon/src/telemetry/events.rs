//! The event bus behind subscriptions: a bounded broadcast channel of what happened, in the
//! daemon's words. A subscriber that falls behind loses the oldest events and is told how many;
//! publishing never waits for anyone. Front ends turn events into their wire format.

use crate::engine::Format;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Events buffered per subscriber before the oldest are dropped.
pub const SUBSCRIBER_BUFFER: usize = 1024;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A logo was generated (or served from the cache).
    Generated {
        style: &'static str,
        variant: &'static str,
        size: u32,
        format: Format,
        cached: bool,
        file: Option<String>,
    },
    /// Stored files were removed.
    Cleaned { removed: u64, freed_bytes: u64 },
    /// The totals changed.
    Stats {
        total_generated: u64,
        cache_hits: u64,
    },
    /// The daemon is shutting down.
    Shutdown,
}

/// An event with its number: numbers increase by one per event, so a gap means a loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub seq: u64,
    pub event: Event,
}

pub struct EventBus {
    seq: Mutex<u64>,
    tx: broadcast::Sender<Arc<Published>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus {
            seq: Mutex::new(0),
            tx: broadcast::Sender::new(SUBSCRIBER_BUFFER),
        }
    }
}

impl EventBus {
    pub fn publish(&self, event: Event) {
        self.publish_with(|| event);
    }

    /// Publishes an event that is only built when someone is subscribed (cached logo requests
    /// publish one per request).
    pub fn publish_with(&self, event: impl FnOnce() -> Event) {
        // Numbering and sending under one lock keeps `seq` in channel order.
        let mut seq = self.seq.lock().expect("event sequence");
        *seq += 1;
        if self.tx.receiver_count() == 0 {
            return;
        }
        let _ = self.tx.send(Arc::new(Published {
            seq: *seq,
            event: event(),
        }));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.tx.subscribe()
    }

    /// The number of the last published event.
    pub fn last_seq(&self) -> u64 {
        *self.seq.lock().expect("event sequence")
    }
}
