//! Rasters look the same as rendering luna's own SVG. Every style × variant at 64, 256 and 512
//! px, two ways:
//! - the painter (styles drawn straight onto pixels) against resvg's render of the logo's SVG;
//! - the fast path for a new seed (cached seed-free layers, the seeded parts painted over them)
//!   against the painter's whole drawing at that seed.
//!
//! Bounds and their reasons: docs/DECISIONS.md ("Rasters without SVG").

use luna_daemon::art::{LogoSpec, Style, Variant, render_svg};
use luna_daemon::raster::{Drawing, StaticLayers};
use tiny_skia::Pixmap;

/// Painter against resvg: mean absolute difference per channel (0–255 scale), over all channels
/// of all pixels, and the largest difference in any channel of any pixel.
const RESVG_MEAN: f64 = 1.25;
const RESVG_WORST: u8 = 72;
/// Layers against the whole drawing: only 8-bit rounding differs.
const LAYERS_MEAN: f64 = 0.1;
const LAYERS_WORST: u8 = 6;

fn resvg(spec: &LogoSpec, size: u32) -> Pixmap {
    let svg = render_svg(&Drawing::canonical(spec).with_size(size).unwrap());
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).unwrap();
    let mut pixmap = Pixmap::new(size, size).unwrap();
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    pixmap
}

fn difference(a: &Pixmap, b: &Pixmap) -> (f64, u8) {
    let (mut sum, mut worst) = (0u64, 0u8);
    for (a, b) in a.data().iter().zip(b.data()) {
        let d = a.abs_diff(*b);
        sum += u64::from(d);
        worst = worst.max(d);
    }
    (sum as f64 / a.data().len() as f64, worst)
}

/// Runs `compare` on every logo at every size and checks the bounds.
fn check(what: &str, mean_bound: f64, worst_bound: u8, compare: impl Fn(&LogoSpec) -> (f64, u8)) {
    let mut report = Vec::new();
    for style in Style::ALL {
        for variant in Variant::ALL {
            for size in [64, 256, 512] {
                let spec = LogoSpec::new(style, variant, size).unwrap();
                let (mean, worst) = compare(&spec);
                report.push((mean, worst, format!("{style:?} {variant:?} at {size} px")));
            }
        }
    }
    let worst_mean = report.iter().map(|r| r.0).fold(0.0, f64::max);
    let worst_pixel = report.iter().map(|r| r.1).max().unwrap_or(0);
    eprintln!(
        "{what}: {} logos, worst mean {worst_mean:.4}, worst pixel {worst_pixel}",
        report.len()
    );
    let failures: Vec<String> = report
        .iter()
        .filter(|(mean, worst, _)| *mean > mean_bound || *worst > worst_bound)
        .map(|(mean, worst, name)| format!("{name}: mean {mean:.4}, worst {worst}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{what} outside the bounds:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_painter_matches_resvg_rendering_the_svg() {
    check("painter vs resvg", RESVG_MEAN, RESVG_WORST, |spec| {
        let size = spec.size();
        difference(&Drawing::of(spec).pixmap(size).unwrap(), &resvg(spec, size))
    });
}

#[test]
fn layers_for_a_new_seed_match_the_whole_drawing() {
    check("layers vs whole", LAYERS_MEAN, LAYERS_WORST, |spec| {
        let size = spec.size();
        let layers = StaticLayers::draw(&spec.clone().with_seed(1), size).unwrap();
        let spec = spec.clone().with_seed(9_000_001);
        let fast = layers.compose(&spec).unwrap();
        difference(&fast, &Drawing::of(&spec).pixmap(size).unwrap())
    });
}
