use super::{Details, query};
use crate::art::Variant;
use crate::http::error::ApiError;
use axum::Json;
use axum::http::Uri;
use serde_json::{Value, json};

/// The variant keys in registry order; with `?details=true`, the full objects (French names and
/// descriptions, colours, animation speed, glow intensity).
#[utoipa::path(get, path = "/variants", tag = "logos", params(Details),
    responses((status = 200, description = "Variant keys, or objects with details=true", body = Vec<String>),
              (status = 400, description = "Unknown query parameter", body = crate::http::schema::ErrorBody)))]
pub async fn get(uri: Uri) -> Result<Json<Value>, ApiError> {
    let details: Details = query(&uri)?;
    Ok(Json(if details.details {
        Value::Array(Variant::ALL.iter().map(|v| described(*v)).collect())
    } else {
        Value::from(Variant::ALL.map(Variant::key).to_vec())
    }))
}

/// The original library's introspection object, French strings verbatim.
fn described(variant: Variant) -> Value {
    let info = variant.info();
    let colour = |c: crate::art::Rgb| c.to_string();
    json!({
        "variant_type": info.key,
        "name": info.name,
        "description": info.description,
        "colors": {
            "primary": colour(info.palette.primary),
            "secondary": colour(info.palette.secondary),
            "accent": colour(info.palette.accent),
            "glow": colour(info.palette.glow),
        },
        "animation_speed": info.animation_speed,
        "glow_intensity": info.glow_intensity,
    })
}
