//! Colours: gradient tables, how a pixel finds its place in one, and blending.

use super::Gradient;
use crate::art::Rgb;

/// Pixels shaded per batch: the distance and coverage loops over a batch vectorise.
pub(super) const BATCH: usize = 64;

/// Entries in a gradient's colour table: enough that neighbours differ by under one level at
/// the largest size.
pub(super) const TABLE: usize = 1024;
pub(super) type Table = [[u8; 4]; TABLE];

/// Where a gradient's table is read for a pixel, in pixel units.
#[derive(Clone, Copy)]
pub(super) enum Ramp {
    /// Distance from the disc's own centre over the radius.
    Centred { inv_r: f32 },
    /// Distance from the centre over the radius.
    Radial { cx: f32, cy: f32, inv_r: f32 },
    /// SVG's focal radial gradient: the focus `f` inside the circle of centre `f + d`, radius `r`;
    /// `a` is `r² - |d|²`.
    Focal {
        fx: f32,
        fy: f32,
        dx: f32,
        dy: f32,
        a: f32,
    },
    /// Projection onto `from → to`, over its squared length.
    Linear { x0: f32, y0: f32, vx: f32, vy: f32 },
}

/// What a shape is shaded with.
pub(super) enum Shade<'t> {
    Solid([u8; 4]),
    Ramp(&'t Table, Ramp),
}

/// A [`Shade`] whose table is `Painter::tables[.0]`.
pub(super) enum ShadeAt {
    Solid([u8; 4]),
    Ramp(usize, Ramp),
}

impl ShadeAt {
    /// The shade, its table looked up in the painter's `tables`.
    pub(super) fn with(self, tables: &[(usize, u8, Box<Table>)]) -> Shade<'_> {
        match self {
            ShadeAt::Solid(colour) => Shade::Solid(colour),
            ShadeAt::Ramp(at, ramp) => Shade::Ramp(&tables[at].2, ramp),
        }
    }
}

/// Where in `tables` the colour table of `gradients[index]` painted at `alpha` is, made once
/// (premultiplied, as tiny-skia interpolates: straight colours between stops, then premultiplied).
pub(super) fn table(
    tables: &mut Vec<(usize, u8, Box<Table>)>,
    gradients: &[Gradient],
    index: usize,
    alpha: u8,
) -> usize {
    match tables
        .iter()
        .position(|(i, a, _)| *i == index && *a == alpha)
    {
        Some(at) => at,
        None => {
            let stops = stop_colours(&gradients[index].stops, alpha);
            let mut table = Box::new([[0u8; 4]; TABLE]);
            // Entries in order, so the stop after each is found by walking forward.
            let mut next = 0;
            for (i, entry) in table.iter_mut().enumerate() {
                let t = i as f32 / (TABLE - 1) as f32;
                while next < stops.len() && stops[next].0 <= t {
                    next += 1;
                }
                *entry = colour_at(&stops, next, t);
            }
            tables.push((index, alpha, table));
            tables.len() - 1
        }
    }
}

/// A 0–1 value as 0–255, rounded (as usvg's opacities are).
pub(super) fn unit_to_u8(value: f32) -> u8 {
    (value.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

pub(super) fn premultiply([r, g, b, a]: [u8; 4]) -> [u8; 4] {
    let times = |c: u8| div255(u16::from(c) * u16::from(a)) as u8;
    [times(r), times(g), times(b), a]
}

/// Stops as straight RGBA in 0–1, their alphas quantised as resvg does (stop opacity × paint
/// opacity, to 8 bits).
fn stop_colours(stops: &[(f32, Rgb, f32)], alpha: u8) -> Vec<(f32, [f32; 4])> {
    stops
        .iter()
        .map(|&(offset, rgb, opacity)| {
            let a = unit_to_u8(opacity * f32::from(alpha) / 255.0);
            let unit = |c: u8| f32::from(c) / 255.0;
            (offset, [unit(rgb.r), unit(rgb.g), unit(rgb.b), unit(a)])
        })
        .collect()
}

/// The premultiplied colour at `t`, padded beyond the first and last stops; `next` is the
/// first stop after `t`.
fn colour_at(stops: &[(f32, [f32; 4])], next: usize, t: f32) -> [u8; 4] {
    let straight = match (stops, next) {
        ([], _) => [0.0; 4],
        (_, 0) => stops[0].1,
        (_, next) if next == stops.len() => stops[next - 1].1,
        (_, next) => {
            let ((o0, c0), (o1, c1)) = (stops[next - 1], stops[next]);
            let f = (t - o0) / (o1 - o0);
            std::array::from_fn(|k| c0[k] + (c1[k] - c0[k]) * f)
        }
    };
    let a = straight[3];
    let channel = |c: f32| round_small(c * 255.0) as u8;
    [
        channel(straight[0] * a),
        channel(straight[1] * a),
        channel(straight[2] * a),
        channel(a),
    ]
}

/// Lays `shade` over a batch of `pixels` at coverages `cover`; the first pixel's centre is
/// (`x0`, `py`), and `distance` holds the pixels' distances to a disc's centre (for
/// [`Ramp::Centred`]), or nothing.
pub(super) fn blend_batch(
    pixels: &mut [u8],
    cover: &[u32],
    shade: &Shade,
    x0: f32,
    py: f32,
    distance: &[f32],
) {
    let n = cover.len();
    let mut source = [[0u8; 4]; BATCH];
    match shade {
        Shade::Solid(colour) => source[..n].fill(*colour),
        Shade::Ramp(table, ramp) => {
            let mut index = [0u32; BATCH];
            ramp.indices(&mut index[..n], x0, py, distance);
            for (s, &i) in source[..n].iter_mut().zip(&index[..n]) {
                *s = table[i as usize];
            }
        }
    }
    over(pixels, &source[..n], cover);
}

/// Lays premultiplied `source` colours, each at its coverage (0–255), over `pixels`. Written
/// without branches in 16-bit lanes, so that it vectorises.
fn over(pixels: &mut [u8], source: &[[u8; 4]], cover: &[u32]) {
    for ((pixel, s), &c) in pixels.chunks_exact_mut(4).zip(source).zip(cover) {
        let c = c as u16;
        let s = s.map(|channel| div255(u16::from(channel) * c));
        let keep = 255 - s[3];
        for (d, s) in pixel.iter_mut().zip(s) {
            *d = (s + div255(u16::from(*d) * keep)) as u8;
        }
    }
}

/// `x / 255`, rounded to nearest, for `x ≤ 255 × 255`, in 16 bits (so that loops of it
/// vectorise). The one division by 255 of every blend in `raster`.
#[inline(always)]
pub(in crate::raster) fn div255(x: u16) -> u16 {
    let x = x + 128;
    (x + (x >> 8)) >> 8
}

impl Ramp {
    /// Table indices for a batch of pixels from centre `x0` on, one apart, in row `py`;
    /// `distance` holds their distances to the disc's centre.
    pub(super) fn indices(self, index: &mut [u32], x0: f32, py: f32, distance: &[f32]) {
        const LAST: f32 = (TABLE - 1) as f32;
        let at = |t: f32| round_small(t.clamp(0.0, 1.0) * LAST);
        match self {
            Ramp::Centred { inv_r } => {
                for (i, d) in index.iter_mut().zip(distance) {
                    *i = at(d * inv_r);
                }
            }
            Ramp::Radial { cx, cy, inv_r } => {
                let dy2 = (py - cy) * (py - cy);
                for (k, i) in index.iter_mut().enumerate() {
                    let dx = x0 + k as f32 - cx;
                    *i = at((dx * dx + dy2).sqrt() * inv_r);
                }
            }
            Ramp::Focal { fx, fy, dx, dy, a } => {
                let (qy, inv_a) = (py - fy, 1.0 / a);
                for (k, i) in index.iter_mut().enumerate() {
                    let qx = x0 + k as f32 - fx;
                    let b = qx * dx + qy * dy;
                    *i = at((-b + (b * b + a * (qx * qx + qy * qy)).max(0.0).sqrt()) * inv_a);
                }
            }
            Ramp::Linear { x0: lx, y0, vx, vy } => {
                let along_y = (py - y0) * vy;
                for (k, i) in index.iter_mut().enumerate() {
                    *i = at((x0 + k as f32 - lx) * vx + along_y);
                }
            }
        }
    }
}

/// `x` rounded to the nearest integer, for `0 ≤ x < 2²²`: adding 1.5 × 2²³ leaves the integer in
/// the mantissa. Branch-free, unlike `as`, which saturates (and so stops the loops vectorising).
#[inline(always)]
pub(super) fn round_small(x: f32) -> u32 {
    (x + 12_582_912.0).to_bits() & 0x3f_ffff
}
