#![allow(dead_code)] // each test binary uses its own subset of these helpers
//! Pixel measurements shared by the art tests.

use luna_daemon::art::{LogoSpec, Style, Variant};
use luna_daemon::raster::render_pixmap;
use tiny_skia::Pixmap;

pub const SIZE: u32 = 256;

pub fn render(style: Style, variant: Variant) -> Pixmap {
    render_seeded(style, variant, luna_daemon::art::DEFAULT_SEED)
}

pub fn render_seeded(style: Style, variant: Variant, seed: u64) -> Pixmap {
    let spec = LogoSpec::new(style, variant, SIZE).unwrap().with_seed(seed);
    render_pixmap(&spec).unwrap()
}

/// Alpha-weighted centroid in pixels.
pub fn centroid(p: &Pixmap) -> (f64, f64) {
    let (mut sx, mut sy, mut total) = (0.0, 0.0, 0.0);
    for (i, px) in p.pixels().iter().enumerate() {
        let a = f64::from(px.alpha());
        let (x, y) = (
            (i as u32 % p.width()) as f64 + 0.5,
            (i as u32 / p.width()) as f64 + 0.5,
        );
        sx += a * x;
        sy += a * y;
        total += a;
    }
    (sx / total, sy / total)
}

/// Fraction of pixels at least 10% opaque: what a viewer perceives as drawn.
pub fn coverage(p: &Pixmap) -> f64 {
    let drawn = p.pixels().iter().filter(|px| px.alpha() >= 26).count();
    drawn as f64 / p.pixels().len() as f64
}

/// Mean absolute difference over all premultiplied RGBA channels, in 0..=1.
pub fn difference(a: &Pixmap, b: &Pixmap) -> f64 {
    let sum: u64 = a
        .data()
        .iter()
        .zip(b.data())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / (a.data().len() as f64 * 255.0)
}

/// A 36-bin hue histogram (10° bins) weighted by alpha × saturation, normalised to sum 1.
pub fn hue_histogram(p: &Pixmap) -> [f64; 36] {
    let mut bins = [0.0; 36];
    for px in p.pixels() {
        let c = px.demultiply();
        let (r, g, b) = (
            f64::from(c.red()) / 255.0,
            f64::from(c.green()) / 255.0,
            f64::from(c.blue()) / 255.0,
        );
        let max = r.max(g).max(b);
        let min = r.min(g).min(b);
        let chroma = max - min;
        if chroma < 1e-6 {
            continue;
        }
        let hue = if max == r {
            60.0 * (((g - b) / chroma).rem_euclid(6.0))
        } else if max == g {
            60.0 * ((b - r) / chroma + 2.0)
        } else {
            60.0 * ((r - g) / chroma + 4.0)
        };
        let weight = f64::from(c.alpha()) / 255.0 * chroma;
        bins[((hue / 10.0) as usize).min(35)] += weight;
    }
    let total: f64 = bins.iter().sum();
    if total > 0.0 {
        bins.iter_mut().for_each(|b| *b /= total);
    }
    bins
}

/// Total-variation distance between two normalised histograms, in 0..=1.
pub fn histogram_distance(a: &[f64; 36], b: &[f64; 36]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / 2.0
}
