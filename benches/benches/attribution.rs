//! criterion benchmarks of the attribution engine: per-deal splits (5 touches), and Markov,
//! Shapley and heuristics over 1,000,000 journeys across 20 partners.
//! `cargo bench -p prm-benches --bench attribution`

#![forbid(unsafe_code)]
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prm_benches::{SplitMix, attribution_deals, journey_rows};
use prm_core::attribution::{self, Journeys, MarkovCounts, Model, ValueMode};
use std::hint::black_box;

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
