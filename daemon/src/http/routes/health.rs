use crate::art::{LogoSpec, render_svg};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Checks {
    store: bool,
    storage_writable: bool,
    generator: bool,
}

impl Checks {
    fn healthy(self) -> bool {
        self.store && self.storage_writable && self.generator
    }
}

fn run_checks(api: &Api) -> Checks {
    let engine = &api.state.engine;
    let probe = engine
        .artefacts()
        .dir()
        .join(format!(".tmp-health-{}", std::process::id()));
    let storage_writable =
        std::fs::write(&probe, b"ok").is_ok() && std::fs::remove_file(&probe).is_ok();
    let generator =
        render_svg(&LogoSpec::default().with_size(16).expect("16 px is valid")).ends_with("</svg>");
    Checks {
        store: engine.store().counters().is_ok(),
        storage_writable,
        generator,
    }
}

/// Readiness: the store answers, the file store is writable and the generator draws. 200 when
/// all pass, 503 otherwise (the original always said "healthy").
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, description = "Healthy", body = crate::http::openapi::HealthBody),
              (status = 503, description = "Unhealthy; `checks` says which check failed", body = crate::http::openapi::HealthBody)))]
pub async fn get(State(api): State<Arc<Api>>) -> (StatusCode, Json<Value>) {
    let checks = {
        let mut last = api.health.last.lock().expect("health cache");
        match *last {
            Some((at, checks)) if at.elapsed() < CACHE_FOR => checks,
            _ => {
                let checks = run_checks(&api);
                *last = Some((Instant::now(), checks));
                checks
            }
        }
    };
    let healthy = checks.healthy();
    api.state.engine.metrics.health.set(i64::from(healthy));
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
