//! One file per route.

pub mod banner;
pub mod cleanup;
pub mod download;
pub mod generate;
pub mod generators;
pub mod health;
pub mod logo;
pub mod metrics;
pub mod openapi;
pub mod stats;
pub mod ui;
pub mod variants;

use super::error::ApiError;
use crate::engine::Format;
use axum::http::{HeaderMap, Uri, header};
use serde::de::DeserializeOwned;

/// Parses the query string strictly: unknown or malformed parameters are a 400 naming them.
pub fn query<T: DeserializeOwned>(uri: &Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))
}

/// `?details=true`
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Details {
    /// Return full objects instead of bare keys.
    #[serde(default)]
    pub details: bool,
}

/// An output inlined in a JSON body: SVG as text (`utf8`), rasters as `base64`.
pub fn inline_data(format: Format, bytes: &[u8]) -> (String, &'static str) {
    use base64::Engine as _;
    match format {
        Format::Svg => (String::from_utf8_lossy(bytes).into_owned(), "utf8"),
        Format::Png | Format::Ico => (
            base64::engine::general_purpose::STANDARD.encode(bytes),
            "base64",
        ),
    }
}

/// Whether `If-None-Match` names `etag` (or `*`): the client's copy is current, answer 304.
pub fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}
