use super::{Details, query};
use crate::art::Variant;
use crate::http::error::ApiError;
use crate::http::schema::VariantKey;
use axum::Json;
use axum::http::Uri;
use serde::Serialize;

/// Bare keys, or with `?details=true` the original library's introspection objects.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum VariantList {
    #[schema(value_type = Vec<VariantKey>)]
    Keys(Vec<&'static str>),
    Details(Vec<VariantDetails>),
}

/// The original's introspection object, French strings verbatim.
#[derive(Serialize, utoipa::ToSchema)]
pub struct VariantDetails {
    #[schema(value_type = VariantKey)]
    variant_type: &'static str,
    name: &'static str,
    description: &'static str,
    colors: VariantColours,
    animation_speed: f64,
    glow_intensity: f64,
}

/// `#rrggbb` each.
#[derive(Serialize, utoipa::ToSchema)]
pub struct VariantColours {
    primary: String,
    secondary: String,
    accent: String,
    glow: String,
}

/// The variant keys in registry order; with `?details=true`, the full objects (French names and
/// descriptions, colours, animation speed, glow intensity).
#[utoipa::path(get, path = "/variants", tag = "logos", operation_id = "listVariants", params(Details),
    responses((status = 200, description = "Variant keys, or objects with details=true", body = VariantList),
              (status = 400, description = "Unknown query parameter", body = crate::http::schema::ErrorBody)))]
pub async fn get(uri: Uri) -> Result<Json<VariantList>, ApiError> {
    let details: Details = query(&uri)?;
    Ok(Json(if details.details {
        VariantList::Details(Variant::ALL.iter().map(|v| described(*v)).collect())
    } else {
        VariantList::Keys(Variant::ALL.map(Variant::key).to_vec())
    }))
}

fn described(variant: Variant) -> VariantDetails {
    let info = variant.info();
    let palette = info.palette;
    VariantDetails {
        variant_type: info.key,
        name: info.name,
        description: info.description,
        colors: VariantColours {
            primary: palette.primary.to_string(),
            secondary: palette.secondary.to_string(),
            accent: palette.accent.to_string(),
            glow: palette.glow.to_string(),
        },
        animation_speed: info.animation_speed,
        glow_intensity: info.glow_intensity,
    }
}
