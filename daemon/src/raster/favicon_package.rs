//! The favicon package a website drops in as is, after current browser and platform guidance
//! (Evil Martians' "How to Favicon"): `favicon.ico` for old browsers and feed readers, `icon.svg`
//! with a dark-scheme variant, an opaque `apple-touch-icon.png`, the PWA icons and a maskable one,
//! `site.webmanifest`, and the `<link>` tags that reference them.
//!
//! Every file is a pure function of the logo and the background: the same inputs give the same
//! bytes.

use super::icon::ico_of;
use super::{Drawing, RasterError, encode_png};
use crate::art::{DEFAULT_SIZE, LogoSpec, Rgb, render_svg};
use tiny_skia::{Color, Pixmap, PixmapPaint, Transform};

/// Sizes packed into `favicon.ico`.
pub const PACKAGE_ICO_SIZES: [u32; 3] = [16, 32, 48];
/// iOS's home-screen icon.
pub const APPLE_TOUCH_SIZE: u32 = 180;
/// iOS rounds the icon's corners, so the logo keeps this margin on each side (20 of 180 px).
const APPLE_TOUCH_MARGIN: u32 = 20;
/// The PWA icons (`purpose: any`); 512 is also the maskable icon's side.
pub const PWA_SIZES: [u32; 2] = [192, 512];
/// A maskable icon's safe zone: the centred circle whose diameter is this share of the side.
/// Launchers may cut away anything outside it.
pub const SAFE_ZONE: f32 = 0.8;

/// The files in the order they are listed and zipped.
pub const FILE_NAMES: [&str; 8] = [
    "favicon.ico",
    "icon.svg",
    "apple-touch-icon.png",
    "icon-192.png",
    "icon-512.png",
    "icon-512-maskable.png",
    "site.webmanifest",
    "favicon.html",
];

/// The `<link>` tags for a page's `<head>`, with the files at the site's root.
pub const SNIPPET: &str = r#"<link rel="icon" href="/favicon.ico" sizes="32x32">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/apple-touch-icon.png">
<link rel="manifest" href="/site.webmanifest">
"#;

/// What the icons sit on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Background {
    /// A deep shade of the palette's primary colour, under every icon.
    #[default]
    Palette,
    /// This colour, under every icon.
    Colour(Rgb),
    /// Transparent wherever the platform allows it. The Apple touch icon and the maskable icon
    /// must be opaque, so they keep the palette's shade.
    None,
}

impl Background {
    /// The colour of the icons that must be opaque (and of the manifest).
    pub fn solid(self, spec: &LogoSpec) -> Rgb {
        match self {
            Background::Colour(colour) => colour,
            Background::Palette | Background::None => deep(spec.palette().primary),
        }
    }

    /// The colour under the icons that may be transparent, if any.
    fn optional(self, spec: &LogoSpec) -> Option<Rgb> {
        match self {
            Background::None => None,
            other => Some(other.solid(spec)),
        }
    }
}

/// The palette's primary colour at 30% brightness: dark enough for every variant's glow to read
/// on it, as the logos are drawn for dark pages, and still that variant's hue.
fn deep(colour: Rgb) -> Rgb {
    let shade = |c: u8| (u16::from(c) * 3 / 10) as u8;
    Rgb {
        r: shade(colour.r),
        g: shade(colour.g),
        b: shade(colour.b),
    }
}

/// One file of the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    pub name: &'static str,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaviconPackage {
    /// In [`FILE_NAMES`] order.
    pub files: Vec<PackageFile>,
    /// The `<link>` tags ([`SNIPPET`]), also in the package as `favicon.html`.
    pub snippet: &'static str,
    /// The colour of the opaque icons and the manifest's theme and background.
    pub colour: Rgb,
}

/// Draws the package of `spec`'s logo (its size is ignored: each file has its own).
pub fn favicon_package(
    spec: &LogoSpec,
    background: Background,
) -> Result<FaviconPackage, RasterError> {
    let drawing = Drawing::of(spec);
    let solid = background.solid(spec);
    let optional = background.optional(spec);
    let [pwa_small, pwa_large] = PWA_SIZES;
    let large = drawing.pixmap(pwa_large)?;
    let files = vec![
        file("favicon.ico", "image/x-icon", ico(&drawing, optional)?),
        file(
            "icon.svg",
            "image/svg+xml",
            icon_svg(spec, optional).into_bytes(),
        ),
        file(
            "apple-touch-icon.png",
            "image/png",
            encode_png(compose(
                &drawing,
                APPLE_TOUCH_SIZE,
                APPLE_TOUCH_SIZE - 2 * APPLE_TOUCH_MARGIN,
                Some(solid),
            )?)?,
        ),
        file(
            "icon-192.png",
            "image/png",
            encode_png(compose(&drawing, pwa_small, pwa_small, optional)?)?,
        ),
        file(
            "icon-512.png",
            "image/png",
            encode_png(on(large.clone(), optional)?)?,
        ),
        file(
            "icon-512-maskable.png",
            "image/png",
            encode_png(maskable(&drawing, &large, solid)?)?,
        ),
        file(
            "site.webmanifest",
            "application/manifest+json",
            manifest(spec, solid).into_bytes(),
        ),
        file("favicon.html", "text/html", SNIPPET.as_bytes().to_vec()),
    ];
    Ok(FaviconPackage {
        files,
        snippet: SNIPPET,
        colour: solid,
    })
}

fn file(name: &'static str, media_type: &'static str, bytes: Vec<u8>) -> PackageFile {
    PackageFile {
        name,
        media_type,
        bytes,
    }
}

/// `picture` over `fill`, when there is one.
fn on(picture: Pixmap, fill: Option<Rgb>) -> Result<Pixmap, RasterError> {
    let Some(fill) = fill else {
        return Ok(picture);
    };
    let side = picture.width();
    let mut canvas = Pixmap::new(side, side).ok_or(RasterError::Alloc(side))?;
    canvas.fill(Color::from_rgba8(fill.r, fill.g, fill.b, 255));
    canvas.draw_pixmap(
        0,
        0,
        picture.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        None,
    );
    Ok(canvas)
}

/// The logo drawn `logo` px wide, centred on a `side` px square over `fill`. `side - logo` is
/// even wherever this is called, so the logo's centre is the square's.
fn compose(
    drawing: &Drawing,
    side: u32,
    logo: u32,
    fill: Option<Rgb>,
) -> Result<Pixmap, RasterError> {
    if logo == side {
        return on(drawing.pixmap(side)?, fill);
    }
    let mut canvas = Pixmap::new(side, side).ok_or(RasterError::Alloc(side))?;
    if let Some(fill) = fill {
        canvas.fill(Color::from_rgba8(fill.r, fill.g, fill.b, 255));
    }
    let offset = ((side - logo) / 2) as i32;
    canvas.draw_pixmap(
        offset,
        offset,
        drawing.pixmap(logo)?.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        None,
    );
    Ok(canvas)
}

/// How far from its centre a square picture reaches: the largest distance from the centre to a
/// corner of any pixel that is not fully transparent. Faint glow counts, so nothing a launcher
/// could show is left out.
fn reach(picture: &Pixmap) -> f32 {
    let centre = picture.width() as f32 / 2.0;
    let width = picture.width() as usize;
    let far = |i: usize| {
        let near_edge = (i as f32 - centre).abs();
        let far_edge = (i as f32 + 1.0 - centre).abs();
        near_edge.max(far_edge)
    };
    picture
        .pixels()
        .iter()
        .enumerate()
        .filter(|(_, pixel)| pixel.alpha() > 0)
        .map(|(i, _)| far(i % width).hypot(far(i / width)))
        .fold(0.0, f32::max)
}

/// The maskable icon: full bleed on `fill`, the logo scaled so everything it draws lies inside
/// the safe zone. `full` is the logo at the icon's side, measured to size the scaled one.
fn maskable(drawing: &Drawing, full: &Pixmap, fill: Rgb) -> Result<Pixmap, RasterError> {
    let side = full.width();
    let radius = side as f32 * SAFE_ZONE / 2.0;
    let reached = reach(full).max(1.0);
    // An even size keeps the logo centred; anti-aliasing may reach a little further than the
    // scaled measure, so the drawn size is measured again and shrunk until it fits.
    let mut logo = ((side as f32 * radius / reached) as u32).min(side) & !1;
    while logo > 2 && reach(&drawing.pixmap(logo)?) > radius {
        logo -= 2;
    }
    compose(drawing, side, logo, Some(fill))
}

/// `favicon.ico`: the logo at 16, 32 and 48 px.
fn ico(drawing: &Drawing, fill: Option<Rgb>) -> Result<Vec<u8>, RasterError> {
    ico_of(&PACKAGE_ICO_SIZES, |size| on(drawing.pixmap(size)?, fill))
}

/// `icon.svg`: the still logo, on its tile when there is one. Under `prefers-color-scheme: dark`
/// a rim in the palette's glow colour rings the logo: on a dark tab the logo's dark disc would
/// otherwise melt into the tab, and the rim keeps its outline. An embedded `<style>` is the only
/// way an SVG favicon can follow the scheme (no script runs in a favicon).
fn icon_svg(spec: &LogoSpec, tile: Option<Rgb>) -> String {
    // An SVG, not a raster: the spec's own title and ids, in its static pose.
    let still = spec.clone().with_animated(false).with_size(DEFAULT_SIZE);
    let svg = render_svg(&still.expect("the default size is valid"));
    let glow = spec.palette().glow;
    let mut head = format!(
        "<style>.luna-rim{{stroke:none}}@media (prefers-color-scheme: dark){{.luna-rim{{stroke:{glow}}}}}</style>"
    );
    if let Some(tile) = tile {
        head.push_str(&format!(
            r#"<rect class="luna-tile" width="200" height="200" fill="{tile}"/>"#
        ));
    }
    // After the title and description, which stay the first children for screen readers; the
    // tile goes under everything the logo draws, the rim over it.
    let at = svg
        .find("</desc>")
        .map(|i| i + "</desc>".len())
        .or_else(|| svg.find('>').map(|i| i + 1))
        .expect("a drawing is an <svg> element");
    let end = svg.rfind("</svg>").expect("a drawing ends its <svg>");
    format!(
        r#"{}{head}{}<circle class="luna-rim" cx="100" cy="100" r="96" fill="none" stroke-width="8"/></svg>"#,
        &svg[..at],
        &svg[at..end],
    )
}

/// `site.webmanifest`: the PWA icons and the colours of the browser's frame and splash screen.
fn manifest(spec: &LogoSpec, colour: Rgb) -> String {
    #[derive(serde::Serialize)]
    struct Manifest {
        name: String,
        short_name: &'static str,
        icons: [Icon; 3],
        theme_color: String,
        background_color: String,
        display: &'static str,
    }
    #[derive(serde::Serialize)]
    struct Icon {
        src: &'static str,
        sizes: &'static str,
        #[serde(rename = "type")]
        media_type: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        purpose: Option<&'static str>,
    }
    let icon = |src, sizes, purpose| Icon {
        src,
        sizes,
        media_type: "image/png",
        purpose,
    };
    let manifest = Manifest {
        name: spec.title_or_default(),
        short_name: "Arkalia-LUNA",
        icons: [
            icon("/icon-192.png", "192x192", None),
            icon("/icon-512.png", "512x512", None),
            icon("/icon-512-maskable.png", "512x512", Some("maskable")),
        ],
        theme_color: colour.to_string(),
        background_color: colour.to_string(),
        display: "standalone",
    };
    let mut text = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> LogoSpec {
        LogoSpec::parse("simple", "serenity", 64).unwrap()
    }

    #[test]
    fn the_package_holds_every_file_once_in_order() {
        let package = favicon_package(&spec(), Background::Palette).unwrap();
        let names: Vec<&str> = package.files.iter().map(|f| f.name).collect();
        assert_eq!(names, FILE_NAMES);
        assert!(package.files.iter().all(|f| !f.bytes.is_empty()));
        assert_eq!(package.files[7].bytes, SNIPPET.as_bytes());
    }

    #[test]
    fn the_palette_shade_is_deep_and_keeps_the_hue() {
        let serenity = spec().palette().primary;
        assert_eq!(serenity.to_string(), "#1e3a8a");
        assert_eq!(deep(serenity).to_string(), "#091129");
        assert_eq!(Background::None.solid(&spec()), deep(serenity));
        let white = Rgb {
            r: 255,
            g: 255,
            b: 255,
        };
        assert_eq!(Background::Colour(white).solid(&spec()), white);
        assert_eq!(Background::None.optional(&spec()), None);
    }

    #[test]
    fn the_svg_rim_shows_only_in_the_dark_scheme() {
        let svg = icon_svg(&spec(), None);
        let doc = roxmltree::Document::parse(&svg).expect("icon.svg is well-formed XML");
        let style = doc
            .descendants()
            .find(|n| n.has_tag_name("style"))
            .unwrap()
            .text()
            .unwrap();
        assert!(style.contains("@media (prefers-color-scheme: dark){.luna-rim{stroke:#60a5fa}}"));
        let rim = doc.descendants().next_back().unwrap();
        assert_eq!(rim.attribute("class"), Some("luna-rim"));
        assert!(!svg.contains("luna-tile"));
        let tiled = icon_svg(&spec(), Some(deep(spec().palette().primary)));
        assert!(
            tiled
                .contains(r##"<rect class="luna-tile" width="200" height="200" fill="#091129"/>"##)
        );
        // The title stays the first child.
        let doc = roxmltree::Document::parse(&tiled).unwrap();
        let first = doc.root_element().first_element_child().unwrap();
        assert!(first.has_tag_name("title"));
    }

    #[test]
    fn the_maskable_logo_stays_inside_the_safe_zone() {
        let drawing = Drawing::of(&spec());
        let full = drawing.pixmap(512).unwrap();
        // The logo itself reaches nearly the edge, so it must be scaled down.
        assert!(reach(&full) > 0.4 * 512.0);
        let icon = maskable(&drawing, &full, deep(spec().palette().primary)).unwrap();
        assert!(icon.pixels().iter().all(|p| p.alpha() == 255));
    }
}
