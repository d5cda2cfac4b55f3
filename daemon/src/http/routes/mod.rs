//! One file per route.

pub mod banner;
pub mod cleanup;
pub mod docs;
pub mod download;
pub mod favicon;
pub mod generate;
pub mod generators;
pub mod health;
pub mod logo;
pub mod metrics;
pub mod openapi;
pub mod redoc;
pub mod stats;
pub mod ui;
pub mod variants;

use super::error::ApiError;
use crate::engine::Format;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// Parses the query string strictly: unknown or malformed parameters are a 400 naming them.
pub fn query<T: DeserializeOwned>(uri: &Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| ApiError::bad_request("invalid_query", e.body_text()))
}

/// A query parameter that the document declares an unsigned integer: plain digits only.
pub fn integer_parameter(field: &'static str, text: &str) -> Result<u64, ApiError> {
    crate::http::schema::plain_integer(text).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_argument",
            format!("{field} '{text}' is not a plain unsigned integer"),
        )
        .field(field)
    })
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
        Format::Png | Format::Ico | Format::Webp => (
            base64::engine::general_purpose::STANDARD.encode(bytes),
            "base64",
        ),
    }
}

/// Year-long caching for responses whose URL fully determines their bytes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The caching headers of an immutable response with the strong ETag `tag`, or (as `Err`) the
/// `304` for a client whose copy is current.
pub fn immutable(
    headers: &HeaderMap,
    tag: &str,
) -> Result<[(header::HeaderName, HeaderValue); 2], Box<Response>> {
    let cache = [
        (
            header::ETAG,
            HeaderValue::from_str(tag).expect("ETags are ASCII"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
    ];
    match etag_matches(headers, tag) {
        true => Err(Box::new((StatusCode::NOT_MODIFIED, cache).into_response())),
        false => Ok(cache),
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

/// Browsers revalidate on every load, so a new daemon's files show at once; an unchanged
/// file costs a `304`.
const NO_CACHE: &str = "no-cache";

/// A file compiled into the binary, its content type and a strong ETag: a hash of its bytes.
pub struct Asset {
    pub body: &'static [u8],
    content_type: &'static str,
    pub etag: HeaderValue,
}

impl Asset {
    pub fn new(body: &'static [u8], content_type: &'static str) -> Asset {
        let hash = blake3::hash(body).to_hex();
        let etag = HeaderValue::from_str(&format!("\"{}\"", &hash[..32])).expect("hex is ASCII");
        Asset {
            body,
            content_type,
            etag,
        }
    }

    /// `200` with the body, or `304` when `If-None-Match` names this version.
    pub fn serve(&self, headers: &HeaderMap) -> Response {
        let cache = [
            (header::ETAG, self.etag.clone()),
            (header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE)),
        ];
        if etag_matches(headers, self.etag.to_str().unwrap_or_default()) {
            return (StatusCode::NOT_MODIFIED, cache).into_response();
        }
        let content_type = [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        )];
        (cache, content_type, self.body).into_response()
    }
}
