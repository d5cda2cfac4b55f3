//! The engine on a real temporary store: validation, the caches, stored files and durability.

use super::*;
use crate::store::SledStore;
use std::sync::Mutex;

const LIMITS: Limits = Limits {
    cache_bytes: 8 << 20,
    render_threads: 2,
    render_queue_budget: Duration::from_secs(3),
    store_buffer: 1000,
};

#[derive(Default)]
struct Recorder {
    /// (style, format, rendered?) per generation.
    generated: Mutex<Vec<(&'static str, Format, bool)>>,
    cleaned: Mutex<Vec<usize>>,
}

impl Observer for Recorder {
    fn generated(&self, g: &Generated<'_>) {
        let rendered = g.render_seconds.is_some();
        let entry = (g.spec.style().key(), g.format, rendered);
        self.generated.lock().unwrap().push(entry);
    }
    fn cleaned(&self, report: &CleanupReport) {
        self.cleaned.lock().unwrap().push(report.removed.len());
    }
    fn stats_changed(&self, _: u64, _: u64, _: bool) {}
}

struct Fixture {
    dir: tempfile::TempDir,
    engine: Engine,
    recorder: Arc<Recorder>,
}

/// sled standing in for an index shared with other replicas (whose files this disk lacks).
struct SharedIndex(SledStore);

#[async_trait::async_trait]
impl Store for SharedIndex {
    async fn add(&self, batch: &crate::store::Batch) -> Result<(), crate::store::StoreError> {
        self.0.add(batch).await
    }
    async fn counters(&self) -> Result<crate::store::Counters, crate::store::StoreError> {
        self.0.counters().await
    }
    async fn insert_file(
        &self,
        r: &crate::store::FileRecord,
    ) -> Result<(), crate::store::StoreError> {
        self.0.insert_file(r).await
    }
    async fn remove_file(
        &self,
        name: &str,
    ) -> Result<Option<crate::store::FileRecord>, crate::store::StoreError> {
        self.0.remove_file(name).await
    }
    async fn file(
        &self,
        name: &str,
    ) -> Result<Option<crate::store::FileRecord>, crate::store::StoreError> {
        self.0.file(name).await
    }
    async fn files(&self) -> Result<Vec<crate::store::FileRecord>, crate::store::StoreError> {
        self.0.files().await
    }
    async fn files_summary(&self) -> Result<crate::store::FilesSummary, crate::store::StoreError> {
        self.0.files_summary().await
    }
    async fn flush(&self) -> Result<(), crate::store::StoreError> {
        self.0.flush().await
    }
    async fn size_on_disk(&self) -> Result<Option<u64>, crate::store::StoreError> {
        self.0.size_on_disk().await
    }
    fn shared(&self) -> bool {
        true
    }
}

fn open(dir: tempfile::TempDir) -> Fixture {
    open_with(dir, false)
}

fn open_with(dir: tempfile::TempDir, shared: bool) -> Fixture {
    let sled = SledStore::open(&dir.path().join("store"), 1 << 20)
        .unwrap()
        .store;
    let store: Arc<dyn Store> = match shared {
        true => Arc::new(SharedIndex(sled)),
        false => Arc::new(sled),
    };
    let artefacts = Artefacts::open(&dir.path().join("files")).unwrap();
    let recorder = Arc::new(Recorder::default());
    let engine = Engine::new(store, artefacts, LIMITS, recorder.clone());
    Fixture {
        dir,
        engine,
        recorder,
    }
}

fn fixture() -> Fixture {
    open(tempfile::tempdir().unwrap())
}

fn generate(style: &str, variant: &str, format: Format) -> Generate {
    Generate {
        logo: LogoRequest::new(style, variant),
        format,
        store: false,
    }
}

/// Generates and stores a logo, as `POST /generate` does.
async fn store(f: &Fixture, style: &str, variant: &str, format: Format) -> Output {
    let request = Generate {
        store: true,
        ..generate(style, variant, format)
    };
    f.engine.generate(&request).await.unwrap()
}

fn invalid(result: Result<LogoSpec, EngineError>) -> Invalid {
    match result {
        Err(EngineError::Invalid(invalid)) => invalid,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn validation_names_the_field_and_lists_what_is_accepted() {
    let style = invalid(LogoRequest::new("neon", "power").validate());
    assert_eq!(style.field, "style");
    let accepted = style.valid.unwrap();
    assert!(accepted.contains(&"default") && accepted.contains(&"realism_max"));
    let variant = invalid(LogoRequest::new("simple", "sunny").validate());
    assert_eq!(variant.field, "variant");
    assert_eq!(variant.valid.unwrap().len(), 5);
    for size in [15, 2049, -1, i64::MAX] {
        let request = LogoRequest {
            size,
            ..LogoRequest::new("simple", "power")
        };
        assert_eq!(invalid(request.validate()).field, "size", "{size}");
    }
    let palette = LogoRequest {
        palette: Some(PaletteInput::List(vec!["#111111".into(); 3])),
        ..LogoRequest::new("simple", "power")
    };
    assert_eq!(invalid(palette.validate()).field, "palette");
    let prefix = LogoRequest {
        id_prefix: Some("1-starts-with-a-digit".into()),
        ..LogoRequest::new("simple", "power")
    };
    assert_eq!(invalid(prefix.validate()).field, "id_prefix");
    let good = LogoRequest {
        size: 64,
        seed: Some(7),
        palette: Some(PaletteInput::Joined(
            "#111111,#222222,#333333,#444444".into(),
        )),
        ..LogoRequest::new("default", "power")
    };
    let spec = good.validate().unwrap();
    assert_eq!(
        (spec.style().key(), spec.size(), spec.seed()),
        ("advanced", 64, 7)
    );
}

#[tokio::test]
async fn a_repeated_request_is_served_from_the_cache_with_the_same_bytes() {
    let f = fixture();
    let first = f
        .engine
        .generate(&generate("ultimate", "power", Format::Png))
        .await
        .unwrap();
    let again = f
        .engine
        .generate(&generate("ultimate", "power", Format::Png))
        .await
        .unwrap();
    assert!(!first.cached && again.cached);
    assert_eq!(first.bytes, again.bytes);
    assert_eq!(again.render_seconds, 0.0);
    let seen = f.recorder.generated.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            ("ultimate", Format::Png, true),
            ("ultimate", Format::Png, false)
        ]
    );
    let stats = f.engine.stats().await.unwrap();
    assert_eq!((stats.total_generated, stats.cache_hits), (2, 1));
}

/// A style without seeded parts draws the same pixels for every seed (and title): a raster of a
/// new seed is a cache hit with the same bytes. A seeded style's new seed is drawn anew.
#[tokio::test]
async fn rasters_of_seed_free_styles_share_one_entry_across_seeds() {
    let f = fixture();
    let with = |style: &str, seed: u64, title: Option<&str>| Generate {
        logo: LogoRequest {
            seed: Some(seed),
            title: title.map(str::to_owned),
            ..LogoRequest::new(style, "power")
        },
        ..generate(style, "power", Format::Png)
    };
    let first = f.engine.generate(&with("simple", 1, None)).await.unwrap();
    let other = f
        .engine
        .generate(&with("simple", 2, Some("Another title")))
        .await
        .unwrap();
    assert!(!first.cached && other.cached);
    assert_eq!(first.bytes, other.bytes);
    let svg = Generate {
        format: Format::Svg,
        ..with("simple", 3, None)
    };
    assert!(!f.engine.generate(&svg).await.unwrap().cached);

    let seeded = f.engine.generate(&with("ultimate", 1, None)).await.unwrap();
    let reseeded = f.engine.generate(&with("ultimate", 2, None)).await.unwrap();
    assert!(!seeded.cached && !reseeded.cached);
    assert_ne!(seeded.bytes, reseeded.bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_concurrent_requests_render_once() {
    let f = Arc::new(fixture());
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            f.engine
                .generate(&generate("realism", "mystery", Format::Png))
                .await
                .unwrap()
        }));
    }
    let mut outputs = Vec::new();
    for task in tasks {
        outputs.push(task.await.unwrap());
    }
    assert_eq!(outputs.iter().filter(|o| !o.cached).count(), 1);
    assert!(outputs.iter().all(|o| o.bytes == outputs[0].bytes));
}

#[tokio::test]
async fn answered_generations_survive_a_restart_and_buffered_ones_a_flush() {
    let f = fixture();
    for _ in 0..3 {
        f.engine
            .generate(&generate("simple", "serenity", Format::Svg))
            .await
            .unwrap();
    }
    let spec = LogoRequest::new("dashboard", "creative")
        .validate()
        .unwrap();
    f.engine.serve(&spec, Format::Svg).await.unwrap();
    f.engine.flush().await.unwrap();
    let Fixture { dir, engine, .. } = f;
    drop(engine);
    let reopened = open(dir);
    let stats = reopened.engine.stats().await.unwrap();
    assert_eq!(stats.total_generated, 4);
    assert_eq!(stats.styles["simple"], 3);
    assert_eq!(stats.styles["dashboard"], 1);
    assert_eq!(stats.formats["svg"], 4);
    assert!(stats.last_generation.is_some());
}

#[tokio::test]
async fn stored_files_are_listed_read_back_and_cleaned_up() {
    let f = fixture();
    let stored = store(&f, "ai_moon", "awakening", Format::Svg).await;
    let name = stored.file.clone().unwrap();
    let (file, bytes) = f.engine.file(&name).await.unwrap();
    assert_eq!(bytes, stored.bytes);
    assert_eq!((file.style.as_str(), file.format), ("ai_moon", Format::Svg));
    assert_eq!(f.engine.files(None).await.unwrap().total, 1);
    assert_eq!(f.engine.stats().await.unwrap().files.count, 1);

    // Names that are not indexed files never reach the disk.
    for bad in [
        "../store/db",
        "arkalia-luna-x.svg",
        "",
        &name.replace(".svg", ".png"),
    ] {
        assert!(
            matches!(f.engine.file(bad).await, Err(EngineError::NotFound(_))),
            "{bad}"
        );
    }

    let dry = CleanupRequest {
        dry_run: true,
        ..CleanupRequest::default()
    };
    let preview = f.engine.cleanup(&dry).await.unwrap();
    assert_eq!(preview.removed, std::slice::from_ref(&name));
    assert!(
        f.engine.file(&name).await.is_ok(),
        "a dry run removes nothing"
    );
    let done = f.engine.cleanup(&CleanupRequest::default()).await.unwrap();
    assert_eq!((done.removed.len(), done.remaining), (1, 0));
    assert_eq!(done.freed_bytes, stored.bytes.len() as u64);
    assert!(matches!(
        f.engine.file(&name).await,
        Err(EngineError::NotFound(_))
    ));
    assert!(!f.dir.path().join("files").join(&name).exists());
    assert_eq!(*f.recorder.cleaned.lock().unwrap(), [1]);
}

#[tokio::test]
async fn a_stored_file_missing_here_is_drawn_again_byte_for_byte() {
    // As on a replica that did not store it: the index has the entry, the disk has no file.
    let f = open_with(tempfile::tempdir().unwrap(), true);
    let logo = LogoRequest {
        size: 96,
        seed: Some(11),
        palette: Some(PaletteInput::Joined(
            "#0f172a,#334155,#f59e0b,#fde68a".into(),
        )),
        title: Some("Ours".into()),
        ..LogoRequest::new("ultra_max", "creative")
    };
    for format in [Format::Svg, Format::Png] {
        let stored = f
            .engine
            .generate(&Generate {
                logo: logo.clone(),
                format,
                store: true,
            })
            .await
            .unwrap();
        let name = stored.file.unwrap();
        let path = f.dir.path().join("files").join(&name);
        std::fs::remove_file(&path).unwrap();
        let (file, bytes) = f.engine.file(&name).await.unwrap();
        assert_eq!(bytes, stored.bytes, "{format}");
        assert_eq!(file.name, name);
        assert!(path.exists(), "{format}: the redrawn file is kept");
    }
}

#[tokio::test]
async fn copies_of_files_cleaned_elsewhere_are_dropped_after_a_grace_period() {
    let f = open_with(tempfile::tempdir().unwrap(), true);
    let stored = store(&f, "simple", "power", Format::Svg).await;
    let name = stored.file.unwrap();
    let path = f.dir.path().join("files").join(&name);
    // Another replica cleaned it up: the shared index lost the entry, this disk kept the file.
    f.engine.store.remove_file(&name).await.unwrap();
    assert_eq!(
        f.engine.drop_unindexed_copies().await.unwrap(),
        0,
        "too fresh"
    );
    assert!(path.exists());
    assert_eq!(
        f.engine.files.drop_unindexed(Duration::ZERO).await.unwrap(),
        1
    );
    assert!(!path.exists());
    // Indexed files stay.
    let kept = store(&f, "ultimate", "power", Format::Svg).await;
    assert_eq!(
        f.engine.files.drop_unindexed(Duration::ZERO).await.unwrap(),
        0
    );
    assert!(f.dir.path().join("files").join(kept.file.unwrap()).exists());

    // An embedded store describes this disk only: nothing is dropped, nothing redrawn.
    let alone = fixture();
    let stored = store(&alone, "simple", "power", Format::Svg).await;
    let name = stored.file.unwrap();
    alone.engine.store.remove_file(&name).await.unwrap();
    assert_eq!(
        alone
            .engine
            .files
            .drop_unindexed(Duration::ZERO)
            .await
            .unwrap(),
        0
    );
    assert!(alone.dir.path().join("files").join(&name).exists());
}
