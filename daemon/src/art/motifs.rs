//! Motifs several styles share: the Λ glyph, soft glows and rings made of gradients.
//!
//! Glows are radial gradients rather than blur filters: they look the same and cost a fraction of
//! the raster time (see `docs/DECISIONS.md`).

use super::canvas::{Anim, C, Ink, Look, Radial, Surface, WHITE_RGB, mix};

/// The Λ chevron: arms up, tip down, notch `notch` above the tip, centred on (C, `cy`).
pub fn lambda(half_width: f64, height: f64, notch: f64, cy: f64) -> [(f64, f64); 4] {
    let top = cy - height / 2.0;
    let tip = cy + height / 2.0;
    [
        (C - half_width, top),
        (C, tip - notch),
        (C + half_width, top),
        (C, tip),
    ]
}

/// Defines a glow gradient: `ink` at full `opacity` out to `inner` (fraction of the radius),
/// then fading smoothly to nothing at the edge.
pub fn glow_def<S: Surface>(cv: &mut S, name: &'static str, ink: Ink, inner: f64, opacity: f64) {
    let knee = inner + (1.0 - inner) * 0.35;
    cv.radial(
        name,
        Radial::CENTRED,
        &[
            (0.0, ink, opacity),
            (inner, ink, opacity),
            (knee, ink, opacity * 0.4),
            (1.0, ink, 0.0),
        ],
    );
}

/// Defines the glow around a disc of radius `inner`: `ink` at full `opacity` at the disc's edge,
/// fading to nothing at `outer`. Paint it with [`aura`] beneath an opaque disc.
pub fn aura_def<S: Surface>(
    cv: &mut S,
    name: &'static str,
    ink: Ink,
    inner: f64,
    outer: f64,
    opacity: f64,
) {
    let knee = inner + (outer - inner) * 0.35;
    cv.radial(
        name,
        Radial::Space { r: outer },
        &[
            ((inner - AURA_OVERLAP) / outer, ink, opacity),
            (knee / outer, ink, opacity * 0.4),
            (1.0, ink, 0.0),
        ],
    );
}

/// How far an aura reaches under its disc, so no seam shows at the disc's anti-aliased edge.
const AURA_OVERLAP: f64 = 2.0;

/// Paints an aura defined by [`aura_def`] as a ring: what the disc covers is never rasterised.
pub fn aura<S: Surface>(cv: &mut S, name: &'static str, inner: f64, outer: f64, opacity: f64) {
    let from = inner - AURA_OVERLAP;
    cv.circle(
        (C, C),
        (from + outer) / 2.0,
        &Look::stroke(Ink::Url(name), outer - from).opacity(opacity),
        &[],
    );
}

/// Defines a soft ring of `ink` at radius `r`, `spread` wide on each side, peaking at `opacity`.
/// Paint it with [`soft_ring`].
pub fn soft_ring_def<S: Surface>(
    cv: &mut S,
    name: &'static str,
    ink: Ink,
    r: f64,
    spread: f64,
    opacity: f64,
) {
    let outer = r + spread;
    cv.radial(
        name,
        Radial::Space { r: outer },
        &[
            ((r - spread) / outer, ink, 0.0),
            ((r - spread * 0.4) / outer, ink, opacity * 0.45),
            (r / outer, ink, opacity),
            ((r + spread * 0.4) / outer, ink, opacity * 0.45),
            (1.0, ink, 0.0),
        ],
    );
}

/// Paints a ring defined by [`soft_ring_def`].
pub fn soft_ring<S: Surface>(
    cv: &mut S,
    name: &'static str,
    r: f64,
    spread: f64,
    opacity: f64,
    anims: &[Anim],
) {
    // A stroke, not a filled disc: only the ring's pixels are shaded.
    cv.circle(
        (C, C),
        r,
        &Look::stroke(Ink::Url(name), 2.0 * spread).opacity(opacity),
        anims,
    );
}

/// A ring with its soft glow, both breathing with the same opacity animation.
pub fn glowing_ring<S: Surface>(
    cv: &mut S,
    glow_name: &'static str,
    spread: f64,
    ring: &Look,
    r: f64,
    breathing: Anim,
) {
    soft_ring(cv, glow_name, r, spread, ring.opacity, &[breathing]);
    cv.circle((C, C), r, ring, &[breathing]);
}

/// The glow colour lifted towards white: stays visible on dark palettes (mystery's glow is
/// nearly as dark as its primary).
pub fn light_glow<S: Surface>(cv: &S, amount: f64) -> Ink {
    Ink::Fixed(mix(cv.palette().glow, WHITE_RGB, amount))
}
