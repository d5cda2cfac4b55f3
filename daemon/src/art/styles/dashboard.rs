//! `dashboard` (drawing C): a flat badge for interfaces, readable when small. A gradient disc in a
//! thin breathing ring, a grid-like network hash, a small gradient core and eight straight rays.
//! No Λ, as in the original.

use crate::art::canvas::{Anim, C, Ink, Look, Radial, Surface, polar};
use crate::art::motifs::{aura, aura_def};

const A: f64 = 66.0; // S//3
const Q: f64 = 50.0; // S//4

pub fn draw<S: Surface>(cv: &mut S, glow: f64) {
    cv.defs();
    cv.radial(
        "main",
        Radial::CENTRED,
        &[
            (0.0, Ink::Primary, 1.0),
            (0.6, Ink::Secondary, 1.0),
            (1.0, Ink::Primary, 1.0),
        ],
    );
    cv.radial(
        "core",
        Radial::CENTRED,
        &[
            (0.0, Ink::Primary, 1.0),
            (0.7, Ink::Accent, 0.8),
            (1.0, Ink::Glow, 0.6),
        ],
    );
    aura_def(cv, "aura", Ink::Glow, 80.0, 94.0, 0.6);
    cv.end();

    aura(cv, "aura", 80.0, 94.0, glow);
    cv.circle((C, C), 80.0, &Look::fill(Ink::Url("main")), &[]);
    cv.circle(
        (C, C),
        90.0,
        &Look::stroke(Ink::Glow, 2.0).opacity(0.7),
        &[Anim::opacity(0.7, 0.3, 3.0)],
    );
    cv.circle(
        (C, C),
        98.5,
        &Look::stroke(Ink::Accent, 1.0).opacity(0.4),
        &[],
    );
    cv.circle((C, C), 33.0, &Look::fill(Ink::Url("core")), &[]);
    cv.circle(
        (C, C),
        34.0,
        &Look::stroke(Ink::Glow, 1.0).opacity(0.8),
        &[],
    );

    // The network hash: three horizontal, three vertical and two diagonal strokes.
    cv.group(&Look::stroke(Ink::Accent, 1.5).opacity(0.8));
    for offset in [0.0, -15.0, 15.0] {
        cv.line(
            (C - A, C + offset),
            (C + A, C + offset),
            &Look::INHERIT,
            &[],
        );
    }
    for offset in [0.0, -15.0, 15.0] {
        cv.line(
            (C + offset, C - A),
            (C + offset, C + A),
            &Look::INHERIT,
            &[],
        );
    }
    cv.line((C - Q, C - Q), (C + Q, C + Q), &Look::INHERIT, &[]);
    cv.line((C - Q, C + Q), (C + Q, C - Q), &Look::INHERIT, &[]);
    cv.end();

    let nodes = [
        (C, C),
        (C - A, C),
        (C + A, C),
        (C, C - A),
        (C, C + A),
        (C - Q, C - Q),
        (C + Q, C + Q),
        (C - Q, C + Q),
        (C + Q, C - Q),
    ];
    for (i, node) in nodes.into_iter().enumerate() {
        cv.circle(
            node,
            2.5,
            &Look::fill(Ink::Glow).opacity(0.9),
            &[Anim::opacity(0.9, 0.3, 2.0).begin(i as f64 * 0.1)],
        );
    }

    for i in 0..8 {
        let t = f64::from(i);
        cv.line(
            (C, C),
            polar(70.0, t * 45.0),
            &Look::stroke(Ink::Accent, 1.5).opacity(0.6),
            &[Anim::opacity(0.6, 1.0, 3.0).begin(t * 0.2)],
        );
    }
}
