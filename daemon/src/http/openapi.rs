//! The OpenAPI 3 document, generated from the handlers' annotations (utoipa).

use super::routes;
use super::schema::{ErrorBody, ErrorDetail, FormatKey, GeneratorKey, HealthBody, VariantKey};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "luna: Arkalia-LUNA Logo Generator API",
        description = "Animated moon logos: 5 variants × 8 styles as SVG, PNG, ICO or WebP, and favicon packages. Compatible with the original API's endpoints and field names."
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
        routes::favicon::get,
        routes::openapi::get,
        routes::ui::page,
        routes::ui::slash,
        routes::ui::script,
        routes::ui::stylesheet,
        // The docs pages are listed like `/ui`: the document lists every route served.
        routes::docs::page,
        routes::docs::bundle,
        routes::docs::stylesheet,
        routes::docs::settings,
        routes::redoc::page,
        routes::redoc::settings,
    ),
    components(schemas(ErrorBody, ErrorDetail, routes::stats::StatsBody, HealthBody, VariantKey, GeneratorKey, FormatKey)),
    modifiers(&BearerAuth, &SharedResponses),
    tags(
        (name = "logos", description = "Generating and fetching logos"),
        (name = "meta", description = "Health, metrics and this document"),
    )
)]
pub struct ApiDoc;

/// The document as served at `/openapi.json`.
pub fn document() -> String {
    ApiDoc::openapi()
        .to_json()
        .expect("the OpenAPI document serialises")
}

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

/// What the layers in front of every route can answer, declared once here rather than in each
/// handler's annotation: 429 from the rate limit, and 503 when the shared limiter (Redis) is
/// unreachable under `rate_limit_fallback = "closed"`. A route that also answers 503 itself says
/// so in its own annotation, which is kept.
struct SharedResponses;

impl Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        let shared = [
            (
                "429",
                error("Rate limited; `Retry-After` says when to retry"),
            ),
            (
                "503",
                error(
                    "The shared rate limiter is unreachable (`rate_limit_fallback = \"closed\"`); see Retry-After",
                ),
            ),
        ];
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, response) in &shared {
                    operation
                        .responses
                        .responses
                        .entry((*status).to_owned())
                        .or_insert_with(|| response.clone().into());
                }
            }
        }
    }
}
