use crate::http::Api;
use crate::http::error::ApiError;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Prometheus exposition, text format 0.0.4.
#[utoipa::path(get, path = "/metrics", tag = "meta", operation_id = "getMetrics",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain; version=0.0.4; charset=utf-8", body = String),
              (status = 500, description = "Metrics could not be rendered", body = crate::http::schema::ErrorBody)))]
pub async fn get(State(api): State<Arc<Api>>) -> Result<Response, ApiError> {
    let store_bytes = api.state.engine.store_size().await.ok().flatten();
    let metrics = &api.state.telemetry.metrics;
    let store = api.state.engine.store_status();
    metrics.observe_store(
        store.degraded,
        store.buffering.buffered,
        store.buffering.dropped,
    );
    let text = metrics.render(store_bytes).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("metrics: {e}"),
        )
    })?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
