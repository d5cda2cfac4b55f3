//! Art engine and raster benchmarks: `cargo bench --bench art`.
//!
//! Targets on a 2-core machine (issue 3): SVG ≤ 50 µs per style at 200 px; PNG 256 px ≤ 10 ms.
//! Results are recorded in `docs/PERFORMANCE.md`.

use luna_daemon::art::{LogoSpec, Style, Variant, render_svg};
use luna_daemon::raster::{favicon_set, ico, png};

fn main() {
    divan::main();
}

const STYLES: [Style; 8] = Style::ALL;

fn spec(style: Style, size: u32) -> LogoSpec {
    LogoSpec::new(style, Variant::Serenity, size).unwrap()
}

#[divan::bench(args = STYLES)]
fn svg_200(bencher: divan::Bencher, style: Style) {
    let spec = spec(style, 200);
    bencher.bench(|| render_svg(divan::black_box(&spec)));
}

#[divan::bench(args = STYLES, sample_count = 30)]
fn png_64(bencher: divan::Bencher, style: Style) {
    let spec = spec(style, 64);
    bencher.bench(|| png(divan::black_box(&spec)).unwrap());
}

#[divan::bench(args = STYLES, sample_count = 30)]
fn png_256(bencher: divan::Bencher, style: Style) {
    let spec = spec(style, 256);
    bencher.bench(|| png(divan::black_box(&spec)).unwrap());
}

#[divan::bench(args = STYLES, sample_count = 20)]
fn png_512(bencher: divan::Bencher, style: Style) {
    let spec = spec(style, 512);
    bencher.bench(|| png(divan::black_box(&spec)).unwrap());
}

#[divan::bench(sample_count = 30)]
fn ico_16_32_48(bencher: divan::Bencher) {
    let spec = spec(Style::Simple, 200);
    bencher.bench(|| ico(divan::black_box(&spec)).unwrap());
}

#[divan::bench(sample_count = 10)]
fn favicon_set_5_sizes(bencher: divan::Bencher) {
    let spec = spec(Style::Simple, 200);
    bencher.bench(|| favicon_set(divan::black_box(&spec)).unwrap());
}
