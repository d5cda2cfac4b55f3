//! Rasters that redraw only what the seed changes.
//!
//! Most of a logo (discs, gradients, rings, networks) is the same for every seed; only its
//! seeded parts (sparkles, craters, dust) move. [`StaticLayers`] keeps the seed-free layers of a
//! logo at one size as pixels; [`StaticLayers::compose`] then draws a logo of any seed by copying
//! the first, drawing the seeded layers over it from their (small) SVG, and laying the later
//! static layers on top. Source-over is associative, so this is the picture resvg draws from
//! the whole SVG, up to 8-bit rounding (bounded in `tests::layers_match_the_whole_drawing`).

use super::{Drawing, RasterError};
use crate::art::{LogoSpec, render_layers, render_seeded_layers};
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
    /// Draws the layers of `spec` that no seed changes, at `size`.
    pub fn draw(spec: &LogoSpec, size: u32) -> Result<StaticLayers, RasterError> {
        let parts = render_layers(&Drawing::canonical(spec))
            .into_iter()
            .map(|layer| match layer.seeded {
                true => Ok(Part::Seeded),
                false => {
                    let pixels = Drawing::parse(&layer.svg)?.pixmap(size)?;
                    let runs = opaque_runs(pixels.data());
                    Ok(Part::Pixels(pixels, runs))
                }
            })
            .collect::<Result<_, RasterError>>()?;
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
        let needs_svg = self.parts.iter().any(|part| matches!(part, Part::Seeded));
        let mut seeded = match needs_svg {
            true => render_seeded_layers(&Drawing::canonical(spec)),
            false => Vec::new(),
        }
        .into_iter();
        let mut canvas: Option<Pixmap> = None;
        for part in &self.parts {
            match (part, canvas.as_mut()) {
                (Part::Pixels(pixels, _), None) => canvas = Some(pixels.clone()),
                (Part::Pixels(pixels, runs), Some(canvas)) => {
                    let (under, over) = (canvas.data_mut(), pixels.data());
                    for run in runs {
                        let bytes = 4 * run.start..4 * (run.start + run.len);
                        source_over(&mut under[bytes.clone()], &over[bytes]);
                    }
                }
                (Part::Seeded, _) => {
                    let svg = seeded
                        .next()
                        .expect("a seed changes only the seeded layers");
                    let canvas = match canvas.as_mut() {
                        Some(canvas) => canvas,
                        None => canvas.insert(
                            Pixmap::new(self.size, self.size)
                                .ok_or(RasterError::Alloc(self.size))?,
                        ),
                    };
                    Drawing::parse(&svg)?.draw_onto(canvas);
                }
            }
        }
        canvas.ok_or(RasterError::Alloc(self.size))
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
                    *u = o + div255(u16::from(*u) * keep);
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

/// `x / 255`, rounded to nearest, for `x ≤ 255 × 255`.
fn div255(x: u16) -> u8 {
    let x = u32::from(x) + 128;
    ((x + (x >> 8)) >> 8) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::art::{Style, Variant, render_layers};

    #[test]
    fn div255_rounds_to_nearest() {
        for x in 0..=255u16 * 255 {
            assert_eq!(u32::from(div255(x)), (u32::from(x) * 2 + 255) / 510, "{x}");
        }
    }

    /// Every seeded style keeps what depends on the seed inside `Canvas::seeded`: the seed-free
    /// layers of two seeds are the same documents.
    #[test]
    fn only_seeded_layers_change_with_the_seed() {
        for style in Style::ALL {
            // The default id prefix comes from the digest, seed included; ids never show.
            let spec = LogoSpec::new(style, Variant::Power, 256)
                .unwrap()
                .with_id_prefix("t")
                .unwrap();
            let one = render_layers(&spec.clone().with_seed(1));
            let two = render_layers(&spec.clone().with_seed(2));
            assert_eq!(one.len(), two.len());
            assert_eq!(
                one.iter().any(|layer| layer.seeded),
                style.info().seeded,
                "{style:?}"
            );
            for (a, b) in one.iter().zip(&two) {
                assert_eq!(a.seeded, b.seeded);
                if !a.seeded {
                    assert_eq!(a.svg, b.svg, "{style:?}: a seed-free layer changed");
                } else {
                    assert_ne!(a.svg, b.svg, "{style:?}: a seeded layer ignores the seed");
                }
            }
        }
    }
}
