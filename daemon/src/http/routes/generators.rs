use super::{Details, query};
use crate::art::Style;
use crate::http::error::ApiError;
use axum::Json;
use axum::http::Uri;
use serde_json::{Value, json};

/// Generator keys accepted by `POST /generate`, in the original's order with `simple` first.
/// `realism_max` is accepted too, as an alias of `realism`.
pub const KEYS: [&str; 9] = [
    "simple",
    "default",
    "realism",
    "ultra_max",
    "simple_advanced",
    "dashboard",
    "ai_moon",
    "advanced",
    "ultimate",
];

/// The generator keys (fixing the original, which always answered 500 here); with
/// `?details=true`, each key's style, description and aliases.
#[utoipa::path(get, path = "/generators", tag = "logos", params(Details),
    responses((status = 200, description = "Generator keys, or objects with details=true", body = Vec<String>),
              (status = 400, description = "Unknown query parameter", body = crate::http::openapi::ErrorBody)))]
pub async fn get(uri: Uri) -> Result<Json<Value>, ApiError> {
    let details: Details = query(&uri)?;
    if !details.details {
        return Ok(Json(Value::from(KEYS.to_vec())));
    }
    let described = KEYS
        .iter()
        .chain(std::iter::once(&"realism_max"))
        .map(|key| {
            let style = Style::from_key(key)
                .expect("generator keys are styles")
                .info();
            json!({
                "key": key,
                "style": style.key,
                "alias": *key != style.key,
                "name": style.name,
                "description": style.description,
            })
        })
        .collect();
    Ok(Json(Value::Array(described)))
}
