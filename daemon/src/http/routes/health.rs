use crate::engine::{Checks, StoreCheck};
use crate::http::Api;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// Checks are cached this long: `/health` is polled often and must stay cheap.
const CACHE_FOR: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct HealthCache {
    last: Mutex<Option<(Instant, Checks)>>,
}

/// Readiness: the store answers, the file store is writable and the generator draws. 200 when
/// all pass, 503 otherwise (the original always said "healthy"). A fleet whose Redis is
/// unreachable serves on: 200 with `"store": "degraded"`, or 503 in strict mode.
#[utoipa::path(get, path = "/health", tag = "meta", operation_id = "getHealth",
    responses((status = 200, description = "Healthy", body = crate::http::schema::HealthBody),
              (status = 503, description = "Unhealthy (or, with strict_health, the shared store is unreachable); `checks` says which check failed", body = crate::http::schema::HealthBody)))]
pub async fn get(State(api): State<Arc<Api>>) -> (StatusCode, Json<Value>) {
    let cached = *api.health.last.lock().expect("health cache");
    let checks = match cached {
        Some((at, checks)) if at.elapsed() < CACHE_FOR => checks,
        _ => {
            // Concurrent probes may both check; the lock is never held across the store's answer.
            let checks = api.state.engine.checks().await;
            *api.health.last.lock().expect("health cache") = Some((Instant::now(), checks));
            checks
        }
    };
    let strict = api.state.settings.http.strict_health;
    let healthy = checks.healthy(strict);
    api.state.telemetry.metrics.health.set(i64::from(healthy));
    let word = |ok: bool| if ok { "ok" } else { "failed" };
    let (status, word_status) = match (healthy, checks.store) {
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unhealthy"),
        (true, StoreCheck::Degraded) => (StatusCode::OK, "degraded"),
        (true, _) => (StatusCode::OK, "healthy"),
    };
    (
        status,
        Json(json!({
            "status": word_status,
            "timestamp": humantime::format_rfc3339_micros(SystemTime::now()).to_string(),
            "version": crate::VERSION,
            "environment": api.state.settings.http.environment,
            "store": checks.store.word(),
            "checks": {
                "store": checks.store.word(),
                "storage_writable": word(checks.storage_writable),
                "generator": word(checks.generator),
            },
        })),
    )
}
