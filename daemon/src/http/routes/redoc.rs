//! `/redoc`: the API reference, as the original (FastAPI) served it. ReDoc itself is not vendored
//! by any crate (`utoipa-redoc` loads it from a CDN), so this page is the vendored Swagger UI of
//! `/docs` in a read-only, fully expanded layout: offline, under the web page's strict CSP.

use super::Asset;
use super::docs::with_page_csp;
use axum::http::HeaderMap;
use axum::response::Response;
use std::sync::LazyLock;

static PAGE: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_bytes!("../docs/redoc.html"),
        "text/html; charset=utf-8",
    )
});
static SETTINGS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_bytes!("../docs/reference.js"),
        "text/javascript; charset=utf-8",
    )
});

/// The API reference: every operation and schema, expanded, read-only.
#[utoipa::path(get, path = "/redoc", tag = "meta", operation_id = "getRedocPage",
    responses(
        (status = 200, description = "The reference page (strict CSP: same-origin script, style, images and fetch only)", content_type = "text/html"),
        (status = 304, description = "Not modified (If-None-Match matched the ETag)")))]
pub async fn page(headers: HeaderMap) -> Response {
    with_page_csp(PAGE.serve(&headers))
}

/// `/redoc`'s settings: Swagger UI read-only, every operation expanded.
#[utoipa::path(get, path = "/redoc/reference.js", tag = "meta", operation_id = "getRedocSettings",
    responses(
        (status = 200, description = "The page's settings script", content_type = "text/javascript"),
        (status = 304, description = "Not modified")))]
pub async fn settings(headers: HeaderMap) -> Response {
    SETTINGS.serve(&headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_needs_nothing_the_csp_forbids() {
        let page = std::str::from_utf8(PAGE.body).unwrap();
        assert!(!page.contains("<script>") && !page.contains("style=") && !page.contains("<style"));
        assert!(!page.contains("http:") && !page.contains("https:") && !page.contains("//"));
        assert!(page.contains("docs/swagger-ui-bundle.js") && page.contains("redoc/reference.js"));
    }
}
