//! Rasters that redraw only what the seed changes.
//!
//! Most of a logo (discs, gradients, rings, networks) is the same for every seed; only its
//! seeded parts (sparkles, craters, dust) move. [`StaticLayers`] keeps the seed-free layers of a
//! logo at one size as pixels; [`StaticLayers::compose`] then draws a logo of any seed by copying
//! the first, painting only the seeded parts over it, and laying the later static layers on
//! top. Source-over is associative, so this is the whole picture, up to 8-bit rounding (bounded
//! in `tests/raster_fidelity.rs`).

use super::painter::{Painter, Parts, div255};
use super::{Drawing, RasterError};
use crate::art::xml::Mark;
use crate::art::{LogoSpec, draw};
use tiny_skia::Pixmap;

/// The seed-free layers of a logo at one size.
pub struct StaticLayers {
    size: u32,
    parts: Vec<Part>,
}

enum Part {
    /// A static layer's pixels, and the runs of them that are not transparent.
    Pixels(Pixmap, Vec<Run>),
    Seeded,
}

/// `len` pixels from pixel `start` on (in the pixmap's row-major order).
struct Run {
    start: usize,
    len: usize,
}

impl StaticLayers {
    /// Draws the layers of `spec` that no seed changes, at `size`: the drawing cut where its
    /// seeded parts begin and end.
    pub fn draw(spec: &LogoSpec, size: u32) -> Result<StaticLayers, RasterError> {
        let blank = || Pixmap::new(size, size).ok_or(RasterError::Alloc(size));
        let mut parts = Vec::new();
        let mut painter =
            Painter::new(blank()?, spec.palette(), Parts::SeedFree, |mark, pixels| {
                if mark == Mark::SeededStart {
                    let next = Pixmap::new(size, size).expect("the size of a pixmap that exists");
                    parts.push(Part::of(std::mem::replace(pixels, next)));
                    parts.push(Part::Seeded);
                }
            });
        draw(&Drawing::canonical(spec), &mut painter);
        let last = painter.finish();
        parts.push(Part::of(last));
        Ok(StaticLayers { size, parts })
    }

    /// What identifies these layers: what `spec` shows in pixels but its seed, at `size`.
    pub fn key(spec: &LogoSpec, size: u32) -> [u8; 32] {
        let seed_free = spec.raster_identity().with_seed(0).digest();
        let mut key = blake3::Hasher::new();
        key.update(seed_free.as_bytes());
        key.update(&size.to_le_bytes());
        *key.finalize().as_bytes()
    }

    /// Bytes held.
    pub fn weight(&self) -> u64 {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Pixels(pixmap, runs) => {
                    (pixmap.data().len() + runs.len() * size_of::<Run>()) as u64
                }
                Part::Seeded => 0,
            })
            .sum::<u64>()
            + 64
    }

    /// `spec`'s logo (whose seed-free layers these are) at this size.
    pub fn compose(&self, spec: &LogoSpec) -> Result<Pixmap, RasterError> {
        let mut parts = self.parts.iter();
        let canvas = match parts.next() {
            Some(Part::Pixels(first, _)) => first.clone(),
            _ => Pixmap::new(self.size, self.size).ok_or(RasterError::Alloc(self.size))?,
        };
        if parts.len() == 0 {
            return Ok(canvas);
        }
        // Each seeded part ends where the next static layer is laid on.
        let mut painter = Painter::new(canvas, spec.palette(), Parts::Seeded, |mark, canvas| {
            if mark != Mark::SeededEnd {
                return;
            }
            parts.next(); // the seeded part itself
            if let Some(Part::Pixels(pixels, runs)) = parts.next() {
                let (under, over) = (canvas.data_mut(), pixels.data());
                for run in runs {
                    let bytes = 4 * run.start..4 * (run.start + run.len);
                    source_over(&mut under[bytes.clone()], &over[bytes]);
                }
            }
        });
        draw(&Drawing::canonical(spec), &mut painter);
        Ok(painter.finish())
    }
}

impl Part {
    fn of(pixels: Pixmap) -> Part {
        let runs = opaque_runs(pixels.data());
        Part::Pixels(pixels, runs)
    }
}

/// Lays premultiplied RGBA `over` onto `under`, pixel by pixel. A later static layer is mostly
/// transparent (orbs, rays, a glyph), and skipping its empty pixels makes this several times
/// cheaper than tiny-skia's general pattern pipeline; the rounding is exact division by 255.
fn source_over(under: &mut [u8], over: &[u8]) {
    for (under, over) in under.chunks_exact_mut(4).zip(over.chunks_exact(4)) {
        match over[3] {
            0 => {}
            255 => under.copy_from_slice(over),
            alpha => {
                let keep = 255 - u16::from(alpha);
                for (u, o) in under.iter_mut().zip(over) {
                    // Premultiplied: o ≤ alpha, so the sum stays within 255.
                    *u = o + div255(u16::from(*u) * keep) as u8;
                }
            }
        }
    }
}

/// The runs of pixels that are not fully transparent. A later static layer (rays, orbs, a
/// glyph) covers a small part of the logo; laying on only these runs skips the rest.
fn opaque_runs(rgba: &[u8]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (i, pixel) in rgba.chunks_exact(4).enumerate() {
        if pixel[3] == 0 {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.start + run.len == i => run.len += 1,
            _ => runs.push(Run { start: i, len: 1 }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::art::{Style, Variant};

    #[test]
    fn div255_rounds_to_nearest() {
        for x in 0..=255u16 * 255 {
            assert_eq!(u32::from(div255(x)), (u32::from(x) * 2 + 255) / 510, "{x}");
        }
    }

    /// Every seeded style keeps what depends on the seed inside `Surface::seeded`: the
    /// seed-free layers of two seeds are the same pixels.
    #[test]
    fn only_seeded_parts_change_with_the_seed() {
        for style in Style::ALL {
            let spec = LogoSpec::new(style, Variant::Power, 128).unwrap();
            let one = StaticLayers::draw(&spec.clone().with_seed(1), 128).unwrap();
            let two = StaticLayers::draw(&spec.clone().with_seed(2), 128).unwrap();
            assert_eq!(one.parts.len(), two.parts.len());
            let seeded = one.parts.iter().any(|part| matches!(part, Part::Seeded));
            assert_eq!(seeded, style.info().seeded, "{style:?}");
            for (a, b) in one.parts.iter().zip(&two.parts) {
                if let (Part::Pixels(a, _), Part::Pixels(b, _)) = (a, b) {
                    assert!(a == b, "{style:?}: a seed-free layer changed with the seed");
                }
            }
            if seeded {
                let composed = |seed| one.compose(&spec.clone().with_seed(seed)).unwrap();
                assert!(
                    composed(1) != composed(2),
                    "{style:?}: the seed changes nothing"
                );
            }
        }
    }
}
