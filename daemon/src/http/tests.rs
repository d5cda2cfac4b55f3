//! The router driven in-process (`tower::ServiceExt::oneshot`): every route that needs no real
//! socket, on a real engine over a temporary store.

use super::*;
use crate::art::Style;
use crate::config::{ConfigFile, HttpFile};
use crate::engine::Engine;
use crate::engine::artefacts::Artefacts;
use crate::store::{SledStore, Store};
use crate::telemetry::Telemetry;
use axum::body::Body;
use axum::http::Request;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

struct Harness {
    _dir: tempfile::TempDir,
    router: Router,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers[name].to_str().unwrap()
    }
}

fn harness(cleanup_token: Option<&str>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let settings = ConfigFile {
        data_dir: Some(dir.path().to_owned()),
        http: HttpFile {
            cleanup_token: cleanup_token.map(str::to_owned),
            ..HttpFile::default()
        },
        ..ConfigFile::default()
    }
    .resolve()
    .unwrap();
    let store: Arc<dyn Store> = Arc::new(
        SledStore::open(&dir.path().join("store"), 1 << 20)
            .unwrap()
            .store,
    );
    let artefacts = Artefacts::open(&dir.path().join("files")).unwrap();
    let telemetry = Arc::new(Telemetry::default());
    let limits = crate::engine::Limits {
        cache_bytes: 8 << 20,
        render_threads: 2,
        render_queue_budget: std::time::Duration::from_secs(3),
        store_buffer: 1000,
    };
    let engine = Arc::new(Engine::new(store, artefacts, limits, telemetry.clone()));
    let state = Arc::new(State {
        engine,
        telemetry,
        settings,
        shutdown: CancellationToken::new(),
        requests: TaskTracker::new(),
        fleet: None,
    });
    Harness {
        _dir: dir,
        router: router(state),
    }
}

impl Harness {
    async fn send(&self, request: Request<Body>) -> Reply {
        let mut request = request;
        let peer = std::net::SocketAddr::from(([127, 0, 0, 1], 40000));
        request.extensions_mut().insert(ConnectInfo(peer));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    async fn post_json(&self, uri: &str, body: Value) -> Reply {
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }
}

#[tokio::test]
async fn generate_then_download_the_same_bytes_with_a_strong_etag() {
    let h = harness(None);
    let reply = h
        .post_json(
            "/generate",
            json!({"variant": "power", "generator_type": "default", "size": "128", "inline": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    assert_eq!(body["success"], true);
    assert_eq!(body["message"], "Logo power généré avec succès");
    assert_eq!(
        (body["style"].as_str(), body["size"].as_u64()),
        (Some("advanced"), Some(128))
    );
    assert_eq!(body["encoding"], "utf8");
    let url = body["download_url"].as_str().unwrap();
    let download = h.get(url).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.header(header::CONTENT_TYPE), "image/svg+xml");
    assert_eq!(
        String::from_utf8(download.body.clone()).unwrap(),
        body["data"]
    );
    let etag = download.header(header::ETAG).to_owned();
    let again = Request::get(url)
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(again).await.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn engine_errors_become_json_errors_in_the_original_field_names() {
    let h = harness(None);
    let reply = h
        .post_json(
            "/generate",
            json!({"variant": "power", "generator_type": "neon"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let error = &reply.json()["error"];
    assert_eq!(error["code"], "invalid_argument");
    assert_eq!(error["field"], "generator_type");
    let valid: Vec<&str> = error["valid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(valid, Style::accepted_keys().collect::<Vec<_>>());
    assert_eq!(reply.json()["detail"], error["message"]);

    let size = h
        .post_json("/generate", json!({"variant": "power", "size": 4096}))
        .await;
    assert_eq!(
        (size.status, size.json()["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("size"))
    );
    let missing = h.post_json("/generate", json!({"size": 64})).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["error"]["field"], "variant");
    let text = Request::post("/generate")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        h.send(text).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    for traversal in [
        "/download/..%2F..%2Fetc%2Fpasswd",
        "/download/arkalia-luna-x.svg",
    ] {
        let reply = h.get(traversal).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{traversal}");
        assert_eq!(reply.json()["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn logo_urls_are_immutable_and_revalidate_with_304() {
    let h = harness(None);
    let reply = h.get("/logo/ultimate/power.png?size=64&seed=9").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header(header::CONTENT_TYPE), "image/png");
    assert!(reply.body.starts_with(b"\x89PNG"));
    assert_eq!(reply.header(header::CACHE_CONTROL), routes::IMMUTABLE);
    let etag = reply.header(header::ETAG).to_owned();
    let again = Request::get("/logo/ultimate/power.png?size=64&seed=9")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(again).await.status, StatusCode::NOT_MODIFIED);
    let bad = h.get("/logo/ultimate/power.png?seed=-1").await;
    assert_eq!(
        (bad.status, bad.json()["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("seed"))
    );
    let unknown = h.get("/logo/ultimate/power.svg?colour=red").await;
    assert_eq!(unknown.json()["error"]["code"], "invalid_query");
}

#[tokio::test]
async fn listings_come_from_the_tables_and_stats_count_what_was_served() {
    let h = harness(None);
    let generators = h.get("/generators").await.json();
    assert_eq!(generators, Value::from_iter(Style::generator_keys()));
    assert_eq!(generators.as_array().unwrap().len(), 9);
    let variants = h.get("/variants?details=true").await.json();
    assert_eq!(variants[1]["variant_type"], "power");
    assert_eq!(variants[1]["colors"]["primary"], "#1e40af");

    h.get("/logo/simple/mystery.svg").await;
    h.get("/logo/simple/mystery.svg").await;
    // Served logos are counted within a stats tick; `/stats` includes what is not yet written.
    let stats = h.get("/stats").await.json();
    assert_eq!(stats["total_generated"], 2);
    assert_eq!(stats["cache_hits"], 1);
    assert_eq!(stats["variants_used"]["mystery"], 2);
    let metrics = String::from_utf8(h.get("/metrics").await.body).unwrap();
    assert!(metrics.contains(
        "arkalia_luna_logo_generations_total{format=\"svg\",generator=\"simple\",variant=\"mystery\"} 2"
    ));
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_the_table_keys() {
    let h = harness(None);
    let doc = h.get("/openapi.json").await.json();
    let mut operation_ids = std::collections::BTreeSet::new();
    for (method, path) in ROUTES {
        let operation = &doc["paths"][path][method.to_ascii_lowercase()];
        assert!(operation.is_object(), "{method} {path} is undocumented");
        // Client generators name their methods after these.
        let id = operation["operationId"].as_str().unwrap_or_default();
        assert!(
            !id.is_empty() && operation_ids.insert(id.to_owned()),
            "{method} {path}: operationId {id:?} is missing or not unique"
        );
        assert!(
            operation["responses"]["429"].is_object(),
            "{method} {path}: every route is rate limited"
        );
        // A parameter is in the path exactly when the template names it; the rest are queries
        // (a client generated from the document must put them where the server reads them).
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap();
            let place = if path.contains(&format!("{{{name}}}")) {
                "path"
            } else {
                "query"
            };
            assert_eq!(parameter["in"], place, "{method} {path}: {name}");
        }
    }
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["GeneratorKey"]["enum"],
        Value::from_iter(Style::accepted_keys())
    );
    assert_eq!(
        schemas["VariantKey"]["enum"],
        json!(["serenity", "power", "mystery", "awakening", "creative"])
    );
    assert_eq!(
        schemas["FormatKey"]["enum"],
        json!(["svg", "png", "ico", "webp"])
    );
}

#[tokio::test]
async fn cleanup_needs_the_configured_token() {
    let closed = harness(None);
    let refused = closed
        .send(Request::delete("/cleanup").body(Body::empty()).unwrap())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let h = harness(Some("s3cret"));
    h.post_json("/generate", json!({"variant": "creative"}))
        .await;
    let wrong = Request::delete("/cleanup")
        .header(header::AUTHORIZATION, "Bearer guess")
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(wrong).await.status, StatusCode::UNAUTHORIZED);
    let right = Request::delete("/cleanup")
        .header(header::AUTHORIZATION, "Bearer s3cret")
        .body(Body::empty())
        .unwrap();
    let done = h.send(right).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.json()["cleaned_count"], 1);
    assert_eq!(done.json()["message"], "1 fichiers nettoyés");
}
