//! The choices behind generated inputs: a seeded generator (SplitMix64; the same seed gives the
//! same cases on every machine, so a failing case is reproduced by its seed alone), or a fuzzer's
//! bytes read in order (so the same generators make a structure-aware fuzz target: a mutated byte
//! changes one choice, not the whole case; past the end every choice is the first).

use rust_decimal::Decimal;

/// Where the choices come from.
pub struct Rng(Source);

enum Source {
    Seed(u64),
    Bytes(Vec<u8>, usize),
}

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(Source::Seed(seed))
    }

    /// Choices read from `bytes`, 8 at a time; zeros once they run out.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self(Source::Bytes(bytes.to_vec(), 0))
    }

    /// The next 64 bits.
    pub fn bits(&mut self) -> u64 {
        match &mut self.0 {
            Source::Seed(state) => {
                *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = *state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            }
            Source::Bytes(bytes, at) => {
                let mut word = [0u8; 8];
                let rest = bytes.get(*at..).unwrap_or_default();
                let n = rest.len().min(8);
                word[..n].copy_from_slice(&rest[..n]);
                *at += 8;
                u64::from_le_bytes(word)
            }
        }
    }

    /// A uniform index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.bits() % n as u64) as usize
    }

    /// A uniform integer in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.bits() % (hi - lo + 1) as u64) as i64
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform float in `[lo, hi)`.
    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `xs`.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// A few distinct items of `xs` (possibly none), in `xs` order.
    pub fn subset<'a, T>(&mut self, xs: &'a [T], p: f64) -> Vec<&'a T> {
        xs.iter().filter(|_| self.chance(p)).collect()
    }

    /// A decimal string with a mantissa in `lo..=hi` and `scale` digits after the point.
    pub fn decimal(&mut self, lo: i64, hi: i64, scale: u32) -> String {
        Decimal::new(self.int(lo, hi), scale).to_string()
    }
}
