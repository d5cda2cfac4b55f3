use crate::http::openapi::ApiDoc;
use axum::Json;
use utoipa::OpenApi;

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3 document")))]
pub async fn get() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
