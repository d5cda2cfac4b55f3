//! `advanced` (the original's drawing A, also `default`) and `simple_advanced` (drawing B): a glowing
//! disc in a breathing ring, a web of curved strands with eight nodes, the Λ core at the centre and a
//! ring of twelve orbiting particles. B is A's body with a banded "holographic" disc.

use crate::art::canvas::{Anim, C, Ink, Look, Radial, Surface, polar, polar_around};
use crate::art::motifs::{
    aura, aura_def, glow_def, glowing_ring, lambda, light_glow, soft_ring_def,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// Drawing A: a smooth primary-to-accent disc.
    Advanced,
    /// Drawing B: a banded six-stop disc and accent-glow strands.
    Holographic,
}

const A: f64 = 66.0; // S//3 at 200: the disc radius and the reach of the strands
const Q: f64 = 50.0; // S//4: the rosette and diagonal nodes

pub fn draw<S: Surface>(cv: &mut S, glow: f64, finish: Finish) {
    cv.defs();
    match finish {
        Finish::Advanced => {
            cv.radial(
                "moon",
                Radial::CENTRED,
                &[(0.0, Ink::Primary, 1.0), (1.0, Ink::Accent, 0.8)],
            );
            cv.linear(
                "neural",
                (0.0, 0.0),
                (200.0, 200.0),
                &[(0.0, Ink::Primary, 1.0), (1.0, Ink::Accent, 0.6)],
            );
        }
        Finish::Holographic => {
            cv.radial(
                "moon",
                Radial::CENTRED,
                &[
                    (0.0, Ink::Primary, 1.0),
                    (0.2, Ink::Secondary, 1.0),
                    (0.4, Ink::Accent, 1.0),
                    (0.6, Ink::Glow, 1.0),
                    (0.8, Ink::Secondary, 1.0),
                    (1.0, Ink::Primary, 1.0),
                ],
            );
            cv.linear(
                "neural",
                (0.0, 0.0),
                (200.0, 200.0),
                &[
                    (0.0, Ink::Accent, 1.0),
                    (0.5, Ink::Glow, 1.0),
                    (1.0, Ink::Accent, 1.0),
                ],
            );
        }
    }
    aura_def(cv, "aura", Ink::Glow, A, 84.0, 0.55);
    soft_ring_def(cv, "halo", Ink::Glow, 85.0, 9.0, 0.9);
    glow_def(cv, "spark", Ink::Glow, 0.3, 0.8);
    let core = light_glow(cv, 0.7);
    cv.radial(
        "core",
        Radial::CENTRED,
        &[
            (0.0, core, 1.0),
            (0.4, Ink::Glow, 0.85),
            (1.0, Ink::Glow, 0.0),
        ],
    );
    cv.end();

    // Halos: the moon's aura, the breathing main ring and the pulsing thin ring.
    aura(cv, "aura", A, 84.0, glow);
    glowing_ring(
        cv,
        "halo",
        9.0,
        &Look::stroke(Ink::Glow, 1.5).opacity(glow),
        85.0,
        Anim::opacity(glow, glow * 0.3, 4.0),
    );
    cv.circle(
        (C, C),
        90.0,
        &Look::stroke(Ink::Glow, 1.0).opacity(0.4),
        &[Anim::new("r", 90.0, 97.0, 3.0)],
    );

    // The moon and its rim.
    cv.circle(
        (C, C),
        A,
        &Look::fill(Ink::Url("moon")),
        &[Anim::new("r", A, A * 1.08, 2.5)],
    );
    cv.circle(
        (C, C),
        A + 2.0,
        &Look::stroke(Ink::Glow, 2.0).opacity(0.6),
        &[],
    );

    // Fifteen strands: three arcs bulging up, a V and a Λ, two arcs bulging right, an 8-petal rosette.
    cv.group(&Look::stroke(Ink::Url("neural"), 2.5).opacity(0.9));
    let mut strands: Vec<[(f64, f64); 3]> = vec![
        [(C - A, C), (C, C - A), (C + A, C)],
        [
            (C - A + 10.0, C - 10.0),
            (C, C - A - 10.0),
            (C + A - 10.0, C - 10.0),
        ],
        [
            (C - A + 20.0, C + 10.0),
            (C, C - A + 10.0),
            (C + A - 20.0, C + 10.0),
        ],
        [(C - Q, C - Q), (C, C), (C + Q, C - Q)],
        [(C - Q, C + Q), (C, C), (C + Q, C + Q)],
        [(C, C - A), (C + A, C), (C, C + A)],
        [
            (C - 10.0, C - A + 10.0),
            (C + A - 10.0, C),
            (C - 10.0, C + A - 10.0),
        ],
    ];
    strands.extend((0..8).map(|i| {
        let theta = f64::from(i) * 45.0;
        [polar(Q, theta), (C, C), polar(Q, theta + 45.0)]
    }));
    for (i, [start, control, end]) in strands.into_iter().enumerate() {
        let t = i as f64;
        cv.quad(
            start,
            control,
            end,
            &Look::INHERIT,
            &[Anim::opacity(0.9, 0.4, 4.0).begin(t * 0.2)],
        );
    }
    cv.end();

    // Eight nodes where the strands meet the disc and the diagonals.
    let nodes = [
        (C - A, C),
        (C + A, C),
        (C, C - A),
        (C, C + A),
        (C - Q, C - Q),
        (C + Q, C - Q),
        (C - Q, C + Q),
        (C + Q, C + Q),
    ];
    for (i, node) in nodes.into_iter().enumerate() {
        let t = i as f64;
        cv.circle(node, 8.0, &Look::fill(Ink::Url("spark")).opacity(0.6), &[]);
        cv.circle(
            node,
            3.0,
            &Look::fill(Ink::Glow).opacity(0.8),
            &[Anim::opacity(0.8, 1.0, 2.0).begin(t * 0.2)],
        );
    }

    // The Λ core: glyph, glowing core on its notch at the centre, and six ray dots around it.
    cv.polygon(
        &lambda(15.0, 25.0, 8.0, C - 4.5),
        &Look::fill(Ink::Glow),
        &[Anim::opacity(0.9, 1.0, 2.0)],
    );
    cv.circle(
        (C, C),
        12.0,
        &Look::fill(Ink::Url("core")).opacity(0.9),
        &[Anim::new("r", 12.0, 16.0, 2.5)],
    );
    for i in 0..6 {
        let t = f64::from(i);
        cv.circle(
            polar_around(C, C, 20.0, t * 60.0),
            2.0,
            &Look::fill(Ink::Glow).opacity(0.6),
            &[Anim::opacity(0.6, 1.0, 3.0).begin(t * 0.3)],
        );
    }

    // Twelve particles drifting on their orbit.
    for i in 0..12 {
        let t = f64::from(i);
        let theta = t * 30.0;
        let (x, y) = polar(75.0, theta);
        let (dx, dy) = polar_around(0.0, 0.0, 5.0, theta + 30.0);
        cv.circle(
            (x, y),
            2.5,
            &Look::fill(Ink::Glow).opacity(0.7),
            &[
                Anim::opacity(0.7, 1.0, 2.5).begin(t * 0.2),
                Anim::new("cx", x, x + dx, 4.0).begin(t * 0.1),
                Anim::new("cy", y, y + dy, 4.0).begin(t * 0.1),
            ],
        );
    }
}
