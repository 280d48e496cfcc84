//! criterion benchmarks of the tiers engine: one evaluation of a 4-tier, 12-requirement
//! program, 100,000 partners, and a what-if over 100,000 partners.
//! `cargo bench -p prm-benches --bench tiers`

#![forbid(unsafe_code)]
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use prm_benches::{SplitMix, TIER_PROGRAM, tier_metrics};
use prm_core::domain::PartnerId;
use prm_core::tiers::{
    GapRef, MetricColumn, PartnerMetrics, RowStatus, TableBlock, TableSink, TierProgram, simulate,
};
use rust_decimal::Decimal;
use std::hint::black_box;

fn partners(n: usize) -> Vec<PartnerMetrics> {
    let names = ["revenue", "certified", "csat", "deals", "renewal", "nps"];
    tier_metrics(&mut SplitMix(3), n)
        .into_iter()
        .enumerate()
        .map(|(i, row)| PartnerMetrics {
            partner_id: format!("P{i:06}").into(),
            values: names
                .iter()
                .zip(row)
                .map(|(k, v)| ((*k).to_owned(), Decimal::try_from(v).unwrap()))
                .collect(),
        })
        .collect()
}

/// What a columnar output (the Python wrapper's Arrow sink) keeps: the statuses, and the gaps'
/// units, offsets and values as floats.
struct Columns {
    statuses: Vec<Option<RowStatus>>,
    offsets: Vec<u32>,
    units: Vec<u32>,
    actual: Vec<f64>,
    short_by: Vec<f64>,
}

impl Columns {
    /// Room for `n` rows and `2n` gaps (as the Python wrapper's sink).
    fn new(n: usize) -> Self {
        Columns {
            statuses: Vec::with_capacity(n),
            offsets: Vec::with_capacity(n + 1),
            units: Vec::with_capacity(2 * n),
            actual: Vec::with_capacity(2 * n),
            short_by: Vec::with_capacity(2 * n),
        }
    }
}

impl TableSink for Columns {
    fn row(&mut self, status: Option<RowStatus>) {
        self.statuses.push(status);
        self.offsets.push(u32::try_from(self.units.len()).unwrap());
    }
    fn gap(&mut self, gap: GapRef<'_>) {
        let (a, s) = gap.floats();
        self.units.push(gap.unit());
        self.actual.push(a.unwrap_or(f64::NAN));
        self.short_by.push(s.unwrap_or(f64::NAN));
    }
    fn errors(&mut self, _: Vec<(usize, prm_core::Error)>) {}
    fn block(&mut self, block: &TableBlock<'_>) {
        self.statuses.extend_from_slice(block.statuses());
        let base = u32::try_from(self.units.len()).unwrap();
        let offsets = block.gap_offsets();
        self.offsets
            .extend(offsets[..block.len()].iter().map(|o| o + base));
        let (from, n) = (self.units.len(), block.gap_count());
        self.units.resize(from + n, 0);
        self.actual.resize(from + n, 0.0);
        self.short_by.resize(from + n, 0.0);
        block.gap_floats(
            &mut self.units[from..],
            &mut self.actual[from..],
            &mut self.short_by[from..],
        );
    }
}

fn bench(c: &mut Criterion) {
    let program = TierProgram::from_json(TIER_PROGRAM).unwrap();
    let many = partners(100_000);
    let mut g = c.benchmark_group("tiers");
    g.bench_function("evaluate one partner (4 tiers, 12 requirements)", |b| {
        b.iter(|| program.evaluate(black_box(&many[7]), None, None));
    });
    g.sample_size(10);
    g.throughput(Throughput::Elements(many.len() as u64));
    g.bench_function("evaluate_many 100k partners", |b| {
        b.iter(|| program.evaluate_many(&many, None, None));
    });
    // the same partners as columns, by the program's metric ids (what the Arrow entry reads)
    let ids: Vec<PartnerId> = many.iter().map(|m| m.partner_id.clone()).collect();
    let columns: Vec<Vec<Option<Decimal>>> = program
        .metric_names()
        .iter()
        .map(|name| many.iter().map(|m| m.values.get(name).copied()).collect())
        .collect();
    let refs: Vec<Option<&[Option<Decimal>]>> = columns.iter().map(|c| Some(c.as_slice())).collect();
    g.bench_function("evaluate_columns 100k partners", |b| {
        b.iter(|| program.evaluate_columns(&ids, &refs, None, None, 1));
    });
    g.bench_function("evaluate_columns 100k partners, 2 threads", |b| {
        b.iter(|| program.evaluate_columns(&ids, &refs, None, None, 2));
    });
    // the same partners as float columns (what a DataFrame holds): the columnar evaluator
    let names = ["revenue", "certified", "csat", "deals", "renewal", "nps"];
    let rows = tier_metrics(&mut SplitMix(3), many.len());
    let floats: Vec<Vec<f64>> = program
        .metric_names()
        .iter()
        .map(|m| {
            let k = names.iter().position(|n| n == m).unwrap();
            rows.iter().map(|r| r[k]).collect()
        })
        .collect();
    let views: Vec<MetricColumn<'_>> = floats.iter().map(|c| MetricColumn::Floats(c)).collect();
    g.bench_function("evaluate_table 100k partners, float columns", |b| {
        b.iter(|| program.evaluate_table(rows.len(), &views, None, 1));
    });
    g.bench_function("evaluate_table 100k partners, float columns, 2 threads", |b| {
        b.iter(|| program.evaluate_table(rows.len(), &views, None, 2));
    });
    g.bench_function(
        "evaluate_table_with 100k partners, float columns, columnar sink",
        |b| {
            b.iter(|| program.evaluate_table_with(rows.len(), &views, None, 1, |r| Columns::new(r.len())));
        },
    );
    let proposed = TierProgram::from_json(&TIER_PROGRAM.replace("1000000", "800000")).unwrap();
    g.bench_function("simulate 100k partners", |b| {
        b.iter(|| simulate(&program, &proposed, &many, None, None));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
