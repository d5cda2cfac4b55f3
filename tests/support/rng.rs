//! Random test inputs: a seeded, replayable PRNG and the variant and style keys to pick from.

use super::now_ms;

/// A small deterministic PRNG (xorshift64*), so failures can be replayed from a printed seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// Seeded from `LUNA_TEST_SEED` if set, else the clock; prints the seed.
    pub fn from_env(what: &str) -> Rng {
        let seed = std::env::var("LUNA_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| now_ms() ^ u64::from(std::process::id()) << 32);
        eprintln!("{what}: LUNA_TEST_SEED={seed}");
        Rng::new(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

pub const VARIANTS: [&str; 5] = ["serenity", "power", "mystery", "awakening", "creative"];
pub const STYLES: [&str; 8] = [
    "simple",
    "advanced",
    "simple_advanced",
    "dashboard",
    "ai_moon",
    "ultra_max",
    "realism",
    "ultimate",
];
