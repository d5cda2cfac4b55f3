//! `/docs` and `/redoc`, the API documentation pages, used like a person would: the real `lunad`
//! on a loopback port, and a real headless Chromium driven through a real `chromedriver`
//! (fantoccini), with the web UI test's harness. The pages must work offline: every request the
//! browser makes goes to the daemon, read from Chromium's own network log.

#[path = "web_ui/harness.rs"]
mod harness;
mod http;
mod support;

use fantoccini::{Client, ClientBuilder};
use harness::{Driver, wait_for};
use http::Server;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The same policy as the web page's: nothing from another origin, no inline script or style.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
form-action 'none'";

#[test]
fn pages_and_assets_have_their_headers() {
    let s = Server::start("", &[]);
    for (page, settings) in [("/docs", "docs/try.js"), ("/redoc", "redoc/reference.js")] {
        let reply = s.get(page);
        assert_eq!(reply.status, 200, "{page}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(reply.header("content-security-policy"), Some(PAGE_CSP));
        let etag = reply.header("etag").expect("an ETag").to_owned();
        assert_eq!(s.get_with(page, &[("if-none-match", &etag)]).status, 304);
        // Nothing the CSP forbids: scripts and styles are files, every URL is relative.
        let html = reply.text();
        assert!(html.contains(r#"<script src="docs/swagger-ui-bundle.js" defer></script>"#));
        assert!(html.contains(&format!(r#"<script src="{settings}" defer></script>"#)));
        assert!(html.contains(r#"<link rel="stylesheet" href="docs/swagger-ui.css">"#));
        assert!(!html.contains("<script>") && !html.contains("style=") && !html.contains("<style"));
        assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("//"));
        let script = s.get(&format!("/{settings}"));
        assert_eq!(script.status, 200);
        assert!(script.text().contains("SwaggerUIBundle({"));
    }
    let bundle = s.get("/docs/swagger-ui-bundle.js");
    assert_eq!(bundle.status, 200);
    assert!(
        bundle
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(bundle.body.len() > 500_000, "the whole vendored bundle");
    let style = s.get("/docs/swagger-ui.css");
    assert_eq!(style.status, 200);
    assert!(
        style
            .header("content-type")
            .unwrap()
            .starts_with("text/css")
    );
    // The assets are the API's: its default CSP (nothing may load or run from them).
    assert_eq!(
        style.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
    );

    // The web page links both.
    let ui = s.get("/ui").text();
    assert!(
        ui.contains(r#"href="docs""#) && ui.contains(r#"href="redoc""#),
        "{ui}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_tries_generate_from_docs_and_reads_redoc() {
    let started = Instant::now();
    let s = Server::start("", &[]);
    let driver = Driver::start(s.env.path());
    let mut capabilities = driver.capabilities();
    // Chromium's network log too: every request the pages make, to check where they go.
    capabilities["goog:loggingPrefs"]["performance"] = json!("ALL");
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| panic!("start a Chromium session: {e}"));
    let session = browser.session_id().await.unwrap().expect("a session id");
    let result = tokio::time::timeout(
        Duration::from_secs(90),
        drive(&browser, &driver, &session, &s),
    )
    .await;
    let _ = browser.close().await;
    result.expect("the browser test took over 90 s");
    eprintln!("browser test took {:?}", started.elapsed());
}

async fn drive(browser: &Client, driver: &Driver, session: &str, s: &Server) {
    let generated_before = s.get("/stats").json()["total_generated"].clone();

    // /docs: find POST /generate, open it, "Try it out", Execute, and see the daemon's 200.
    browser.goto(&format!("{}/docs", s.base)).await.unwrap();
    wait_for(
        browser,
        "POST /generate in the operation list",
        r#"const op = Array.from(document.querySelectorAll(".opblock-post"))
             .find((e) => e.querySelector(".opblock-summary-path")?.textContent.trim() === "/generate");
           if (!op) return null;
           op.id = "luna-generate";
           return op.querySelector(".opblock-summary-method").textContent.trim();"#,
        vec![],
    )
    .await;
    // The summary's button expands the operation.
    click(browser, "#luna-generate .opblock-summary-control").await;
    click(browser, "#luna-generate .try-out__btn").await;
    // The request body editor holds the schema's example; ask for a small, quick SVG.
    wait_for(
        browser,
        "the request body editor",
        r##"const area = document.querySelector("#luna-generate textarea.body-param__text");
           if (!area) return null;
           const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
           set.call(area, JSON.stringify({ variant: "power", size: 64, format: "svg" }));
           area.dispatchEvent(new Event("input", { bubbles: true }));
           area.dispatchEvent(new Event("change", { bubbles: true }));
           return true;"##,
        vec![],
    )
    .await;
    click(browser, "#luna-generate .execute").await;
    let answer = wait_for(
        browser,
        "the live response's status in the page",
        r##"const row = document.querySelector("#luna-generate .live-responses-table .response .response-col_status");
           const body = document.querySelector("#luna-generate .live-responses-table .response-col_description pre");
           return row && body ? [row.textContent.trim(), body.textContent] : null;"##,
        vec![],
    )
    .await;
    assert_eq!(answer[0], "200", "{answer}");
    let body: Value = serde_json::from_str(answer[1].as_str().unwrap()).unwrap();
    assert_eq!(body["success"], true, "{body}");
    // It really reached the daemon: one more logo generated.
    assert_ne!(s.get("/stats").json()["total_generated"], generated_before);

    // /redoc: the reference lists the operations, offline, read-only.
    browser.goto(&format!("{}/redoc", s.base)).await.unwrap();
    let listed = wait_for(
        browser,
        "the operation list",
        r#"const ops = Array.from(document.querySelectorAll(".opblock"), (e) =>
             e.querySelector(".opblock-summary-method").textContent.trim() + " " +
             e.querySelector(".opblock-summary-path").textContent.trim());
           return ops.length > 10 ? ops : null;"#,
        vec![],
    )
    .await;
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for operation in [
        "POST /generate",
        "GET /logo/{style}/{file}",
        "DELETE /cleanup",
    ] {
        assert!(listed.contains(&operation), "{operation} in {listed:?}");
    }
    let try_buttons = browser
        .execute(
            r#"return document.querySelectorAll(".try-out__btn").length;"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(try_buttons, 0, "the reference is read-only");

    // Every request either page made went to the daemon, and nothing failed or was blocked.
    let log = driver.extension(session, "se/log", json!({ "type": "performance" }));
    let urls: Vec<String> = log
        .as_array()
        .expect("a performance log")
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
        .filter(|m| m["message"]["method"] == "Network.requestWillBeSent")
        .map(|m| {
            m["message"]["params"]["request"]["url"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for needed in [
        "/docs",
        "/docs/swagger-ui-bundle.js",
        "/openapi.json",
        "/generate",
        "/redoc",
    ] {
        assert!(
            urls.contains(&format!("{}{needed}", s.base)),
            "{needed} requested: {urls:#?}"
        );
    }
    // Chromium's own pages (its first tab is `chrome://new-tab-page…`) and inline `data:` URLs
    // are not network requests; anything else must be the daemon.
    let elsewhere: Vec<&String> = urls
        .iter()
        .filter(|u| !u.starts_with(&format!("{}/", s.base)))
        .filter(|u| {
            !["chrome:", "chrome-untrusted:", "data:", "about:"]
                .iter()
                .any(|p| u.starts_with(p))
        })
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests to other hosts: {elsewhere:#?}"
    );
    let log = driver.extension(session, "se/log", json!({ "type": "browser" }));
    let errors: Vec<&Value> = log
        .as_array()
        .expect("a browser log")
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .collect();
    assert!(
        errors.is_empty(),
        "console errors (a CSP violation is one): {errors:#?}"
    );
}

/// Clicks the element `css` names once it exists.
async fn click(browser: &Client, css: &str) {
    wait_for(
        browser,
        css,
        r#"const e = document.querySelector(arguments[0]);
           if (!e) return false;
           e.scrollIntoView();
           e.click();
           return true;"#,
        vec![json!(css)],
    )
    .await;
}
