//! Art quality on every style × variant at 256 px: centred, substantial, distinct, colour-true.

mod common;

use common::*;
use luna_daemon::art::{Style, Variant};

#[test]
fn every_logo_is_centred_and_covers_a_quarter_of_the_canvas() {
    let tolerance = 0.03 * f64::from(SIZE);
    let centre = f64::from(SIZE) / 2.0;
    for style in Style::ALL {
        for variant in Variant::ALL {
            let pixmap = render(style, variant);
            let (x, y) = centroid(&pixmap);
            assert!(
                (x - centre).abs() <= tolerance && (y - centre).abs() <= tolerance,
                "{style}/{variant}: centroid ({x:.1}, {y:.1}) is more than 3% off centre"
            );
            let covered = coverage(&pixmap);
            assert!(
                covered >= 0.25,
                "{style}/{variant}: covers only {:.1}% of the canvas",
                covered * 100.0
            );
        }
    }
}

/// Two styles must differ by more than the same style does when only its seed changes (which
/// moves a few small particles): at least 3× the largest re-seeding difference, and never less
/// than 2.5% mean channel difference. Measured at the time of writing: styles differ by ≥ 4%,
/// re-seeding by ≤ 0.9%.
#[test]
fn the_eight_styles_are_pairwise_distinct() {
    for variant in Variant::ALL {
        let reseeded = Style::ALL
            .iter()
            .map(|&s| difference(&render_seeded(s, variant, 1), &render_seeded(s, variant, 2)))
            .fold(0.0, f64::max);
        let threshold = (3.0 * reseeded).max(0.025);
        let pixmaps: Vec<_> = Style::ALL.iter().map(|&s| render(s, variant)).collect();
        for i in 0..pixmaps.len() {
            for j in i + 1..pixmaps.len() {
                let d = difference(&pixmaps[i], &pixmaps[j]);
                assert!(
                    d >= threshold,
                    "{variant}: {} and {} differ by {d:.4} < {threshold:.4}",
                    Style::ALL[i],
                    Style::ALL[j]
                );
            }
        }
    }
}

/// Variants of one style must read as different colours: their saturation-weighted hue
/// histograms must differ in at least 10% of their mass (total-variation distance ≥ 0.1).
/// The closest pair today is power/mystery (violet-based both), at ≈ 0.13.
#[test]
fn the_five_variants_of_a_style_differ_in_hue() {
    for style in Style::ALL {
        let histograms: Vec<_> = Variant::ALL
            .iter()
            .map(|&v| hue_histogram(&render(style, v)))
            .collect();
        for i in 0..histograms.len() {
            for j in i + 1..histograms.len() {
                let d = histogram_distance(&histograms[i], &histograms[j]);
                assert!(
                    d >= 0.1,
                    "{style}: {} and {} have nearly the same hues ({d:.3})",
                    Variant::ALL[i],
                    Variant::ALL[j]
                );
            }
        }
    }
}

#[test]
fn a_custom_palette_recolours_the_logo() {
    let spec = luna_daemon::art::LogoSpec::new(Style::Dashboard, Variant::Serenity, SIZE).unwrap();
    let red = spec
        .clone()
        .with_palette(luna_daemon::art::Palette::parse("#7f1d1d,#dc2626,#f87171,#fecaca").unwrap());
    let own = hue_histogram(&luna_daemon::raster::render_pixmap(&spec).unwrap());
    let recoloured = hue_histogram(&luna_daemon::raster::render_pixmap(&red).unwrap());
    // Reds live in the first and last 20° of the hue circle.
    let red_mass: f64 = recoloured[..2].iter().chain(&recoloured[34..]).sum();
    assert!(red_mass > 0.9, "red palette gave {red_mass:.2} red");
    assert!(histogram_distance(&own, &recoloured) > 0.8);
}
