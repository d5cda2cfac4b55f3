//! The HTTP API on hyper 1 (axum router): the original's endpoints, fixed, plus cacheable logo
//! URLs, `/metrics`, `/openapi.json` and its `/docs` and `/redoc` pages. It translates
//! to and from the engine, which it shares with IPC.

mod auth;
mod body;
mod client_ip;
pub mod error;
mod middleware;
pub mod openapi;
mod rate_limit;
pub mod routes;
pub mod schema;

use crate::state::State;
use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::routing::{delete, get, post};
use error::ApiError;
use hyper_util::rt::{TokioIo, TokioTimer};
use rate_limit::Limiters;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt as _;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;

/// What the HTTP handlers share.
pub struct Api {
    pub state: Arc<State>,
    limiters: Limiters,
    health: routes::health::HealthCache,
    /// The OpenAPI document, serialised once.
    openapi: tokio_util::bytes::Bytes,
}

/// Every route served, as (method, path template). OpenAPI must document exactly these
/// (a test compares them).
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/health"),
    ("GET", "/variants"),
    ("GET", "/generators"),
    ("POST", "/generate"),
    ("GET", "/download/{filename}"),
    ("GET", "/stats"),
    ("DELETE", "/cleanup"),
    ("GET", "/metrics"),
    ("GET", "/logo/{style}/{file}"),
    ("GET", "/favicon/{style}/{file}"),
    ("GET", "/openapi.json"),
    ("GET", "/ui"),
    ("GET", "/ui/"),
    ("GET", "/ui/app.js"),
    ("GET", "/ui/style.css"),
    ("GET", "/docs"),
    ("GET", "/docs/swagger-ui-bundle.js"),
    ("GET", "/docs/swagger-ui.css"),
    ("GET", "/docs/try.js"),
    ("GET", "/redoc"),
    ("GET", "/redoc/reference.js"),
];

pub fn router(state: Arc<State>) -> Router {
    router_and_api(state).0
}

fn router_and_api(state: Arc<State>) -> (Router, Arc<Api>) {
    let http = &state.settings.http;
    let api = Arc::new(Api {
        limiters: match &state.fleet {
            Some(fleet) => Limiters::new(&http.rate_limits).shared(
                fleet.clone(),
                http.rate_limit_fallback,
                state.telemetry.metrics.rate_limit_local.clone(),
            ),
            None => Limiters::new(&http.rate_limits),
        },
        health: routes::health::HealthCache::default(),
        openapi: openapi::document().into(),
        state: state.clone(),
    });
    // Every route's rate-limit series exists from the start, so rates and alerts see zeros.
    for (_, route) in ROUTES {
        api.state
            .telemetry
            .metrics
            .rate_limited
            .with_label_values(&[route]);
    }
    let cors = if http.cors_origins.is_empty() {
        None
    } else {
        let origins: Vec<HeaderValue> = http
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        Some(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::DELETE])
                .allow_headers([
                    header::CONTENT_TYPE,
                    header::AUTHORIZATION,
                    header::IF_NONE_MATCH,
                ])
                .expose_headers([header::ETAG, header::RETRY_AFTER])
                .max_age(Duration::from_secs(600)),
        )
    };
    let routes = Router::new()
        .route("/", get(routes::banner::get))
        .route("/health", get(routes::health::get))
        .route("/variants", get(routes::variants::get))
        .route("/generators", get(routes::generators::get))
        // The request deadline matters where a body is read; elsewhere it is only overhead.
        .route(
            "/generate",
            post(routes::generate::post).layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                http.request_timeout,
            )),
        )
        .route("/download/{filename}", get(routes::download::get))
        .route("/stats", get(routes::stats::get))
        .route("/cleanup", delete(routes::cleanup::delete))
        .route("/metrics", get(routes::metrics::get))
        .route("/logo/{style}/{file}", get(routes::logo::get))
        .route("/favicon/{style}/{file}", get(routes::favicon::get))
        .route("/openapi.json", get(routes::openapi::get))
        .route("/ui", get(routes::ui::page))
        .route("/ui/", get(routes::ui::slash))
        .route("/ui/app.js", get(routes::ui::script))
        .route("/ui/style.css", get(routes::ui::stylesheet))
        .route("/docs", get(routes::docs::page))
        .route("/docs/swagger-ui-bundle.js", get(routes::docs::bundle))
        .route("/docs/swagger-ui.css", get(routes::docs::stylesheet))
        .route("/docs/try.js", get(routes::docs::settings))
        .route("/redoc", get(routes::redoc::page))
        .route("/redoc/reference.js", get(routes::redoc::settings))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            api.clone(),
            middleware::rate_limit,
        ))
        // Outside the rate limit: see `auth.rs`.
        .layer(axum::middleware::from_fn_with_state(
            api.clone(),
            auth::require_token,
        ))
        .layer(CompressionLayer::new());
    let routes = match cors {
        Some(cors) => routes.layer(cors),
        None => routes,
    };
    let router = routes
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::close_if_body_unread))
        .layer(axum::middleware::from_fn_with_state(
            api.clone(),
            middleware::record,
        ))
        .with_state(api.clone());
    (router, api)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; see /openapi.json")
}

async fn method_not_allowed() -> ApiError {
    // axum adds the `Allow` header listing the route's methods.
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this route; see the Allow header",
    )
}

/// Serves HTTP until shutdown, then lets in-flight requests finish (graceful drain).
pub async fn serve(state: Arc<State>, listener: tokio::net::TcpListener) {
    let (app, api) = router_and_api(state.clone());
    let header_timeout = state.settings.http.header_timeout;
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let mut forget_clients = tokio::time::interval(Duration::from_secs(60));
    loop {
        let (stream, peer) = tokio::select! {
            _ = state.shutdown.cancelled() => break,
            _ = forget_clients.tick() => {
                api.limiters.shrink();
                continue;
            }
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "HTTP accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service =
            hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                app.clone().oneshot(request.map(axum::body::Body::new))
            });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "HTTP connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(state.settings.drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("HTTP connections still open after the drain timeout");
    }
}

#[cfg(test)]
mod tests;
