//! The OpenAPI 3 document, generated from the handlers' annotations (utoipa).

use super::routes;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "luna: Arkalia-LUNA Logo Generator API",
        description = "Animated moon logos: 5 variants × 8 styles as SVG, PNG or ICO. Compatible with the original API's endpoints and field names."
    ),
    paths(
        routes::banner::get,
        routes::health::get,
        routes::variants::get,
        routes::generators::get,
        routes::generate::post,
        routes::download::get,
        routes::stats::get,
        routes::cleanup::delete,
        routes::metrics::get,
        routes::logo::get,
        routes::openapi::get,
        routes::ui::page,
        routes::ui::slash,
        routes::ui::script,
        routes::ui::stylesheet,
    ),
    components(schemas(ErrorBody, ErrorDetail, StatsBody, HealthBody, VariantKey, GeneratorKey, FormatKey)),
    modifiers(&BearerAuth),
    tags(
        (name = "logos", description = "Generating and fetching logos"),
        (name = "meta", description = "Health, metrics and this document"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Every error response.
#[derive(ToSchema)]
#[allow(dead_code)] // documentation only
pub struct ErrorBody {
    error: ErrorDetail,
    /// The message again, for clients of the original API.
    detail: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// Stable code, e.g. `invalid_argument`, `invalid_field`, `invalid_json`, `not_found`,
    /// `rate_limited`, `payload_too_large`, `unsupported_media_type`, `method_not_allowed`.
    code: String,
    message: String,
    /// The request field at fault.
    field: Option<String>,
    /// The accepted values, where there is a list.
    valid: Option<Vec<String>>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct StatsBody {
    total_generated: u64,
    variants_used: std::collections::BTreeMap<String, u64>,
    /// Size as a string key.
    sizes_used: std::collections::BTreeMap<String, u64>,
    styles_used: std::collections::BTreeMap<String, u64>,
    formats_used: std::collections::BTreeMap<String, u64>,
    /// RFC 3339 UTC, null before the first generation.
    last_generation: Option<String>,
    cache_hits: u64,
    files: u64,
    files_bytes: u64,
    uptime_seconds: f64,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct HealthBody {
    /// `healthy` or `unhealthy`.
    status: String,
    /// RFC 3339 UTC.
    timestamp: String,
    version: String,
    environment: String,
    /// `ok` or `failed` for `store`, `storage_writable` and `generator`.
    checks: std::collections::BTreeMap<String, String>,
}

/// Variant keys, in registry order.
#[derive(ToSchema)]
#[allow(non_camel_case_types, dead_code)]
pub enum VariantKey {
    serenity,
    power,
    mystery,
    awakening,
    creative,
}

/// Generator (style) keys; `default` is an alias of `advanced`, `realism_max` of `realism`.
#[derive(ToSchema)]
#[allow(non_camel_case_types, dead_code)]
pub enum GeneratorKey {
    simple,
    default,
    realism,
    ultra_max,
    simple_advanced,
    dashboard,
    ai_moon,
    advanced,
    ultimate,
    realism_max,
}

#[derive(ToSchema)]
#[allow(non_camel_case_types, dead_code)]
pub enum FormatKey {
    svg,
    png,
    ico,
}
