//! Property tests of the routing engine: capacity, determinism, the text round trip, and the
//! indexed, precomputing router against a naive scan (a differential test).

use prm_core::routing::{
    Condition, ExclusionReason, Lead, Leaf, Literal, Op, Outcome, Partner, Router, RoutingPolicy,
    RoutingState, Rule, Strategy as Pick, format_condition, parse_condition,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

const COUNTRIES: [&str; 5] = ["DE", "AT", "FR", "US", "JP"];
const PRODUCTS: [&str; 4] = ["core", "analytics", "security", "payments"];
const TIERS: [&str; 3] = ["gold", "silver", "registered"];

fn partners() -> impl Strategy<Value = Vec<Partner>> {
    prop::collection::vec(
        (
            prop::collection::vec(0..5usize, 0..4),
            prop::collection::vec(0..4usize, 0..3),
            prop::option::of(0u64..4),
            0u64..3,
            prop::option::of(0u64..4),
            any::<bool>(),
            prop::option::of((-60.0f64..60.0, -120.0f64..120.0)),
        ),
        1..9,
    )
    .prop_map(|ps| {
        ps.into_iter()
            .enumerate()
            .map(|(i, (c, p, capacity, open, weight, active, loc))| {
                serde_json::from_value(serde_json::json!({
                    "id": format!("P{i}"),
                    "active": active || i % 3 != 0,
                    "tier": TIERS[i % 3],
                    "countries": c.iter().map(|&k| COUNTRIES[k]).collect::<Vec<_>>(),
                    "products": p.iter().map(|&k| PRODUCTS[k]).collect::<Vec<_>>(),
                    "capacity": capacity, "open_leads": open, "weight": weight,
                    "location": loc.map(|(lat, lon)| serde_json::json!({"lat": lat, "lon": lon})),
                }))
                .unwrap()
            })
            .collect()
    })
}

fn leads() -> impl Strategy<Value = Vec<Lead>> {
    prop::collection::vec(
        (
            prop::option::of(0..5usize),
            prop::collection::vec(0..4usize, 0..3),
            prop::option::of(0u32..200_000),
        ),
        0..25,
    )
    .prop_map(|ls| {
        ls.into_iter()
            .enumerate()
            .map(|(i, (c, p, amount))| {
                serde_json::from_value(serde_json::json!({
                    "id": format!("L{i}"),
                    "country": c.map(|k| COUNTRIES[k]),
                    "products": p.iter().map(|&k| PRODUCTS[k]).collect::<Vec<_>>(),
                    "amount": amount,
                    "location": (i % 2 == 0).then(|| serde_json::json!({"lat": 48.0, "lon": 11.0})),
                }))
                .unwrap()
            })
            .collect()
    })
}

fn leaf(field: &str, op: Op, value: Option<Literal>, field_ref: Option<&str>) -> Condition {
    Condition::Leaf(Leaf {
        field: field.into(),
        op,
        value,
        field_ref: field_ref.map(Into::into),
    })
}

/// Eligibility conditions: indexable shapes, partner-only ones and mixtures.
fn eligible() -> impl Strategy<Value = Condition> {
    let s = |x: &str| Some(Literal::Str(x.into()));
    prop_oneof![
        Just(leaf(
            "partner.countries",
            Op::Contains,
            None,
            Some("lead.country")
        )),
        Just(leaf("lead.country", Op::In, None, Some("partner.countries"))),
        (0..4usize).prop_map(move |k| leaf("partner.products", Op::Contains, s(PRODUCTS[k]), None)),
        Just(leaf(
            "partner.products",
            Op::ContainsAny,
            None,
            Some("lead.products")
        )),
        Just(leaf("partner.tier", Op::Ne, s("registered"), None)),
        Just(leaf(
            "partner.open_leads",
            Op::Lt,
            Some(Literal::Num(Decimal::from(2))),
            None
        )),
    ]
    .prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(Condition::All),
            prop::collection::vec(inner.clone(), 1..3).prop_map(Condition::Any),
            inner.prop_map(|c| Condition::Not(Box::new(c))),
        ]
    })
}

/// A rule's `when`: an amount floor and/or the lead's country among some (`in`, or `==` for one),
/// the shapes the rules' `when` index reads.
fn when() -> impl Strategy<Value = Option<Condition>> {
    (
        prop::option::of(0u32..150_000),
        prop::option::of(prop::collection::btree_set(0..5usize, 0..4)),
    )
        .prop_map(|(min, countries)| {
            let mut leaves = Vec::new();
            if let Some(m) = min {
                leaves.push(leaf(
                    "lead.amount",
                    Op::Gte,
                    Some(Literal::Num(Decimal::from(m))),
                    None,
                ));
            }
            if let Some(cs) = countries {
                let names: Vec<&str> = cs.iter().map(|&k| COUNTRIES[k]).collect();
                leaves.push(if names.len() == 1 {
                    leaf("lead.country", Op::Eq, Some(Literal::Str(names[0].into())), None)
                } else {
                    serde_json::from_value(
                        serde_json::json!({"field": "lead.country", "op": "in", "value": names}),
                    )
                    .unwrap()
                });
            }
            match leaves.len() {
                0 => None,
                1 => leaves.pop(),
                _ => Some(Condition::All(leaves)),
            }
        })
}

fn policy() -> impl Strategy<Value = RoutingPolicy> {
    let strategy = prop_oneof![
        Just(Pick::First),
        Just(Pick::RoundRobin),
        Just(Pick::Weighted),
        Just(Pick::BestScore),
        Just(Pick::Nearest),
    ];
    (
        prop::collection::vec((prop::option::of(eligible()), strategy, when()), 1..4),
        any::<u64>(),
    )
        .prop_map(|(rules, seed)| RoutingPolicy {
            rules: rules
                .into_iter()
                .enumerate()
                .map(|(i, (eligible, strategy, when))| Rule {
                    name: format!("r{i}"),
                    when,
                    eligible,
                    strategy,
                    scoring: if strategy == Pick::BestScore {
                        serde_json::from_value(serde_json::json!([
                            {"when": {"field": "partner.tier", "op": "eq", "value": "gold"}, "points": 3},
                            {"field": "partner.weight", "weight": "1.5"}]))
                        .unwrap()
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            fallback: prm_core::routing::Fallback::Direct,
            seed,
        })
}

/// The same policy with every `eligible` and `when` hidden behind `not not`: no partner index,
/// no rule index, no precomputed partner-only conjuncts at the top level — a naive scan.
fn naive(p: &RoutingPolicy) -> RoutingPolicy {
    let mut q = p.clone();
    for r in &mut q.rules {
        r.when = r
            .when
            .take()
            .map(|c| Condition::Not(Box::new(Condition::Not(Box::new(c)))));
        r.eligible = r
            .eligible
            .take()
            .map(|c| Condition::Not(Box::new(Condition::Not(Box::new(c)))));
    }
    q
}

proptest! {
    #[test]
    fn never_assigns_beyond_capacity(p in policy(), ps in partners(), ls in leads()) {
        let router = Router::new(p, ps.clone()).unwrap();
        let decisions = router.route_batch(&ls, &mut RoutingState::default());
        let mut assigned: HashMap<String, u64> = HashMap::new();
        for d in &decisions {
            if let Some(id) = &d.partner_id {
                *assigned.entry(id.to_string()).or_default() += 1;
            }
        }
        for partner in &ps {
            let got = assigned.get(partner.id.as_str()).copied().unwrap_or(0);
            if let Some(cap) = partner.capacity {
                prop_assert!(got == 0 || partner.open_leads + got <= cap, "{} got {got} over capacity {cap}", partner.id);
            }
            if !partner.active {
                prop_assert_eq!(got, 0);
            }
        }
    }

    #[test]
    fn the_index_agrees_with_a_naive_scan(p in policy(), ps in partners(), ls in leads()) {
        let fast = Router::new(p.clone(), ps.clone()).unwrap();
        let slow = Router::new(naive(&p), ps).unwrap();
        let mut s1 = RoutingState::default();
        let mut s2 = RoutingState::default();
        prop_assert_eq!(fast.route_batch(&ls, &mut s1), slow.route_batch(&ls, &mut s2));
        prop_assert_eq!(s1, s2);
    }

    #[test]
    fn explain_accounts_for_every_partner(p in policy(), ps in partners(), ls in leads()) {
        // for each rule tried: the candidates and the excluded partners are the partners, each
        // once; the deciding rule's candidates are the decision's, a rule without candidates
        // excluded everyone, a rule whose `when` was false considered no one
        let router = Router::new(p, ps.clone()).unwrap();
        let state = RoutingState::default();
        for lead in &ls {
            let why = router.explain(lead, &state);
            prop_assert_eq!(&why.decision, &router.route(lead, &mut state.clone()));
            prop_assert_eq!(why.rules.len(), why.decision.trace.len());
            for r in &why.rules {
                let excluded: Vec<&str> = r.excluded.iter().map(|e| e.partner_id.as_str()).collect();
                match r.outcome {
                    Outcome::WhenFalse => prop_assert!(excluded.is_empty()),
                    Outcome::NoCandidates => prop_assert_eq!(excluded.len(), ps.len()),
                    Outcome::Decided => {
                        let mut all: Vec<&str> = why.decision.candidates.iter().map(|c| c.partner_id.as_str()).collect();
                        all.extend(&excluded);
                        all.sort_unstable();
                        let mut want: Vec<&str> = ps.iter().map(|x| x.id.as_str()).collect();
                        want.sort_unstable();
                        prop_assert_eq!(all, want);
                    }
                }
                for e in &r.excluded {
                    prop_assert_eq!(e.condition.is_some(), e.reason == ExclusionReason::Eligible);
                }
            }
        }
    }

    #[test]
    fn routing_is_deterministic(p in policy(), ps in partners(), ls in leads()) {
        let a = Router::new(p.clone(), ps.clone()).unwrap().route_batch(&ls, &mut RoutingState::default());
        let b = Router::new(p, ps).unwrap().route_batch(&ls, &mut RoutingState::default());
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }

    #[test]
    fn text_and_json_round_trip(c in eligible()) {
        let text = format_condition(&c);
        let parsed = parse_condition(&text).unwrap();
        prop_assert_eq!(&parsed, &c.normalized(), "{}", text);
        // and JSON
        let json = serde_json::to_string(&parsed).unwrap();
        prop_assert_eq!(serde_json::from_str::<Condition>(&json).unwrap(), parsed);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,60}") {
        if let Ok(c) = parse_condition(&text) {
            prop_assert_eq!(parse_condition(&format_condition(&c)).unwrap(), c);
        }
    }
}

#[test]
fn nesting_beyond_the_limit_is_an_error() {
    let deep = format!("{}lead.amount > 1{}", "(".repeat(40), ")".repeat(40));
    assert_eq!(parse_condition(&deep).unwrap_err().code(), "LimitExceeded");
    let ok = format!("{}lead.amount > 1{}", "(".repeat(20), ")".repeat(20));
    assert!(parse_condition(&ok).is_ok());
    let nots = format!("{}lead.amount > 1", "not ".repeat(200));
    assert_eq!(parse_condition(&nots).unwrap_err().code(), "LimitExceeded");
}

/// Best (assigned count, total score) over every feasible assignment, by enumeration.
fn brute_force(cands: &[Vec<(String, Decimal)>], room: &HashMap<String, u64>) -> (usize, Decimal) {
    fn go(
        i: usize,
        cands: &[Vec<(String, Decimal)>],
        room: &mut HashMap<String, u64>,
        acc: (usize, Decimal),
        best: &mut (usize, Decimal),
    ) {
        if i == cands.len() {
            if acc.0 > best.0 || (acc.0 == best.0 && acc.1 > best.1) {
                *best = acc;
            }
            return;
        }
        go(i + 1, cands, room, acc, best);
        for (p, s) in &cands[i] {
            let left = room.get(p).copied().unwrap_or(0);
            if left > 0 {
                room.insert(p.clone(), left - 1);
                go(i + 1, cands, room, (acc.0 + 1, acc.1 + s), best);
                room.insert(p.clone(), left);
            }
        }
    }
    let mut best = (0, Decimal::MIN);
    go(0, cands, &mut room.clone(), (0, Decimal::ZERO), &mut best);
    best
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn assign_optimal_matches_brute_force(
        scores in prop::collection::vec(prop::collection::vec(prop::option::of(0i64..20), 4), 1..7),
        caps in prop::collection::vec(0u64..3, 4),
    ) {
        // lead i may go to partner k when scores[i][k] is Some; its score is that value
        let partners: Vec<Partner> = caps.iter().enumerate().map(|(k, c)| serde_json::from_value(
            serde_json::json!({"id": format!("P{k}"), "capacity": c})).unwrap()).collect();
        let mut terms = Vec::new();
        for (i, row) in scores.iter().enumerate() {
            for (k, s) in row.iter().enumerate() {
                if let Some(s) = s {
                    terms.push(serde_json::json!({"when": {"all": [
                        {"field": "lead.id", "op": "eq", "value": format!("L{i}")},
                        {"field": "partner.id", "op": "eq", "value": format!("P{k}")}]}, "points": s + 100}));
                }
            }
        }
        let eligible: Vec<serde_json::Value> = scores.iter().enumerate().flat_map(|(i, row)| {
            row.iter().enumerate().filter(|(_, s)| s.is_some()).map(move |(k, _)| serde_json::json!({"all": [
                {"field": "lead.id", "op": "eq", "value": format!("L{i}")},
                {"field": "partner.id", "op": "eq", "value": format!("P{k}")}]}))
        }).collect();
        let policy: RoutingPolicy = serde_json::from_value(serde_json::json!({"rules": [{"name": "best",
            "eligible": {"any": eligible}, "strategy": {"type": "best_score"}, "scoring": terms}]})).unwrap();
        let router = Router::new(policy, partners).unwrap();
        let leads: Vec<Lead> = (0..scores.len()).map(|i| serde_json::from_value(serde_json::json!({"id": format!("L{i}")})).unwrap()).collect();
        let decisions = router.assign_optimal(&leads);
        let cands: Vec<Vec<(String, Decimal)>> = decisions.iter().map(|d| d.candidates.iter()
            .map(|c| (c.partner_id.to_string(), c.score.unwrap())).collect()).collect();
        let room: HashMap<String, u64> = caps.iter().enumerate().map(|(k, c)| (format!("P{k}"), *c)).collect();
        let want = brute_force(&cands, &room);
        let got_count = decisions.iter().filter(|d| d.partner_id.is_some()).count();
        let got_score: Decimal = decisions.iter().filter_map(|d| d.score).sum();
        let got = (got_count, if got_count == 0 { Decimal::MIN } else { got_score });
        let want = if want.0 == 0 { (0, Decimal::MIN) } else { want };
        prop_assert_eq!(got, want);
        // never beyond capacity
        for (k, c) in caps.iter().enumerate() {
            let n = decisions.iter().filter(|d| d.partner_id.as_ref().is_some_and(|p| p.as_str() == format!("P{k}"))).count() as u64;
            prop_assert!(n <= *c);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn lean_batches_decide_as_full_batches(p in policy(), ps in partners(), ls in leads()) {
        let router = Router::new(p, ps).unwrap();
        let (mut s1, mut s2) = (RoutingState::default(), RoutingState::default());
        let full = router.route_batch(&ls, &mut s1);
        let lean = router.route_batch_lean(&ls, &mut s2);
        prop_assert_eq!(&s1, &s2);
        for (f, l) in full.iter().zip(&lean) {
            prop_assert!(l.trace.is_empty() && l.candidates.is_empty());
            prop_assert_eq!((&f.lead_id, &f.partner_id, &f.rule, &f.score, &f.fallback),
                            (&l.lead_id, &l.partner_id, &l.rule, &l.score, &l.fallback));
        }
        // threads change nothing: order-free policies split the batch, the others do not
        let many: Vec<Lead> = ls.iter().cycle().take(ls.len() * 40).cloned().collect();
        let one = router.route_batch_lean(&many, &mut RoutingState::default());
        let two = router.route_batch_lean_threads(&many, &mut RoutingState::default(), 2);
        prop_assert_eq!(one, two);
    }

    /// `in` / `not_in` over a literal list (text items looked up by binary search, other items
    /// ignored for text) against plain membership; an attribute may hold text or a number.
    #[test]
    fn in_literal_lists_are_membership(
        items in prop::collection::vec(prop_oneof![
            (0..5usize).prop_map(|k| serde_json::json!(COUNTRIES[k])),
            (0..3i64).prop_map(|n| serde_json::json!(n)),
            Just(serde_json::json!("de")),
        ], 0..6),
        value in prop::option::of(prop_oneof![
            (0..5usize).prop_map(|k| serde_json::json!(COUNTRIES[k])),
            (0..3i64).prop_map(|n| serde_json::json!(n)),
        ]),
        negate in any::<bool>(),
    ) {
        let op = if negate { "not_in" } else { "in" };
        let policy: RoutingPolicy = serde_json::from_value(serde_json::json!({"rules": [
            {"name": "r", "when": {"field": "lead.attributes.seg", "op": op, "value": items}, "strategy": {"type": "first"}}]}))
            .unwrap();
        let router = Router::new(policy, vec![serde_json::from_value(serde_json::json!({"id": "A"})).unwrap()]).unwrap();
        let attrs = value.clone().map_or_else(|| serde_json::json!({}), |v| serde_json::json!({"seg": v}));
        let lead: Lead = serde_json::from_value(serde_json::json!({"id": "L", "attributes": attrs})).unwrap();
        let routed = router.route(&lead, &mut RoutingState::default()).partner_id.is_some();
        let member = value.as_ref().is_some_and(|v| items.contains(v));
        // a missing value satisfies neither `in` nor `not_in`
        prop_assert_eq!(routed, value.is_some() && member != negate);
    }
}
