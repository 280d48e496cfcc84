//! criterion benchmarks of the attribution engine: per-deal splits (5 touches), and Markov,
//! Shapley and heuristics over 1,000,000 journeys across 20 partners.
//! `cargo bench -p prm-benches --bench attribution`

#![forbid(unsafe_code)]
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prm_benches::{SplitMix, attribution_deals, journey_rows};
use prm_core::attribution::{self, Amounts, Journeys, MarkovCounts, Model, TouchTable, ValueMode};
use std::hint::black_box;

/// A deal as text: (id, amount, currency, [(partner, touch type)]).
type DealText = (String, String, String, Vec<(String, String)>);

fn bench(c: &mut Criterion) {
    let deals = attribution_deals(&mut SplitMix(5), 100_000, 5);
    let mut g = c.benchmark_group("attribution");
    for name in ["linear", "position_based", "w_shaped", "time_decay", "custom"] {
        let model = Model::named(name).unwrap();
        g.bench_function(format!("split one deal, 5 touches, {name}"), |b| {
            b.iter(|| attribution::split(black_box(&deals[7]), &model));
        });
    }
    g.sample_size(10);
    g.throughput(Throughput::Elements(deals.len() as u64));
    g.bench_function("split_many 100k deals, 5 touches, linear", |b| {
        b.iter(|| attribution::split_many(&deals, &Model::linear()));
    });
    g.bench_function("split_many 100k deals, 5 touches, linear, all cores", |b| {
        b.iter(|| attribution::split_many_threads(&deals, &Model::linear(), 0));
    });
    // the same deals in long format (one row per touch), as a DataFrame holds them: the columnar
    // split (shares without the per-touch explanation)
    let strings: Vec<DealText> = deals
        .iter()
        .map(|d| {
            (
                d.id.to_string(),
                d.amount.amount.to_string(),
                d.amount.currency.code().to_owned(),
                d.touches
                    .iter()
                    .map(|t| (t.partner_id.to_string(), t.touch_type.as_str().to_owned()))
                    .collect(),
            )
        })
        .collect();
    let mut table = TouchTable {
        deal_id: Vec::new(),
        amount: Amounts::Text(Vec::new()),
        currency: Vec::new(),
        closed_at_ns: Vec::new(),
        partner_id: Vec::new(),
        at_ns: Vec::new(),
        touch_type: Vec::new(),
        weight: None,
    };
    for (d, (id, amount, currency, touches)) in deals.iter().zip(&strings) {
        for (t, (partner, kind)) in d.touches.iter().zip(touches) {
            table.deal_id.push(id);
            if let Amounts::Text(a) = &mut table.amount {
                a.push(amount);
            }
            table.currency.push(currency);
            table
                .closed_at_ns
                .push(d.closed_at.timestamp_nanos_opt().unwrap());
            table.partner_id.push(partner);
            table.at_ns.push(t.at.timestamp_nanos_opt().unwrap());
            table.touch_type.push(kind);
        }
    }
    g.bench_function(
        "split_table 100k deals, 5 touches, linear (columnar, no explanation)",
        |b| {
            b.iter(|| attribution::split_table(&table, &Model::linear(), 1));
        },
    );
    g.bench_function("split_table 100k deals, 5 touches, linear, all cores", |b| {
        b.iter(|| attribution::split_table(&table, &Model::linear(), 0));
    });
    let rows = journey_rows(&mut SplitMix(9), 1_000_000, 20);
    g.throughput(Throughput::Elements(rows.len() as u64));
    let parse = || {
        let mut j = Journeys::new();
        for (i, (p, c, v, u)) in rows.iter().enumerate() {
            j.push_text(p, *c, *v, *u, i).unwrap();
        }
        j
    };
    g.bench_function("parse 1M journeys from text", |b| b.iter(parse));
    let j = parse();
    g.bench_function("markov 1M journeys, 20 partners (count + exact solve)", |b| {
        b.iter(|| attribution::markov(&j, ValueMode::ChannelAttribution));
    });
    let counts = MarkovCounts::from_journeys(&j);
    g.bench_function("markov solve from counts (20 partners)", |b| {
        b.iter(|| counts.solve(ValueMode::ChannelAttribution));
    });
    g.bench_function("shapley 1M journeys", |b| {
        b.iter(|| attribution::shapley(&j, false));
    });
    g.bench_function("heuristics 1M journeys", |b| {
        b.iter(|| attribution::heuristics(&j));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
