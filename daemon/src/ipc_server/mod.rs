//! The Unix-socket IPC server: accepts connections, checks the peer's user, enforces the
//! connection limit and hands each connection to [`connection::serve`].

mod connection;
mod handlers;
mod request;
mod wire;

use crate::state::State;
use interprocess::local_socket::traits::tokio::Listener as _;
use interprocess::os::unix::uds_local_socket::tokio::Listener;
use luna_ipc::{ErrorCode, WireError};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio_util::task::TaskTracker;

/// Accepts until shutdown, then waits for every connection to drain.
pub async fn serve(state: Arc<State>, listener: Listener) {
    let our_uid = luna_ipc::paths::effective_uid();
    let open = Arc::new(AtomicUsize::new(0));
    let connections = TaskTracker::new();
    loop {
        let stream = tokio::select! {
            _ = state.shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(stream) => stream,
                Err(e) => {
                    // Usually EMFILE: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        use interprocess::local_socket::traits::StreamCommon as _;
        let peer_uid = stream.peer_creds().ok().and_then(|c| c.euid());
        if peer_uid != Some(our_uid) && peer_uid != Some(0) {
            tracing::warn!(?peer_uid, "refused a connection from another user");
            connections.spawn(connection::refuse(
                stream,
                WireError::new(
                    ErrorCode::PermissionDenied,
                    "lunad serves only its own user",
                ),
            ));
            continue;
        }
        if open.load(Ordering::SeqCst) >= state.settings.max_connections {
            connections.spawn(connection::refuse(
                stream,
                WireError::new(
                    ErrorCode::Busy,
                    format!(
                        "too many connections (limit {}); retry shortly",
                        state.settings.max_connections
                    ),
                ),
            ));
            continue;
        }
        open.fetch_add(1, Ordering::SeqCst);
        state.telemetry.metrics.ipc_connections.inc();
        let open = open.clone();
        let state = state.clone();
        connections.spawn(async move {
            connection::serve(state.clone(), stream).await;
            open.fetch_sub(1, Ordering::SeqCst);
            state.telemetry.metrics.ipc_connections.dec();
        });
    }
    drop(listener);
    connections.close();
    connections.wait().await;
}
