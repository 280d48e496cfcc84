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

/// The benchmark tier program: 4 tiers, 12 requirements (leaves and points terms).
pub const TIER_PROGRAM: &str = r#"{"grace_periods": 1, "tiers": [
  {"name": "registered"},
  {"name": "silver", "requirements": {"all": [
    {"metric": "revenue", "op": "gte", "value": 250000},
    {"metric": "certified", "op": "gte", "value": 2},
    {"metric": "csat", "op": "gte", "value": 3.5}]}},
  {"name": "gold", "requirements": {"all": [
    {"metric": "revenue", "op": "gte", "value": 1000000},
    {"metric": "renewal", "op": "gte", "value": 0.8},
    {"at_least": 2, "of": [
      {"metric": "certified", "op": "gte", "value": 5},
      {"metric": "csat", "op": "gte", "value": 4.5},
      {"metric": "deals", "op": "gte", "value": 20}]}]}},
  {"name": "platinum", "requirements": {"all": [
    {"metric": "nps", "op": "gte", "value": 50},
    {"points": [
      {"metric": "revenue", "per": 250000, "points": 1, "cap": 10},
      {"metric": "certified", "per": 1, "points": 1, "cap": 6},
      {"metric": "deals", "per": 10, "points": 1, "cap": 4}], "min": 18}]}}]}"#;

/// Partner metrics for the tier benchmarks: `(revenue, certified, csat, deals, renewal, nps)`.
pub fn tier_metrics(rng: &mut SplitMix, n: usize) -> Vec<[f64; 6]> {
    (0..n)
        .map(|_| {
            [
                (rng.unit() * 3_000_000.0).round(),
                (rng.unit() * 9.0).floor(),
                (rng.unit() * 50.0).round() / 10.0,
                (rng.unit() * 45.0).floor(),
                (rng.unit() * 100.0).round() / 100.0,
                (rng.unit() * 100.0).floor(),
            ]
        })
        .collect()
}

/// `n` closed deals with `touches` touches each over 50 partners, amounts up to 10⁷ USD.
///
/// # Panics
/// Never: the fixed date and currency code are valid.
pub fn attribution_deals(rng: &mut SplitMix, n: usize, touches: usize) -> Vec<prm_core::attribution::Deal> {
    use chrono::{TimeZone, Utc};
    use prm_core::attribution::{Deal, Touch, TouchType};
    use prm_core::domain::{Currency, Money};
    let close = Utc.with_ymd_and_hms(2026, 3, 31, 0, 0, 0).unwrap();
    let usd = Currency::new("USD").unwrap();
    let kinds = ["sourced", "influenced", "co_sell", "referral"];
    (0..n)
        .map(|i| Deal {
            id: format!("D{i}").into(),
            amount: Money::new(rust_decimal::Decimal::new((rng.unit() * 1e9) as i64, 2), usd),
            closed_at: close,
            touches: (0..touches)
                .map(|_| Touch {
                    partner_id: format!("P{:02}", (rng.unit() * 50.0) as u32).into(),
                    at: close - chrono::TimeDelta::seconds((rng.unit() * 120.0 * 86_400.0) as i64),
                    touch_type: TouchType::from(kinds[(rng.unit() * 4.0) as usize]),
                    weight: None,
                })
                .collect(),
        })
        .collect()
}

/// `n` journeys over `partners` partners as `"P01>P07>…"` text with 1–6 steps, a 0/1
/// conversion, a value and the complementary null.
pub fn journey_rows(rng: &mut SplitMix, n: usize, partners: u32) -> Vec<(String, f64, f64, f64)> {
    (0..n)
        .map(|_| {
            let len = 1 + (rng.unit() * 6.0) as usize;
            let mut last = 0;
            let path: Vec<String> = (0..len)
                .map(|_| {
                    last = 1 + (rng.unit() * f64::from(partners)) as u32;
                    format!("P{last:02}")
                })
                .collect();
            let p = 0.15 + 0.3 * f64::from(last) / f64::from(partners);
            let c = if rng.unit() < p { 1.0 } else { 0.0 };
            (path.join(">"), c, c * (100.0 + rng.unit() * 5000.0), 1.0 - c)
        })
        .collect()
}
