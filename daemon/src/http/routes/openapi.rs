use crate::http::Api;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::sync::Arc;

/// This document (built once, when the router is).
#[utoipa::path(get, path = "/openapi.json", tag = "meta", operation_id = "getOpenApi", responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")))]
pub async fn get(State(api): State<Arc<Api>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        api.openapi.clone(),
    )
}
