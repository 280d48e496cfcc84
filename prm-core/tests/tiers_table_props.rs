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
                prop_assert!(table.gaps_of(i).is_empty() && table.tier[i].is_none());
                continue;
            };
            let p = previous.as_ref().and_then(|p| p[i]);
            match program.evaluate_values(&format!("P{i}").as_str().into(), &values, p, None) {
                Err(e) => {
                    prop_assert_eq!(errors.len(), 1, "row {}", i);
                    prop_assert_eq!(errors[0].code(), e.code());
                    prop_assert_eq!(errors[0].path(), e.path());
                    prop_assert!(table.gaps_of(i).is_empty() && table.tier[i].is_none());
                }
                Ok(s) => {
                    prop_assert!(errors.is_empty(), "row {}: {:?}", i, errors);
                    prop_assert_eq!(table.tier[i], s.tier.as_deref(), "row {}", i);
                    prop_assert_eq!(table.qualified_tier[i], s.qualified_tier.as_deref());
                    prop_assert_eq!(table.change[i], s.change);
                    prop_assert_eq!(table.failures[i], s.failures);
                    prop_assert_eq!(table.probation_remaining[i], s.probation_remaining);
                    let gaps = table.gaps_of(i);
                    prop_assert_eq!(gaps.len(), s.gaps_to_next.len(), "row {}", i);
                    for (g, want) in gaps.iter().zip(&s.gaps_to_next) {
                        prop_assert_eq!(g.metric, want.metric.as_str());
                        prop_assert_eq!(g.op, want.op);
                        prop_assert_eq!(g.required.to_string(), want.required.to_string());
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
