//! The columnar evaluator (`TierProgram::evaluate_table`) against the row evaluator
//! (`evaluate_values`): equal answers row for row, for any program, any column kinds and any
//! previous statuses.

use prm_core::domain::decimal_from_f64;
use prm_core::tiers::{
    MetricColumn, Op, PointsTerm, Previous, Requirement, TierProgram, TierProgramSpec, TierSpec,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const METRICS: [&str; 4] = ["a", "b", "c", "d"];

/// Decimals of various scales and signs, a few at the edges of the range.
fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        8 => (-2_000i64..2_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => (any::<i64>(), 0u32..29).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => prop_oneof![Just(Decimal::MAX), Just(Decimal::MIN), Just(Decimal::new(1, 28))],
    ]
}

fn positive() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        9 => (1i64..500, 0u32..3).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => prop_oneof![Just(Decimal::new(1, 28)), Just(Decimal::MAX)],
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop::sample::select(vec![Op::Gte, Op::Gt, Op::Lte, Op::Lt, Op::Eq, Op::Ne])
}

fn requirement() -> impl Strategy<Value = Requirement> {
    let leaf = (prop::sample::select(METRICS.to_vec()), op(), decimal()).prop_map(|(m, op, value)| {
        Requirement::Leaf {
            metric: m.into(),
            op,
            value,
        }
    });
    let points = (
        prop::collection::vec(
            (
                prop::sample::select(METRICS.to_vec()),
                positive(),
                decimal(),
                prop::option::of(decimal()),
            ),
            1..4,
        ),
        decimal(),
    )
        .prop_map(|(terms, min)| Requirement::Points {
            points: terms
                .into_iter()
                .map(|(m, per, points, cap)| PointsTerm {
                    metric: m.into(),
                    per,
                    points,
                    cap,
                })
                .collect(),
            min,
        });
    prop_oneof![3 => leaf, 1 => points].prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|all| Requirement::All { all }),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|any| Requirement::Any { any }),
            prop::collection::vec(inner, 1..4)
                .prop_flat_map(|of| (0..=of.len() as u32, Just(of)))
                .prop_map(|(at_least, of)| Requirement::AtLeast { at_least, of }),
        ]
    })
}

fn program() -> impl Strategy<Value = TierProgram> {
    (
        prop::collection::vec(prop::option::of(requirement()), 1..5),
        0u32..3,
    )
        .prop_map(|(reqs, grace)| {
            TierProgram::new(TierProgramSpec {
                tiers: reqs
                    .into_iter()
                    .enumerate()
                    .map(|(i, requirements)| TierSpec {
                        name: format!("t{i}"),
                        requirements,
                        benefits: BTreeMap::new(),
                    })
                    .collect(),
                grace_periods: grace,
            })
            .unwrap()
        })
}

/// A column as the table holds it.
#[derive(Debug, Clone)]
enum Col {
    Missing,
    Floats(Vec<f64>),
    Ints(Vec<Option<i64>>),
    Decimals(Vec<Option<Decimal>>),
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (-3_000i64..3_000, 0u32..4).prop_map(|(m, s)| m as f64 / 10f64.powi(s as i32)),
        1 => Just(f64::NAN),
        1 => prop_oneof![Just(f64::INFINITY), Just(1e30), Just(0.1 + 0.2), Just(1.0 / 3.0), Just(9.1e15)],
        // around 2^51 and 2^52, where the fast reading of floats stops
        1 => prop_oneof![Just(2_251_799_813_685_247.0), Just(-2_251_799_813_685_248.0), Just(2_251_799_813_685_249.0),
                         Just(225_179_981_368_524.75), Just(4_503_599_627_370_497.0), Just(450_359_962_737_049.6)],
        1 => any::<f64>(),
    ]
}

fn column(n: usize) -> impl Strategy<Value = Col> {
    prop_oneof![
        1 => Just(Col::Missing),
        3 => prop::collection::vec(float(), n).prop_map(Col::Floats),
        2 => prop::collection::vec(prop::option::of(prop_oneof![9 => -3_000i64..3_000, 1 => any::<i64>()]), n)
            .prop_map(Col::Ints),
        2 => prop::collection::vec(prop::option::of(decimal()), n).prop_map(Col::Decimals),
    ]
}

/// Each row's previous tier (if any) and failure count.
type Prev = Option<Vec<Option<(Option<String>, u32)>>>;

fn table() -> impl Strategy<Value = (usize, Vec<Col>, Prev)> {
    (0usize..40).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec(column(n), 4),
            prop::option::of(prop::collection::vec(
                prop::option::of((
                    prop::option::of(
                        prop::sample::select(vec!["t0", "t1", "t2", "t3", "t4", "gold"])
                            .prop_map(String::from),
                    ),
                    0u32..4,
                )),
                n,
            )),
        )
    })
}

fn view(c: &Col) -> MetricColumn<'_> {
    match c {
        Col::Missing => MetricColumn::Missing,
        Col::Floats(v) => MetricColumn::Floats(v),
        Col::Ints(v) => MetricColumn::Ints(v),
        Col::Decimals(v) => MetricColumn::Decimals(v),
    }
}

/// Row `i`'s value as the row evaluator takes it (`Err` for a float no decimal holds).
fn value(c: &Col, i: usize) -> Result<Option<Decimal>, ()> {
    Ok(match c {
        Col::Missing => None,
        Col::Ints(v) => v[i].map(Decimal::from),
        Col::Decimals(v) => v[i],
        Col::Floats(v) if v[i].is_nan() => None,
        Col::Floats(v) => Some(decimal_from_f64(v[i]).ok_or(())?),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn columns_answer_as_rows_do(program in program(), (n, cols, prev) in table()) {
        let by_name: BTreeMap<&str, &Col> = METRICS.iter().copied().zip(&cols).collect();
        let mine: Vec<&Col> = program.metric_names().iter().map(|m| by_name[m.as_str()]).collect();
        let views: Vec<MetricColumn<'_>> = mine.iter().map(|c| view(c)).collect();
        let previous: Option<Vec<Option<Previous<'_>>>> = prev.as_ref().map(|p| {
            p.iter()
                .map(|x| x.as_ref().map(|(tier, failures)| Previous { tier: tier.as_deref(), failures: *failures }))
                .collect()
        });
        let table = program.evaluate_table(n, &views, previous.as_deref(), 1).unwrap();
        prop_assert_eq!(table.len(), n);
        prop_assert_eq!(table.gap_offsets.len(), n + 1);
        prop_assert!(table.errors.windows(2).all(|w| w[0].0 <= w[1].0));
        for i in 0..n {
            let errors: Vec<_> = table.errors.iter().filter(|(r, _)| *r == i).map(|(_, e)| e).collect();
            let values: Result<Vec<Option<Decimal>>, ()> = mine.iter().map(|c| value(c, i)).collect();
            let Ok(values) = values else {
                prop_assert!(errors.first().is_some_and(|e| e.code() == "InvalidInput"), "row {}", i);
                prop_assert!(table.gaps_of(i).is_empty() && table.tier_name(i).is_none());
                continue;
            };
            let p = previous.as_ref().and_then(|p| p[i]);
            match program.evaluate_values(&format!("P{i}").as_str().into(), &values, p, None) {
                Err(e) => {
                    prop_assert_eq!(errors.len(), 1, "row {}", i);
                    prop_assert_eq!(errors[0].code(), e.code());
                    prop_assert_eq!(errors[0].path(), e.path());
                    prop_assert!(table.gaps_of(i).is_empty() && table.tier_name(i).is_none());
                }
                Ok(s) => {
                    prop_assert!(errors.is_empty(), "row {}: {:?}", i, errors);
                    prop_assert_eq!(table.tier_name(i), s.tier.as_deref(), "row {}", i);
                    prop_assert_eq!(table.qualified_tier_name(i), s.qualified_tier.as_deref());
                    prop_assert_eq!(table.change[i], s.change);
                    prop_assert_eq!(table.failures[i], s.failures);
                    prop_assert_eq!(table.probation_remaining[i], s.probation_remaining);
                    let gaps = table.gaps_of(i);
                    prop_assert_eq!(gaps.len(), s.gaps_to_next.len(), "row {}", i);
                    for (g, want) in gaps.iter().zip(&s.gaps_to_next) {
                        let unit = table.unit(g);
                        prop_assert_eq!(unit.metric, want.metric.as_str());
                        prop_assert_eq!(unit.op, want.op);
                        prop_assert_eq!(unit.required.to_string(), want.required.to_string());
                        // equal as written, scale included
                        prop_assert_eq!(g.actual.map(|d| d.to_string()), want.actual.map(|d| d.to_string()), "row {}", i);
                        prop_assert_eq!(g.short_by.map(|d| d.to_string()), want.short_by.map(|d| d.to_string()), "row {}", i);
                    }
                }
            }
        }
    }
}

/// Chunks on several threads give the one-thread answer.
#[test]
fn threads_do_not_change_the_answer() {
    let program = TierProgram::from_json(
        r#"{"grace_periods": 1, "tiers": [{"name": "r"},
        {"name": "s", "requirements": {"all": [{"metric": "x", "op": "gte", "value": "2.5"}, {"metric": "y", "op": "lt", "value": 70}]}},
        {"name": "g", "requirements": {"points": [{"metric": "x", "per": "0.5", "points": 2, "cap": 9}, {"metric": "y", "per": 10, "points": "1.5"}], "min": 12}}]}"#,
    )
    .unwrap();
    let n: i64 = 50_000;
    let x: Vec<f64> = (0..n).map(|i| ((i * 7919) % 61) as f64 / 10.0).collect();
    let y: Vec<Option<i64>> = (0..n)
        .map(|i| (i % 13 != 0).then_some((i * 104_729) % 97))
        .collect();
    let names = ["r", "s", "g", "nope"];
    let prev: Vec<Option<Previous<'_>>> = (0..n)
        .map(|i| {
            (i % 5 != 0).then(|| Previous {
                tier: Some(names[(i as usize) % 4]),
                failures: (i % 3) as u32,
            })
        })
        .collect();
    let cols = [MetricColumn::Floats(&x), MetricColumn::Ints(&y)];
    let one = program.evaluate_table(n as usize, &cols, Some(&prev), 1).unwrap();
    for t in [2, 3, 0] {
        assert_eq!(
            program.evaluate_table(n as usize, &cols, Some(&prev), t).unwrap(),
            one
        );
    }
    assert!(one.errors.len() > 1000 && !one.gaps.is_empty());
}

/// Records every gap's values both ways: as decimals and as the floats a columnar output
/// writes without building decimals.
#[derive(Default)]
struct FloatsAgree {
    gaps: usize,
    mismatches: Vec<String>,
}

impl prm_core::tiers::TableSink for FloatsAgree {
    fn row(&mut self, _: Option<prm_core::tiers::RowStatus>) {}
    fn gap(&mut self, g: prm_core::tiers::GapRef<'_>) {
        use prm_core::domain::f64_from_decimal;
        self.gaps += 1;
        let same = |f: Option<f64>, d: Option<Decimal>| match (f, d) {
            (Some(f), Some(d)) => f.to_bits() == f64_from_decimal(d).to_bits(),
            (f, d) => f.is_none() && d.is_none(),
        };
        let (actual, short_by) = g.floats();
        if !same(g.actual_f64(), g.actual())
            || !same(g.short_by_f64(), g.short_by())
            || !same(actual, g.actual())
            || !same(short_by, g.short_by())
        {
            self.mismatches
                .push(format!("{g:?}: {:?} {:?}", g.actual_f64(), g.short_by_f64()));
        }
    }
    fn errors(&mut self, _: Vec<(usize, prm_core::Error)>) {}
    /// Each gap through `gap`, and the block's bulk values checked against them.
    fn block(&mut self, block: &prm_core::tiers::TableBlock<'_>) {
        let n = block.gap_count();
        let (mut units, mut actual, mut short_by) = (vec![0; n], vec![0.0; n], vec![0.0; n]);
        block.gap_floats(&mut units, &mut actual, &mut short_by);
        let bits = |f: Option<f64>| f.unwrap_or(f64::NAN).to_bits();
        let offsets = block.gap_offsets();
        let mut k = 0;
        for (i, &offset) in offsets[..block.len()].iter().enumerate() {
            assert_eq!(offset as usize, k);
            for g in block.gaps(i) {
                let (a, s) = g.floats();
                if (units[k], actual[k].to_bits(), short_by[k].to_bits()) != (g.unit(), bits(a), bits(s)) {
                    self.mismatches
                        .push(format!("bulk {g:?}: {} {} {}", units[k], actual[k], short_by[k]));
                }
                self.gap(g);
                k += 1;
            }
        }
        assert_eq!(
            (offsets.len(), offsets[block.len()] as usize, k),
            (block.len() + 1, n, n)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A gap's floats are the nearest floats of its decimals, bit for bit, one by one and a
    /// block's at once.
    #[test]
    fn gap_floats_are_the_nearest_floats_of_the_decimals(program in program(), (n, cols, _) in table()) {
        let by_name: BTreeMap<&str, &Col> = METRICS.iter().copied().zip(&cols).collect();
        let views: Vec<MetricColumn<'_>> =
            program.metric_names().iter().map(|m| view(by_name[m.as_str()])).collect();
        let parts = program.evaluate_table_with(n, &views, None, 1, |_| FloatsAgree::default()).unwrap();
        for (_, sink) in parts {
            prop_assert!(sink.mismatches.is_empty(), "{:?}", sink.mismatches);
        }
    }
}

/// Tables longer than the evaluator's blocks of rows (4,096), whose columns change scale and
/// hold bad values in later blocks, answer row for row as the row evaluator does.
#[test]
fn blocks_answer_as_rows_do() {
    let program = TierProgram::from_json(
        r#"{"grace_periods": 2, "tiers": [{"name": "r"},
        {"name": "s", "requirements": {"any": [{"metric": "x", "op": "gte", "value": "2.5"}, {"metric": "y", "op": "lt", "value": -70}]}},
        {"name": "g", "requirements": {"all": [{"metric": "z", "op": "lte", "value": "0.75"},
          {"points": [{"metric": "x", "per": "0.5", "points": 2, "cap": 9}, {"metric": "y", "per": 10, "points": "1.5"},
                      {"metric": "z", "per": 1, "points": 1}], "min": 12}]}}]}"#,
    )
    .unwrap();
    let n = 13_000usize;
    let mut seed = 7u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as i64
    };
    // x: whole numbers in the first block, tenths from the second, hundredths from the third
    let x: Vec<f64> = (0..n)
        .map(|i| match i {
            5_000 => f64::INFINITY,
            9_001 => f64::NAN,
            _ if i < 4_096 => (next() % 9) as f64,
            _ if i < 8_192 => (next() % 90) as f64 / 10.0,
            _ => (next() % 900) as f64 / 100.0,
        })
        .collect();
    let y: Vec<Option<i64>> = (0..n)
        .map(|_| Some(next() % 200 - 100).filter(|v| v % 17 != 0))
        .collect();
    let z: Vec<Option<Decimal>> = (0..n)
        .map(|i| (i % 11 != 0).then(|| Decimal::new(next() % 300, (i % 3) as u32)))
        .collect();
    let names = ["r", "s", "g", "nope"];
    let prev: Vec<Option<Previous<'_>>> = (0..n)
        .map(|i| {
            (i % 4 != 0).then(|| Previous {
                tier: Some(names[(next() % 4) as usize]),
                failures: (i % 3) as u32,
            })
        })
        .collect();
    let cols = [
        MetricColumn::Floats(&x),
        MetricColumn::Ints(&y),
        MetricColumn::Decimals(&z),
    ];
    assert_eq!(program.metric_names(), ["x", "y", "z"]);
    let table = program.evaluate_table(n, &cols, Some(&prev), 1).unwrap();
    let (mut gaps, mut bad) = (0, 0);
    for i in 0..n {
        let values = [
            (!x[i].is_nan())
                .then(|| prm_core::domain::decimal_from_f64(x[i]))
                .flatten(),
            y[i].map(Decimal::from),
            z[i],
        ];
        if x[i].is_infinite() {
            assert_eq!(codes_of(&table, i), ["InvalidInput"]);
            bad += 1;
            continue;
        }
        match row_as_evaluate_values(&program, &table, i, &values, prev[i]) {
            Some(g) => gaps += g,
            None => bad += 1,
        }
    }
    assert!(gaps > 5_000 && bad > 2_000, "{gaps} gaps, {bad} bad rows");
    let floats = program
        .evaluate_table_with(n, &cols, Some(&prev), 1, |_| FloatsAgree::default())
        .unwrap();
    assert!(
        floats[0].1.mismatches.is_empty(),
        "{:?}",
        &floats[0].1.mismatches[..3]
    );
    assert_eq!(floats[0].1.gaps, table.gaps.len());
}

/// A tier whose requirements have more than 32 comparisons (more than the bits a row's gaps are
/// found with) finds them by walking the tree: the same answers.
#[test]
fn trees_beyond_32_units_answer_as_rows_do() {
    let leaves: Vec<String> = (0..70)
        .map(|k| {
            format!(
                r#"{{"metric": "m{}", "op": "gte", "value": {}}}"#,
                k % 3,
                k * 7 % 50
            )
        })
        .collect();
    let program = TierProgram::from_json(&format!(
        r#"{{"tiers": [{{"name": "base"}}, {{"name": "wide", "requirements": {{"at_least": 40, "of": [{}]}}}},
           {{"name": "top", "requirements": {{"metric": "m0", "op": "gt", "value": "48.5"}}}}]}}"#,
        leaves.join(", ")
    ))
    .unwrap();
    let n = 5_000usize;
    let m0: Vec<f64> = (0..n).map(|i| (i % 50) as f64).collect();
    let m1: Vec<f64> = (0..n).map(|i| (i % 37) as f64 + 0.5).collect();
    let m2: Vec<Option<i64>> = (0..n)
        .map(|i| Some((i % 53) as i64).filter(|_| i % 9 != 0))
        .collect();
    let cols = [
        MetricColumn::Floats(&m0),
        MetricColumn::Floats(&m1),
        MetricColumn::Ints(&m2),
    ];
    assert_eq!(program.metric_names(), ["m0", "m1", "m2"]);
    let table = program.evaluate_table(n, &cols, None, 1).unwrap();
    let mut gaps = 0;
    for i in 0..n {
        let values = [
            prm_core::domain::decimal_from_f64(m0[i]),
            prm_core::domain::decimal_from_f64(m1[i]),
            m2[i].map(Decimal::from),
        ];
        gaps += row_as_evaluate_values(&program, &table, i, &values, None).unwrap();
    }
    assert!(gaps > 10 * n, "{gaps} gaps");
    let floats = program
        .evaluate_table_with(n, &cols, None, 1, |_| FloatsAgree::default())
        .unwrap();
    assert!(
        floats[0].1.mismatches.is_empty(),
        "{:?}",
        &floats[0].1.mismatches[..3]
    );
    assert_eq!(floats[0].1.gaps, gaps);
}

/// Asserts that row `i` of `table` is what `evaluate_values` answers; its number of gaps, or
/// `None` for a row in error.
fn row_as_evaluate_values(
    program: &TierProgram,
    table: &prm_core::tiers::TierTable<'_>,
    i: usize,
    values: &[Option<Decimal>],
    prev: Option<Previous<'_>>,
) -> Option<usize> {
    let errors = codes_of(table, i);
    let s = match program.evaluate_values(&"P".into(), values, prev, None) {
        Err(e) => {
            assert_eq!(errors, [e.code()], "row {i}");
            return None;
        }
        Ok(s) => s,
    };
    assert!(errors.is_empty(), "row {i}");
    assert_eq!(table.tier_name(i), s.tier.as_deref(), "row {i}");
    assert_eq!(
        table.qualified_tier_name(i),
        s.qualified_tier.as_deref(),
        "row {i}"
    );
    assert_eq!(
        (table.change[i], table.failures[i]),
        (s.change, s.failures),
        "row {i}"
    );
    assert_eq!(table.probation_remaining[i], s.probation_remaining, "row {i}");
    let got: Vec<String> = table
        .gaps_of(i)
        .iter()
        .map(|g| {
            format!(
                "{} {:?} {:?} {:?}",
                table.unit(g).metric,
                table.unit(g).op,
                g.actual,
                g.short_by
            )
        })
        .collect();
    let want: Vec<String> = s
        .gaps_to_next
        .iter()
        .map(|g| format!("{} {:?} {:?} {:?}", g.metric, g.op, g.actual, g.short_by))
        .collect();
    assert_eq!(got, want, "row {i}");
    Some(got.len())
}

/// The error codes of row `i` of `table`.
fn codes_of<'t>(table: &'t prm_core::tiers::TierTable<'_>, i: usize) -> Vec<&'t str> {
    table
        .errors
        .iter()
        .filter(|(r, _)| *r == i)
        .map(|(_, e)| e.code())
        .collect()
}
