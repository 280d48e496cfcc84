//! criterion benchmarks of the ROPI engine: the single-call solvers on 20 flows and the batch
//! paths at 100,000 series. `cargo bench -p prm-benches --bench ropi`

#![forbid(unsafe_code)]
#![allow(missing_docs)]

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prm_benches::{SplitMix, dated_series};
use prm_core::ropi;
use std::hint::black_box;

fn single(c: &mut Criterion) {
    let mut rng = SplitMix(42);
    let (days, amounts) = dated_series(&mut rng, 20);
    let epoch = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
    let dates: Vec<NaiveDate> = days
        .iter()
        .map(|d| epoch + chrono::Days::new(u64::try_from(*d - 1).unwrap()))
        .collect();
    let periodic: Vec<f64> = amounts.clone();

    let mut g = c.benchmark_group("ropi/20 flows");
    g.bench_function("npv", |b| {
        b.iter(|| ropi::npv(black_box(0.08), black_box(&periodic)));
    });
    g.bench_function("irr", |b| b.iter(|| ropi::irr(black_box(&periodic), None)));
    g.bench_function("xnpv", |b| {
        b.iter(|| ropi::xnpv(black_box(0.08), black_box(&dates), black_box(&amounts)));
    });
    g.bench_function("xirr", |b| {
        b.iter(|| ropi::xirr(black_box(&dates), black_box(&amounts), None));
    });
    g.bench_function("xirr_days", |b| {
        b.iter(|| ropi::xirr_days(black_box(&days), black_box(&amounts), None));
    });
    let two_roots = [-1.0, 2.4, -1.43];
    g.bench_function("irr_roots (two sign changes)", |b| {
        b.iter(|| ropi::irr_roots(black_box(&two_roots)));
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let mut rng = SplitMix(7);
    let n = 100_000;
    let (mut offsets, mut days, mut amounts) = (vec![0usize], Vec::new(), Vec::new());
    for _ in 0..n {
        let (d, a) = dated_series(&mut rng, 20);
        days.extend(d);
        amounts.extend(a);
        offsets.push(days.len());
    }
    let mut g = c.benchmark_group("ropi/batch 100k x 20 flows");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("xirr_batch, 1 thread", |b| {
        b.iter(|| ropi::xirr_batch(&offsets, &days, &amounts, None, 1));
    });
    g.bench_function("xirr_batch, all cores", |b| {
        b.iter(|| ropi::xirr_batch(&offsets, &days, &amounts, None, 0));
    });
    g.bench_function("irr_batch, 1 thread", |b| {
        b.iter(|| ropi::irr_batch(&offsets, &amounts, None, 1));
    });
    g.finish();
}

criterion_group!(benches, single, batch);
criterion_main!(benches);
