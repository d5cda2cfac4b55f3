use super::{Details, query};
use crate::art::Variant;
use crate::http::error::ApiError;
use axum::Json;
use axum::http::Uri;
use serde_json::Value;

/// The variant keys in registry order; with `?details=true`, the full objects (French names and
/// descriptions, colours, animation speed, glow intensity).
#[utoipa::path(get, path = "/variants", tag = "logos", params(Details),
    responses((status = 200, description = "Variant keys, or objects with details=true", body = Vec<String>),
              (status = 400, description = "Unknown query parameter", body = crate::http::openapi::ErrorBody)))]
pub async fn get(uri: Uri) -> Result<Json<Value>, ApiError> {
    let details: Details = query(&uri)?;
    Ok(Json(if details.details {
        crate::introspection::variants()
    } else {
        Value::from(Variant::ALL.map(Variant::key).to_vec())
    }))
}
