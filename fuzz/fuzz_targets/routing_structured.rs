//! Structure-aware routing fuzzing: `arbitrary` builds well-shaped policies (rules with nested
//! `when`/`eligible` conditions over real field paths, every op, field-to-field comparisons,
//! strategies and scoring), partners with capacities and leads, so the fuzzer spends its time in
//! the compiler, the partner index and the strategies instead of the JSON parser. Checks, beyond
//! "no panic": every condition that compiles prints to text that parses back to the same tree
//! (`Condition::normalized`: one-child groups unwrapped);
//! a decision's partner is one of its candidates; no partner is given more leads in a batch than
//! its remaining capacity. `cargo +nightly fuzz run routing_structured` (from fuzz/).

#![forbid(unsafe_code)]
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use prm_core::routing::{Condition, Lead, Partner, Router, RoutingPolicy, RoutingState};
use serde_json::{Value, json};
use std::collections::HashMap;

const LEAD_FIELDS: [&str; 6] = [
    "lead.country",
    "lead.amount",
    "lead.products",
    "lead.industry",
    "lead.attributes.segment",
    "lead.attributes.size",
];
const PARTNER_FIELDS: [&str; 6] = [
    "partner.countries",
    "partner.tier",
    "partner.products",
    "partner.capacity",
    "partner.attributes.segment",
    "partner.performance.conversion_rate",
];
const OPS: [&str; 14] = [
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "not_in",
    "contains",
    "contains_any",
    "contains_all",
    "starts_with",
    "exists",
    "between",
];
const WORDS: [&str; 6] = ["DE", "FR", "gold", "core", "security", "enterprise"];

#[derive(Arbitrary, Debug)]
enum Cond {
    Leaf {
        partner: bool,
        field: u8,
        op: u8,
        lit: Lit,
    },
    FieldRef {
        field: u8,
        op: u8,
        other: u8,
    },
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

#[derive(Arbitrary, Debug)]
enum Lit {
    Num(i16),
    Word(u8),
    Bool(bool),
    List(Vec<u8>),
    Range(i16, i16),
}

#[derive(Arbitrary, Debug)]
struct Rule {
    when: Option<Cond>,
    eligible: Option<Cond>,
    strategy: u8,
}

#[derive(Arbitrary, Debug)]
struct P {
    countries: Vec<u8>,
    tier: u8,
    capacity: Option<u8>,
    open: u8,
    rate: u8,
}

#[derive(Arbitrary, Debug)]
struct L {
    country: u8,
    amount: i32,
    products: Vec<u8>,
    segment: u8,
}

#[derive(Arbitrary, Debug)]
struct Input {
    rules: Vec<Rule>,
    partners: Vec<P>,
    leads: Vec<L>,
}

fn pick<T: Copy>(xs: &[T], i: u8) -> T {
    xs[usize::from(i) % xs.len()]
}

fn lit(l: &Lit) -> Value {
    match l {
        Lit::Num(n) => json!(n),
        Lit::Word(w) => json!(pick(&WORDS, *w)),
        Lit::Bool(b) => json!(b),
        Lit::List(ws) => Value::Array(ws.iter().take(8).map(|w| json!(pick(&WORDS, *w))).collect()),
        Lit::Range(a, b) => json!([a.min(b), a.max(b)]),
    }
}

fn cond(c: &Cond, depth: usize) -> Value {
    if depth > 40 {
        return json!({"all": []});
    }
    match c {
        Cond::Leaf {
            partner,
            field,
            op,
            lit: l,
        } => {
            let field = if *partner {
                pick(&PARTNER_FIELDS, *field)
            } else {
                pick(&LEAD_FIELDS, *field)
            };
            let op = pick(&OPS, *op);
            if op == "exists" {
                json!({"field": field, "op": op})
            } else {
                json!({"field": field, "op": op, "value": lit(l)})
            }
        }
        Cond::FieldRef { field, op, other } => json!({
            "field": pick(&PARTNER_FIELDS, *field), "op": pick(&OPS, *op), "field_ref": pick(&LEAD_FIELDS, *other)
        }),
        Cond::All(cs) => json!({"all": cs.iter().take(6).map(|c| cond(c, depth + 1)).collect::<Vec<_>>()}),
        Cond::Any(cs) => json!({"any": cs.iter().take(6).map(|c| cond(c, depth + 1)).collect::<Vec<_>>()}),
        Cond::Not(c) => json!({"not": cond(c, depth + 1)}),
    }
}

fuzz_target!(|input: Input| {
    // the text form: every condition that compiles (as an `eligible`, which may use both lead and
    // partner fields) prints and parses back to itself
    for r in &input.rules {
        for c in [&r.when, &r.eligible].into_iter().flatten() {
            let json = cond(c, 0);
            let rule = json!({"rules": [{"name": "r", "strategy": {"type": "first"}, "eligible": json.clone()}]});
            let compiles = prm_core::json::from_value::<RoutingPolicy>(rule)
                .is_ok_and(|policy| Router::new(policy, Vec::new()).is_ok());
            if !compiles {
                continue;
            }
            if let Ok(tree) = prm_core::json::from_value::<Condition>(json) {
                let text = prm_core::routing::format_condition(&tree);
                if let Ok(back) = prm_core::routing::parse_condition(&text) {
                    // the documented round trip: one-child groups come back unwrapped
                    assert_eq!(back, tree.normalized(), "text round trip: {text}");
                }
            }
        }
    }
    let strategies = ["first", "round_robin", "weighted", "best_score"];
    let rules: Vec<Value> = input
        .rules
        .iter()
        .take(12)
        .enumerate()
        .map(|(i, r)| {
            let mut rule =
                json!({"name": format!("r{i}"), "strategy": {"type": pick(&strategies, r.strategy)}});
            if let Some(w) = &r.when {
                rule["when"] = cond(w, 0);
            }
            if let Some(e) = &r.eligible {
                rule["eligible"] = cond(e, 0);
            }
            if pick(&strategies, r.strategy) == "best_score" {
                rule["scoring"] = json!([{"field": "partner.performance.conversion_rate", "weight": 10}]);
            }
            rule
        })
        .collect();
    let partners: Vec<Value> = input.partners.iter().take(40).enumerate().map(|(i, p)| json!({
        "id": format!("P{i}"), "countries": p.countries.iter().take(4).map(|c| pick(&WORDS, *c)).collect::<Vec<_>>(),
        "tier": pick(&["gold", "silver", "registered"], p.tier), "capacity": p.capacity, "open_leads": p.open % 4,
        "products": ["core"], "attributes": {"segment": pick(&WORDS, p.tier)},
        "performance": {"conversion_rate": f64::from(p.rate) / 255.0}
    })).collect();
    let leads: Vec<Value> = input
        .leads
        .iter()
        .take(40)
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": format!("L{i}"), "country": pick(&WORDS, l.country), "amount": l.amount,
                "products": l.products.iter().take(4).map(|p| pick(&WORDS, *p)).collect::<Vec<_>>(),
                "attributes": {"segment": pick(&WORDS, l.segment), "size": l.segment}
            })
        })
        .collect();
    let (Ok(policy), Ok(partners), Ok(leads)) = (
        prm_core::json::from_value::<RoutingPolicy>(json!({"rules": rules})),
        prm_core::json::from_value::<Vec<Partner>>(Value::Array(partners)),
        prm_core::json::from_value::<Vec<Lead>>(Value::Array(leads)),
    ) else {
        return;
    };
    let remaining: HashMap<String, Option<u64>> = partners
        .iter()
        .map(|p| {
            (
                p.id.to_string(),
                p.capacity.map(|c| c.saturating_sub(p.open_leads)),
            )
        })
        .collect();
    let Ok(router) = Router::new(policy, partners) else {
        return;
    };
    let mut state = RoutingState::default();
    let decisions = router.route_batch(&leads, &mut state);
    let mut given: HashMap<String, u64> = HashMap::new();
    for d in &decisions {
        if let Some(p) = &d.partner_id {
            assert!(
                d.candidates.iter().any(|c| &c.partner_id == p),
                "winner among the candidates"
            );
            *given.entry(p.to_string()).or_default() += 1;
        }
    }
    for (p, n) in given {
        if let Some(Some(cap)) = remaining.get(&p) {
            assert!(
                n <= *cap,
                "partner {p} got {n} leads over a remaining capacity of {cap}"
            );
        }
    }
});
