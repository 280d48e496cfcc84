//! Issue 8's "no quadratic blow-up on long strings or many tokens", measured: each hostile shape
//! at sizes k, 2k, 4k, 8k up to its documented limit, and the ratio of the largest to the
//! smallest time per call — about 8 when the work is linear in the input, 64 when quadratic.
//!
//!     cargo run --release -p prm-benches --bin hostile_scaling

#![forbid(unsafe_code)]

use prm_core::attribution::{self, Deal, Journeys, Model};
use prm_core::conflicts::{self, Customer, MatchPolicy};
use prm_core::routing::{self, Router};
use std::hint::black_box;
use std::time::Instant;

/// Median seconds per call of `f` over a few runs of enough calls to take ~50 ms.
fn time(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    f();
    let once = start.elapsed().as_secs_f64().max(1e-7);
    let calls = ((0.05 / once) as usize).clamp(1, 100_000);
    let mut runs: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                f();
            }
            t.elapsed().as_secs_f64() / calls as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[2]
}

fn row(what: &str, sizes: [usize; 4], mut f: impl FnMut(usize)) {
    let t: Vec<f64> = sizes.iter().map(|&k| time(|| f(k))).collect();
    let us: Vec<String> = t.iter().map(|x| format!("{:.1}", x * 1e6)).collect();
    println!(
        "| {what} | {} | {} µs | {:.1} |",
        sizes.map(|k| k.to_string()).join(" / "),
        us.join(" / "),
        t[3] / t[0]
    );
}

fn main() {
    println!("| input | sizes k | time per call | t(8k)/t(k) |");
    println!("|---|---|---|---|");
    row(
        "condition text: a flat `or` chain of k leaves (to 64 KiB)",
        [400, 800, 1600, 3200],
        |k| {
            let text = vec!["lead.amount > 1"; k].join(" or ");
            black_box(routing::parse_condition(&text).ok());
        },
    );
    row(
        "condition text: `in` a list of k strings",
        [1000, 2000, 4000, 8000],
        |k| {
            let items: Vec<String> = (0..k).map(|i| format!("\"c{i}\"")).collect();
            black_box(routing::parse_condition(&format!("lead.country in [{}]", items.join(","))).ok());
        },
    );
    row(
        "router: compile + route with `in` a list of k strings",
        [1000, 2000, 4000, 8000],
        |k| {
            let items: Vec<String> = (0..k).map(|i| format!("\"c{i}\"")).collect();
            let policy = format!(
                r#"{{"rules": [{{"name": "r", "when": {{"field": "lead.country", "op": "in", "value": [{}]}}, "strategy": {{"type": "first"}}}}]}}"#,
                items.join(",")
            );
            let router = Router::from_json(&policy, r#"[{"id": "P1"}]"#).unwrap();
            let lead = serde_json::from_str(r#"{"id": "L", "country": "c7"}"#).unwrap();
            black_box(router.route(&lead, &mut routing::RoutingState::default()));
        },
    );
    conflicts_rows();
    attribution_rows();
}

fn conflicts_rows() {
    row(
        "company name of k one-letter tokens: normalise",
        [64, 128, 256, 512],
        |k| {
            black_box(conflicts::normalize_company_name(&vec!["a"; k].join(" ")));
        },
    );
    row(
        "company names of k tokens: match two (one token differs)",
        [64, 128, 256, 512],
        |k| {
            let a: Vec<String> = (0..k)
                .map(|i| format!("{}", (b'a' + (i % 26) as u8) as char))
                .collect();
            let mut b = a.clone();
            b[k / 2] = "z".into();
            let (a, b) = (
                Customer {
                    name: a.join(" "),
                    ..Customer::default()
                },
                Customer {
                    name: b.join(" "),
                    ..Customer::default()
                },
            );
            black_box(conflicts::match_customers(&a, &b, &MatchPolicy::default()));
        },
    );
    row(
        "website of k bytes: extract the domain (to 2 KiB)",
        [256, 512, 1024, 2048],
        |k| {
            // exactly k bytes: many labels, then a long path
            let url = format!(
                "https://{}acme.co.uk/{}",
                "a.".repeat(k / 8),
                "x".repeat(k - k / 4 - 19)
            );
            black_box(conflicts::extract_domain(&url));
        },
    );
}

fn attribution_rows() {
    // the one cubic cost: the exact Markov solve inverts a dense partners × partners matrix,
    // which is why MAX_MARKOV_CHANNELS is 1,024
    row(
        "journey path of k steps over k partners: Markov",
        [125, 250, 500, 1000],
        |k| {
            let path: Vec<String> = (0..k).map(|i| format!("P{i}")).collect();
            let mut j = Journeys::new();
            j.push_text(&path.join(">"), 1.0, 1.0, 1.0, 0).unwrap();
            black_box(attribution::markov(&j, attribution::ValueMode::default()).ok());
        },
    );
    row(
        "deal of k touches: split (time_decay)",
        [1250, 2500, 5000, 10_000],
        |k| {
            let touches: Vec<String> = (0..k)
            .map(|i| format!(r#"{{"partner_id": "P{}", "at": "2026-01-01T00:00:{:02}Z", "touch_type": "influenced"}}"#, i % 97, i % 60))
            .collect();
            let deal: Deal = prm_core::json::from_str(&format!(
            r#"{{"id": "D", "amount": {{"amount": "1000000", "currency": "EUR"}}, "closed_at": "2026-03-01T00:00:00Z", "touches": [{}]}}"#,
            touches.join(",")
        ))
        .unwrap();
            black_box(
                attribution::split(
                    &deal,
                    &prm_core::json::from_str::<Model>(r#"{"type": "time_decay"}"#).unwrap(),
                )
                .ok(),
            );
        },
    );
}
