//! Coverage: which pixels a shape covers and how much. Discs, rings and round-capped strokes
//! from their distance to the shape; other paths from tiny-skia's scan converter.

use super::colour::{BATCH, Shade, blend_batch, round_small};
use tiny_skia::{Pixmap, Rect};

/// Shades the pixels of a ring (a disc when `inner` is 0) with exact-area anti-aliasing along
/// both edges: a pixel's coverage is its centre's distance inside the edge, plus half a pixel.
pub(super) fn shade_ring(
    pixmap: &mut Pixmap,
    (cx, cy): (f32, f32),
    outer: f32,
    inner: f32,
    shade: &Shade,
) {
    let (width, height) = (pixmap.width() as i64, pixmap.height() as i64);
    let reach = outer + 0.5;
    let hole = inner - 0.5;
    let top = floor(cy - reach).max(0);
    let bottom = ceil(cy + reach).min(height);
    let data = pixmap.data_mut();
    let ring = Ring { cx, outer, inner };
    for y in top..bottom {
        let py = y as f32 + 0.5;
        let dy = py - cy;
        let span2 = reach * reach - dy * dy;
        if span2 <= 0.0 {
            continue;
        }
        let span = span2.sqrt();
        let left = ceil(cx - span - 0.5).max(0);
        let right = floor(cx + span - 0.5).min(width - 1);
        let row = &mut data[(y * width * 4) as usize..((y + 1) * width * 4) as usize];
        // Pixels whose centres lie inside the hole are untouched.
        if hole > 0.0 && hole * hole > dy * dy {
            let half = (hole * hole - dy * dy).sqrt();
            let hole_left = floor(cx - half - 0.5) + 1;
            let hole_right = ceil(cx + half - 0.5) - 1;
            ring.shade_span(row, left..hole_left.min(right + 1), py, dy, shade);
            ring.shade_span(row, (hole_right + 1).max(left)..right + 1, py, dy, shade);
        } else {
            ring.shade_span(row, left..right + 1, py, dy, shade);
        }
    }
}

/// Shades the pixels `coverage` covers within `bounds` grown by `reach` (pixels), and clears
/// the coverage there. `coverage` holds `stride` bytes a pixel, the last one the coverage (a
/// mask, or the alpha of a pixmap).
pub(super) fn shade_covered(
    pixmap: &mut Pixmap,
    coverage: &mut [u8],
    stride: usize,
    bounds: Rect,
    reach: f32,
    shade: &Shade,
) {
    let (width, height) = (pixmap.width() as usize, pixmap.height() as usize);
    // Two more pixels: anti-aliasing and round caps reach just past the grown bounds.
    let grow = reach + 2.0;
    let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
    let (left, right) = (
        clamp(bounds.left() - grow, width),
        clamp(bounds.right() + grow + 1.0, width),
    );
    let (top, bottom) = (
        clamp(bounds.top() - grow, height),
        clamp(bounds.bottom() + grow + 1.0, height),
    );
    let pixels = pixmap.data_mut();
    let n = right.saturating_sub(left);
    for y in top..bottom {
        let covered = &mut coverage[(y * width + left) * stride..(y * width + right) * stride];
        let row = &mut pixels[(y * width + left) * 4..(y * width + right) * 4];
        let mut x = 0;
        while x < n {
            // Most of a stroke's box is empty: skip it eight pixels at a time.
            if stride == 1 {
                while x + 8 <= n && covered[x..x + 8] == [0; 8] {
                    x += 8;
                }
            }
            // The run of covered pixels from here, at most a batch.
            let mut cover = [0u32; BATCH];
            let mut m = 0;
            while x + m < n && m < BATCH {
                let at = (x + m) * stride + stride - 1;
                let c = covered[at];
                if c == 0 {
                    break;
                }
                cover[m] = u32::from(c);
                for byte in &mut covered[at + 1 - stride..=at] {
                    *byte = 0;
                }
                m += 1;
            }
            if m == 0 {
                x += 1;
                continue;
            }
            let x0 = (left + x) as f32 + 0.5;
            let batch = &mut row[x * 4..(x + m) * 4];
            blend_batch(batch, &cover[..m], shade, x0, y as f32 + 0.5, &[]);
            x += m;
        }
    }
}

struct Ring {
    cx: f32,
    outer: f32,
    inner: f32,
}

impl Ring {
    fn shade_span(
        &self,
        row: &mut [u8],
        xs: std::ops::Range<i64>,
        py: f32,
        dy: f32,
        shade: &Shade,
    ) {
        let dy2 = dy * dy;
        let mut x = xs.start;
        while x < xs.end {
            let n = ((xs.end - x) as usize).min(BATCH);
            let first = x as f32 + 0.5 - self.cx;
            let mut distance = [0f32; BATCH];
            for (i, d) in distance[..n].iter_mut().enumerate() {
                let dx = first + i as f32;
                *d = (dx * dx + dy2).sqrt();
            }
            let mut cover = [0u32; BATCH];
            for (c, d) in cover[..n].iter_mut().zip(&distance[..n]) {
                let inside =
                    (self.outer - d + 0.5).clamp(0.0, 1.0) - (self.inner - d + 0.5).clamp(0.0, 1.0);
                *c = round_small(inside * 255.0);
            }
            let pixels = &mut row[x as usize * 4..(x as usize + n) * 4];
            blend_batch(
                pixels,
                &cover[..n],
                shade,
                first + self.cx,
                py,
                &distance[..n],
            );
            x += n as i64;
        }
    }
}

/// One straight piece of a round-capped stroke, from `a` (pixels).
#[derive(Clone, Copy)]
struct Capsule {
    a: (f32, f32),
    /// Unit direction from `a` to the piece's end, and the length.
    u: (f32, f32),
    length: f32,
}

impl Capsule {
    fn new(a: (f32, f32), b: (f32, f32)) -> Capsule {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = (dx * dx + dy * dy).sqrt();
        let u = match length > 0.0 {
            true => (dx / length, dy / length),
            false => (1.0, 0.0),
        };
        Capsule { a, u, length }
    }

    /// The offsets from `a.x` of the row's points within `reach` of the segment: the capsule is
    /// convex, so the union of its band's and its end discs' intervals is one interval.
    fn row_span(&self, py: f32, reach: f32) -> Option<(f32, f32)> {
        let dy = py - self.a.1;
        let (ux, uy) = self.u;
        let mut span: Option<(f32, f32)> = None;
        let mut widen = |lo: f32, hi: f32| {
            if lo <= hi {
                span = Some(span.map_or((lo, hi), |(l, h)| (l.min(lo), h.max(hi))));
            }
        };
        // The end discs.
        for (cx, cy) in [(0.0, dy), (self.length * ux, dy - self.length * uy)] {
            let room = reach * reach - cy * cy;
            if room >= 0.0 {
                let half = room.sqrt();
                widen(cx - half, cx + half);
            }
        }
        // The band: |t·(-uy) + dy·ux| ≤ reach and 0 ≤ t·ux + dy·uy ≤ length, for t = x - ax.
        let mut band = (f32::NEG_INFINITY, f32::INFINITY);
        for (k, m, lo, hi) in [
            (-uy, dy * ux, -reach, reach),
            (ux, dy * uy, 0.0, self.length),
        ] {
            if k.abs() < 1e-6 {
                if m < lo || m > hi {
                    return span;
                }
            } else {
                let (p, q) = ((lo - m) / k, (hi - m) / k);
                band = (band.0.max(p.min(q)), band.1.min(p.max(q)));
            }
        }
        widen(band.0, band.1);
        span
    }

    /// The pixel's centre's distance to the piece.
    #[inline(always)]
    fn distance(&self, x: f32, y: f32) -> f32 {
        let (qx, qy) = (x - self.a.0, y - self.a.1);
        let t = (qx * self.u.0 + qy * self.u.1).clamp(0.0, self.length);
        let (ex, ey) = (qx - t * self.u.0, qy - t * self.u.1);
        (ex * ex + ey * ey).sqrt()
    }

    /// The rows the piece reaches, within `reach`.
    fn rows(&self, reach: f32) -> (f32, f32) {
        let end = self.a.1 + self.u.1 * self.length;
        (self.a.1.min(end) - reach, self.a.1.max(end) + reach)
    }
}

/// A round-capped, round-joined stroke along `points` (pixels), `half` its half width: each
/// pixel is covered by its depth inside the nearest piece, so pieces never blend twice where
/// they meet.
pub(super) struct Polyline {
    pieces: Vec<Capsule>,
    half: f32,
}

impl Polyline {
    pub(super) fn new(points: &[(f32, f32)], half: f32) -> Polyline {
        let pieces = points
            .windows(2)
            .map(|w| Capsule::new(w[0], w[1]))
            .collect();
        Polyline { pieces, half }
    }

    /// The stroke cut into dashes: `pattern` alternates lengths drawn and skipped (pixels),
    /// from the first point on, as SVG's `stroke-dasharray` with no offset. Each dash keeps
    /// its round caps; dashes never overlap, so shading the pieces as one stroke is the same.
    pub(super) fn dashed(points: &[(f32, f32)], half: f32, pattern: &[f32]) -> Polyline {
        let period: f32 = pattern.iter().sum();
        if period <= 0.0 || pattern.iter().any(|&length| length < 0.0) {
            return Polyline::new(points, half);
        }
        // An odd list is repeated to make an even one, as SVG says.
        let pattern = match pattern.len() % 2 {
            1 => pattern.repeat(2),
            _ => pattern.to_vec(),
        };
        let mut pieces = Vec::new();
        // Even phases are dashes, odd ones gaps; `end` is where the current one ends along
        // the stroke, `walked` where the current segment starts.
        let (mut phase, mut end, mut walked) = (0usize, pattern[0], 0.0f32);
        for w in points.windows(2) {
            let segment = Capsule::new(w[0], w[1]);
            let at = |t: f32| (w[0].0 + segment.u.0 * t, w[0].1 + segment.u.1 * t);
            let mut from = 0.0f32;
            loop {
                let to = (end - walked).min(segment.length);
                if phase % 2 == 0 && to > from {
                    pieces.push(Capsule::new(at(from), at(to)));
                }
                if end - walked > segment.length {
                    break;
                }
                from = to;
                phase = (phase + 1) % pattern.len();
                end += pattern[phase];
            }
            walked += segment.length;
        }
        Polyline { pieces, half }
    }

    pub(super) fn shade(&self, pixmap: &mut Pixmap, shade: &Shade) {
        let (width, height) = (pixmap.width() as i64, pixmap.height() as i64);
        let reach = self.half + 0.5;
        let (top, bottom) = self
            .pieces
            .iter()
            .map(|piece| piece.rows(reach))
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(t, b), (lo, hi)| {
                (t.min(lo), b.max(hi))
            });
        let top = floor(top).max(0);
        let bottom = ceil(bottom).min(height);
        let data = pixmap.data_mut();
        // The pieces by the first row they reach; those reaching the current row are `active`.
        let mut by_top: Vec<(f32, f32, usize)> = (self.pieces.iter().enumerate())
            .map(|(index, piece)| {
                let (lo, hi) = piece.rows(reach);
                (lo, hi, index)
            })
            .collect();
        by_top.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let (mut next, mut active) = (0, Vec::new());
        // The pieces this row meets, with their spans of pixels, sorted by their left end.
        let mut spans: Vec<(i64, i64, usize)> = Vec::with_capacity(self.pieces.len());
        let mut distance: Vec<f32> = Vec::new();
        for y in top..bottom {
            let py = y as f32 + 0.5;
            while next < by_top.len() && by_top[next].0 <= py {
                active.push(by_top[next]);
                next += 1;
            }
            active.retain(|&(_, hi, _)| hi >= py);
            spans.clear();
            for &(_, _, index) in &active {
                let piece = &self.pieces[index];
                if let Some((lo, hi)) = piece.row_span(py, reach) {
                    let left = ceil(piece.a.0 + lo - 0.5).max(0);
                    let right = floor(piece.a.0 + hi - 0.5).min(width - 1);
                    if left <= right {
                        spans.push((left, right, index));
                    }
                }
            }
            spans.sort_unstable();
            let row = &mut data[(y * width * 4) as usize..((y + 1) * width * 4) as usize];
            // Overlapping spans make one run, shaded once, each pixel by its nearest piece.
            let mut first = 0;
            while first < spans.len() {
                let (left, mut right) = (spans[first].0, spans[first].1);
                let mut last = first + 1;
                while last < spans.len() && spans[last].0 <= right + 1 {
                    right = right.max(spans[last].1);
                    last += 1;
                }
                distance.clear();
                distance.resize((right - left + 1) as usize, f32::INFINITY);
                for &(from, to, index) in &spans[first..last] {
                    let piece = &self.pieces[index];
                    for x in from..=to {
                        let d = piece.distance(x as f32 + 0.5, py);
                        let nearest = &mut distance[(x - left) as usize];
                        *nearest = nearest.min(d);
                    }
                }
                self.shade_run(row, left, &distance, py, shade);
                first = last;
            }
        }
    }

    /// Shades the pixels from `left` on, at their distances to the stroke's centre line.
    fn shade_run(&self, row: &mut [u8], left: i64, distance: &[f32], py: f32, shade: &Shade) {
        for (k, batch) in distance.chunks(BATCH).enumerate() {
            let x = left as usize + k * BATCH;
            let mut cover = [0u32; BATCH];
            for (c, d) in cover.iter_mut().zip(batch) {
                *c = round_small((self.half - d + 0.5).clamp(0.0, 1.0) * 255.0);
            }
            let pixels = &mut row[x * 4..(x + batch.len()) * 4];
            blend_batch(
                pixels,
                &cover[..batch.len()],
                shade,
                x as f32 + 0.5,
                py,
                &[],
            );
        }
    }
}

/// `x` rounded up, without a libm call (baseline x86-64 has no rounding instruction).
#[inline(always)]
fn ceil(x: f32) -> i64 {
    let t = x as i64;
    if (t as f32) < x { t + 1 } else { t }
}

/// `x` rounded down, without a libm call.
#[inline(always)]
fn floor(x: f32) -> i64 {
    let t = x as i64;
    if (t as f32) > x { t - 1 } else { t }
}
