//! Shared generators for prm's criterion benchmarks (`cargo bench -p prm-benches`).
#![forbid(unsafe_code)]

/// A deterministic pseudo-random stream (SplitMix64): the benchmarks need no RNG crate.
#[derive(Debug, Clone)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One dated investment series: an outflow, then `n − 1` inflows at increasing day numbers
/// (days from 0001-01-01), the kind of series XIRR sees in practice.
pub fn dated_series(rng: &mut SplitMix, n: usize) -> (Vec<i64>, Vec<f64>) {
    let mut day = 738_000i64; // 2021
    let mut days = Vec::with_capacity(n);
    let mut amounts = Vec::with_capacity(n);
    for i in 0..n {
        days.push(day);
        day += 10 + (rng.unit() * 60.0) as i64;
        amounts.push(if i == 0 {
            -10_000.0
        } else {
            200.0 + rng.unit() * 900.0
        });
    }
    (days, amounts)
}
