use super::IMMUTABLE;
use super::logo::SVG_CSP;
use crate::engine::{EngineError, Format};
use crate::http::Api;
use crate::http::error::ApiError;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// A stored artefact by name. Only names in the store's index are served: the name never
/// reaches the filesystem unless it is a valid, indexed artefact name, so traversal attempts of
/// any encoding get a 404 and never file contents.
#[utoipa::path(get, path = "/download/{filename}", tag = "logos", operation_id = "downloadFile",
    params(("filename" = String, Path, description = "A name from `download_url`")),
    responses(
        (status = 200, description = "The file, as an attachment",
            content(
                (String = "image/svg+xml"),
                (Vec<u8> = "image/png"),
                (Vec<u8> = "image/x-icon"),
                (Vec<u8> = "image/webp"))),
        (status = 304, description = "Not modified"),
        (status = 404, description = "No such artefact", body = crate::http::schema::ErrorBody),
        (status = 500, description = "Internal error", body = crate::http::schema::ErrorBody),
        (status = 503, description = "The shared store (Redis) is unreachable and this replica lacks the file, or the shared rate limiter is unreachable; see Retry-After", body = crate::http::schema::ErrorBody)))]
pub async fn get(
    State(api): State<Arc<Api>>,
    Path(filename): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found =
        || ApiError::not_found("no such file (names come from the download_url of POST /generate)");
    let (record, bytes) = match api.state.engine.file(&filename).await {
        Ok(found) => found,
        Err(EngineError::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    // Names are content-addressed, so the name is a strong validator.
    let etag = format!("\"{}\"", record.name);
    if super::etag_matches(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let format = record.format;
    let mut response = Body::from(bytes).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.mime()),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("artefact names are ASCII"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", record.name))
            .expect("ASCII name"),
    );
    if format == Format::Svg {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SVG_CSP),
        );
    }
    Ok(response)
}
