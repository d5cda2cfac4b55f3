//! `ultra_max` (drawing E): a multicolour banded disc inside two rings, a woven lattice of curved
//! strands wider than the disc, nine nodes on a 3×3 grid, twelve rays and jittered sparkles.

use crate::art::canvas::{Anim, C, Ink, Look, Radial, Surface, WHITE, polar};
use crate::art::motifs::{aura, aura_def, glow_def, glowing_ring, lambda, soft_ring_def};
use crate::art::rng::ArtRng;

const E: f64 = 80.0; // S//2.5: half-width of the lattice
const A: f64 = 66.0; // S//3
const GRID: f64 = 58.0; // node spacing, keeping the corner halos inside the canvas
const DIAGONAL: f64 = 48.0; // reach of the diagonal strands, keeping them inside the rings

pub fn draw<S: Surface>(cv: &mut S, glow: f64, seed: u64) {
    let mut rng = ArtRng::new(seed, "ultra_max");
    cv.defs();
    cv.radial(
        "main",
        Radial::CENTRED,
        &[
            (0.0, Ink::Primary, 1.0),
            (0.25, Ink::Secondary, 1.0),
            (0.5, Ink::Accent, 1.0),
            (0.75, Ink::Glow, 1.0),
            (1.0, Ink::Primary, 1.0),
        ],
    );
    cv.radial(
        "core",
        Radial::CENTRED,
        &[(0.0, Ink::Glow, 1.0), (1.0, Ink::Accent, 1.0)],
    );
    aura_def(cv, "aura", Ink::Glow, 75.0, 90.0, 0.6);
    soft_ring_def(cv, "halo", Ink::Glow, 85.0, 9.0, 0.9);
    glow_def(cv, "spark", Ink::Glow, 0.4, 0.9);
    cv.end();

    glowing_ring(
        cv,
        "halo",
        9.0,
        &Look::stroke(Ink::Glow, 3.0).opacity(0.8),
        85.0,
        Anim::opacity(0.8, 0.2, 4.0),
    );
    cv.circle(
        (C, C),
        98.5,
        &Look::stroke(Ink::Accent, 1.5).opacity(0.5),
        &[],
    );
    aura(cv, "aura", 75.0, 90.0, glow);
    cv.circle((C, C), 75.0, &Look::fill(Ink::Url("main")), &[]);
    cv.circle(
        (C, C),
        78.0,
        &Look::stroke(Ink::Accent, 2.0).opacity(0.9),
        &[],
    );
    cv.circle((C, C), 25.0, &Look::fill(Ink::Url("core")), &[]);
    cv.circle(
        (C, C),
        27.0,
        &Look::stroke(Ink::Glow, 2.0).opacity(0.9),
        &[],
    );

    // The lattice: five arcs across, five arcs down, six diagonals through the centre.
    cv.group(&Look::stroke(Ink::Accent, 2.0).opacity(0.9));
    for o in [-40.0, -20.0, 0.0, 20.0, 40.0] {
        cv.quad(
            (C - E, C + o),
            (C, C - A + o),
            (C + E, C + o),
            &Look::INHERIT,
            &[],
        );
    }
    for o in [-40.0, -20.0, 0.0, 20.0, 40.0] {
        cv.quad(
            (C + o, C - E),
            (C + A + o, C),
            (C + o, C + E),
            &Look::INHERIT,
            &[],
        );
    }
    for o in [-15.0, 0.0, 15.0] {
        cv.quad(
            (C - DIAGONAL + o, C - DIAGONAL + o),
            (C, C),
            (C + DIAGONAL + o, C + DIAGONAL + o),
            &Look::INHERIT,
            &[],
        );
        cv.quad(
            (C - DIAGONAL + o, C + DIAGONAL - o),
            (C, C),
            (C + DIAGONAL + o, C - DIAGONAL - o),
            &Look::INHERIT,
            &[],
        );
    }
    cv.end();

    for gy in [-1.0, 0.0, 1.0] {
        for gx in [-1.0, 0.0, 1.0] {
            let at = (C + gx * GRID, C + gy * GRID);
            cv.circle(at, 9.0, &Look::fill(Ink::Url("spark")).opacity(0.7), &[]);
            cv.circle(at, 4.0, &Look::fill(Ink::Glow).opacity(0.9), &[]);
            cv.circle(at, 8.0, &Look::stroke(Ink::Accent, 1.0).opacity(0.4), &[]);
        }
    }

    cv.seeded(|cv| {
        for i in 0..20 {
            let t = f64::from(i);
            let at = polar(60.0 + rng.uniform(-10.0, 10.0), t * 18.0);
            let r = rng.uniform(1.5, 3.5);
            cv.circle(
                at,
                r,
                &Look::fill(Ink::Glow).opacity(0.8),
                &[Anim::opacity(0.8, 0.2, 2.0).begin(t * 0.1)],
            );
        }
    });

    for i in 0..12 {
        let t = f64::from(i);
        cv.line(
            (C, C),
            polar(80.0, t * 30.0),
            &Look::stroke(Ink::Accent, 2.0).opacity(0.7),
            &[Anim::opacity(0.7, 1.0, 3.0).begin(t * 0.2)],
        );
    }

    cv.polygon(
        &lambda(10.0, 15.0, 5.0, C),
        &Look::fill(WHITE).opacity(0.9),
        &[],
    );
}
