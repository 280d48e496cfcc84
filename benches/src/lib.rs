//! Shared generators for prm's criterion benchmarks (`cargo bench -p prm-benches`).
#![forbid(unsafe_code)]

pub mod conflicts_data;

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

/// The shared zen-engine benchmark's 50-rule decision table (`../shared/bench`) as a prm
/// policy: each row a rule on the lead whose only eligible partner is the row's pool, and the
/// pools as partners.
#[allow(clippy::too_many_lines)] // a data table: 50 rows written out as the harness writes them
pub fn zen_table_policy() -> (serde_json::Value, serde_json::Value) {
    use serde_json::json;
    let mut rules = Vec::new();
    let mut add = |name: String, pool: String, when: Vec<serde_json::Value>| {
        let mut rule = json!({"name": name, "eligible": {"field": "partner.id", "op": "eq", "value": pool},
                              "strategy": {"type": "first"}});
        if !when.is_empty() {
            rule["when"] = json!({"all": when});
        }
        rules.push(rule);
    };
    let is = |f: &str, v: &[&str]| json!({"field": format!("lead.{f}"), "op": "in", "value": v});
    let product = |v: &[&str]| json!({"field": "lead.products", "op": "contains_any", "value": v});
    let ge = |x: f64| json!({"field": "lead.amount", "op": "gte", "value": x});
    let lt = |x: f64| json!({"field": "lead.amount", "op": "lt", "value": x});
    let (small, mid, large, strategic) = (
        vec![ge(0.0), lt(25_000.0)],
        vec![ge(25_000.0), lt(100_000.0)],
        vec![ge(100_000.0), lt(500_000.0)],
        vec![ge(500_000.0)],
    );
    let cat = |a: Vec<serde_json::Value>, b: &[serde_json::Value]| -> Vec<serde_json::Value> {
        a.into_iter().chain(b.iter().cloned()).collect()
    };
    add(
        "us-public".into(),
        "us-fedramp-partners".into(),
        vec![is("country", &["US"]), is("industry", &["public_sector"])],
    );
    add(
        "de-public".into(),
        "de-public-sector-gsi".into(),
        vec![is("country", &["DE"]), is("industry", &["public_sector"])],
    );
    add(
        "jp-alliance".into(),
        "jp-local-alliance".into(),
        vec![is("country", &["JP"]), ge(25_000.0)],
    );
    add(
        "br-payments".into(),
        "br-payments-local".into(),
        vec![is("country", &["BR"]), product(&["payments"])],
    );
    add(
        "in-smb".into(),
        "in-digital-smb".into(),
        cat(vec![is("country", &["IN"])], &small),
    );
    for region in ["NA", "EMEA", "APAC", "LATAM"] {
        let r = region.to_lowercase();
        let reg = is("region", &[region]);
        let mut row = |suffix: &str, pool: &str, extra: Vec<serde_json::Value>| {
            add(
                format!("{r}-{suffix}"),
                format!("{r}-{pool}"),
                cat(vec![reg.clone()], &extra),
            );
        };
        row(
            "strategic-regulated",
            "strategic-regulated",
            cat(
                vec![is("industry", &["finance", "public_sector", "healthcare"])],
                &strategic,
            ),
        );
        row("strategic", "strategic", strategic.clone());
        row(
            "large-security",
            "security-specialists",
            cat(large.clone(), &[product(&["security"])]),
        );
        row(
            "large-payments",
            "payments-specialists",
            cat(
                vec![is("industry", &["finance", "retail"])],
                &cat(large.clone(), &[product(&["payments"])]),
            ),
        );
        row("large", "enterprise", large.clone());
        row(
            "mid-software",
            "isv-partners",
            cat(vec![is("industry", &["software"])], &mid),
        );
        row(
            "mid-healthcare",
            "healthcare-partners",
            cat(vec![is("industry", &["healthcare"])], &mid),
        );
        row(
            "mid-analytics",
            "analytics-partners",
            cat(mid.clone(), &[product(&["analytics"])]),
        );
        row("mid", "midmarket", mid.clone());
        row(
            "small-core",
            "smb-core",
            cat(small.clone(), &[product(&["core"])]),
        );
        row("small", "smb", small.clone());
    }
    add("fallback".into(), "global-inbound".into(), Vec::new());
    let mut pools: Vec<String> = rules
        .iter()
        .map(|r| r["eligible"]["value"].as_str().unwrap_or_default().to_owned())
        .collect();
    pools.dedup();
    let partners: Vec<serde_json::Value> = pools.iter().map(|p| json!({"id": p})).collect();
    (json!({"rules": rules}), json!(partners))
}

/// `n` leads over the zen benchmark's vocabulary (regions, countries, industries, products,
/// deal-size bands weighted 5:4:2:1).
pub fn zen_leads(rng: &mut SplitMix, n: usize) -> Vec<serde_json::Value> {
    let regions: [(&str, &[&str]); 4] = [
        ("NA", &["US", "CA"]),
        ("EMEA", &["GB", "DE", "FR", "NL", "SE"]),
        ("APAC", &["JP", "AU", "SG", "IN"]),
        ("LATAM", &["BR", "MX", "AR"]),
    ];
    let industries = [
        "software",
        "finance",
        "healthcare",
        "manufacturing",
        "retail",
        "public_sector",
    ];
    let products = ["core", "analytics", "security", "payments"];
    let bands = [
        (0.0, 25_000.0),
        (25_000.0, 100_000.0),
        (100_000.0, 500_000.0),
        (500_000.0, 3_000_000.0),
    ];
    let pick = |rng: &mut SplitMix, k: usize| (rng.unit() * k as f64) as usize % k;
    (0..n)
        .map(|i| {
            let (region, countries) = regions[pick(rng, 4)];
            let w = rng.unit() * 12.0;
            let (lo, hi) = bands[if w < 5.0 {
                0
            } else if w < 9.0 {
                1
            } else if w < 11.0 {
                2
            } else {
                3
            }];
            serde_json::json!({
                "id": format!("L{i:06}"),
                "country": countries[pick(rng, countries.len())],
                "region": region,
                "industry": industries[pick(rng, industries.len())],
                "amount": ((lo + rng.unit() * (hi - lo)) * 100.0).round() / 100.0,
                "products": [products[pick(rng, products.len())]],
            })
        })
        .collect()
}
