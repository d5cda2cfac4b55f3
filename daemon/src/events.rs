//! The event bus behind `subscribe`: a bounded broadcast channel. A subscriber that falls behind
//! loses the oldest events and is told how many (`lagged`); publishing never waits for anyone.

use luna_ipc::{Event, Topic};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Events buffered per subscriber before the oldest are dropped.
pub const SUBSCRIBER_BUFFER: usize = 1024;

pub struct EventBus {
    seq: Mutex<u64>,
    tx: broadcast::Sender<Arc<Event>>,
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
    pub fn publish(&self, topic: Topic, data: Value) {
        self.publish_with(topic, || data);
    }

    /// Publishes an event whose data is only built when someone is subscribed (the hot path of
    /// cached logo requests publishes one per request).
    pub fn publish_with(&self, topic: Topic, data: impl FnOnce() -> Value) {
        // Numbering and sending under one lock keeps `seq` in channel order.
        let mut seq = self.seq.lock().expect("event sequence");
        *seq += 1;
        if self.tx.receiver_count() == 0 {
            return;
        }
        let _ = self.tx.send(Arc::new(Event {
            event: topic.as_str().to_owned(),
            seq: *seq,
            data: data(),
        }));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }

    /// The sequence number of the last published event.
    pub fn last_seq(&self) -> u64 {
        *self.seq.lock().expect("event sequence")
    }
}
