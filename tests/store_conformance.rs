//! One conformance suite for every store backend: the embedded sled store and a real
//! `redis-server` (with a password, on a loopback port). Each check runs against both.

mod support;

use luna_daemon::store::{
    Batch, Counters, DrawingRecord, FileRecord, FilesSummary, Generation, RedisStore, RedisUrl,
    SledStore, Store, StoreError,
};
use std::sync::Arc;
use support::{REDIS_PASSWORD, RedisServer};

/// A backend under test: a way to open a store, again and again, over the same data.
enum Backend {
    Sled(tempfile::TempDir),
    Redis(RedisServer, String),
}

impl Backend {
    fn sled() -> Backend {
        Backend::Sled(tempfile::tempdir().unwrap())
    }

    fn redis() -> Backend {
        Backend::Redis(RedisServer::start(), "luna:".to_owned())
    }

    async fn open(&self) -> Arc<dyn Store> {
        match self {
            Backend::Sled(dir) => Arc::new(
                SledStore::open(&dir.path().join("store"), 1 << 20)
                    .unwrap()
                    .store,
            ),
            Backend::Redis(server, prefix) => Arc::new(
                RedisStore::open(&RedisUrl::new(server.url()), None, prefix)
                    .unwrap_or_else(|e| panic!("{e}\n{}", server.log())),
            ),
        }
    }

    /// A second handle on the same data, as another replica would have. sled allows one open
    /// per directory, so its second handle is the same store.
    async fn another(&self, store: &Arc<dyn Store>) -> Arc<dyn Store> {
        match self {
            Backend::Sled(_) => store.clone(),
            Backend::Redis(..) => self.open().await,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Backend::Sled(_) => "sled",
            Backend::Redis(..) => "redis",
        }
    }
}

fn generation(style: &'static str, variant: &'static str, cached: bool, at: u64) -> Generation {
    Generation {
        style,
        variant,
        size: 64,
        format: "png",
        at_unix_ms: at,
        cached,
    }
}

fn batch(id: &str, generations: &[Generation]) -> Batch {
    let mut counters = Counters::default();
    for g in generations {
        counters.merge(&Counters::of(g));
    }
    Batch {
        id: id.to_owned(),
        counters,
        files: Vec::new(),
    }
}

fn record(name: &str, bytes: u64, created: u64) -> FileRecord {
    FileRecord {
        name: name.to_owned(),
        style: "ultimate".to_owned(),
        variant: "power".to_owned(),
        size: 256,
        format: "png".to_owned(),
        bytes,
        created_unix_ms: created,
        drawing: Some(DrawingRecord {
            seed: 7,
            animated: false,
            palette: Some("#111111,#222222,#333333,#444444".to_owned()),
            id_prefix: None,
            title: Some("Ünïcode — title".to_owned()),
        }),
    }
}

async fn counters_add_up_across_batches_and_reopening(backend: &Backend) {
    {
        let store = backend.open().await;
        assert_eq!(store.counters().await.unwrap(), Counters::default());
        store
            .add(&batch(
                "a-1",
                &[
                    generation("simple", "power", false, 30),
                    generation("simple", "mystery", true, 10),
                ],
            ))
            .await
            .unwrap();
        store
            .add(&batch("a-2", &[generation("ultimate", "power", false, 20)]))
            .await
            .unwrap();
        store.flush().await.unwrap();
    }
    let c = backend.open().await.counters().await.unwrap();
    let name = backend.name();
    assert_eq!((c.total, c.cache_hits), (3, 1), "{name}");
    assert_eq!(c.styles["simple"], 2, "{name}");
    assert_eq!(c.variants["power"], 2, "{name}");
    assert_eq!(c.sizes["64"], 3, "{name}");
    assert_eq!(c.formats["png"], 3, "{name}");
    assert_eq!(
        c.last_generation_ms,
        Some(30),
        "{name}: the latest, not the last written"
    );
}

async fn the_file_index_and_its_summary_stay_exact(backend: &Backend) {
    let name = backend.name();
    let store = backend.open().await;
    let summary = |count, bytes| FilesSummary { count, bytes };
    assert_eq!(
        store.files_summary().await.unwrap(),
        summary(0, 0),
        "{name}"
    );
    store.insert_file(&record("a.png", 100, 1)).await.unwrap();
    store.insert_file(&record("b.png", 50, 2)).await.unwrap();
    store.insert_file(&record("a.png", 120, 3)).await.unwrap();
    assert_eq!(
        store.files_summary().await.unwrap(),
        summary(2, 170),
        "{name}: a replacement is not a new file"
    );
    assert_eq!(
        store.file("a.png").await.unwrap(),
        Some(record("a.png", 120, 3))
    );
    assert_eq!(store.file("zzz.png").await.unwrap(), None, "{name}");
    let mut all = store.files().await.unwrap();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        all,
        [record("a.png", 120, 3), record("b.png", 50, 2)],
        "{name}"
    );

    // Two cleaners racing for one file: only one of them removes it (and counts it).
    let other = backend.another(&store).await;
    let (first, second) = tokio::join!(store.remove_file("b.png"), other.remove_file("b.png"));
    let removed = [first.unwrap(), second.unwrap()];
    assert_eq!(removed.iter().flatten().count(), 1, "{name}: {removed:?}");
    assert_eq!(
        store.files_summary().await.unwrap(),
        summary(1, 120),
        "{name}"
    );
    store.flush().await.unwrap();
    drop((store, other));
    let reopened = backend.open().await;
    assert_eq!(
        reopened.files_summary().await.unwrap(),
        summary(1, 120),
        "{name}"
    );
    assert_eq!(reopened.files().await.unwrap().len(), 1, "{name}");
}

/// New index entries ride in counter batches: added where absent (the first creation time is
/// kept), counted once in the summary, and durable with the batch.
async fn batches_add_index_entries_only_where_absent(backend: &Backend) {
    let name = backend.name();
    {
        let store = backend.open().await;
        let mut first = batch("f-1", &[generation("simple", "power", false, 5)]);
        first.files = vec![record("a.png", 100, 1), record("b.png", 50, 2)];
        store.add(&first).await.unwrap();
        let mut again = batch("f-2", &[generation("simple", "power", true, 6)]);
        again.files = vec![record("a.png", 100, 9), record("c.png", 7, 3)];
        store.add(&again).await.unwrap();
        store.flush().await.unwrap();
    }
    let store = backend.open().await;
    assert_eq!(
        store.files_summary().await.unwrap(),
        FilesSummary {
            count: 3,
            bytes: 157
        },
        "{name}"
    );
    let kept = store.file("a.png").await.unwrap().expect("indexed");
    assert_eq!(kept.created_unix_ms, 1, "{name}: the first entry stays");
    assert_eq!(kept, record("a.png", 100, 1), "{name}");
    assert_eq!(store.counters().await.unwrap().total, 2, "{name}");
}

#[tokio::test]
async fn sled_conforms() {
    let backend = Backend::sled();
    counters_add_up_across_batches_and_reopening(&backend).await;
    let backend = Backend::sled();
    the_file_index_and_its_summary_stay_exact(&backend).await;
    let backend = Backend::sled();
    batches_add_index_entries_only_where_absent(&backend).await;
}

#[tokio::test]
async fn redis_conforms() {
    let backend = Backend::redis();
    counters_add_up_across_batches_and_reopening(&backend).await;
    let backend = Backend::redis();
    the_file_index_and_its_summary_stay_exact(&backend).await;
    let backend = Backend::redis();
    batches_add_index_entries_only_where_absent(&backend).await;
}

#[tokio::test]
async fn redis_counts_a_retried_batch_once() {
    // A batch whose answer was lost is sent again with the same id; Redis applied it already.
    let backend = Backend::redis();
    let store = backend.open().await;
    let once = batch("lost-answer-7", &[generation("simple", "power", false, 1)]);
    store.add(&once).await.unwrap();
    store.add(&once).await.unwrap();
    assert_eq!(store.counters().await.unwrap().total, 1);
    store
        .add(&batch(
            "lost-answer-8",
            &[generation("simple", "power", false, 2)],
        ))
        .await
        .unwrap();
    assert_eq!(store.counters().await.unwrap().total, 2);
}

#[tokio::test]
async fn fleets_with_different_prefixes_share_a_server_without_mixing() {
    let server = RedisServer::start();
    let url = RedisUrl::new(server.url());
    let blue = RedisStore::open(&url, None, "blue:").unwrap();
    let green = RedisStore::open(&url, None, "green:").unwrap();
    blue.add(&batch("b-1", &[generation("simple", "power", false, 1)]))
        .await
        .unwrap();
    blue.insert_file(&record("a.png", 1, 1)).await.unwrap();
    assert_eq!(blue.counters().await.unwrap().total, 1);
    assert_eq!(green.counters().await.unwrap().total, 0);
    assert!(green.files().await.unwrap().is_empty());
}

#[tokio::test]
async fn redis_keeps_every_answered_write_through_a_kill_9() {
    let mut server = RedisServer::start();
    let url = RedisUrl::new(server.url());
    let store = RedisStore::open(&url, None, "luna:").unwrap();
    for n in 0..20 {
        store
            .add(&batch(
                &format!("k-{n}"),
                &[generation("simple", "power", false, n)],
            ))
            .await
            .unwrap();
    }
    store.insert_file(&record("kept.png", 9, 1)).await.unwrap();
    server.kill();
    server.restart();
    // The same store object reconnects by itself.
    let mut total = None;
    for _ in 0..50 {
        match store.counters().await {
            Ok(c) => {
                total = Some(c.total);
                break;
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    assert_eq!(total, Some(20), "{}", server.log());
    assert_eq!(store.files_summary().await.unwrap().count, 1);
}

#[tokio::test]
async fn a_wrong_password_or_address_is_a_clear_error_at_the_first_ping() {
    let server = RedisServer::start();
    let ping = |url: String, password: Option<&'static str>| async move {
        let store = RedisStore::open(&RedisUrl::new(url), password, "luna:").unwrap();
        store.ping().await
    };
    let wrong = format!("redis://:not-it@127.0.0.1:{}", server.port);
    let error = ping(wrong, None).await.unwrap_err();
    assert!(matches!(error, StoreError::Denied(_)), "{error:?}");
    let error = error.to_string();
    assert!(error.contains("redis://:***@127.0.0.1"), "{error}");
    assert!(!error.contains("not-it"), "the password leaked: {error}");

    // The password may come separately (from the environment), never in the URL.
    let bare = server.url_without_password();
    let error = ping(bare.clone(), None).await.unwrap_err();
    assert!(matches!(error, StoreError::Denied(_)), "{error:?}");
    ping(bare, Some(REDIS_PASSWORD)).await.unwrap();

    // Nothing listening: transient (lunad starts degraded), not a refusal.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let error = ping(format!("redis://127.0.0.1:{port}"), None)
        .await
        .unwrap_err();
    assert!(error.is_unreachable(), "{error:?}");
    assert!(error.to_string().contains("redis://127.0.0.1"), "{error}");

    assert!(matches!(
        RedisStore::open(&RedisUrl::new("redis://[nope"), None, "luna:"),
        Err(StoreError::Config(_))
    ));
}
