//! The favicon package from all three surfaces of a real lunad: `GET /favicon/…zip`, the IPC
//! `favicon` command and `luna favicon`. Every file is read back with decoders luna does not
//! encode with (the `image` crate for PNG and ICO, roxmltree for the SVG, serde_json for the
//! manifest, the `zip` crate's reader for the archive), and the three surfaces must give the same
//! bytes, call after call.

mod http;
mod support;

use base64::Engine as _;
use http::Server;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};

const NAMES: [&str; 8] = [
    "favicon.ico",
    "icon.svg",
    "apple-touch-icon.png",
    "icon-192.png",
    "icon-512.png",
    "icon-512-maskable.png",
    "site.webmanifest",
    "favicon.html",
];

/// A maskable icon's safe zone is the centred circle of diameter 80% of the side. A pixel the
/// logo touches may be partly covered at the circle's edge: its centre may then lie up to half a
/// pixel diagonal (0.71 px) outside it, so the check allows 1 px.
const SAFE_ZONE_TOLERANCE_PX: f64 = 1.0;

type Files = BTreeMap<String, Vec<u8>>;

fn rgba(bytes: &[u8], format: image::ImageFormat) -> image::RgbaImage {
    image::load_from_memory_with_format(bytes, format)
        .unwrap_or_else(|e| panic!("not a valid {format:?}: {e}"))
        .to_rgba8()
}

fn png(files: &Files, name: &str) -> image::RgbaImage {
    rgba(&files[name], image::ImageFormat::Png)
}

/// The sizes listed in an ICO's directory (a width byte of 0 means 256).
fn ico_sizes(ico: &[u8]) -> Vec<(u32, u32)> {
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an ICO header");
    let count = u16::from_le_bytes([ico[4], ico[5]]) as usize;
    (0..count)
        .map(|i| {
            let entry = &ico[6 + 16 * i..];
            let side = |b: u8| if b == 0 { 256 } else { u32::from(b) };
            (side(entry[0]), side(entry[1]))
        })
        .collect()
}

fn hex(colour: &str) -> [u8; 4] {
    let digits = colour.strip_prefix('#').expect("#rrggbb");
    assert_eq!(digits.len(), 6, "{colour}");
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).unwrap();
    [byte(0), byte(2), byte(4), 255]
}

/// What the package's background does to the icons that may be transparent.
#[derive(Debug, Clone, Copy)]
enum Under {
    /// The manifest's colour, as a tile under every icon.
    Tile,
    /// Nothing: those icons are transparent at the corners.
    Nothing,
}

/// Everything a site relies on in one package; returns the manifest's background colour.
fn check_package(files: &Files, under: Under) -> [u8; 4] {
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    let mut expected = NAMES.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);

    // The manifest: valid JSON, every icon present with the size it claims.
    let manifest: Value = serde_json::from_slice(&files["site.webmanifest"]).expect("JSON");
    assert!(manifest["name"].as_str().is_some_and(|n| !n.is_empty()));
    let colour = hex(manifest["background_color"].as_str().unwrap());
    assert_eq!(manifest["theme_color"], manifest["background_color"]);
    let icons = manifest["icons"].as_array().unwrap();
    assert_eq!(icons.len(), 3);
    for icon in icons {
        let src = icon["src"].as_str().unwrap().trim_start_matches('/');
        assert!(files.contains_key(src), "the manifest names {src}");
        assert_eq!(icon["type"], "image/png");
        let image = png(files, src);
        assert_eq!(
            icon["sizes"],
            format!("{}x{}", image.width(), image.height())
        );
    }
    let maskable: Vec<&Value> = icons
        .iter()
        .filter(|i| i["purpose"] == "maskable")
        .collect();
    assert_eq!(maskable.len(), 1);
    assert_eq!(maskable[0]["src"], "/icon-512-maskable.png");

    // The <link> tags name files of the package.
    let html = std::str::from_utf8(&files["favicon.html"]).unwrap();
    for tag in [
        r#"<link rel="icon" href="/favicon.ico" sizes="32x32">"#,
        r#"<link rel="icon" href="/icon.svg" type="image/svg+xml">"#,
        r#"<link rel="apple-touch-icon" href="/apple-touch-icon.png">"#,
        r#"<link rel="manifest" href="/site.webmanifest">"#,
    ] {
        assert!(html.contains(tag), "{tag} in {html}");
    }
    for href in html.split("href=\"/").skip(1) {
        let name = &href[..href.find('"').unwrap()];
        assert!(files.contains_key(name), "the snippet names {name}");
    }

    // favicon.ico: 16, 32 and 48 px. The decoder reads one of them: it prefers colour depth,
    // then size, and each entry is stored at the depth its own colours need.
    let ico = &files["favicon.ico"];
    assert_eq!(ico_sizes(ico), [(16, 16), (32, 32), (48, 48)]);
    let decoded = rgba(ico, image::ImageFormat::Ico);
    let side = decoded.width();
    assert!([16, 32, 48].contains(&side) && decoded.height() == side);

    // icon.svg: a valid SVG whose embedded style has a dark-scheme rule.
    let svg = std::str::from_utf8(&files["icon.svg"]).unwrap();
    let doc = roxmltree::Document::parse(svg).expect("icon.svg is well-formed");
    let root = doc.root_element();
    assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
    assert_eq!(root.attribute("viewBox"), Some("0 0 200 200"));
    let style = doc
        .descendants()
        .find(|n| n.has_tag_name("style"))
        .and_then(|n| n.text())
        .expect("an embedded <style>");
    assert!(
        style.contains("@media (prefers-color-scheme: dark)"),
        "{style}"
    );

    // The Apple touch icon and the maskable icon are opaque, on the manifest's colour.
    let apple = png(files, "apple-touch-icon.png");
    assert_eq!(apple.dimensions(), (180, 180));
    assert!(
        apple.pixels().all(|p| p[3] == 255),
        "apple-touch-icon is opaque"
    );
    assert_eq!(apple.get_pixel(0, 0).0, colour);
    check_maskable(&png(files, "icon-512-maskable.png"), colour);

    assert_eq!(png(files, "icon-192.png").dimensions(), (192, 192));
    let large = png(files, "icon-512.png");
    assert_eq!(large.dimensions(), (512, 512));
    match under {
        Under::Tile => {
            assert!(large.pixels().all(|p| p[3] == 255));
            assert_eq!(large.get_pixel(0, 0).0, colour);
            assert_eq!(decoded.get_pixel(0, 0).0, colour);
        }
        Under::Nothing => {
            assert_eq!(large.get_pixel(0, 0).0[3], 0);
            assert_eq!(decoded.get_pixel(0, 0).0[3], 0);
            assert!(!svg.contains("luna-tile"));
        }
    }
    colour
}

/// Opaque, full bleed, and the logo inside the safe zone: every pixel that is not the
/// background lies within the 80% circle (plus the tolerance). The logo also fills a good part
/// of it, so the check cannot pass on an empty icon.
fn check_maskable(icon: &image::RgbaImage, background: [u8; 4]) {
    assert_eq!(icon.dimensions(), (512, 512));
    assert!(
        icon.pixels().all(|p| p[3] == 255),
        "the maskable icon is opaque"
    );
    let centre = 256.0;
    let limit = 0.4 * 512.0 + SAFE_ZONE_TOLERANCE_PX;
    let mut farthest: f64 = 0.0;
    for (x, y, pixel) in icon.enumerate_pixels() {
        if pixel.0 == background {
            continue;
        }
        let distance = (f64::from(x) + 0.5 - centre).hypot(f64::from(y) + 0.5 - centre);
        assert!(
            distance <= limit,
            "pixel ({x}, {y}) {:?} is {distance:.1} px from the centre, past {limit} px",
            pixel.0
        );
        farthest = farthest.max(distance);
    }
    assert!(farthest > 0.3 * 512.0, "the logo reaches {farthest:.1} px");
}

fn from_zip(bytes: &[u8]) -> Files {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut files = Files::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        assert!(!name.contains('/'), "{name} sits at the zip's root");
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
        assert!(files.insert(name, data).is_none());
    }
    files
}

fn from_ipc(result: &Value) -> Files {
    let mut files = Files::new();
    for file in result["files"].as_array().unwrap() {
        let data = file["data"].as_str().unwrap();
        let bytes = match file["encoding"].as_str().unwrap() {
            "utf8" => data.as_bytes().to_vec(),
            "base64" => base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap(),
            other => panic!("encoding {other}"),
        };
        assert_eq!(file["bytes"], bytes.len());
        files.insert(file["name"].as_str().unwrap().to_owned(), bytes);
    }
    files
}

fn from_dir(dir: &std::path::Path) -> Files {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().into_string().unwrap(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

fn luna(s: &Server, cwd: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_luna"))
        .args(args)
        .current_dir(cwd)
        .env("LUNA_SOCKET", s.daemon.socket())
        .env("LUNA_NO_AUTOSTART", "1")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn http_serves_the_package_as_a_deterministic_zip() {
    let s = Server::start("", &[]);
    let url = "/favicon/simple/serenity.zip";
    let first = s.get(url);
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("content-type"), Some("application/zip"));
    assert_eq!(
        first.header("content-disposition"),
        Some("attachment; filename=\"luna-favicon-serenity-simple.zip\"")
    );
    let files = from_zip(&first.body);
    let colour = check_package(&files, Under::Tile);
    // The default background is a deep shade of serenity's primary colour, #1e3a8a.
    assert_eq!(colour, [0x09, 0x11, 0x29, 255]);

    // The same URL, the same bytes; the ETag answers a revalidation.
    let again = s.get(url);
    assert_eq!(again.body, first.body);
    let etag = first.header("etag").unwrap();
    assert_eq!(again.header("etag"), Some(etag));
    let cached = s.get_with(url, &[("if-none-match", etag)]);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());

    // A colour (with its `#` escaped) or `none`, a seed, another style.
    let coloured = s.get("/favicon/ultimate/power.zip?seed=7&background=%23123456");
    assert_eq!(coloured.status, 200, "{}", coloured.text());
    assert_eq!(
        coloured.header("content-disposition"),
        Some("attachment; filename=\"luna-favicon-power-ultimate-7.zip\"")
    );
    let colour = check_package(&from_zip(&coloured.body), Under::Tile);
    assert_eq!(colour, [0x12, 0x34, 0x56, 255]);
    let bare = s.get("/favicon/ultimate/power.zip?seed=7&background=none");
    assert_eq!(bare.status, 200);
    check_package(&from_zip(&bare.body), Under::Nothing);
    assert_ne!(bare.header("etag"), coloured.header("etag"));

    // Bad input: a clear error with a stable code.
    for (path, status, code, field) in [
        (
            "/favicon/simple/serenity.zip?background=red",
            400,
            "invalid_argument",
            Some("background"),
        ),
        (
            "/favicon/simple/serenity.zip?background=%23ffff",
            400,
            "invalid_argument",
            Some("background"),
        ),
        (
            "/favicon/simple/serenity.zip?seed=-1",
            400,
            "invalid_argument",
            Some("seed"),
        ),
        (
            "/favicon/simple/sunny.zip",
            400,
            "invalid_argument",
            Some("variant"),
        ),
        (
            "/favicon/cubist/serenity.zip",
            400,
            "invalid_argument",
            Some("style"),
        ),
        ("/favicon/simple/serenity.png", 404, "not_found", None),
        (
            "/favicon/simple/serenity.zip?size=64",
            400,
            "invalid_query",
            None,
        ),
    ] {
        let reply = s.get(path);
        assert_eq!(reply.status, status, "{path}: {}", reply.text());
        assert_eq!(reply.code(), code, "{path}");
        assert_eq!(
            reply.json()["error"]["field"].as_str(),
            field,
            "{path}: {}",
            reply.text()
        );
    }
}

#[test]
fn ipc_http_and_the_cli_give_the_same_files() {
    let s = Server::start("", &[]);
    let args = json!({"variant": "mystery", "style": "realism", "seed": 9});
    let result = s.daemon.ok("favicon", args.clone());
    assert_eq!(result["style"], "realism");
    assert_eq!(result["variant"], "mystery");
    assert_eq!(result["seed"], 9);
    let ipc = from_ipc(&result);
    let colour = check_package(&ipc, Under::Tile);
    assert_eq!(hex(result["background"].as_str().unwrap()), colour);
    assert_eq!(
        result["snippet"].as_str().unwrap().as_bytes(),
        ipc["favicon.html"]
    );
    // Deterministic: a second call gives byte-identical files, and HTTP zips the same files.
    assert_eq!(from_ipc(&s.daemon.ok("favicon", args)), ipc);
    let http = s.get("/favicon/realism/mystery.zip?seed=9");
    assert_eq!(from_zip(&http.body), ipc);

    // The CLI writes the same files and prints the snippet.
    let cwd = tempfile::tempdir().unwrap();
    let out = luna(
        &s,
        cwd.path(),
        &[
            "favicon", "mystery", "-g", "realism", "--seed", "9", "--out", "site",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.ends_with(result["snippet"].as_str().unwrap()),
        "{stdout}"
    );
    assert_eq!(from_dir(&cwd.path().join("site")), ipc);

    // `-o` is `--out`'s short form; `--quiet` prints the snippet alone; `none` is transparent.
    let out = luna(
        &s,
        cwd.path(),
        &[
            "-q",
            "favicon",
            "power",
            "-o",
            "bare",
            "--background",
            "none",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        result["snippet"].as_str().unwrap()
    );
    check_package(&from_dir(&cwd.path().join("bare")), Under::Nothing);

    // Bad input: the daemon's error code, the CLI's usage exit status, no files.
    let bad = s.daemon.request(
        json!({"id": 1, "cmd": "favicon", "args": {"variant": "power", "background": "teal"}}),
    );
    assert_eq!(bad["error"]["code"], "invalid_argument", "{bad}");
    assert_eq!(bad["error"]["details"]["path"], "background");
    let bad = s
        .daemon
        .request(json!({"id": 2, "cmd": "favicon", "args": {}}));
    assert_eq!(bad["error"]["details"]["path"], "variant", "{bad}");
    let out = luna(
        &s,
        cwd.path(),
        &["favicon", "power", "-o", "nope", "--background", "teal"],
    );
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("background"));
    assert!(!cwd.path().join("nope").exists());
}

#[test]
fn every_style_keeps_its_maskable_logo_in_the_safe_zone() {
    let s = Server::start("", &[]);
    let variants = ["serenity", "power", "mystery", "awakening", "creative"];
    for (i, style) in support::STYLES.iter().enumerate() {
        let variant = variants[i % variants.len()];
        let result = s
            .daemon
            .ok("favicon", json!({"variant": variant, "style": style}));
        let files = from_ipc(&result);
        let colour = hex(result["background"].as_str().unwrap());
        check_maskable(&png(&files, "icon-512-maskable.png"), colour);
    }
}

#[test]
fn favicon_all_writes_one_package_per_variant() {
    let s = Server::start("", &[]);
    let cwd = tempfile::tempdir().unwrap();
    let out = luna(&s, cwd.path(), &["--json", "favicon-all", "-o", "icons"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for (line, variant) in
        lines
            .iter()
            .zip(["serenity", "power", "mystery", "awakening", "creative"])
    {
        assert_eq!(line["variant"], variant);
        let dir = std::path::Path::new("icons").join(variant);
        assert_eq!(line["dir"], dir.display().to_string());
        let files = from_dir(&cwd.path().join(dir));
        check_package(&files, Under::Tile);
        let fresh = from_ipc(&s.daemon.ok("favicon", json!({"variant": variant})));
        assert_eq!(files, fresh, "{variant}");
    }
}
