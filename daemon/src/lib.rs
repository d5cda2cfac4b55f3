//! lunad as a library: the drawing code ([`art`], [`raster`]), the [`engine`] over a [`store`],
//! its [`telemetry`], and two front ends that translate to and from the engine ([`ipc_server`],
//! [`http`]), assembled by [`run`]. The `lunad` binary only parses flags, sets up logging and
//! calls [`run`]. `docs/ARCHITECTURE.md` maps it.

pub mod art;
pub mod config;
pub mod engine;
mod fleet;
pub mod http;
pub mod instance;
pub mod ipc_server;
pub mod memory;
pub mod raster;
pub mod state;
pub mod store;
mod sweeper;
pub mod telemetry;

use config::Settings;
use config::StoreChoice;
use engine::Engine;
use engine::artefacts;
use instance::{Instance, InstanceError};
use state::State;
use std::sync::Arc;
use store::{Fleet, RedisStore, SledStore, Store, StoreError};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// One version string for the whole project: daemon, CLI, protocol greeting and HTTP.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Instance(#[from] InstanceError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    StoreUnavailable(StoreError),
    #[error("cannot prepare {}: {source}", path.display())]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("reconciling stored files with the index: {0}")]
    Reconcile(#[from] artefacts::ReconcileError),
    #[error("cannot install signal handlers: {0}")]
    Signals(std::io::Error),
    #[error("cannot serve HTTP on {addr}: {source}")]
    HttpBind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
}

impl DaemonError {
    /// sysexits-style exit status for the binary.
    pub fn exit_code(&self) -> u8 {
        match self {
            DaemonError::Instance(
                InstanceError::AlreadyRunning { .. } | InstanceError::LiveSocket { .. },
            ) => 69,
            DaemonError::Instance(
                InstanceError::UnsafeDir { .. } | InstanceError::NotASocket { .. },
            ) => 77,
            DaemonError::DataDir { .. } => 73,
            DaemonError::StoreUnavailable(StoreError::Denied(_)) => 77,
            DaemonError::StoreUnavailable(StoreError::Config(_)) => 78,
            DaemonError::HttpBind { .. } | DaemonError::StoreUnavailable(_) => 69,
            _ => 70,
        }
    }
}

/// Runs the daemon until SIGTERM, SIGINT or a `shutdown` command, then drains in-flight work,
/// flushes the store and removes the socket. Returns `Ok` on a clean shutdown.
pub async fn run(settings: Settings) -> Result<(), DaemonError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).map_err(DaemonError::Signals)?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(DaemonError::Signals)?;

    let activated = instance::activated_socket()?;
    let (instance, listener) = Instance::start(&settings.socket, activated)?;

    let data_error = |path: &std::path::Path| {
        let path = path.to_owned();
        move |source| DaemonError::DataDir { path, source }
    };
    artefacts::create_private_dir(&settings.data_dir).map_err(data_error(&settings.data_dir))?;
    let (store, fleet) = open_store(&settings).await?;
    // A fleet starts while Redis is down; a wrong password or a refusal stops it here.
    let unreachable = match store.ping().await {
        Ok(()) => None,
        Err(e) if e.is_unreachable() => Some(e),
        Err(e) => return Err(DaemonError::StoreUnavailable(e)),
    };
    let files_dir = settings.data_dir.join("files");
    let artefacts = artefacts::Artefacts::open(&files_dir).map_err(data_error(&files_dir))?;
    let report = artefacts.reconcile(store.as_ref()).await?;
    if report != artefacts::Reconciled::default() {
        tracing::info!(?report, "reconciled stored files with the index");
    }

    let replica = fleet.as_ref().map(|_| settings.replica.as_str());
    let telemetry = Arc::new(telemetry::Telemetry::new(replica));
    let engine = Arc::new(Engine::new(
        store.clone(),
        artefacts,
        engine::Limits {
            cache_bytes: settings.cache_bytes,
            render_threads: settings.render_threads,
            render_queue_budget: settings.render_queue_budget,
            store_buffer: settings.store_buffer,
        },
        telemetry.clone(),
    ));
    if let Some(e) = unreachable {
        engine.note_store_unreachable(&e);
    }
    let state = Arc::new(State {
        engine: engine.clone(),
        telemetry,
        settings: settings.clone(),
        shutdown: CancellationToken::new(),
        requests: TaskTracker::new(),
        fleet,
    });

    let http_listener = match settings.http.listen {
        Some(addr) => match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => Some(listener),
            Err(source) if settings.http.listen_explicit => {
                return Err(DaemonError::HttpBind { addr, source });
            }
            Err(e) => {
                tracing::warn!(%addr, error = %e, "default HTTP address unavailable: serving IPC only (set --http-listen)");
                None
            }
        },
        None => None,
    };
    let http_addr = http_listener.as_ref().and_then(|l| l.local_addr().ok());
    let http = http_listener.map(|l| tokio::spawn(http::serve(state.clone(), l)));
    let ipc = tokio::spawn(ipc_server::serve(state.clone(), listener));
    let sweeper = tokio::spawn(sweeper::run(state.clone()));
    let ticker = tokio::spawn(tick_stats(state.clone()));
    tokio::spawn(memory::return_freed_memory(
        engine.clone(),
        state.shutdown.clone(),
    ));
    let relay = state
        .fleet
        .clone()
        .map(|fleet| tokio::spawn(fleet::relay(state.clone(), fleet)));
    tracing::info!(
        socket = %instance.socket().display(),
        http = %http_addr.map_or_else(|| "off".to_owned(), |a| a.to_string()),
        data = %settings.data_dir.display(),
        version = VERSION,
        "lunad ready"
    );
    let _ = sd_notify::notify(&[
        sd_notify::NotifyState::Ready,
        sd_notify::NotifyState::Status("serving"),
    ]);

    tokio::select! {
        _ = terminate.recv() => state.request_shutdown("SIGTERM"),
        _ = interrupt.recv() => state.request_shutdown("SIGINT"),
        _ = state.shutdown.cancelled() => {}
    }
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);

    // A second signal means "now": skip the drain.
    let drain = async {
        state.requests.close();
        let _ = tokio::time::timeout(settings.drain_timeout, state.requests.wait()).await;
        let _ = ipc.await;
        if let Some(http) = http {
            let _ = http.await;
        }
        let _ = sweeper.await;
        let _ = ticker.await;
        if let Some(relay) = relay {
            let _ = relay.await;
        }
    };
    tokio::select! {
        _ = drain => {}
        _ = terminate.recv() => tracing::warn!("second signal: stopping without waiting"),
        _ = interrupt.recv() => tracing::warn!("second signal: stopping without waiting"),
    }
    if let Err(e) = engine.flush().await {
        tracing::error!(error = %e, "final store flush failed");
    }
    drop(instance);
    tracing::info!("lunad stopped");
    Ok(())
}

/// The configured store: sled in the data directory, or a Redis server shared by a fleet, which
/// then also carries the fleet's rate limit and events.
async fn open_store(
    settings: &Settings,
) -> Result<(Arc<dyn Store>, Option<Arc<dyn Fleet>>), DaemonError> {
    match &settings.store {
        StoreChoice::Embedded => {
            // The store holds counters and a small index: a few MiB of page cache is plenty.
            let opened = SledStore::open(&settings.data_dir.join("store"), 4 << 20)?;
            if let Some(aside) = &opened.quarantined {
                tracing::warn!(moved_to = %aside.display(), "started with a fresh store after corruption");
            }
            Ok((Arc::new(opened.store), None))
        }
        StoreChoice::Redis {
            url,
            prefix,
            password,
        } => {
            let password = password.as_ref().map(|p| p.0.as_str());
            let store = Arc::new(
                RedisStore::open(url, password, prefix).map_err(DaemonError::StoreUnavailable)?,
            );
            tracing::info!(store = %url.redacted(), %prefix, replica = %settings.replica, "statistics, file index, rate limit and events in Redis");
            Ok((store.clone(), Some(store)))
        }
    }
}

/// Writes buffered counters and announces statistics changes, until shutdown.
async fn tick_stats(state: Arc<State>) {
    let mut ticks = tokio::time::interval(engine::STATS_TICK);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = ticks.tick() => {}
        }
        if let Err(e) = state.engine.tick().await {
            tracing::error!(error = %e, "writing statistics failed");
        }
    }
}
