//! The web page at `/ui`: one HTML page, its script and its stylesheet, compiled into the binary.
//! The page talks to the API with same-origin relative URLs only, so its CSP can forbid
//! everything else: no inline script or style, no external resource, no framing.

use super::Asset;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Redirect, Response};
use std::sync::LazyLock;

/// The page's Content-Security-Policy (the API docs pages use it too): its own script, stylesheet and images (logos are
/// same-origin `<img>`s, never inlined), `fetch` to its own origin, and nothing else.
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
form-action 'none'";

static PAGE: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_bytes!("../ui/index.html"),
        "text/html; charset=utf-8",
    )
});
static SCRIPT: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_bytes!("../ui/app.js"),
        "text/javascript; charset=utf-8",
    )
});
static STYLE: LazyLock<Asset> =
    LazyLock::new(|| Asset::new(include_bytes!("../ui/style.css"), "text/css; charset=utf-8"));

/// The web page: pick a variant, style, size and seed, watch a live preview, download SVG, PNG
/// or ICO, store a logo with `POST /generate`, and follow `/stats`.
#[utoipa::path(get, path = "/ui", tag = "meta", operation_id = "getUiPage",
    responses(
        (status = 200, description = "The web page (strict CSP: same-origin script, style, images and fetch only)", content_type = "text/html"),
        (status = 304, description = "Not modified (If-None-Match matched the ETag)")))]
pub async fn page(headers: HeaderMap) -> Response {
    let mut response = PAGE.serve(&headers);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    response
}

/// `/ui/` is `/ui`: the page's relative URLs resolve from `/ui`.
#[utoipa::path(get, path = "/ui/", tag = "meta", operation_id = "redirectUiSlash",
    responses((status = 308, description = "Permanent redirect to /ui")))]
pub async fn slash() -> Redirect {
    Redirect::permanent("/ui")
}

/// The web page's script.
#[utoipa::path(get, path = "/ui/app.js", tag = "meta", operation_id = "getUiScript",
    responses(
        (status = 200, description = "The page's script", content_type = "text/javascript"),
        (status = 304, description = "Not modified")))]
pub async fn script(headers: HeaderMap) -> Response {
    SCRIPT.serve(&headers)
}

/// The web page's stylesheet.
#[utoipa::path(get, path = "/ui/style.css", tag = "meta", operation_id = "getUiStylesheet",
    responses(
        (status = 200, description = "The page's stylesheet", content_type = "text/css"),
        (status = 304, description = "Not modified")))]
pub async fn stylesheet(headers: HeaderMap) -> Response {
    STYLE.serve(&headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn etags_are_strong_and_distinct() {
        let tags = [&PAGE.etag, &SCRIPT.etag, &STYLE.etag];
        for tag in tags {
            let tag = tag.to_str().unwrap();
            assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34);
        }
        assert_ne!(tags[0], tags[1]);
        assert_ne!(tags[1], tags[2]);
    }

    #[test]
    fn revalidation_is_a_304() {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, PAGE.etag.clone());
        assert_eq!(PAGE.serve(&headers).status(), StatusCode::NOT_MODIFIED);
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert_eq!(PAGE.serve(&headers).status(), StatusCode::OK);
    }

    #[test]
    fn the_page_needs_nothing_the_csp_forbids() {
        let page = std::str::from_utf8(PAGE.body).unwrap();
        assert!(!page.contains("<script>") && !page.contains("style="));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.contains("ui/app.js") && page.contains("ui/style.css"));
    }
}
