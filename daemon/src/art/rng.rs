//! The per-request random source: ChaCha8 seeded from the request's `seed`.
//!
//! Uniform draws are computed here from raw `u64`s rather than through a distribution library, so
//! that a dependency upgrade can never move a particle (output bytes are pinned by golden tests).

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

pub struct ArtRng(ChaCha8Rng);

impl ArtRng {
    /// One stream per (seed, style): styles drawn with the same seed stay independent.
    pub fn new(seed: u64, stream: &str) -> ArtRng {
        let salt = blake3::hash(stream.as_bytes());
        let salt = u64::from_le_bytes(salt.as_bytes()[..8].try_into().expect("8 bytes"));
        ArtRng(ChaCha8Rng::seed_from_u64(seed ^ salt))
    }

    /// A uniform float in `[low, high)`.
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        low + (high - low) * unit
    }

    /// A uniform integer in `low..=high`.
    pub fn int(&mut self, low: u32, high: u32) -> u32 {
        debug_assert!(low <= high);
        let span = u64::from(high - low) + 1;
        low + (self.0.next_u64() % span) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = ArtRng::new(7, "ultimate");
        let mut b = ArtRng::new(7, "ultimate");
        for _ in 0..100 {
            assert_eq!(a.uniform(0.0, 1.0).to_bits(), b.uniform(0.0, 1.0).to_bits());
        }
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = ArtRng::new(1, "x");
        for _ in 0..10_000 {
            let f = rng.uniform(-15.0, 15.0);
            assert!((-15.0..15.0).contains(&f));
            let i = rng.int(3, 8);
            assert!((3..=8).contains(&i));
        }
    }
}
