use super::{integer_parameter, query};
use crate::art::{ALGORITHM_VERSION, DEFAULT_SEED, DEFAULT_SIZE, LogoSpec};
use crate::engine::{EngineError, Format, LogoRequest, PaletteInput};
use crate::http::Api;
use crate::http::error::ApiError;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// SVG responses may style themselves but never run script or load anything.
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogoQuery {
    pub size: Option<String>,
    pub seed: Option<String>,
    #[serde(rename = "static")]
    pub still: Option<String>,
    pub palette: Option<String>,
}

/// How `static` may be spelled; the first three mean a still picture.
const STILL: [&str; 7] = ["1", "true", "yes", "", "0", "false", "no"];

impl utoipa::IntoParams for LogoQuery {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use crate::http::schema::{Seed, palette_text, query_parameter, size_integer};
        use utoipa::PartialSchema;
        let still = utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(STILL));
        vec![
            query_parameter(
                "size",
                "Pixels per side, 16 to 2048 (default 200)",
                size_integer(),
            ),
            query_parameter(
                "seed",
                "Seed of the random particles (default 42)",
                Seed::schema(),
            ),
            query_parameter(
                "static",
                "`1`, `true`, `yes` or empty for a still picture",
                still,
            ),
            query_parameter(
                "palette",
                "Four colours, `#` optional: `1e3a8a,3b82f6,06b6d4,60a5fa`",
                palette_text(),
            ),
        ]
    }
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
    let (variant, ext) = file.rsplit_once('.').ok_or_else(|| {
        ApiError::not_found("logo URLs end in {variant}.svg, .png, .ico or .webp")
    })?;
    let format = Format::from_extension(ext).ok_or_else(|| {
        ApiError::bad_request("invalid_argument", format!("unknown format '{ext}'"))
            .field("format")
            .valid(serde_json::json!(Format::ALL.map(Format::extension)))
    })?;
    let size = match q.size.as_deref() {
        None => i64::from(DEFAULT_SIZE),
        Some(text) => i64::try_from(integer_parameter("size", text)?).unwrap_or(i64::MAX),
    };
    let seed = q
        .seed
        .as_deref()
        .map(|text| integer_parameter("seed", text))
        .transpose()?;
    let animated = match STILL.iter().position(|s| Some(*s) == q.still.as_deref()) {
        None if q.still.is_none() => true,
        Some(still) => still > 3,
        None => {
            return Err(ApiError::bad_request(
                "invalid_argument",
                format!("static '{}' is not a boolean", q.still.unwrap_or_default()),
            )
            .field("static")
            .valid(serde_json::json!(STILL)));
        }
    };
    let request = LogoRequest {
        size,
        seed,
        animated,
        palette: q.palette.clone().map(PaletteInput::Joined),
        ..LogoRequest::new(style, variant)
    };
    if let Some(palette) = q.palette.as_deref() {
        check_palette(palette)?;
    }
    let spec = request.validate()?;
    Ok((spec, format))
}

/// The document's palette grammar. The engine's parser names the bad colour; the pattern then
/// refuses what the engine would also take (other whitespace than spaces).
pub fn check_palette(text: &str) -> Result<(), ApiError> {
    crate::art::Palette::parse(text).map_err(EngineError::from)?;
    if crate::http::schema::PALETTE.matches(text) {
        return Ok(());
    }
    Err(ApiError::bad_request(
        "invalid_argument",
        "palette: four colours separated by commas, each #rrggbb or #rgb (`#` optional)",
    )
    .field("palette"))
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
#[utoipa::path(get, path = "/logo/{style}/{file}", tag = "logos", operation_id = "getLogo",
    params(
        ("style" = crate::http::schema::GeneratorKey, Path, description = "Style (generator) key"),
        ("file" = String, Path, description = "`{variant}.{svg|png|ico|webp}`, e.g. `power.svg`",
            pattern = r"^(serenity|power|mystery|awakening|creative)\.(svg|png|ico|webp)$"),
        LogoQuery),
    responses(
        (status = 200, description = "The logo, with a strong `ETag` and immutable caching",
            content(
                (String = "image/svg+xml"),
                (Vec<u8> = "image/png"),
                (Vec<u8> = "image/x-icon"),
                (Vec<u8> = "image/webp"))),
        (status = 304, description = "Not modified (If-None-Match matched the ETag)"),
        (status = 400, description = "Bad size, seed, static, palette or format", body = crate::http::schema::ErrorBody),
        (status = 404, description = "Not a logo URL", body = crate::http::schema::ErrorBody),
        (status = 500, description = "Internal error", body = crate::http::schema::ErrorBody),
        (status = 503, description = "Render queue full, or the shared rate limiter unreachable; see Retry-After", body = crate::http::schema::ErrorBody)))]
pub async fn get(
    State(api): State<Arc<Api>>,
    Path((style, file)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (spec, format) = parse(&style, &file, query(&uri)?)?;
    let tag = etag(&spec, format);
    let cache_headers = match super::immutable(&headers, &tag) {
        Ok(cache_headers) => cache_headers,
        Err(not_modified) => return Ok(*not_modified),
    };
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
