//! The fast raster path looks the same as rendering luna's own SVG: every style × variant at
//! 64, 256 and 512 px, at a seed other than the one its static layers were drawn with, against
//! resvg's render of the whole static SVG. Bounds and their reason: docs/DECISIONS.md.

use luna_daemon::art::{LogoSpec, Style, Variant};
use luna_daemon::raster::{Drawing, StaticLayers};

/// Mean absolute difference per channel, over all channels of all pixels (0–255 scale).
const MEAN_BOUND: f64 = 0.1;
/// The largest difference in any channel of any pixel.
const WORST_BOUND: u8 = 6;

#[test]
fn layers_match_the_whole_drawing() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for style in Style::ALL {
        for variant in Variant::ALL {
            for size in [64, 256, 512] {
                let drawn_with = LogoSpec::new(style, variant, size).unwrap().with_seed(1);
                let layers = StaticLayers::draw(&drawn_with, size).unwrap();
                let spec = drawn_with.with_seed(9_000_001);
                let fast = layers.compose(&spec).unwrap();
                let whole = Drawing::of(&spec).unwrap().pixmap(size).unwrap();
                let (mut sum, mut worst) = (0u64, 0u8);
                for (a, b) in fast.data().iter().zip(whole.data()) {
                    let d = a.abs_diff(*b);
                    sum += u64::from(d);
                    worst = worst.max(d);
                }
                let mean = sum as f64 / fast.data().len() as f64;
                if mean > MEAN_BOUND || worst > WORST_BOUND {
                    failures.push(format!(
                        "{style:?} {variant:?} at {size} px: mean {mean:.4}, worst {worst}"
                    ));
                }
                report.push((mean, worst, format!("{style:?} {variant:?} {size}")));
            }
        }
    }
    let worst_mean = report.iter().map(|r| r.0).fold(0.0, f64::max);
    let worst_pixel = report.iter().map(|r| r.1).max().unwrap_or(0);
    eprintln!(
        "{} logos: worst mean {worst_mean:.4}, worst pixel {worst_pixel}",
        report.len()
    );
    for (mean, worst, name) in &report {
        eprintln!("{name}: mean {mean:.4} worst {worst}");
    }
    assert!(
        failures.is_empty(),
        "outside the bounds:\n{}",
        failures.join("\n")
    );
}
