//! Art engine and raster benchmarks: `cargo bench --bench art`.
//!
//! Targets on a 2-core machine: SVG ≤ 50 µs per style at 200 px (issue 3); a 256 px PNG ≤ 1.5 ms
//! (`png_256`, the whole logo), ≤ 0.5 ms at 32 px (issue 16, `png_new_seed::at_32`).
//! Results are recorded in `docs/PERFORMANCE.md`.

use luna_daemon::art::{LogoSpec, Style, Variant, render_svg};
use luna_daemon::raster::{favicon_set, ico, png};

fn main() {
    luna_daemon::memory::tune_allocator();
    // A running lunad has drawn before: one PNG first, so the first benchmark does not also pay
    // for the process's first raster (the heap's growth, the PNG tables built once).
    png(&spec(Style::Simple, 512)).expect("a PNG");
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

/// Where a 256 px PNG's time goes (issue 16): painting the static pose, and encoding the pixels.
mod split_256 {
    use super::{STYLES, spec};
    use luna_daemon::art::Style;
    use luna_daemon::raster::{Drawing, encode_png};

    #[divan::bench(args = STYLES, sample_count = 30)]
    fn paint(bencher: divan::Bencher, style: Style) {
        let drawing = Drawing::of(&spec(style, 256));
        bencher.bench(|| drawing.pixmap(divan::black_box(256)).unwrap());
    }

    #[divan::bench(args = STYLES, sample_count = 30)]
    fn encode(bencher: divan::Bencher, style: Style) {
        let pixmap = Drawing::of(&spec(style, 256)).pixmap(256).unwrap();
        bencher
            .with_inputs(|| pixmap.clone())
            .bench_local_values(|pixmap| encode_png(divan::black_box(pixmap)).unwrap());
    }
}

/// What lunad does for a logo it has drawn before at this size, with a new seed: the seed-free
/// layers are cached pixels, and only the seeded parts are drawn (a new seed every iteration).
mod png_new_seed {
    use super::{STYLES, spec};
    use luna_daemon::art::Style;
    use luna_daemon::raster::{StaticLayers, encode_png};

    fn bench(bencher: divan::Bencher, style: Style, size: u32) {
        let first = spec(style, size);
        let layers = StaticLayers::draw(&first, size).unwrap();
        let mut seed = 0u64;
        bencher.bench_local(|| {
            seed += 1;
            let spec = first.clone().with_seed(seed);
            encode_png(layers.compose(divan::black_box(&spec)).unwrap()).unwrap()
        });
    }

    /// The composing alone, without the encoding.
    #[divan::bench(args = STYLES, sample_count = 50)]
    fn compose_256(bencher: divan::Bencher, style: Style) {
        let first = spec(style, 256);
        let layers = StaticLayers::draw(&first, 256).unwrap();
        let mut seed = 0u64;
        bencher.bench_local(|| {
            seed += 1;
            layers
                .compose(divan::black_box(&first.clone().with_seed(seed)))
                .unwrap()
        });
    }

    /// What lunad's first PNG of a logo at a size costs: its seed-free layers drawn (then kept
    /// for the next seeds), composed and encoded.
    #[divan::bench(args = STYLES, sample_count = 30)]
    fn first_256(bencher: divan::Bencher, style: Style) {
        let spec = spec(style, 256);
        bencher.bench_local(|| {
            let layers = StaticLayers::draw(divan::black_box(&spec), 256).unwrap();
            encode_png(layers.compose(&spec).unwrap()).unwrap()
        });
    }

    #[divan::bench(args = STYLES, sample_count = 50)]
    fn at_32(bencher: divan::Bencher, style: Style) {
        bench(bencher, style, 32);
    }

    #[divan::bench(args = STYLES, sample_count = 50)]
    fn at_256(bencher: divan::Bencher, style: Style) {
        bench(bencher, style, 256);
    }
}
