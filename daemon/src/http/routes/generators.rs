use super::{Details, query};
use crate::art::Style;
use crate::http::error::ApiError;
use axum::Json;
use axum::http::Uri;
use serde_json::{Value, json};

/// The generator keys (fixing the original, which always answered 500 here); with
/// `?details=true`, each key's style, description and aliases.
#[utoipa::path(get, path = "/generators", tag = "logos", params(Details),
    responses((status = 200, description = "Generator keys, or objects with details=true", body = Vec<String>),
              (status = 400, description = "Unknown query parameter", body = crate::http::schema::ErrorBody)))]
pub async fn get(uri: Uri) -> Result<Json<Value>, ApiError> {
    let details: Details = query(&uri)?;
    if !details.details {
        return Ok(Json(Value::from_iter(Style::generator_keys())));
    }
    let listed = Style::generator_keys();
    let unlisted = Style::accepted_keys().filter(|k| !Style::generator_keys().any(|g| g == *k));
    let described = listed
        .chain(unlisted)
        .map(|key| {
            let style = Style::from_key(key)
                .expect("generator keys are styles")
                .info();
            json!({
                "key": key,
                "style": style.key,
                "alias": key != style.key,
                "name": style.name,
                "description": style.description,
            })
        })
        .collect();
    Ok(Json(Value::Array(described)))
}
