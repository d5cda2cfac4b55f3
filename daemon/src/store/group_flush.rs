//! Group commit: concurrent callers that need their writes durable share one flush instead of
//! queueing a flush each, so acknowledging every generation durably stays cheap under load.

use super::{Store, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{Mutex, watch};

pub struct GroupFlush {
    store: Arc<dyn Store>,
    /// Ticket of the newest write that wants durability.
    written: AtomicU64,
    /// Every ticket up to this one is durable.
    flushed: watch::Sender<u64>,
    flushing: Mutex<()>,
}

impl GroupFlush {
    pub fn new(store: Arc<dyn Store>) -> GroupFlush {
        GroupFlush {
            store,
            written: AtomicU64::new(0),
            flushed: watch::Sender::new(0),
            flushing: Mutex::new(()),
        }
    }

    /// Call after a write: returns once that write is durable.
    pub async fn durable(&self) -> Result<(), StoreError> {
        let ticket = self.written.fetch_add(1, Ordering::SeqCst) + 1;
        loop {
            if *self.flushed.borrow() >= ticket {
                return Ok(());
            }
            let _turn = self.flushing.lock().await;
            if *self.flushed.borrow() >= ticket {
                return Ok(());
            }
            // Everything written before this point is covered by the flush below.
            let upto = self.written.load(Ordering::SeqCst);
            let store = self.store.clone();
            tokio::task::spawn_blocking(move || store.flush())
                .await
                .map_err(|e| StoreError::Database(format!("flush task failed: {e}")))??;
            self.flushed.send_modify(|done| *done = (*done).max(upto));
        }
    }
}
