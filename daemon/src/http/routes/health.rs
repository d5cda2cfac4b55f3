use crate::engine::Checks;
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
/// all pass, 503 otherwise (the original always said "healthy").
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, description = "Healthy", body = crate::http::schema::HealthBody),
              (status = 503, description = "Unhealthy; `checks` says which check failed", body = crate::http::schema::HealthBody)))]
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
    let healthy = checks.healthy();
    api.state.telemetry.metrics.health.set(i64::from(healthy));
    let word = |ok: bool| if ok { "ok" } else { "failed" };
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if healthy { "healthy" } else { "unhealthy" },
            "timestamp": humantime::format_rfc3339_micros(SystemTime::now()).to_string(),
            "version": crate::VERSION,
            "environment": api.state.settings.http.environment,
            "checks": {
                "store": word(checks.store),
                "storage_writable": word(checks.storage_writable),
                "generator": word(checks.generator),
            },
        })),
    )
}
