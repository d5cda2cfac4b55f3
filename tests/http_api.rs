//! The HTTP API against a real lunad over loopback: the original clients' requests, the fixed
//! defects, caching, errors, security, health, the API document and metrics. Rate limits are in
//! `http_limits.rs`.

mod http;
mod support;

use http::Server;
use serde_json::Value;
use std::io::Read;

const PERMISSIVE: &str = "[http.rate_limits]\ngenerate = 0\nlogo = 0\ndefault = 0\ndownload = 0\n";

#[test]
fn the_original_clients_requests_work_unchanged() {
    let s = Server::start(PERMISSIVE, &[]);
    assert_eq!(s.get("/health").json()["status"], "healthy");
    assert_eq!(
        s.get("/variants").json(),
        serde_json::json!(["serenity", "power", "mystery", "awakening", "creative"])
    );
    // The original answered 500 here, always.
    let generators = s.get("/generators");
    assert_eq!(generators.status, 200);
    assert_eq!(generators.json().as_array().unwrap().len(), 9);
    assert_eq!(generators.json()[0], "simple");

    // The Artillery profile's three bodies, plus every generator key and the realism_max alias.
    let mut keys: Vec<Value> = generators.json().as_array().unwrap().clone();
    keys.push("realism_max".into());
    for (variant, size, generator) in [
        ("serenity", 200, "simple"),
        ("power", 200, "advanced"),
        ("mystery", 500, "ultimate"),
    ]
    .into_iter()
    .chain(keys.iter().map(|k| ("creative", 100, k.as_str().unwrap())))
    {
        let body = format!(
            "{{\"variant\":\"{variant}\",\"size\":{size},\"generator_type\":\"{generator}\"}}"
        );
        let reply = s.post_json("/generate", &body);
        assert_eq!(reply.status, 200, "{body}: {}", reply.text());
        let json = reply.json();
        assert_eq!(json["success"], true);
        assert_eq!(
            json["message"],
            format!("Logo {variant} généré avec succès")
        );
        assert!(json["generation_time"].is_number());
        let file_path = json["file_path"].as_str().unwrap();
        assert!(
            !file_path.starts_with('/') && !file_path.contains(".."),
            "{file_path} leaks the layout"
        );
        // The download URL resolves to exactly this artefact (the original's did not, for three types).
        let download = s.get(json["download_url"].as_str().unwrap());
        assert_eq!(download.status, 200);
        assert_eq!(download.header("content-type"), Some("image/svg+xml"));
        let same = s.get(json["logo_url"].as_str().unwrap());
        assert_eq!(
            download.body, same.body,
            "{generator}: download and logo URL disagree"
        );
        assert!(download.text().contains(&format!("width=\"{size}\"")));
    }
    // The original's stats were always zero.
    let stats = s.get("/stats").json();
    assert!(stats["total_generated"].as_u64().unwrap() >= 13);
    // The POST, then the GET of its logo URL: both are generations (the second a cache hit).
    assert_eq!(stats["sizes_used"]["500"], 2);
    assert!(stats["variants_used"]["creative"].as_u64().unwrap() >= 10);
    assert!(stats["last_generation"].as_str().unwrap().ends_with('Z'));
    assert!(stats["cache_hits"].is_u64());
}

#[test]
fn lax_size_coercion_matches_the_original_validator() {
    let s = Server::start(PERMISSIVE, &[]);
    let status = |size: &str| {
        s.post_json(
            "/generate",
            &format!("{{\"variant\":\"power\",\"size\":{size}}}"),
        )
    };
    assert_eq!(status("\"200\"").status, 200);
    assert_eq!(status("200.0").status, 200);
    let fractional = status("200.5");
    assert_eq!(
        (fractional.status, fractional.code().as_str()),
        (422, "invalid_field")
    );
    assert_eq!(fractional.json()["error"]["field"], "size");
    assert_eq!(status("\"abc\"").status, 422);
    // Text has one spelling, the document's pattern: plain digits.
    for text in ["\" 200\"", "\"0200\"", "\"+200\"", "\"2e2\""] {
        assert_eq!(status(text).status, 422, "{text}");
    }
    // `true` is 1 pixel: out of range, so 400 like the original.
    let one = status("true");
    assert_eq!(
        (one.status, one.json()["error"]["field"].as_str()),
        (400, Some("size"))
    );
}

/// What `/openapi.json` declares is exactly what the server takes (schemathesis explores the
/// rest in `http_fuzz.rs`): these are the edges it once found.
#[test]
fn the_documents_grammars_are_the_servers() {
    let s = Server::start(PERMISSIVE, &[]);
    let generate =
        |fields: &str| s.post_json("/generate", &format!("{{\"variant\":\"power\",{fields}}}"));
    // JSON Schema counts 473.0 as an integer, and the seed is any u64.
    assert_eq!(generate("\"seed\":473.0").status, 200);
    assert_eq!(generate("\"seed\":18446744073709551615").status, 200);
    assert_eq!(generate("\"seed\":18446744073709551616").status, 422);
    assert_eq!(
        generate("\"palette\":\"#abc, #123456 ,fff,000\"").status,
        200
    );
    let tab = generate("\"palette\":\"abc,abc,abc,\\tabc\"");
    assert_eq!(
        (tab.status, tab.json()["error"]["field"].as_str()),
        (400, Some("palette"))
    );
    let document = s.get("/openapi.json").json();
    let pattern = document["components"]["schemas"]["Palette"]["oneOf"][0]["pattern"].as_str();
    assert!(pattern.is_some_and(|p| p.starts_with('^')), "{document}");

    for query in [
        "size=0200",
        "size=",
        "seed=%2B1",
        "seed=18446744073709551616",
        "static=maybe",
        "palette=abc,abc,abc,%09abc",
    ] {
        let reply = s.get(&format!("/logo/simple/power.svg?{query}"));
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
    }
    assert_eq!(
        s.get("/logo/simple/power.svg?size=64&seed=18446744073709551615&static=")
            .status,
        200
    );
    // Listings are typed: keys, or objects with details.
    assert!(s.get("/generators?details=true").json()[0]["key"].is_string());
}

#[test]
fn every_bad_input_is_a_4xx_json_error_naming_the_field() {
    let s = Server::start(PERMISSIVE, &[]);
    let unknown_variant = s.post_json("/generate", "{\"variant\":\"sunny\"}");
    assert_eq!(unknown_variant.status, 400);
    assert_eq!(unknown_variant.json()["error"]["field"], "variant");
    assert_eq!(
        unknown_variant.json()["error"]["valid"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let unknown_style = s.post_json(
        "/generate",
        "{\"variant\":\"power\",\"generator_type\":\"fancy\"}",
    );
    assert_eq!(unknown_style.status, 400);
    assert_eq!(unknown_style.json()["error"]["field"], "generator_type");
    assert!(
        unknown_style.json()["error"]["valid"]
            .as_array()
            .unwrap()
            .contains(&"realism_max".into())
    );
    assert_eq!(
        s.post_json("/generate", "{\"variant\":\"power\",\"size\":15}")
            .status,
        400
    );
    assert_eq!(
        s.post_json("/generate", "{\"variant\":\"power\",\"size\":2049}")
            .status,
        400
    );
    let missing = s.post_json("/generate", "{\"size\":200}");
    assert_eq!(
        (missing.status, missing.json()["error"]["field"].as_str()),
        (422, Some("variant"))
    );
    let extra = s.post_json("/generate", "{\"variant\":\"power\",\"colour\":1}");
    assert_eq!(
        (extra.status, extra.json()["error"]["field"].as_str()),
        (422, Some("colour"))
    );
    let malformed = s.post_json("/generate", "{\"variant\":");
    assert_eq!(
        (malformed.status, malformed.code().as_str()),
        (400, "invalid_json")
    );
    let palette = s.post_json(
        "/generate",
        "{\"variant\":\"power\",\"palette\":\"#12,#34\"}",
    );
    assert_eq!(
        (palette.status, palette.json()["error"]["field"].as_str()),
        (400, Some("palette"))
    );
    let form = s.post(
        "/generate",
        b"variant=power",
        &[("content-type", "application/x-www-form-urlencoded")],
    );
    assert_eq!(
        (form.status, form.code().as_str()),
        (415, "unsupported_media_type")
    );
    let huge = format!(
        "{{\"variant\":\"power\",\"pad\":\"{}\"}}",
        "x".repeat(900_000)
    );
    // Far past the limit but under the drain bound: the client must read the 413, not a reset.
    let too_large = s.post_json("/generate", &huge);
    assert_eq!(
        (too_large.status, too_large.code().as_str()),
        (413, "payload_too_large")
    );
    let nowhere = s.get("/nowhere");
    assert_eq!(
        (nowhere.status, nowhere.code().as_str()),
        (404, "not_found")
    );
    let wrong_method = s.request("PUT", "/generate", &[]);
    assert_eq!(
        (wrong_method.status, wrong_method.code().as_str()),
        (405, "method_not_allowed")
    );
    assert_eq!(wrong_method.header("allow"), Some("POST"));
    let bad_query = s.get("/variants?detail=1");
    assert_eq!(
        (bad_query.status, bad_query.code().as_str()),
        (400, "invalid_query")
    );
    for path in [
        "/logo/simple/sunny.svg",
        "/logo/fancy/power.svg",
        "/logo/simple/power.gif",
        "/logo/simple/power.svg?size=9",
        "/logo/simple/power.svg?seed=-1",
        "/logo/simple/power.svg?static=maybe",
        "/logo/simple/power.svg?palette=red",
        "/logo/simple/power.svg?zoom=2",
    ] {
        let reply = s.get(path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.text());
        assert!(reply.json()["error"]["message"].is_string());
    }
}

#[test]
fn logo_urls_are_cacheable_pure_functions() {
    let s = Server::start(PERMISSIVE, &[]);
    let path = "/logo/ultimate/power.svg?size=128&seed=7";
    let first = s.get(path);
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(
        first
            .header("content-security-policy")
            .unwrap()
            .contains("sandbox")
    );
    let etag = first.header("etag").unwrap().to_owned();
    assert!(
        etag.starts_with("\"1-"),
        "ETag carries the algorithm version: {etag}"
    );
    assert_eq!(s.get(path).body, first.body, "same URL, same bytes");
    assert_ne!(
        s.get("/logo/ultimate/power.svg?size=128&seed=8")
            .header("etag")
            .unwrap(),
        etag
    );

    let not_modified = s.get_with(path, &[("if-none-match", &etag)]);
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));

    let head = s.head(path);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(etag.as_str()));

    let gzip = s.get_with(path, &[("accept-encoding", "gzip")]);
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gzip.body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, first.body);
    let br = s.get_with(path, &[("accept-encoding", "br")]);
    assert_eq!(br.header("content-encoding"), Some("br"));
    let mut unbrotli = Vec::new();
    brotli_decompressor::Decompressor::new(&br.body[..], 4096)
        .read_to_end(&mut unbrotli)
        .unwrap();
    assert_eq!(unbrotli, first.body);

    let png = s.get("/logo/simple/mystery.png?size=48&static=1");
    assert_eq!(png.header("content-type"), Some("image/png"));
    assert_eq!(&png.body[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        png.header("content-encoding"),
        None,
        "PNG is not recompressed"
    );
    let ico = s.get("/logo/simple/mystery.ico");
    assert_eq!(&ico.body[..4], &[0, 0, 1, 0]);
    let palette = s.get("/logo/dashboard/power.svg?palette=7f1d1d,dc2626,f87171,fecaca");
    assert!(palette.text().contains("#dc2626"));
}

#[test]
fn download_serves_only_indexed_artefacts() {
    let s = Server::start(PERMISSIVE, &[]);
    let secret = s.env.path().join("data").join("files").join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-CONTENT").unwrap();
    let made = s
        .post_json(
            "/generate",
            "{\"variant\":\"power\",\"format\":\"png\",\"size\":32}",
        )
        .json();
    let url = made["download_url"].as_str().unwrap();
    let ok = s.get(url);
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.header("content-type"),
        Some("image/png"),
        "type by extension, not always SVG"
    );
    assert!(
        ok.header("content-disposition")
            .unwrap()
            .starts_with("attachment")
    );
    let etag = ok.header("etag").unwrap().to_owned();
    assert_eq!(s.get_with(url, &[("if-none-match", &etag)]).status, 304);

    for attempt in [
        "/download/secret.txt",
        "/download/..%2f..%2f..%2fetc%2fpasswd",
        "/download/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/download/%252e%252e%252fetc%252fpasswd",
        "/download/%2Fetc%2Fpasswd",
        "/download/..%5c..%5cwindows%5cwin.ini",
        "/download/arkalia-luna-power-32-simple-00000000.png%00.txt",
        "/download/..",
        "/download/.",
        "/download/data%2Ffiles%2Fsecret.txt",
        &format!("/download/{}", "a".repeat(5000)),
        "/download/../../etc/passwd",
    ] {
        let reply = s.get(attempt);
        assert!(
            (400..500).contains(&reply.status),
            "{attempt}: {}",
            reply.status
        );
        let text = reply.text();
        assert!(
            !text.contains("TOP-SECRET") && !text.contains("root:"),
            "{attempt} leaked a file"
        );
    }
}

#[test]
fn cleanup_needs_the_configured_bearer_token() {
    let closed = Server::start(PERMISSIVE, &[]);
    let refused = closed.delete("/cleanup", &[("authorization", "Bearer anything")]);
    assert_eq!(
        (refused.status, refused.code().as_str()),
        (403, "cleanup_disabled")
    );

    let s = Server::start(PERMISSIVE, &[("LUNA_CLEANUP_TOKEN", "s3cret-token")]);
    for size in [32, 48, 64] {
        let body = format!("{{\"variant\":\"power\",\"size\":{size}}}");
        assert_eq!(s.post_json("/generate", &body).status, 200);
    }
    let anonymous = s.delete("/cleanup", &[]);
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("www-authenticate"), Some("Bearer"));
    assert_eq!(
        s.delete("/cleanup", &[("authorization", "Bearer wrong")])
            .status,
        401
    );
    assert_eq!(
        s.delete("/cleanup", &[("authorization", "s3cret-token")])
            .status,
        401
    );
    let done = s.delete("/cleanup", &[("authorization", "Bearer s3cret-token")]);
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json()["cleaned_count"], 3);
    assert_eq!(done.json()["message"], "3 fichiers nettoyés");
    assert_eq!(s.get("/stats").json()["files"], 0);
    assert!(s.env.stored_names().is_empty());
}

#[test]
fn security_headers_and_cors_on_every_response() {
    let s = Server::start(
        "[http]\ncors_origins = [\"https://app.example\"]\n[http.rate_limits]\ngenerate = 1\n",
        &[],
    );
    s.post_json("/generate", "{\"variant\":\"power\"}");
    let limited = s.post_json("/generate", "{\"variant\":\"power\"}");
    assert_eq!(limited.status, 429);
    for reply in [
        s.get("/"),
        s.get("/nowhere"),
        s.get("/metrics"),
        s.get("/logo/simple/power.svg"),
        limited,
    ] {
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("x-frame-options"), Some("DENY"));
        assert!(reply.header("referrer-policy").is_some());
        assert!(
            reply
                .header("content-security-policy")
                .unwrap()
                .contains("default-src 'none'")
        );
    }
    let allowed = s.request(
        "OPTIONS",
        "/generate",
        &[
            ("origin", "https://app.example"),
            ("access-control-request-method", "POST"),
        ],
    );
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    assert_eq!(allowed.header("access-control-allow-credentials"), None);
    let other = s.get_with("/variants", &[("origin", "https://evil.example")]);
    assert_eq!(other.header("access-control-allow-origin"), None);
}

#[test]
fn health_reports_checks_with_a_utc_timestamp() {
    let s = Server::start(PERMISSIVE, &[("ENVIRONMENT", "production")]);
    let health = s.get("/health").json();
    assert_eq!(health["environment"], "production");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert!(health["timestamp"].as_str().unwrap().ends_with('Z'));
    for check in ["store", "storage_writable", "generator"] {
        assert_eq!(health["checks"][check], "ok");
    }
    // Break the file store (a plain file where the directory was; even root cannot write into
    // it): health must turn 503 and the gauge 0, then recover.
    let files = s.env.path().join("data").join("files");
    let aside = s.env.path().join("data").join("files.aside");
    std::fs::rename(&files, &aside).unwrap();
    std::fs::write(&files, b"not a directory").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let sick = s.get("/health");
    let gauge = s.get("/metrics").text();
    std::fs::remove_file(&files).unwrap();
    std::fs::rename(&aside, &files).unwrap();
    assert_eq!(sick.status, 503);
    assert_eq!(sick.json()["status"], "unhealthy");
    assert_eq!(sick.json()["checks"]["storage_writable"], "failed");
    assert!(gauge.contains("arkalia_luna_health_status 0"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(s.get("/health").status, 200);
}

#[test]
fn openapi_documents_exactly_the_served_routes() {
    let s = Server::start(PERMISSIVE, &[]);
    let doc = s.get("/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    documented.sort();
    let mut served: Vec<(String, String)> = luna_daemon::http::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    served.sort();
    assert_eq!(documented, served);
    // Every documented route is really served (no 404 from the router's fallback).
    for (method, path) in &served {
        let concrete = path
            .replace("{filename}", "nothing.svg")
            .replace("{style}", "simple")
            .replace("{file}", "power.svg");
        let reply = s.request(method, &concrete, &[]);
        assert!(
            reply.status != 404
                || reply.json()["error"]["message"] != "no such route; see /openapi.json",
            "{method} {path} is documented but not routed"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert!(schemas.contains_key("GenerateRequest") && schemas.contains_key("ErrorBody"));
    assert!(
        doc.to_string().contains("realism_max"),
        "generator keys are published as an enum"
    );
}

#[test]
fn metrics_pass_promtool_and_count_every_route() {
    let s = Server::start(PERMISSIVE, &[]);
    s.post_json(
        "/generate",
        "{\"variant\":\"serenity\",\"generator_type\":\"simple\"}",
    );
    s.get("/logo/simple/serenity.svg");
    s.get("/nowhere");
    s.get("/stats");
    let metrics = s.get("/metrics");
    assert_eq!(
        metrics.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let text = metrics.text();
    for family in [
        "arkalia_luna_uptime_seconds",
        "arkalia_luna_requests_total",
        "arkalia_luna_responses_total",
        "arkalia_luna_request_duration_seconds",
        "arkalia_luna_logo_generations_total",
        "arkalia_luna_errors_total",
        "arkalia_luna_last_generation_duration_seconds",
        "arkalia_luna_avg_generation_duration_seconds",
        "arkalia_luna_generation_duration_seconds",
        "arkalia_luna_health_status",
        "arkalia_luna_cache_hits_total",
        "arkalia_luna_rate_limited_total",
        "arkalia_luna_ipc_connections",
        "arkalia_luna_store_size_bytes",
        "arkalia_luna_build_info",
        "process_resident_memory_bytes",
    ] {
        assert!(
            text.contains(&format!("# TYPE {family} ")),
            "{family} missing"
        );
    }
    assert!(text.contains("# TYPE arkalia_luna_uptime_seconds gauge"));
    assert!(text.contains(
        "arkalia_luna_requests_total{method=\"GET\",route=\"/stats\",status_code=\"200\"} 1"
    ));
    assert!(text.contains("route=\"unmatched\",status_code=\"404\""));
    assert!(text.contains("arkalia_luna_logo_generations_total{format=\"svg\",generator=\"simple\",variant=\"serenity\"} 2"));
    assert!(text.contains("arkalia_luna_cache_hits_total 1"));
    assert!(text.contains("le=\"0.005\"") && text.contains("le=\"0.5\""));

    let file = s.env.path().join("metrics.txt");
    std::fs::write(&file, &text).unwrap();
    let promtool = std::process::Command::new("promtool")
        .arg("check")
        .arg("metrics")
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .expect("promtool (Debian package prometheus) is needed: run .ci/install-deps");
    assert!(
        promtool.status.success(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&promtool.stdout),
        String::from_utf8_lossy(&promtool.stderr)
    );
}
