use super::{Details, query};
use crate::art::Style;
use crate::http::error::ApiError;
use crate::http::schema::GeneratorKey;
use axum::Json;
use axum::http::Uri;
use serde::Serialize;

/// Bare keys, or with `?details=true` what each key draws.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum GeneratorList {
    #[schema(value_type = Vec<GeneratorKey>)]
    Keys(Vec<&'static str>),
    Details(Vec<GeneratorDetails>),
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GeneratorDetails {
    #[schema(value_type = GeneratorKey)]
    key: &'static str,
    /// The canonical style the key draws.
    #[schema(value_type = GeneratorKey)]
    style: &'static str,
    /// Whether `key` is another name for `style`.
    alias: bool,
    name: &'static str,
    description: &'static str,
}

/// The generator keys (fixing the original, which always answered 500 here); with
/// `?details=true`, each key's style, description and aliases.
#[utoipa::path(get, path = "/generators", tag = "logos", operation_id = "listGenerators", params(Details),
    responses((status = 200, description = "Generator keys, or objects with details=true", body = GeneratorList),
              (status = 400, description = "Unknown query parameter", body = crate::http::schema::ErrorBody)))]
pub async fn get(uri: Uri) -> Result<Json<GeneratorList>, ApiError> {
    let details: Details = query(&uri)?;
    if !details.details {
        return Ok(Json(GeneratorList::Keys(Style::generator_keys().collect())));
    }
    let listed = Style::generator_keys();
    let unlisted = Style::accepted_keys().filter(|k| !Style::generator_keys().any(|g| g == *k));
    let described = listed
        .chain(unlisted)
        .map(|key| {
            let style = Style::from_key(key)
                .expect("generator keys are styles")
                .info();
            GeneratorDetails {
                key,
                style: style.key,
                alias: key != style.key,
                name: style.name,
                description: style.description,
            }
        })
        .collect();
    Ok(Json(GeneratorList::Details(described)))
}
