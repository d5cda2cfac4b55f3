use super::query;
use crate::art::{ALGORITHM_VERSION, DEFAULT_SEED, DEFAULT_SIZE, LogoSpec};
use crate::engine::{Format, LogoRequest, PaletteInput};
use crate::http::Api;
use crate::http::error::ApiError;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Immutable: the URL (with the algorithm version in the ETag) fully determines the bytes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// SVG responses may style themselves but never run script or load anything.
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogoQuery {
    /// Pixels, 16 to 2048 (default 200).
    pub size: Option<String>,
    /// Seed of the random particles (default 42).
    pub seed: Option<String>,
    /// `1`/`true` for a still picture.
    #[serde(rename = "static")]
    pub still: Option<String>,
    /// Four colours, `#` optional: `1e3a8a,3b82f6,06b6d4,60a5fa`.
    pub palette: Option<String>,
}

/// The canonical cacheable URL of a logo.
pub fn logo_url(spec: &LogoSpec, format: Format) -> String {
    let mut url = format!(
        "/logo/{}/{}.{}?size={}",
        spec.style(),
        spec.variant(),
        format.extension(),
        spec.size()
    );
    if spec.seed() != DEFAULT_SEED {
        url.push_str(&format!("&seed={}", spec.seed()));
    }
    if !spec.animated() {
        url.push_str("&static=1");
    }
    if let Some(palette) = spec.custom_palette() {
        url.push_str(&format!(
            "&palette={}",
            palette.to_string().replace('#', "")
        ));
    }
    url
}

fn parse(style: &str, file: &str, q: LogoQuery) -> Result<(LogoSpec, Format), ApiError> {
    let (variant, ext) = file
        .rsplit_once('.')
        .ok_or_else(|| ApiError::not_found("logo URLs end in {variant}.svg, .png or .ico"))?;
    let format = Format::from_extension(ext).ok_or_else(|| {
        ApiError::bad_request("invalid_argument", format!("unknown format '{ext}'"))
            .field("format")
            .valid(serde_json::json!(["svg", "png", "ico"]))
    })?;
    let size = match q.size.as_deref() {
        None => i64::from(DEFAULT_SIZE),
        Some(text) => text.parse::<i64>().map_err(|_| {
            ApiError::bad_request(
                "invalid_argument",
                format!("size '{text}' is not an integer"),
            )
            .field("size")
        })?,
    };
    let seed = q
        .seed
        .as_deref()
        .map(|text| {
            text.parse::<u64>().map_err(|_| {
                ApiError::bad_request(
                    "invalid_argument",
                    format!("seed '{text}' is not an unsigned integer"),
                )
                .field("seed")
            })
        })
        .transpose()?;
    let animated = match q.still.as_deref() {
        None | Some("0" | "false" | "no") => true,
        Some("1" | "true" | "yes" | "") => false,
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_argument",
                format!("static '{other}' is not a boolean"),
            )
            .field("static")
            .valid(serde_json::json!(["1", "0", "true", "false"])));
        }
    };
    let request = LogoRequest {
        size,
        seed,
        animated,
        palette: q.palette.map(PaletteInput::Joined),
        ..LogoRequest::new(style, variant)
    };
    let spec = request.validate()?;
    Ok((spec, format))
}

fn etag(spec: &LogoSpec, format: Format) -> String {
    format!(
        "\"{ALGORITHM_VERSION}-{}-{}\"",
        &spec.digest().to_hex()[..24],
        format.extension()
    )
}

/// A logo as a pure function of its URL: strong ETag, immutable caching, `304` on
/// `If-None-Match`, served from the shared render cache. `HEAD` is answered too.
#[utoipa::path(get, path = "/logo/{style}/{file}", tag = "logos",
    params(
        ("style" = crate::http::schema::GeneratorKey, Path, description = "Style (generator) key"),
        ("file" = String, Path, description = "`{variant}.{svg|png|ico}`, e.g. `power.svg`",
            pattern = r"^(serenity|power|mystery|awakening|creative)\.(svg|png|ico)$"),
        LogoQuery),
    responses(
        (status = 200, description = "The logo", content_type = "image/svg+xml"),
        (status = 304, description = "Not modified (If-None-Match matched the ETag)"),
        (status = 400, description = "Bad variant, style, size, seed, palette or format", body = crate::http::schema::ErrorBody),
        (status = 404, description = "Not a logo URL", body = crate::http::schema::ErrorBody),
        (status = 429, description = "Rate limited", body = crate::http::schema::ErrorBody),
        (status = 503, description = "Render queue full; see Retry-After", body = crate::http::schema::ErrorBody)))]
pub async fn get(
    State(api): State<Arc<Api>>,
    Path((style, file)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (spec, format) = parse(&style, &file, query(&uri)?)?;
    let tag = etag(&spec, format);
    let cache_headers = [
        (
            header::ETAG,
            HeaderValue::from_str(&tag).expect("ASCII ETag"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
    ];
    if super::etag_matches(&headers, &tag) {
        return Ok((StatusCode::NOT_MODIFIED, cache_headers).into_response());
    }
    let output = api.state.engine.serve(&spec, format).await?;
    let mut response = (cache_headers, Body::from(output.bytes)).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.mime()),
    );
    if format == Format::Svg {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SVG_CSP),
        );
    }
    Ok(response)
}
