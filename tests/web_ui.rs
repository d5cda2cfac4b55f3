//! The web page at `/ui`, used like a person would: the real `lunad` on a loopback port, and a
//! real headless Chromium driven through a real `chromedriver` (fantoccini).
//!
//! With `LUNA_WRITE_SCREENSHOT=1` the browser test also writes `docs/ui.png` (1280×900).
//!
//! The browser harness (chromedriver, Chromium and the WebDriver helpers) is in
//! `web_ui/harness.rs`.

#[path = "web_ui/harness.rs"]
mod harness;
mod http;
mod support;

use fantoccini::{Client, ClientBuilder, Locator};
use harness::{
    Driver, WAIT, attr, bytes, fetch_in_page, preview_loaded, screenshot, stat_total, text_of,
    wait_for,
};
use http::Server;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
form-action 'none'";

const FRENCH_NAMES: [&str; 5] = [
    "🌙 Sérénité",
    "⚡ Puissance",
    "🔮 Mystère",
    "✨ Éveil/Sagesse",
    "🎇 Énergie créative",
];

fn daemon() -> Server {
    Server::start("", &[])
}

#[test]
fn page_and_assets_have_their_headers() {
    let s = daemon();

    let page = s.get("/ui");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("content-security-policy"), Some(PAGE_CSP));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let etag = page
        .header("etag")
        .expect("the page has an ETag")
        .to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "a strong ETag: {etag}"
    );
    let again = s.get_with("/ui", &[("if-none-match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    // Nothing the CSP forbids: scripts and styles are files, every URL is relative.
    let html = page.text();
    assert!(html.contains(r#"<script src="ui/app.js" defer></script>"#));
    assert!(html.contains(r#"<link rel="stylesheet" href="ui/style.css">"#));
    assert_eq!(html.matches("<script").count(), 1, "no inline script");
    assert!(!html.contains("style=") && !html.contains("<style"));
    assert!(!html.contains("http:") && !html.contains("https:") && !html.contains("//"));

    let script = s.get("/ui/app.js");
    assert_eq!(script.status, 200);
    let content_type = script.header("content-type").unwrap();
    assert!(
        content_type.starts_with("text/javascript"),
        "{content_type}"
    );
    assert!(script.text().contains("use strict"));
    let script_etag = script.header("etag").unwrap();
    assert_ne!(script_etag, etag);
    assert_eq!(
        s.get_with("/ui/app.js", &[("if-none-match", script_etag)])
            .status,
        304
    );

    let style = s.get("/ui/style.css");
    assert_eq!(style.status, 200);
    assert!(
        style
            .header("content-type")
            .unwrap()
            .starts_with("text/css")
    );
    assert!(style.text().contains("#0f172a"));

    // `/ui/` redirects to the page, whose relative URLs resolve from `/ui`.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let redirect = agent.get(format!("{}/ui/", s.base)).call().unwrap();
    assert_eq!(redirect.status().as_u16(), 308);
    assert_eq!(redirect.headers()["location"], "/ui");

    // HEAD is answered too, and the page is listed in the API document.
    assert_eq!(s.head("/ui").status, 200);
    let doc = s.get("/openapi.json").json();
    for path in ["/ui", "/ui/", "/ui/app.js", "/ui/style.css"] {
        assert_eq!(doc["paths"][path]["get"]["tags"][0], "meta", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_designs_downloads_and_stores_a_logo() {
    let started = Instant::now();
    let s = daemon();
    let driver = Driver::start(s.env.path());
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(driver.capabilities())
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| panic!("start a Chromium session: {e}"));
    let session = browser.session_id().await.unwrap().expect("a session id");
    let result = tokio::time::timeout(
        Duration::from_secs(90),
        drive(&browser, &driver, &session, &s),
    )
    .await;
    // End the session (Chromium quits) before looking at the outcome; the guard kills it anyway.
    let _ = browser.close().await;
    result.expect("the browser test took over 90 s");
    eprintln!("browser test took {:?}", started.elapsed());
}

async fn drive(browser: &Client, driver: &Driver, session: &str, s: &Server) {
    // `/ui/` lands on `/ui`.
    browser.goto(&format!("{}/ui/", s.base)).await.unwrap();
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.path(), "/ui", "{url}");

    // The variant list is the API's five variants, by their French names.
    let names = wait_for(
        browser,
        "the variant list",
        r#"const select = document.getElementById("variant");
           return !select.disabled && select.options.length === 5
               ? Array.from(select.options, (o) => o.textContent) : null;"#,
        vec![],
    )
    .await;
    assert_eq!(names, json!(FRENCH_NAMES));
    let api_names: Vec<Value> = s
        .get("/variants?details=true")
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].clone())
        .collect();
    assert_eq!(names, Value::Array(api_names));
    // The styles are the generators without their aliases.
    let styles = browser
        .execute(
            r#"return Array.from(document.getElementById("style").options, (o) => o.value);"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        styles,
        json!([
            "simple",
            "realism",
            "ultra_max",
            "simple_advanced",
            "dashboard",
            "ai_moon",
            "advanced",
            "ultimate"
        ])
    );
    // The selected variant's four colours are shown.
    let swatch = browser
        .execute(
            r#"return Array.from(document.querySelectorAll('#swatch .swatch'), (e) => e.dataset.colour);"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(swatch, json!(["#1e3a8a", "#3b82f6", "#06b6d4", "#60a5fa"]));

    // The first preview loads.
    let first = preview_loaded(browser, "logo/simple/serenity.svg").await;
    assert!(first.contains("size=256"), "{first}");

    // Choosing a variant and a style changes the preview, which loads.
    browser
        .find(Locator::Id("variant"))
        .await
        .unwrap()
        .select_by_value("creative")
        .await
        .unwrap();
    preview_loaded(browser, "logo/simple/creative.svg").await;
    browser
        .find(Locator::Id("style"))
        .await
        .unwrap()
        .select_by_value("ultimate")
        .await
        .unwrap();
    let src = preview_loaded(browser, "logo/ultimate/creative.svg").await;
    assert_ne!(src, first);
    let swatch = browser
        .execute(
            r#"return Array.from(document.querySelectorAll('#swatch .swatch'), (e) => e.dataset.colour);"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(swatch, json!(["#1e40af", "#06b6d4", "#ec4899", "#f59e0b"]));
    let alt = attr(browser, "preview", "alt").await.unwrap();
    assert!(
        alt.contains("Énergie créative") && alt.contains("Ultimate"),
        "{alt}"
    );

    // A size preset fills the number field and the URLs.
    browser
        .find(Locator::Id("size-preset"))
        .await
        .unwrap()
        .select_by_value("512")
        .await
        .unwrap();
    preview_loaded(browser, "size=512").await;
    assert_eq!(
        browser
            .find(Locator::Id("size"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("512")
    );

    // An out-of-range size is refused in the form: no broken preview, nothing to download.
    let size = browser.find(Locator::Id("size")).await.unwrap();
    size.clear().await.unwrap();
    size.send_keys("5000").await.unwrap();
    wait_for(
        browser,
        "the size to be refused",
        r#"return !document.getElementById("size-error").hidden
               && document.getElementById("size").getAttribute("aria-invalid") === "true"
               && document.getElementById("generate").disabled
               && document.getElementById("download-png").getAttribute("aria-disabled") === "true"
               && !document.getElementById("download-png").hasAttribute("href");"#,
        vec![],
    )
    .await;
    browser
        .find(Locator::Id("size-preset"))
        .await
        .unwrap()
        .select_by_value("512")
        .await
        .unwrap();
    wait_for(
        browser,
        "the size to be accepted again",
        r#"return document.getElementById("size-error").hidden
               && !document.getElementById("generate").disabled;"#,
        vec![],
    )
    .await;

    // A new seed goes into the preview URL.
    browser
        .find(Locator::Id("new-seed"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let seed = wait_for(
        browser,
        "a new seed",
        r#"const v = document.getElementById("seed").value; return v !== "42" ? v : null;"#,
        vec![],
    )
    .await;
    let seed = seed.as_str().unwrap().to_owned();
    preview_loaded(browser, &format!("seed={seed}")).await;

    // Static, then animated again.
    let toggle = browser.find(Locator::Id("animated")).await.unwrap();
    toggle.click().await.unwrap();
    preview_loaded(browser, "static=1").await;
    toggle.click().await.unwrap();
    wait_for(
        browser,
        "the animated preview",
        r#"const s = document.getElementById("preview").getAttribute("src");
           return !s.includes("static=1") && s.includes("seed=") ? s : null;"#,
        vec![],
    )
    .await;
    preview_loaded(browser, "logo/ultimate/creative.svg").await;

    // Generate & store: a result with a working download, and the statistics count it.
    let deadline = Instant::now() + WAIT;
    let before = loop {
        if let Some(total) = stat_total(browser).await {
            break total;
        }
        assert!(Instant::now() < deadline, "the statistics never loaded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    browser
        .find(Locator::Id("format"))
        .await
        .unwrap()
        .select_by_value("png")
        .await
        .unwrap();
    browser
        .find(Locator::Id("generate"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        browser,
        "the generation result",
        r#"const r = document.getElementById("result");
           return !r.hidden && r.dataset.state !== "pending" ? r.dataset.state : null;"#,
        vec![],
    )
    .await;
    let result = text_of(browser, "result").await;
    assert_eq!(
        attr(browser, "result", "data-state").await.as_deref(),
        Some("ok"),
        "{result}"
    );
    assert!(
        result.contains("Render time") && result.contains("Cached"),
        "{result}"
    );
    let stored = browser
        .find(Locator::Id("result-download"))
        .await
        .unwrap()
        .prop("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.starts_with(&format!(
            "{}/download/arkalia-luna-creative-512-ultimate-",
            s.base
        )),
        "{stored}"
    );
    assert!(stored.ends_with(".png"), "{stored}");
    let got = fetch_in_page(browser, &stored).await;
    assert_eq!(got["status"], 200, "{got}");
    assert_eq!(got["type"], "image/png", "{got}");

    let deadline = Instant::now() + Duration::from_secs(8);
    loop {
        let total = stat_total(browser).await.unwrap_or(0);
        if total > before {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the statistics never went past {before}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let creative = browser
        .execute(
            r#"const row = document.getElementById("stat-variant-creative");
               return [row.firstChild.textContent, row.querySelector(".bar-count").textContent];"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(creative[0], "🎇 Énergie créative");
    let count: u64 = creative[1].as_str().unwrap().parse().unwrap();
    assert!(count > 0, "{creative}");
    assert_ne!(text_of(browser, "stat-last").await, "–");

    // The four downloads: right URLs, names and bytes.
    let expected = [
        ("svg", "image/svg+xml"),
        ("png", "image/png"),
        ("ico", "image/x-icon"),
        ("webp", "image/webp"),
    ];
    for (ext, mime) in expected {
        let id = format!("download-{ext}");
        let link = browser.find(Locator::Id(&id)).await.unwrap();
        let href = link.prop("href").await.unwrap().expect("href");
        let name = link.attr("download").await.unwrap().expect("download");
        assert!(
            href.starts_with(&format!(
                "{}/logo/ultimate/creative.{ext}?size=512&seed={seed}",
                s.base
            )),
            "{id}: {href}"
        );
        assert_eq!(name, format!("luna-creative-ultimate-512-{seed}.{ext}"));
        let got = fetch_in_page(browser, &href).await;
        assert_eq!(got["status"], 200, "{id}: {got}");
        assert_eq!(got["type"], mime, "{id}: {got}");
        let head = bytes(&got["head"]);
        match ext {
            "svg" => assert!(String::from_utf8_lossy(&head).contains("<svg"), "{got}"),
            "png" => {
                assert_eq!(&head[..8], b"\x89PNG\r\n\x1a\n");
                // IHDR: the PNG is at the chosen size.
                assert_eq!(u32::from_be_bytes(head[16..20].try_into().unwrap()), 512);
                assert_eq!(u32::from_be_bytes(head[20..24].try_into().unwrap()), 512);
            }
            "webp" => assert_eq!((&head[..4], &head[8..16]), (&b"RIFF"[..], &b"WEBPVP8L"[..])),
            _ => assert_eq!(&head[..4], &[0, 0, 1, 0]),
        }
    }
    // Chromium decodes the WebP (with its own decoder) at the chosen size.
    let webp_href = attr(browser, "download-webp", "href").await.unwrap();
    let decoded = browser
        .execute_async(
            r#"const [url, done] = arguments;
               const image = new Image();
               image.onload = () => done([image.naturalWidth, image.naturalHeight]);
               image.onerror = () => done("not decoded");
               image.src = url;"#,
            vec![json!(webp_href)],
        )
        .await
        .unwrap();
    assert_eq!(decoded, json!([512, 512]));

    // The favicon package of the logo being previewed (its style, variant and seed).
    let link = browser.find(Locator::Id("download-favicon")).await.unwrap();
    let href = link.prop("href").await.unwrap().expect("href");
    assert_eq!(
        href,
        format!("{}/favicon/ultimate/creative.zip?seed={seed}", s.base)
    );
    assert_eq!(
        link.attr("download").await.unwrap().as_deref(),
        Some(format!("luna-favicon-creative-ultimate-{seed}.zip").as_str())
    );
    assert!(link.text().await.unwrap().contains("Favicon package"));
    let got = fetch_in_page(browser, &href).await;
    assert_eq!(got["status"], 200, "{got}");
    assert_eq!(got["type"], "application/zip", "{got}");
    assert_eq!(&bytes(&got["head"])[..4], b"PK\x03\x04");
    // Its icon.svg (with the dark-scheme style inside) is an image Chromium draws.
    let zip = s
        .get(&format!("/favicon/ultimate/creative.zip?seed={seed}"))
        .body;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut svg = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name("icon.svg").unwrap(), &mut svg).unwrap();
    let data_url = format!(
        "data:image/svg+xml;base64,{}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &svg)
    );
    let drawn = browser
        .execute_async(
            r#"const [url, done] = arguments;
               const image = new Image();
               image.onload = () => done([image.naturalWidth, image.naturalHeight]);
               image.onerror = () => done("not drawn");
               image.src = url;"#,
            vec![json!(data_url)],
        )
        .await
        .unwrap();
    assert_eq!(drawn, json!([200, 200]));
    // The same PNG, straight from the daemon.
    let png_href = attr(browser, "download-png", "href").await.unwrap();
    let png = s.get(&format!("/{png_href}"));
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type"), Some("image/png"));
    assert!(png.body.starts_with(b"\x89PNG\r\n\x1a\n"));

    // "Copy SVG URL" shows the absolute URL of the SVG download.
    let svg_url = browser
        .find(Locator::Id("svg-url"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        svg_url,
        browser
            .find(Locator::Id("download-svg"))
            .await
            .unwrap()
            .prop("href")
            .await
            .unwrap()
            .unwrap()
    );
    browser
        .find(Locator::Id("copy-url"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        browser,
        "the copy confirmation",
        r#"return document.getElementById("copy-status").textContent;"#,
        vec![],
    )
    .await;

    // A system that asks for reduced motion gets a still preview, the toggle left as it was.
    let reduce = |value: &str| {
        json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "features": [{ "name": "prefers-reduced-motion", "value": value }] },
        })
    };
    driver.extension(session, "goog/cdp/execute", reduce("reduce"));
    preview_loaded(browser, "static=1").await;
    assert_eq!(
        browser
            .find(Locator::Id("animated"))
            .await
            .unwrap()
            .prop("checked")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    assert!(
        text_of(browser, "preview-status")
            .await
            .contains("reduced motion")
    );
    driver.extension(session, "goog/cdp/execute", reduce(""));
    wait_for(
        browser,
        "the animated preview again",
        r#"return !document.getElementById("preview").getAttribute("src").includes("static=1");"#,
        vec![],
    )
    .await;
    preview_loaded(browser, "logo/ultimate/creative.svg").await;

    // Nothing went wrong in the console: no CSP violation, no failed request, no exception.
    // (A probe error first: it proves the log is really captured.)
    browser
        .execute(r#"console.error("luna-probe");"#, vec![])
        .await
        .unwrap();
    let log = driver.extension(session, "se/log", json!({ "type": "browser" }));
    let log = log.as_array().expect("a browser log");
    assert!(
        log.iter().any(|e| e["message"]
            .as_str()
            .unwrap_or_default()
            .contains("luna-probe")),
        "the browser log is not captured: {log:?}"
    );
    let errors: Vec<&Value> = log
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .filter(|e| {
            !e["message"]
                .as_str()
                .unwrap_or_default()
                .contains("luna-probe")
        })
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");

    if std::env::var_os("LUNA_WRITE_SCREENSHOT").is_some_and(|v| v == "1") {
        screenshot(browser).await;
    }
}
