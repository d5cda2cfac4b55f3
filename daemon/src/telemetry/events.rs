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
        store_degraded: bool,
    },
    /// The daemon is shutting down.
    Shutdown,
}

/// An event with its number: numbers increase by one per event, so a gap means a loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub seq: u64,
    pub event: Event,
    /// The replica it happened on, in a fleet.
    pub replica: Option<Arc<str>>,
}

pub struct EventBus {
    seq: Mutex<u64>,
    tx: broadcast::Sender<Arc<Published>>,
    /// This replica's name, in a fleet.
    replica: Option<Arc<str>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus::new(None)
    }
}

impl EventBus {
    /// `replica`: this daemon's name in a fleet, carried by its events.
    pub fn new(replica: Option<&str>) -> EventBus {
        EventBus {
            seq: Mutex::new(0),
            tx: broadcast::Sender::new(SUBSCRIBER_BUFFER),
            replica: replica.map(Arc::from),
        }
    }

    /// This replica's name, in a fleet.
    pub fn replica(&self) -> Option<&Arc<str>> {
        self.replica.as_ref()
    }

    pub fn publish(&self, event: Event) {
        self.publish_with(|| event);
    }

    /// Publishes what another replica of the fleet reported.
    pub fn publish_from(&self, replica: Arc<str>, event: Event) {
        self.send(Some(replica), || event);
    }

    /// Publishes an event that is only built when someone is subscribed (cached logo requests
    /// publish one per request).
    pub fn publish_with(&self, event: impl FnOnce() -> Event) {
        self.send(self.replica.clone(), event);
    }

    fn send(&self, replica: Option<Arc<str>>, event: impl FnOnce() -> Event) {
        // Numbering and sending under one lock keeps `seq` in channel order.
        let mut seq = self.seq.lock().expect("event sequence");
        *seq += 1;
        if self.tx.receiver_count() == 0 {
            return;
        }
        let _ = self.tx.send(Arc::new(Published {
            seq: *seq,
            event: event(),
            replica,
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
