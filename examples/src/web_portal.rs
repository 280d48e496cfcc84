//! The Rust side of the partner-portal demo (`examples/web`): what the page must show, and the
//! native half of the browser-versus-native timings.
//!
//! ```text
//! web_portal expected examples/web/src/portal-data.json   # JSON the e2e test compares the page with
//! web_portal bench-data                                   # JSON data for the browser timings
//! web_portal bench FILE                                   # native timings on that data
//! ```
//!
//! The page builds a draft registration from the form exactly as [`draft`] does here, so the
//! end-to-end test can compare what the browser shows with what the Rust API returns.

#![forbid(unsafe_code)]

use prm_core::attribution::{self, Deal, Model};
use prm_core::conflicts::{ConflictIndex, ConflictPolicy, Partner, Record, Registration};
use prm_core::domain::Timestamp;
use prm_core::routing::{Lead, Router, RoutingPolicy, RoutingState};
use prm_core::tiers::{PartnerMetrics, TierProgram, TierProgramSpec};
use serde_json::{Value, json};
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["expected", path] => println!("{}", expected(&read(path)?)?),
        ["bench-data"] => println!("{}", bench_data()),
        ["bench", path] => println!("{}", bench(&read(path)?)?),
        _ => return Err("usage: web_portal expected FILE | bench-data | bench FILE".into()),
    }
    Ok(())
}

fn read(path: &str) -> Result<Value> {
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

fn decode<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T> {
    Ok(prm_core::json::from_value(v.clone())?)
}

/// The registration the form describes: blank fields left out, submitted now.
fn draft(me: &Value, form: &Value, as_of: &Value) -> Value {
    let mut customer = json!({"name": form["name"], "country": form["country"]});
    for key in ["website", "email"] {
        if form[key].as_str().is_some_and(|s| !s.trim().is_empty()) {
            customer[key] = form[key].clone();
        }
    }
    json!({"id": "DRAFT", "partner_id": me, "customer": customer, "products": form["products"],
           "submitted_at": as_of})
}

fn conflict_index(c: &Value) -> Result<ConflictIndex> {
    let policy: ConflictPolicy = decode(&c["policy"])?;
    let partners: Vec<Partner> = decode(&c["partners"])?;
    let mut index = ConflictIndex::new(policy, &partners)?;
    for r in c["book"].as_array().ok_or("book")? {
        index.insert(&decode::<Record>(r)?)?;
    }
    Ok(index)
}

/// What the page must show for each form scenario, tier partner and attribution model.
fn expected(data: &Value) -> Result<String> {
    let as_of: Timestamp = decode(&data["as_of"])?;
    let c = &data["conflicts"];
    let index = conflict_index(c)?;
    let mut conflicts = Vec::new();
    for form in c["scenarios"].as_array().ok_or("scenarios")? {
        let r: Registration = decode(&draft(&data["me"], form, &data["as_of"]))?;
        conflicts.push(serde_json::to_value(index.check(&r, as_of)?)?);
    }
    let program = TierProgram::new(decode::<TierProgramSpec>(&data["tiers"]["program"])?)?;
    let mut tiers = Vec::new();
    for m in data["tiers"]["partners"].as_array().ok_or("partners")? {
        let m: PartnerMetrics = decode(m)?;
        let status = program.evaluate(&m, None, None)?;
        let paths = program.paths_to_next(&m, Some(&status))?;
        tiers.push(json!({"status": status, "paths": paths}));
    }
    let deal: Deal = decode(&data["attribution"]["deal"])?;
    let mut splits = Vec::new();
    for m in data["attribution"]["models"].as_array().ok_or("models")? {
        splits.push(serde_json::to_value(attribution::split(
            &deal,
            &decode::<Model>(m)?,
        )?)?);
    }
    Ok(json!({"conflicts": conflicts, "tiers": tiers, "attribution": splits}).to_string())
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const COUNTRIES: [&str; 20] = [
    "US", "CA", "GB", "DE", "FR", "NL", "SE", "JP", "AU", "SG", "IN", "BR", "MX", "AR", "IT", "ES", "PL",
    "AT", "CH", "BE",
];
const PRODUCTS: [&str; 6] = ["core", "analytics", "security", "payments", "cloud", "data"];
const STRATEGIES: [&str; 3] = ["best_score", "round_robin", "first"];

/// A conflicts book of 10,000 registrations (200 probes to check against it) and a routing
/// policy of 50 rules over 1,000 partners with 1,000 leads — the shapes of the native benchmarks.
fn bench_data() -> Value {
    let mut rng = Rng(7);
    let syllables = [
        "nor", "ta", "lin", "ber", "ka", "vo", "mi", "sen", "dra", "pel", "co", "rix", "al", "ter", "qua",
        "zen", "fi", "lo", "mar", "tek", "sol", "ven", "da", "gro",
    ];
    let legal = [
        "GmbH",
        "Ltd",
        "Inc.",
        "S.A.",
        "AG",
        "B.V.",
        "LLC",
        "AB",
        "S.r.l.",
        "Sp. z o.o.",
    ];
    let partners: Vec<Value> = (0..50).map(|i| json!({"id": format!("P{i:02}")})).collect();
    // 10,000 companies with pseudo-word names (24^3 x 24^2 combinations): realistic blocks
    let company = |i: u64| {
        let mut r = Rng(i * 7919 + 1);
        let word = |r: &mut Rng, n: usize| (0..n).map(|_| r.pick(&syllables)).collect::<String>();
        let (a, b) = (word(&mut r, 3), word(&mut r, 2));
        let name = format!(
            "{}{} {}{} {}",
            a[..1].to_uppercase(),
            &a[1..],
            b[..1].to_uppercase(),
            &b[1..],
            r.pick(&legal)
        );
        (name, format!("{a}-{b}.com"))
    };
    let book: Vec<Value> = (0..10_000u64)
        .map(|i| {
            let (name, site) = company(i);
            let day = 1 + rng.next() % 200;
            json!({"id": format!("R{i:05}"), "partner_id": format!("P{:02}", rng.next() % 50),
                   "products": [rng.pick(&PRODUCTS)],
                   "customer": {"name": name, "website": site, "country": rng.pick(&COUNTRIES)},
                   "submitted_at": format!("2026-{:02}-{:02}T09:00:00Z", 1 + day / 28 % 12, 1 + day % 28)})
        })
        .collect();
    let probes: Vec<Value> = (0..200u64)
        .map(|i| {
            // every other probe is a book company (a conflict to find), the rest are new
            let (name, site) = company(if i % 2 == 0 { i * 50 } else { 1_000_000 + i });
            json!({"id": format!("N{i:03}"), "partner_id": format!("P{:02}", rng.next() % 50),
                   "products": [rng.pick(&PRODUCTS)],
                   "customer": {"name": name.to_uppercase(), "email": format!("it@{site}"),
                                "country": rng.pick(&COUNTRIES)},
                   "submitted_at": "2026-08-01T00:00:00Z"})
        })
        .collect();
    let tiers = ["gold", "silver", "registered"];
    let route_partners: Vec<Value> = (0..1000u64)
        .map(|i| {
            let cs: Vec<&str> = (0..3).map(|_| rng.pick(&COUNTRIES)).collect();
            let ps: Vec<&str> = (0..2).map(|_| rng.pick(&PRODUCTS)).collect();
            json!({"id": format!("P{i:04}"), "countries": cs, "products": ps, "tier": tiers[(i % 3) as usize],
                   "capacity": 1_000_000 + i % 7, "open_leads": i % 7,
                   "performance": {"conversion_rate": (i % 40) as f64 / 100.0}})
        })
        .collect();
    let rules: Vec<Value> = (0..50usize)
        .map(|k| {
            let p = PRODUCTS[k % 6];
            json!({"name": format!("r{k:02}"),
                   "when": {"all": [{"field": "lead.amount", "op": "gte", "value": (k % 10) as f64 * 50_000.0},
                                    {"field": "lead.products", "op": "contains", "value": p}]},
                   "eligible": {"all": [{"field": "partner.countries", "op": "contains", "field_ref": "lead.country"},
                                        {"field": "partner.products", "op": "contains", "value": p},
                                        {"not": {"field": "partner.tier", "op": "eq",
                                                 "value": if k % 2 == 0 { "registered" } else { "none" }}}]},
                   "strategy": {"type": STRATEGIES[k % 3]},
                   "scoring": if k % 3 == 0 { json!([{"field": "partner.performance.conversion_rate", "weight": 10},
                       {"when": {"field": "partner.tier", "op": "eq", "value": "gold"}, "points": 2}]) } else { json!([]) }})
        })
        .collect();
    let leads: Vec<Value> = (0..1000u64)
        .map(|i| {
            json!({"id": format!("L{i:04}"), "country": COUNTRIES[(i % 20) as usize],
                   "amount": (i * 613 % 500_000) as f64, "products": [PRODUCTS[(i % 6) as usize]]})
        })
        .collect();
    json!({
        "conflicts": {"policy": {}, "partners": partners, "book": book, "probes": probes,
                      "as_of": "2026-08-01T00:00:00Z"},
        "routing": {"policy": {"rules": rules}, "partners": route_partners, "leads": leads}
    })
}

/// Median of per-call times in microseconds over `rounds` passes of `f` over `n` inputs.
fn per_call(n: usize, rounds: usize, mut f: impl FnMut(usize)) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for i in 0..n {
                f(i);
            }
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[rounds / 2]
}

/// Native per-call cost of `check` and `route` on the bench data (the same calls the browser
/// page times).
fn bench(data: &Value) -> Result<String> {
    let c = &data["conflicts"];
    let t = Instant::now();
    let index = conflict_index(c)?;
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let as_of: Timestamp = decode(&c["as_of"])?;
    let probes: Vec<Registration> = decode(&c["probes"])?;
    let mut found = 0;
    let check_us = per_call(probes.len(), 9, |i| {
        found += index.check(&probes[i], as_of).map_or(0, |v| v.len());
    });
    let r = &data["routing"];
    let router = Router::new(decode::<RoutingPolicy>(&r["policy"])?, decode(&r["partners"])?)?;
    let leads: Vec<Lead> = decode(&r["leads"])?;
    let mut state = RoutingState::default();
    let mut decided = 0;
    let route_us = per_call(leads.len(), 9, |i| {
        decided += usize::from(router.route(&leads[i], &mut state).partner_id.is_some());
    });
    Ok(
        json!({"index_build_ms": build_ms, "check_us": check_us, "route_us": route_us,
              "conflicts_found": found, "leads_decided": decided})
        .to_string(),
    )
}
