//! criterion benchmarks of the routing engine: the shared zen-engine 50-rule decision table
//! (1,000,000 leads), and one lead against 1,000 partners and 50 rules.
//! `cargo bench -p prm-benches --bench routing`

#![forbid(unsafe_code)]
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prm_benches::{SplitMix, zen_leads, zen_table_policy};
use prm_core::routing::{Lead, Partner, Router, RoutingPolicy, RoutingState};
use serde_json::json;
use std::hint::black_box;

/// 1,000 partners over 20 countries and 6 products, 50 rules: amount bands × product focus,
/// each eligible `partner.countries contains lead.country` plus a product or tier condition.
fn big_router() -> Router {
    big_router_with_capacity(1_000_000)
}

fn big_router_with_capacity(capacity: u64) -> Router {
    let countries = [
        "US", "CA", "GB", "DE", "FR", "NL", "SE", "JP", "AU", "SG", "IN", "BR", "MX", "AR", "IT", "ES", "PL",
        "AT", "CH", "BE",
    ];
    let products = ["core", "analytics", "security", "payments", "cloud", "data"];
    let tiers = ["gold", "silver", "registered"];
    let mut rng = SplitMix(21);
    let partners: Vec<Partner> = (0..1000)
        .map(|i| {
            let cs: Vec<&str> = (0..3)
                .map(|_| countries[(rng.unit() * 20.0) as usize % 20])
                .collect();
            let ps: Vec<&str> = (0..2)
                .map(|_| products[(rng.unit() * 6.0) as usize % 6])
                .collect();
            serde_json::from_value(json!({"id": format!("P{i:04}"), "countries": cs, "products": ps,
                "tier": tiers[i % 3], "capacity": capacity + (i % 7) as u64, "open_leads": i % 7,
                "performance": {"conversion_rate": ((i % 40) as f64) / 100.0}}))
            .unwrap()
        })
        .collect();
    let rules: Vec<serde_json::Value> = (0..50)
        .map(|k| {
            let lo = (k % 10) as f64 * 50_000.0;
            let p = products[k % 6];
            json!({"name": format!("r{k:02}"),
                   "when": {"all": [{"field": "lead.amount", "op": "gte", "value": lo},
                                    {"field": "lead.products", "op": "contains", "value": p}]},
                   "eligible": {"all": [{"field": "partner.countries", "op": "contains", "field_ref": "lead.country"},
                                        {"field": "partner.products", "op": "contains", "value": p},
                                        {"not": {"field": "partner.tier", "op": "eq", "value": if k % 2 == 0 { "registered" } else { "none" }}}]},
                   "strategy": {"type": if k % 3 == 0 { "best_score" } else if k % 3 == 1 { "round_robin" } else { "first" }},
                   "scoring": if k % 3 == 0 { json!([{"field": "partner.performance.conversion_rate", "weight": 10},
                                                     {"when": {"field": "partner.tier", "op": "eq", "value": "gold"}, "points": 2}]) } else { json!([]) }})
        })
        .collect();
    let policy: RoutingPolicy = serde_json::from_value(json!({"rules": rules})).unwrap();
    Router::new(policy, partners).unwrap()
}

fn bench(c: &mut Criterion) {
    let (policy, partners) = zen_table_policy();
    let table = Router::new(
        serde_json::from_value(policy).unwrap(),
        serde_json::from_value(partners).unwrap(),
    )
    .unwrap();
    let leads: Vec<Lead> = zen_leads(&mut SplitMix(7), 1_000_000)
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    let mut g = c.benchmark_group("routing");
    g.bench_function("route one lead, 50-rule zen table", |b| {
        let mut s = RoutingState::default();
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % 1000;
            table.route(black_box(&leads[i]), &mut s)
        });
    });
    let big = big_router();
    let big_leads: Vec<Lead> = (0..10_000)
        .map(|i| {
            let countries = ["US", "DE", "FR", "JP", "BR", "IN", "GB", "AT"];
            let products = ["core", "analytics", "security", "payments", "cloud", "data"];
            serde_json::from_value(json!({"id": format!("B{i}"), "country": countries[i % 8],
                "amount": (i * 613 % 500_000) as f64, "products": [products[i % 6]]}))
            .unwrap()
        })
        .collect();
    g.bench_function("route one lead, 1,000 partners, 50 rules", |b| {
        let mut s = RoutingState::default();
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % 1000;
            big.route(black_box(&big_leads[i]), &mut s)
        });
    });
    g.sample_size(10);
    let many: Vec<Lead> = big_leads[..1000].to_vec();
    // what the exact assignment gains over the greedy batch (printed once, not timed)
    let tight = big_router_with_capacity(2);
    let greedy = tight.route_batch(&many, &mut RoutingState::default());
    let optimal = tight.assign_optimal(&many);
    let sum = |d: &[prm_core::routing::RoutingDecision]| {
        let n = d.iter().filter(|x| x.partner_id.is_some()).count();
        let s: rust_decimal::Decimal = d
            .iter()
            .filter(|x| {
                x.rule.as_deref().is_some_and(|r| {
                    r.ends_with('0') || r.ends_with('3') || r.ends_with('6') || r.ends_with('9')
                })
            })
            .filter_map(|x| x.score)
            .sum();
        (n, s)
    };
    eprintln!(
        "capacity 2 per partner, 1,000 leads: greedy route_batch assigns/total best_score {:?}, assign_optimal {:?}",
        sum(&greedy),
        sum(&optimal)
    );
    g.bench_function(
        "assign_optimal 1,000 leads x 1,000 partners (min-cost max-flow)",
        |b| {
            b.iter(|| big.assign_optimal(&many));
        },
    );
    g.bench_function(
        "assign_optimal 10,000 leads x 1,000 partners (min-cost max-flow)",
        |b| {
            b.iter(|| big.assign_optimal(&big_leads));
        },
    );
    g.throughput(Throughput::Elements(leads.len() as u64));
    g.bench_function("route_batch 1M leads, 50-rule zen table", |b| {
        b.iter(|| table.route_batch(&leads, &mut RoutingState::default()));
    });
    g.bench_function("route_batch_lean 1M leads, 50-rule zen table", |b| {
        b.iter(|| table.route_batch_lean(&leads, &mut RoutingState::default()));
    });
    g.bench_function("route_batch_lean_threads(2) 1M leads, 50-rule zen table", |b| {
        b.iter(|| table.route_batch_lean_threads(&leads, &mut RoutingState::default(), 2));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
