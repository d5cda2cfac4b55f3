use super::{integer_parameter, query};
use crate::art::{ALGORITHM_VERSION, LogoSpec};
use crate::engine::{Background, FaviconRequest, LogoRequest};
use crate::http::Api;
use crate::http::error::ApiError;
use crate::http::schema::BACKGROUND;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaviconQuery {
    pub seed: Option<String>,
    pub background: Option<String>,
}

impl utoipa::IntoParams for FaviconQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use crate::http::schema::{Seed, background, query_parameter};
        use utoipa::PartialSchema;
        vec![
            query_parameter(
                "seed",
                "Seed of the random particles (default 42)",
                Seed::schema(),
            ),
            query_parameter(
                "background",
                "A colour under every icon (`#` optional, `%23` in a URL), or `none` for transparent icons where the platform allows them (the Apple touch and maskable icons stay opaque). Default: a deep shade of the variant's primary colour",
                background(),
            ),
        ]
    }
}

/// What the URL asks for, checked with the document's grammars.
fn parse(style: &str, file: &str, q: FaviconQuery) -> Result<(LogoSpec, Background), ApiError> {
    let variant = file
        .strip_suffix(".zip")
        .ok_or_else(|| ApiError::not_found("favicon package URLs end in {variant}.zip"))?;
    let seed = q
        .seed
        .as_deref()
        .map(|text| integer_parameter("seed", text))
        .transpose()?;
    if let Some(text) = q.background.as_deref().filter(|t| !BACKGROUND.matches(t)) {
        let shown: String = text.chars().take(64).collect();
        return Err(ApiError::bad_request(
            "invalid_argument",
            format!("background '{shown}': a colour #rrggbb or #rgb (`#` optional), or `none`"),
        )
        .field("background"));
    }
    let request = FaviconRequest {
        logo: LogoRequest {
            seed,
            ..LogoRequest::new(style, variant)
        },
        background: q.background,
    };
    Ok(request.validate()?)
}

/// The digest of everything the package depends on.
fn etag(spec: &LogoSpec, background: Background) -> String {
    let background = match background {
        Background::Palette => "palette".to_owned(),
        Background::None => "none".to_owned(),
        Background::Colour(colour) => colour.to_string()[1..].to_owned(),
    };
    format!(
        "\"{ALGORITHM_VERSION}-{}-{background}-favicon\"",
        &spec.digest().to_hex()[..24]
    )
}

/// A logo's favicon package as a zip: `favicon.ico`, `icon.svg` (with a dark-scheme variant),
/// `apple-touch-icon.png`, `icon-192.png`, `icon-512.png`, `icon-512-maskable.png`,
/// `site.webmanifest` and `favicon.html` (the `<link>` tags), all at the zip's root. The URL
/// determines the bytes, so it is cached like a logo.
#[utoipa::path(get, path = "/favicon/{style}/{file}", tag = "logos", operation_id = "getFaviconPackage",
    params(
        ("style" = crate::http::schema::GeneratorKey, Path, description = "Style (generator) key"),
        ("file" = String, Path, description = "`{variant}.zip`, e.g. `power.zip`",
            pattern = r"^(serenity|power|mystery|awakening|creative)\.zip$"),
        FaviconQuery),
    responses(
        (status = 200, description = "The package, as an attachment, with a strong `ETag` and immutable caching",
            content((Vec<u8> = "application/zip"))),
        (status = 304, description = "Not modified (If-None-Match matched the ETag)"),
        (status = 400, description = "Bad style, variant, seed or background, or an unknown query parameter", body = crate::http::schema::ErrorBody),
        (status = 404, description = "Not a favicon package URL", body = crate::http::schema::ErrorBody),
        (status = 500, description = "Internal error", body = crate::http::schema::ErrorBody),
        (status = 503, description = "Render queue full, or the shared rate limiter unreachable; see Retry-After", body = crate::http::schema::ErrorBody)))]
pub async fn get(
    State(api): State<Arc<Api>>,
    Path((style, file)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (spec, background) = parse(&style, &file, query(&uri)?)?;
    let tag = etag(&spec, background);
    let cache_headers = match super::immutable(&headers, &tag) {
        Ok(cache_headers) => cache_headers,
        Err(not_modified) => return Ok(*not_modified),
    };
    let favicon = api.state.engine.favicon(spec, background).await?;
    let disposition = format!("attachment; filename=\"{}\"", favicon.zip_name());
    let zip = favicon.zip()?;
    let mut response = (cache_headers, Body::from(zip)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).expect("keys and digits are ASCII"),
    );
    Ok(response)
}
