//! Property tests of the tiers engine.

use prm_core::tiers::{Op, PartnerMetrics, PointsTerm, Requirement, TierProgram, TierProgramSpec, TierSpec};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const METRICS: [&str; 4] = ["revenue", "certified", "csat", "deals"];

/// Requirement trees with only gte/gt leaves and non-negative points (monotone in the metrics).
fn monotone_requirement() -> impl Strategy<Value = Requirement> {
    let leaf = (0..4usize, prop_oneof![Just(Op::Gte), Just(Op::Gt)], 0i64..100).prop_map(|(m, op, v)| {
        Requirement::Leaf {
            metric: METRICS[m].into(),
            op,
            value: Decimal::from(v),
        }
    });
    let points = (
        prop::collection::vec((0..4usize, 1i64..20, 0i64..5, prop::option::of(0i64..30)), 1..4),
        0i64..40,
    )
        .prop_map(|(terms, min)| Requirement::Points {
            points: terms
                .into_iter()
                .map(|(m, per, pts, cap)| PointsTerm {
                    metric: METRICS[m].into(),
                    per: Decimal::from(per),
                    points: Decimal::from(pts),
                    cap: cap.map(Decimal::from),
                })
                .collect(),
            min: Decimal::from(min),
        });
    prop_oneof![leaf, points].prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|all| Requirement::All { all }),
            // non-empty: a failing empty `any` has no leaf to report as a gap
            prop::collection::vec(inner.clone(), 1..4).prop_map(|any| Requirement::Any { any }),
            prop::collection::vec(inner, 1..4)
                .prop_flat_map(|of| {
                    let n = of.len() as u32;
                    (0..=n, Just(of))
                })
                .prop_map(|(at_least, of)| Requirement::AtLeast { at_least, of }),
        ]
    })
}

fn program() -> impl Strategy<Value = TierProgramSpec> {
    (
        prop::collection::vec(prop::option::of(monotone_requirement()), 1..5),
        0u32..3,
    )
        .prop_map(|(reqs, grace)| TierProgramSpec {
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
}

fn metrics() -> impl Strategy<Value = BTreeMap<String, Decimal>> {
    prop::collection::btree_map(
        prop::sample::select(METRICS.to_vec()).prop_map(String::from),
        (0i64..200).prop_map(Decimal::from),
        0..5,
    )
}

fn rank(program: &TierProgram, tier: Option<&str>) -> i64 {
    tier.map_or(-1, |t| {
        program.spec().tiers.iter().position(|x| x.name == t).unwrap() as i64
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn raising_a_metric_never_lowers_the_qualified_tier(
        spec in program(), values in metrics(), which in 0..4usize, by in 0i64..100,
    ) {
        let program = TierProgram::new(spec).unwrap();
        let before = PartnerMetrics { partner_id: "P".into(), values: values.clone() };
        let mut raised = values;
        *raised.entry(METRICS[which].into()).or_insert(Decimal::ZERO) += Decimal::from(by);
        let after = PartnerMetrics { partner_id: "P".into(), values: raised };
        let a = program.evaluate(&before, None, None).unwrap();
        let b = program.evaluate(&after, None, None).unwrap();
        prop_assert!(rank(&program, b.qualified_tier.as_deref()) >= rank(&program, a.qualified_tier.as_deref()));
    }

    #[test]
    fn gaps_are_empty_exactly_when_the_next_tier_holds_or_there_is_none(spec in program(), values in metrics()) {
        let program = TierProgram::new(spec).unwrap();
        let m = PartnerMetrics { partner_id: "P".into(), values };
        let s = program.evaluate(&m, None, None).unwrap();
        let next = (rank(&program, s.tier.as_deref()) + 1) as usize;
        let n_tiers = program.spec().tiers.len();
        if next >= n_tiers {
            prop_assert!(s.gaps_to_next.is_empty());
        } else if s.gaps_to_next.is_empty() {
            // no gaps: the next tier's requirements hold (so it would be qualified at least)
            prop_assert!(rank(&program, s.qualified_tier.as_deref()) >= next as i64);
        }
    }

    #[test]
    fn probation_never_lasts_longer_than_the_grace_periods(spec in program(), values in metrics(), periods in 1usize..6) {
        let program = TierProgram::new(spec).unwrap();
        let top = program.spec().tiers.len() - 1;
        let grace = program.spec().grace_periods as usize;
        let m = PartnerMetrics { partner_id: "P".into(), values };
        let mut status = program.evaluate(&m, None, None).unwrap();
        status.tier = Some(format!("t{top}"));
        for _ in 0..periods {
            status = program.evaluate(&m, Some(&status), None).unwrap();
            prop_assert!(status.failures as usize <= grace);
        }
        if periods > grace && rank(&program, status.qualified_tier.as_deref()) < top as i64 {
            prop_assert_eq!(status.tier, status.qualified_tier);
        }
    }
}

fn leaf_only_requirement() -> impl Strategy<Value = Requirement> {
    let leaf = (
        0..4usize,
        prop_oneof![
            Just(Op::Gte),
            Just(Op::Gt),
            Just(Op::Lte),
            Just(Op::Lt),
            Just(Op::Eq)
        ],
        0i64..100,
    )
        .prop_map(|(m, op, v)| Requirement::Leaf {
            metric: METRICS[m].into(),
            op,
            value: Decimal::from(v),
        });
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|all| Requirement::All { all }),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|any| Requirement::Any { any }),
            prop::collection::vec(inner, 1..4)
                .prop_flat_map(|of| {
                    let n = of.len() as u32;
                    (1..=n, Just(of))
                })
                .prop_map(|(at_least, of)| Requirement::AtLeast { at_least, of }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Applying every gap of a path (setting each metric to a value that meets its leaf) makes
    /// the next tier's requirements hold — checked for paths whose metrics appear in one leaf
    /// only (otherwise meeting one leaf may break another on the same metric, which no per-leaf
    /// gap can account for).
    #[test]
    fn every_path_to_next_qualifies_when_applied(req in leaf_only_requirement(), values in metrics()) {
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        count_metrics(&req, &mut uses);
        let spec = TierProgramSpec {
            tiers: vec![
                TierSpec { name: "base".into(), requirements: None, benefits: BTreeMap::new() },
                TierSpec { name: "next".into(), requirements: Some(req), benefits: BTreeMap::new() },
            ],
            grace_periods: 0,
        };
        let program = TierProgram::new(spec).unwrap();
        let m = PartnerMetrics { partner_id: "P".into(), values: values.clone() };
        let status = program.evaluate(&m, None, None).unwrap();
        let paths = program.paths_to_next(&m, Some(&status)).unwrap();
        if status.tier.as_deref() == Some("next") {
            prop_assert!(paths.is_empty());
        } else {
            prop_assert!(!paths.is_empty(), "no path although the next tier fails");
        }
        for path in paths {
            let mut fixed = values.clone();
            let mut touched: BTreeMap<String, usize> = BTreeMap::new();
            for gap in &path {
                let target = match gap.op {
                    Op::Gte | Op::Lte | Op::Eq => gap.required,
                    Op::Gt | Op::Ne => gap.required + Decimal::ONE,
                    Op::Lt => gap.required - Decimal::ONE,
                };
                fixed.insert(gap.metric.clone(), target);
                *touched.entry(gap.metric.clone()).or_default() += 1;
            }
            if touched.keys().any(|m| uses[m] > 1) {
                continue;
            }
            let after = program.evaluate(&PartnerMetrics { partner_id: "P".into(), values: fixed }, None, None).unwrap();
            prop_assert_eq!(after.qualified_tier.as_deref(), Some("next"), "path {:?}", path);
        }
    }
}

fn count_metrics(r: &Requirement, uses: &mut BTreeMap<String, usize>) {
    match r {
        Requirement::Leaf { metric, .. } => *uses.entry(metric.clone()).or_default() += 1,
        Requirement::All { all: c } | Requirement::Any { any: c } | Requirement::AtLeast { of: c, .. } => {
            for x in c {
                count_metrics(x, uses);
            }
        }
        Requirement::Points { points, .. } => points
            .iter()
            .for_each(|t| *uses.entry(t.metric.clone()).or_default() += 1),
    }
}

/// An event as (partner, kind, day offset, amount, person, expiry offset).
type EventRow = (u8, bool, i64, Option<u32>, Option<u8>, Option<i64>);

fn event_rows() -> impl Strategy<Value = Vec<EventRow>> {
    prop::collection::vec(
        (
            0u8..5,
            any::<bool>(),
            -1200i64..30,
            prop::option::of(0u32..100_000),
            prop::option::of(0u8..4),
            prop::option::of(-400i64..400),
        ),
        0..60,
    )
}

proptest! {
    /// `metrics_from_events` agrees with a direct count per partner and metric: sums, counts
    /// and distinct people of the live events of the metric's kind inside its window, partners
    /// sorted by id.
    #[test]
    fn event_metrics_agree_with_a_direct_count(rows in event_rows()) {
        use chrono::{Months, NaiveDate};
        use prm_core::tiers::{metrics_from_events, EventMetric, PartnerEvent};
        let as_of = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        let day = |d: i64| as_of + chrono::TimeDelta::days(d);
        let events: Vec<PartnerEvent> = rows
            .iter()
            .map(|&(p, kind, at, amount, person, expires)| PartnerEvent {
                partner_id: format!("P{p}").into(),
                kind: if kind { "deal" } else { "cert" }.into(),
                at: day(at),
                amount: amount.map(|a| Decimal::new(i64::from(a), 2)),
                person: person.map(|x| format!("person{x}")),
                expires_at: expires.map(day),
            })
            .collect();
        let metric = |name: &str, kind: &str, aggregate: &str, window: Option<u32>| -> EventMetric {
            serde_json::from_value(serde_json::json!({
                "name": name, "kind": kind, "aggregate": aggregate, "window_months": window
            }))
            .unwrap()
        };
        let metrics = [
            metric("revenue", "deal", "sum", Some(12)),
            metric("revenue_all", "deal", "sum", None),
            metric("deals", "deal", "count", Some(6)),
            metric("certified", "cert", "count_distinct", None),
            metric("certified_recent", "cert", "count_distinct", Some(24)),
            metric("dealers", "deal", "count_distinct", Some(12)),
        ];
        let have = metrics_from_events(&events, as_of, &metrics).unwrap();
        let mut ids: Vec<&str> = events.iter().map(|e| e.partner_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        prop_assert_eq!(
            have.iter().map(|m| m.partner_id.as_str()).collect::<Vec<_>>(),
            ids.clone()
        );
        for (m, id) in have.iter().zip(&ids) {
            for metric in &metrics {
                let start = metric.window_months.map(|n| as_of - Months::new(n));
                let counted: Vec<&PartnerEvent> = events
                    .iter()
                    .filter(|e| e.partner_id.as_str() == *id && e.kind == metric.kind)
                    .filter(|e| e.at <= as_of && e.expires_at.is_none_or(|x| as_of < x))
                    .filter(|e| start.is_none_or(|s| e.at > s))
                    .collect();
                let want = match metric.name.as_str() {
                    "revenue" | "revenue_all" => counted.iter().map(|e| e.amount.unwrap_or_default()).sum(),
                    "deals" => Decimal::from(counted.len()),
                    _ => {
                        let people: std::collections::BTreeSet<&str> =
                            counted.iter().filter_map(|e| e.person.as_deref()).collect();
                        Decimal::from(people.len())
                    }
                };
                prop_assert_eq!(m.values[&metric.name], want.normalize(), "{} {}", id, metric.name);
            }
        }
    }
}
