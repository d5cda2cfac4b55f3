//! `/docs`: interactive API documentation (Swagger UI) reading `/openapi.json`, as the original
//! (FastAPI) served it. Swagger UI's files come from `utoipa-swagger-ui`'s vendored copy, compiled
//! into the binary: no CDN, nothing fetched at build or run time. The page and its settings are
//! luna's own files, so the page runs under the web page's strict CSP (no inline script or style).

use super::Asset;
use super::ui::PAGE_CSP;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

/// A file of the vendored Swagger UI distribution.
fn vendored(file: &str, content_type: &'static str) -> Asset {
    // The config only shapes `swagger-initializer.js`, which luna replaces with `try.js`.
    let config = Arc::new(utoipa_swagger_ui::Config::from("openapi.json"));
    let found = utoipa_swagger_ui::serve(file, config)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{file} is in the vendored Swagger UI"));
    let body: &'static [u8] = match found.bytes {
        Cow::Borrowed(bytes) => bytes,
        // Only the initializer is rewritten (owned); it is never served.
        Cow::Owned(bytes) => Box::leak(bytes.into_boxed_slice()),
    };
    Asset::new(body, content_type)
}

static PAGE: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_bytes!("../docs/index.html"),
        "text/html; charset=utf-8",
    )
});
static SETTINGS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_bytes!("../docs/try.js"),
        "text/javascript; charset=utf-8",
    )
});
pub(super) static BUNDLE: LazyLock<Asset> =
    LazyLock::new(|| vendored("swagger-ui-bundle.js", "text/javascript; charset=utf-8"));
static STYLE: LazyLock<Asset> =
    LazyLock::new(|| vendored("swagger-ui.css", "text/css; charset=utf-8"));

/// With the page's CSP: same-origin script, style, images and `fetch` only.
pub(super) fn with_page_csp(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    response
}

/// Interactive API documentation: every operation, with "Try it out" against this daemon.
#[utoipa::path(get, path = "/docs", tag = "meta", operation_id = "getDocsPage",
    responses(
        (status = 200, description = "Swagger UI (strict CSP: same-origin script, style, images and fetch only)", content_type = "text/html"),
        (status = 304, description = "Not modified (If-None-Match matched the ETag)")))]
pub async fn page(headers: HeaderMap) -> Response {
    with_page_csp(PAGE.serve(&headers))
}

/// The docs pages' Swagger UI script (vendored).
#[utoipa::path(get, path = "/docs/swagger-ui-bundle.js", tag = "meta", operation_id = "getDocsBundle",
    responses(
        (status = 200, description = "Swagger UI's script", content_type = "text/javascript"),
        (status = 304, description = "Not modified")))]
pub async fn bundle(headers: HeaderMap) -> Response {
    BUNDLE.serve(&headers)
}

/// The docs pages' Swagger UI stylesheet (vendored).
#[utoipa::path(get, path = "/docs/swagger-ui.css", tag = "meta", operation_id = "getDocsStylesheet",
    responses(
        (status = 200, description = "Swagger UI's stylesheet", content_type = "text/css"),
        (status = 304, description = "Not modified")))]
pub async fn stylesheet(headers: HeaderMap) -> Response {
    STYLE.serve(&headers)
}

/// `/docs`'s Swagger UI settings.
#[utoipa::path(get, path = "/docs/try.js", tag = "meta", operation_id = "getDocsSettings",
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
    fn the_vendored_files_are_swagger_ui() {
        assert!(BUNDLE.body.len() > 100_000);
        let bundle = std::str::from_utf8(BUNDLE.body).unwrap();
        assert!(bundle.contains("SwaggerUIBundle"));
        assert!(
            std::str::from_utf8(STYLE.body)
                .unwrap()
                .contains(".swagger-ui")
        );
    }

    #[test]
    fn the_page_needs_nothing_the_csp_forbids() {
        let page = std::str::from_utf8(PAGE.body).unwrap();
        assert!(!page.contains("<script>") && !page.contains("style=") && !page.contains("<style"));
        assert!(!page.contains("http:") && !page.contains("https:") && !page.contains("//"));
        assert!(page.contains("docs/swagger-ui-bundle.js") && page.contains("docs/try.js"));
    }
}
