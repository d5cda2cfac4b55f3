use crate::engine::{Format, Generate, LogoRequest, PaletteInput};
use crate::http::Api;
use crate::http::body::{BodyError, read_bounded};
use crate::http::error::ApiError;
use crate::http::routes::logo::logo_url;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::sync::Arc;

/// The original's request (`variant`, `size`, `generator_type`) plus luna's options.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GenerateRequest {
    #[schema(value_type = crate::http::schema::VariantKey)]
    pub variant: String,
    /// 16 to 2048 (the original accepted 50, 100, 200, 500). `"200"` and `200.0` are accepted.
    #[serde(default = "default_size", deserialize_with = "lax_integer")]
    #[schema(value_type = crate::http::schema::Size)]
    pub size: i64,
    #[serde(default = "default_generator")]
    #[schema(value_type = crate::http::schema::GeneratorKey, default = "simple")]
    pub generator_type: String,
    #[serde(default)]
    #[schema(value_type = crate::http::schema::FormatKey, default = "svg")]
    pub format: Format,
    /// SMIL animation (default true). Rasters are always the static pose.
    #[serde(default = "default_true")]
    pub animated: bool,
    #[serde(default, deserialize_with = "integral_seed")]
    #[schema(value_type = Option<crate::http::schema::Seed>)]
    pub seed: Option<u64>,
    #[schema(value_type = Option<crate::http::schema::PaletteSchema>)]
    pub palette: Option<PaletteField>,
    /// Include the output in the response (`data`, with `encoding`), saving a round trip.
    #[serde(default)]
    pub inline: bool,
}

/// `"#a,#b,#c,#d"` or `["#a","#b","#c","#d"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PaletteField {
    Joined(String),
    List(Vec<String>),
}

fn default_size() -> i64 {
    200
}

fn default_generator() -> String {
    "simple".to_owned()
}

fn default_true() -> bool {
    true
}

/// Integers, integral floats and plain digit strings, as the original's validator accepted
/// (`true` counts as 1, which is then out of range). Anything else is a type error.
fn lax_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    let value = Value::deserialize(deserializer)?;
    let integral = |f: f64| (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64);
    match &value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(integral)),
        Value::String(s) => {
            crate::http::schema::plain_integer(s).map(|n| i64::try_from(n).unwrap_or(i64::MAX))
        }
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
    .ok_or_else(|| D::Error::custom(format!("expected an integer number of pixels, got {value}")))
}

/// A seed, or null. `473.0` is an integer to JSON Schema, so it is one here too.
fn integral_seed<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    use serde::de::Error;
    let value = Option::<serde_json::Number>::deserialize(deserializer)?;
    let Some(n) = value else { return Ok(None) };
    // 2^64 as f64 is the first float past u64::MAX.
    let integral = |f: f64| {
        (f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f)).then_some(f as u64)
    };
    n.as_u64()
        .or_else(|| n.as_f64().and_then(integral))
        .map(Some)
        .ok_or_else(|| D::Error::custom(format!("expected an unsigned 64-bit integer, got {n}")))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GenerateResponse {
    pub success: bool,
    /// `Logo {variant} généré avec succès`
    pub message: String,
    /// The artefact's path relative to the file store (no server layout is revealed).
    pub file_path: String,
    /// Resolves to exactly this artefact.
    pub download_url: String,
    /// Seconds spent rendering (0 when served from the cache).
    pub generation_time: f64,
    pub file: String,
    /// A cacheable URL for the same logo.
    pub logo_url: String,
    pub style: String,
    pub variant: String,
    pub size: u32,
    #[schema(value_type = crate::http::schema::FormatKey)]
    pub format: Format,
    pub cached: bool,
    pub digest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// `utf8` (SVG) or `base64` (PNG, ICO, WebP), when `data` is present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
}

/// Generates a logo, stores it under a content-addressed name and returns where to get it.
#[utoipa::path(post, path = "/generate", tag = "logos", operation_id = "generateLogo", request_body = GenerateRequest,
    responses(
        (status = 200, description = "Generated", body = GenerateResponse,
            links(("DownloadFile" = (operation_id = "downloadFile",
                parameters(("filename" = "$response.body#/file")),
                description = "The stored file, byte for byte")))),
        (status = 400, description = "Malformed JSON, or an unknown variant/generator or out-of-range size (the body lists the valid values)", body = crate::http::schema::ErrorBody),
        (status = 413, description = "Body larger than the limit", body = crate::http::schema::ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = crate::http::schema::ErrorBody),
        (status = 422, description = "A field is missing, unknown or of the wrong type", body = crate::http::schema::ErrorBody),
        (status = 500, description = "Internal error", body = crate::http::schema::ErrorBody),
        (status = 503, description = "Render queue full, the request took longer than the deadline, or the shared rate limiter is unreachable; see Retry-After", body = crate::http::schema::ErrorBody)))]
pub async fn post(
    State(api): State<Arc<Api>>,
    request: Request,
) -> Result<Json<GenerateResponse>, ApiError> {
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        // The body is left unread: `middleware::close_if_body_unread` says the connection ends.
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the request as JSON with Content-Type: application/json",
        ));
    }
    let limit = api.state.settings.http.max_body_bytes;
    let body = read_bounded(request.into_body(), limit)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("request body larger than {limit} bytes"),
            ),
            BodyError::Broken => ApiError::bad_request(
                "invalid_body",
                "the request body could not be read to its end",
            ),
        })?;
    let json: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("invalid_json", format!("malformed JSON: {e}")))?;
    let request: GenerateRequest = serde_path_to_error::deserialize(json).map_err(|e| {
        let mut field = e.path().to_string();
        let message = e.inner().to_string();
        if field == "." {
            field = message.split('`').nth(1).unwrap_or_default().to_owned();
        }
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!("{field}: {message}"),
        )
        .field(field)
    })?;

    if let Some(PaletteField::Joined(text)) = &request.palette {
        super::logo::check_palette(text)?;
    }
    let generate = Generate {
        logo: LogoRequest {
            size: request.size,
            animated: request.animated,
            seed: request.seed,
            palette: request.palette.map(|p| match p {
                PaletteField::Joined(text) => PaletteInput::Joined(text),
                PaletteField::List(list) => PaletteInput::List(list),
            }),
            ..LogoRequest::new(&request.generator_type, &request.variant)
        },
        format: request.format,
        store: true,
    };
    let output = api.state.engine.generate(&generate).await.map_err(|e| {
        let mut error = ApiError::from(e);
        // The original API names the field `generator_type`.
        if error.extra.field.as_deref() == Some("style") {
            error.extra.field = Some("generator_type".to_owned());
        }
        error
    })?;
    let file = output.file.clone().unwrap_or_default();
    let (data, encoding) = match request.inline {
        false => (None, None),
        true => {
            let (data, encoding) = super::inline_data(output.format, &output.bytes);
            (Some(data), Some(encoding))
        }
    };
    Ok(Json(GenerateResponse {
        success: true,
        message: format!("Logo {} généré avec succès", output.spec.variant()),
        file_path: format!("files/{file}"),
        download_url: format!("/download/{file}"),
        generation_time: output.render_seconds,
        logo_url: logo_url(&output.spec, output.format),
        style: output.spec.style().key().to_owned(),
        variant: output.spec.variant().key().to_owned(),
        size: output.spec.size(),
        format: output.format,
        cached: output.cached,
        digest: output.spec.digest().to_hex()[..16].to_owned(),
        file,
        data,
        encoding,
    }))
}
