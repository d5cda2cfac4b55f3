//! `realism` (drawing F, alias `realism_max`): a soft gradient moon whose limb fades into the dark,
//! lit from the upper left, with seeded craters and four specks of dust near its edge. Static, as
//! in the original: no network, no Λ, no animation.

use crate::art::canvas::{C, Ink, Look, Radial, Surface, WHITE, polar};
use crate::art::rng::ArtRng;

const R: f64 = 84.0;

pub fn draw<S: Surface>(cv: &mut S, seed: u64) {
    let mut rng = ArtRng::new(seed, "realism");
    cv.defs();
    cv.radial(
        "moon",
        Radial::CENTRED,
        &[
            (0.0, Ink::Primary, 1.0),
            (0.2, Ink::Secondary, 1.0),
            (0.4, Ink::Accent, 0.95),
            (0.6, Ink::Glow, 0.85),
            (0.8, Ink::Secondary, 0.6),
            (1.0, Ink::Primary, 0.0),
        ],
    );
    cv.radial(
        "light",
        Radial::Box {
            c: 0.5,
            r: 0.5,
            focus: 0.3,
        },
        &[(0.0, WHITE, 0.3), (0.7, WHITE, 0.0)],
    );
    cv.radial(
        "crater",
        Radial::CENTRED,
        &[
            (0.0, Ink::Primary, 0.55),
            (0.75, Ink::Primary, 0.3),
            (1.0, Ink::Glow, 0.45),
        ],
    );
    cv.end();

    cv.circle((C, C), R, &Look::fill(Ink::Url("moon")), &[]);
    cv.seeded(|cv| {
        for _ in 0..7 {
            let at = polar(rng.uniform(0.0, 55.0), rng.uniform(0.0, 360.0));
            let r = rng.uniform(5.0, 13.0);
            cv.circle(at, r, &Look::fill(Ink::Url("crater")), &[]);
        }
    });
    cv.circle((C, C), R * 0.92, &Look::fill(Ink::Url("light")), &[]);

    // Dust: the original's four particles, now around the disc instead of stacked at the origin.
    cv.seeded(|cv| {
        for _ in 0..4 {
            let at = polar(rng.uniform(0.85 * R, 1.12 * R), rng.uniform(0.0, 360.0));
            let r = rng.uniform(1.0, 3.0);
            let opacity = rng.uniform(0.3, 0.7);
            cv.circle(at, r, &Look::fill(Ink::Glow).opacity(opacity), &[]);
        }
    });
}
