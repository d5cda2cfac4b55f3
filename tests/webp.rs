//! WebP on every surface of a real lunad: `/logo/….webp`, `POST /generate` and its download,
//! IPC `generate`, `luna generate`, the statistics and the metrics. A WebP is lossless and drawn
//! from the same pixmap as the PNG, so the two decode to identical pixels; they are decoded here
//! by the `image` crate, not by luna's encoders.

mod http;
mod support;

use base64::Engine as _;
use http::Server;
use serde_json::json;
use std::process::{Command, Stdio};

fn decode(bytes: &[u8], format: image::ImageFormat) -> image::RgbaImage {
    image::load_from_memory_with_format(bytes, format)
        .unwrap_or_else(|e| panic!("not a valid {format:?}: {e}"))
        .to_rgba8()
}

/// The WebP decodes to exactly the PNG's pixels.
fn same_pixels(webp: &[u8], png: &[u8], size: u32) {
    assert_eq!(&webp[..4], b"RIFF");
    assert_eq!(&webp[8..16], b"WEBPVP8L", "lossless WebP");
    let webp = decode(webp, image::ImageFormat::WebP);
    let png = decode(png, image::ImageFormat::Png);
    assert_eq!(webp.dimensions(), (size, size));
    assert_eq!(png.dimensions(), (size, size));
    let differing = webp
        .pixels()
        .zip(png.pixels())
        .filter(|(w, p)| w != p)
        .count();
    assert_eq!(differing, 0, "pixels that differ between WebP and PNG");
    // Not a blank picture: the comparison means something.
    assert!(webp.pixels().filter(|p| p[3] > 0).count() > (size * size / 4) as usize);
}

fn base64(data: &serde_json::Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(data.as_str().expect("data"))
        .expect("base64")
}

#[test]
fn logo_urls_serve_webp_with_the_pngs_pixels() {
    let s = Server::start("", &[]);
    let webp = s.get("/logo/ultimate/power.webp?size=256&seed=11");
    assert_eq!(webp.status, 200, "{}", webp.text());
    assert_eq!(webp.header("content-type"), Some("image/webp"));
    let etag = webp.header("etag").unwrap().to_owned();
    assert!(etag.ends_with("-webp\""), "{etag}");
    let png = s.get("/logo/ultimate/power.png?size=256&seed=11");
    assert_eq!(png.status, 200);
    same_pixels(&webp.body, &png.body, 256);
    assert_eq!(
        s.get_with(
            "/logo/ultimate/power.webp?size=256&seed=11",
            &[("if-none-match", &etag)]
        )
        .status,
        304
    );

    // An unknown extension lists the formats, WebP among them.
    let gif = s.get("/logo/simple/power.gif");
    assert_eq!(gif.status, 400);
    assert_eq!(
        gif.json()["error"]["valid"],
        json!(["svg", "png", "ico", "webp"])
    );

    // The generation series of every format exist from the start, WebP's too.
    let metrics = s.get("/metrics").text();
    assert!(
        metrics.contains(
            "arkalia_luna_logo_generations_total{format=\"webp\",generator=\"ultimate\",variant=\"power\"} 1"
        ),
        "{metrics}"
    );
    assert!(metrics.contains(
        "arkalia_luna_logo_generations_total{format=\"webp\",generator=\"simple\",variant=\"serenity\"} 0"
    ));
}

#[test]
fn generate_stores_and_downloads_webp() {
    let s = Server::start("", &[]);
    let body = |format: &str| {
        json!({"variant": "awakening", "generator_type": "realism", "size": 128,
               "format": format, "inline": true})
        .to_string()
    };
    let webp = s.post_json("/generate", &body("webp"));
    assert_eq!(webp.status, 200, "{}", webp.text());
    let webp = webp.json();
    assert_eq!(webp["format"], "webp");
    assert_eq!(webp["encoding"], "base64");
    assert!(webp["file"].as_str().unwrap().ends_with(".webp"), "{webp}");
    assert!(
        webp["logo_url"]
            .as_str()
            .unwrap()
            .starts_with("/logo/realism/awakening.webp?size=128"),
        "{webp}"
    );
    let png = s.post_json("/generate", &body("png")).json();
    same_pixels(&base64(&webp["data"]), &base64(&png["data"]), 128);

    let download = s.get(webp["download_url"].as_str().unwrap());
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-type"), Some("image/webp"));
    assert_eq!(download.body, base64(&webp["data"]));
    let listed = s.daemon.ok("files", json!({}));
    assert!(
        listed["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["format"] == "webp"),
        "{listed}"
    );
    assert_eq!(s.get("/stats").json()["formats_used"]["webp"], 1);
}

#[test]
fn ipc_and_the_cli_write_webp() {
    let s = Server::start("", &[]);
    let args = |format: &str| json!({"variant": "creative", "style": "ai_moon", "size": 96, "format": format});
    let webp = s.daemon.ok("generate", args("webp"));
    assert_eq!(webp["format"], "webp");
    assert_eq!(webp["encoding"], "base64");
    let png = s.daemon.ok("generate", args("png"));
    let webp_bytes = base64(&webp["data"]);
    same_pixels(&webp_bytes, &base64(&png["data"]), 96);

    // `--format webp`, and the format read from `-o`'s extension, give the daemon's bytes.
    let cwd = tempfile::tempdir().unwrap();
    let luna = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_luna"))
            .args(args)
            .current_dir(cwd.path())
            .env("LUNA_SOCKET", s.daemon.socket())
            .env("LUNA_NO_AUTOSTART", "1")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    luna(&[
        "generate", "creative", "-g", "ai_moon", "-s", "96", "--format", "webp", "-o", "a.out",
    ]);
    luna(&[
        "generate", "creative", "-g", "ai_moon", "-s", "96", "-o", "b.webp",
    ]);
    for name in ["a.out", "b.webp"] {
        assert_eq!(
            std::fs::read(cwd.path().join(name)).unwrap(),
            webp_bytes,
            "{name}"
        );
    }
    luna(&[
        "-O",
        "all",
        "generate-all",
        "-v",
        "power",
        "-g",
        "simple",
        "-s",
        "32",
        "--format",
        "webp",
    ]);
    let written = std::fs::read(cwd.path().join("all/arkalia-luna-power-32.webp")).unwrap();
    assert_eq!(
        decode(&written, image::ImageFormat::WebP).dimensions(),
        (32, 32)
    );
}
