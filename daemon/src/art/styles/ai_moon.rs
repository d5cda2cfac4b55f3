//! `ai_moon` (drawing D): a moon fading out towards its edge, sixteen glowing nodes on its rim, a
//! starburst of chords and rays, a small white Λ and a ring of jittered sparkles.

use crate::art::canvas::{Anim, C, Ink, Look, Radial, Surface, WHITE, polar};
use crate::art::motifs::{glow_def, glowing_ring, lambda, soft_ring_def};
use crate::art::rng::ArtRng;

const A: f64 = 66.0; // S//3: disc and node ring

pub fn draw<S: Surface>(cv: &mut S, glow: f64, seed: u64) {
    let mut rng = ArtRng::new(seed, "ai_moon");
    cv.defs();
    cv.radial(
        "moon",
        Radial::CENTRED,
        &[
            (0.0, Ink::Primary, 1.0),
            (0.2, Ink::Secondary, 0.8),
            (0.4, Ink::Accent, 0.6),
            (0.6, Ink::Glow, 0.4),
            (0.8, Ink::Secondary, 0.2),
            (1.0, Ink::Primary, 0.0),
        ],
    );
    glow_def(cv, "aura", Ink::Glow, 0.6, 0.5);
    soft_ring_def(cv, "halo", Ink::Accent, 90.0, 8.0, 0.8);
    glow_def(cv, "spark", Ink::Glow, 0.35, 0.9);
    cv.end();

    cv.circle(
        (C, C),
        82.0,
        &Look::fill(Ink::Url("aura")).opacity(glow),
        &[],
    );
    cv.circle((C, C), A, &Look::fill(Ink::Url("moon")), &[]);
    cv.circle(
        (C, C),
        A + 3.0,
        &Look::stroke(Ink::Glow, 2.0).opacity(0.9),
        &[],
    );
    glowing_ring(
        cv,
        "halo",
        8.0,
        &Look::stroke(Ink::Accent, 2.0).opacity(0.8),
        90.0,
        Anim::opacity(0.8, 0.2, 5.0),
    );
    cv.circle((C, C), 25.0, &Look::fill(Ink::Url("moon")), &[]);

    // Eight chords through the centre, set between the rays so that none is drawn twice.
    cv.group(&Look::stroke(Ink::Accent, 2.0).opacity(0.9));
    for i in 0..8 {
        let theta = f64::from(i) * 22.5 + 11.25;
        cv.line(
            polar(A, theta),
            polar(A, theta + 180.0),
            &Look::INHERIT,
            &[],
        );
    }
    cv.end();

    // Sixteen nodes with their halos on the rim.
    for i in 0..16 {
        let at = polar(A, f64::from(i) * 22.5);
        cv.circle(at, 11.0, &Look::fill(Ink::Url("spark")).opacity(0.7), &[]);
        cv.circle(at, 6.0, &Look::fill(Ink::Glow).opacity(0.9), &[]);
        cv.circle(at, 10.0, &Look::stroke(Ink::Accent, 1.0).opacity(0.4), &[]);
    }

    // Twenty-five sparkles on a jittered ring inside the disc.
    cv.seeded(|cv| {
        for i in 0..25 {
            let t = f64::from(i);
            let at = polar(50.0 + rng.uniform(-15.0, 15.0), t * 14.4);
            let r = rng.uniform(2.0, 4.0);
            cv.circle(
                at,
                r,
                &Look::fill(Ink::Glow).opacity(0.8),
                &[Anim::opacity(0.8, 0.2, 3.0).begin(t * 0.1)],
            );
        }
    });

    // Sixteen rays.
    for i in 0..16 {
        let t = f64::from(i);
        cv.line(
            (C, C),
            polar(75.0, t * 22.5),
            &Look::stroke(Ink::Accent, 2.5).opacity(0.7),
            &[Anim::opacity(0.7, 0.3, 4.0).begin(t * 0.15)],
        );
    }

    cv.polygon(
        &lambda(10.0, 15.0, 5.0, C),
        &Look::fill(WHITE).opacity(0.81),
        &[],
    );
}
