//! `ultimate` (drawing G): a large multicolour cosmic disc (now visible), a pulsing moon with an
//! off-centre highlight, a 12-petal rosette and arches of flowing strands, concentric auras kept
//! inside the canvas, sparkles, six reflection orbs, eight rays and a large Λ with a ring of lights.

use crate::art::canvas::{Anim, C, Ink, Look, Radial, Surface, polar, polar_around};
use crate::art::motifs::{aura, aura_def, glow_def, lambda, light_glow};
use crate::art::rng::ArtRng;

const E: f64 = 80.0; // S//2.5
const A: f64 = 66.0; // S//3
const COSMIC: f64 = 90.0; // S//2.2

/// The original's 32 stop offsets (percent); colours cycle primary, glow, secondary, accent.
const OFFSETS: [f64; 32] = [
    0.0, 1.0, 3.0, 5.0, 8.0, 12.0, 15.0, 18.0, 22.0, 25.0, 28.0, 32.0, 35.0, 38.0, 42.0, 45.0,
    48.0, 52.0, 55.0, 58.0, 62.0, 65.0, 68.0, 72.0, 75.0, 78.0, 82.0, 85.0, 88.0, 92.0, 95.0,
    100.0,
];

pub fn draw<S: Surface>(cv: &mut S, glow: f64, seed: u64) {
    let mut rng = ArtRng::new(seed, "ultimate");
    cv.defs();
    let cycle = [Ink::Primary, Ink::Glow, Ink::Secondary, Ink::Accent];
    let stops: Vec<(f64, Ink, f64)> = OFFSETS
        .iter()
        .enumerate()
        .map(|(i, &offset)| {
            let f = offset / 100.0;
            // Dense in the middle, thinning towards the rim, gone at the edge.
            let opacity = if f < 0.85 {
                0.95 - 0.5 * f
            } else {
                (1.0 - f) * 3.5
            };
            (f, cycle[i % 4], opacity)
        })
        .collect();
    cv.radial(
        "cosmic",
        Radial::Box {
            c: 0.5,
            r: 0.5,
            focus: 0.42,
        },
        &stops,
    );
    cv.radial(
        "moon",
        Radial::Box {
            c: 0.6,
            r: 0.6,
            focus: 0.6,
        },
        &[(0.0, Ink::Glow, 1.0), (1.0, Ink::Accent, 1.0)],
    );
    aura_def(cv, "aura", Ink::Glow, 50.0, 64.0, 0.7);
    glow_def(cv, "spark", Ink::Glow, 0.45, 0.9);
    let core = light_glow(cv, 0.75);
    cv.radial(
        "core",
        Radial::CENTRED,
        &[
            (0.0, core, 1.0),
            (0.45, Ink::Glow, 0.9),
            (1.0, Ink::Glow, 0.0),
        ],
    );
    cv.end();

    cv.circle((C, C), COSMIC, &Look::fill(Ink::Url("cosmic")), &[]);

    // Four auras, now inside the canvas, fading outwards.
    for (i, opacity) in [0.4, 0.3, 0.2, 0.1].into_iter().enumerate() {
        let r = 84.0 + 4.5 * i as f64;
        cv.circle(
            (C, C),
            r,
            &Look::stroke(Ink::Glow, 3.0).opacity(opacity),
            &[],
        );
    }

    for i in 0..8 {
        let at = polar(80.0, f64::from(i) * 45.0);
        cv.circle(at, 13.0, &Look::fill(Ink::Url("spark")).opacity(0.8), &[]);
        cv.circle(at, 6.0, &Look::fill(Ink::Glow).opacity(0.8), &[]);
    }

    aura(cv, "aura", 50.0, 64.0, glow);
    cv.circle(
        (C, C),
        50.0,
        &Look::fill(Ink::Url("moon")),
        &[Anim::new("r", 50.0, 55.0, 3.0)],
    );

    // Strands with a visible flow: dashes that travel along each path.
    cv.group(&Look::stroke(Ink::Accent, 2.0).opacity(0.9).dash("12 5"));
    let mut strands: Vec<[(f64, f64); 3]> = vec![
        [(C - E, C), (C, C - E), (C + E, C)],
        [
            (C - E + 15.0, C - 15.0),
            (C, C - E - 15.0),
            (C + E - 15.0, C - 15.0),
        ],
        [
            (C - E + 30.0, C + 15.0),
            (C, C - E + 15.0),
            (C + E - 30.0, C + 15.0),
        ],
        [(C - A, C - A), (C, C), (C + A, C - A)],
        [(C - A, C + A), (C, C), (C + A, C + A)],
    ];
    strands.extend((0..12).map(|i| {
        let theta = f64::from(i) * 30.0;
        [polar(A, theta), (C, C), polar(A, theta + 30.0)]
    }));
    for (i, [start, control, end]) in strands.into_iter().enumerate() {
        cv.quad(
            start,
            control,
            end,
            &Look::INHERIT,
            &[Anim::new("stroke-dashoffset", 0.0, -68.0, 6.0).begin(i as f64 * 0.4)],
        );
    }
    cv.end();

    cv.circle(
        (C, C),
        E,
        &Look::stroke(Ink::Accent, 4.0).opacity(0.6),
        &[Anim::new("r", E, 94.0, 4.0)],
    );

    // Twenty sparkles scattered round the disc (one per 18° sector, jittered), each kept wholly
    // inside the canvas.
    cv.seeded(|cv| {
        for i in 0..20 {
            let t = f64::from(i);
            let r = f64::from(rng.int(2, 5));
            let distance = rng.uniform(0.4 * COSMIC, 97.0 - r);
            let at = polar(distance, t * 18.0 + rng.uniform(0.0, 18.0));
            let opacity = rng.uniform(0.5, 0.9);
            cv.circle(
                at,
                r,
                &Look::fill(Ink::Glow).opacity(opacity),
                &[Anim::opacity(0.5, 1.0, 2.5).begin(t * 0.1)],
            );
        }
    });

    // Six reflection orbs, set between the connection dots.
    for i in 0..6 {
        let t = f64::from(i);
        cv.circle(
            polar(E, t * 60.0 + 30.0),
            10.0,
            &Look::fill(Ink::Glow).opacity(0.7),
            &[Anim::new("r", 10.0, 15.0, 3.0).begin(t * 0.2)],
        );
    }

    for i in 0..8 {
        let t = f64::from(i);
        cv.line(
            (C, C),
            polar(COSMIC, t * 45.0),
            &Look::stroke(Ink::Accent, 2.5).opacity(0.6),
            &[Anim::opacity(0.6, 1.0, 4.0).begin(t * 0.15)],
        );
    }

    // The Λ with its core on the notch at the centre, and a ring of eight lights.
    cv.polygon(
        &lambda(20.0, 35.0, 10.0, C - 7.5),
        &Look::fill(Ink::Glow),
        &[Anim::opacity(0.8, 1.0, 2.5)],
    );
    cv.circle(
        (C, C),
        16.0,
        &Look::fill(Ink::Url("core")).opacity(0.9),
        &[Anim::new("r", 16.0, 22.0, 3.0)],
    );
    for i in 0..8 {
        let t = f64::from(i);
        cv.circle(
            polar_around(C, C, 25.0, t * 45.0),
            3.0,
            &Look::fill(Ink::Glow).opacity(0.7),
            &[Anim::opacity(0.7, 1.0, 3.5).begin(t * 0.2)],
        );
    }
}
