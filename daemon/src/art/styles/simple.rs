//! `simple`: the clean mark. A lit disc, a breathing halo and a bold Λ; legible at 16 px, and the
//! default favicon design (the original's favicon was a primary disc with a glow Λ).

use crate::art::canvas::{Anim, C, Ink, Look, Radial, Surface};
use crate::art::motifs::{aura, aura_def, lambda, light_glow, soft_ring, soft_ring_def};

pub fn draw<S: Surface>(cv: &mut S, glow: f64) {
    let light = light_glow(cv, 0.55);
    cv.defs();
    aura_def(cv, "aura", Ink::Glow, 70.0, 96.0, 0.5);
    soft_ring_def(cv, "halo", Ink::Glow, 86.0, 8.0, 0.9);
    cv.radial(
        "disc",
        Radial::Box {
            c: 0.5,
            r: 0.6,
            focus: 0.36,
        },
        &[
            (0.0, Ink::Secondary, 1.0),
            (0.55, Ink::Primary, 1.0),
            (1.0, Ink::Primary, 1.0),
        ],
    );
    cv.linear(
        "mark",
        (C, 70.0),
        (C, 130.0),
        &[(0.0, light, 1.0), (1.0, Ink::Glow, 1.0)],
    );
    cv.end();

    aura(cv, "aura", 70.0, 96.0, glow);
    soft_ring(cv, "halo", 86.0, 8.0, 1.0, &[Anim::opacity(1.0, 0.45, 4.0)]);
    cv.circle((C, C), 70.0, &Look::fill(Ink::Url("disc")), &[]);
    cv.circle(
        (C, C),
        70.0,
        &Look::stroke(Ink::Glow, 2.5).opacity(0.85),
        &[],
    );
    cv.polygon(
        &lambda(30.0, 56.0, 20.0, C),
        &Look::fill(Ink::Url("mark")),
        &[Anim::opacity(1.0, 0.8, 2.0)],
    );
}
