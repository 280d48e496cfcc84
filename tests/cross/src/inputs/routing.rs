//! Policies of nested conditions over real field paths (typed values mostly, so most compile;
//! the rest must fail alike), every strategy, capacities; leads; the text form.

use super::{Case, instant};
use crate::rng::Rng;
use serde_json::{Value, json};

#[derive(Clone, Copy)]
enum Kind {
    Text(&'static [&'static str]),
    List(&'static [&'static str]),
    Num(i64, i64),
}

const COUNTRIES: &[&str] = &["DE", "AT", "FR", "US", "JP"];
const REGIONS: &[&str] = &["EMEA", "NA", "APAC"];
const PRODUCTS: &[&str] = &["core", "security", "analytics", "payments"];
const INDUSTRIES: &[&str] = &["software", "finance", "retail"];
const TIERS: &[&str] = &["registered", "silver", "gold"];
const SEGMENTS: &[&str] = &["enterprise", "mid", "smb"];

const LEAD_FIELDS: [(&str, Kind); 8] = [
    ("lead.country", Kind::Text(COUNTRIES)),
    ("lead.region", Kind::Text(REGIONS)),
    ("lead.industry", Kind::Text(INDUSTRIES)),
    ("lead.products", Kind::List(PRODUCTS)),
    ("lead.amount", Kind::Num(0, 200_000)),
    ("lead.employees", Kind::Num(1, 5000)),
    ("lead.attributes.segment", Kind::Text(SEGMENTS)),
    ("lead.attributes.score", Kind::Num(0, 100)),
];
const PARTNER_FIELDS: [(&str, Kind); 9] = [
    ("partner.countries", Kind::List(COUNTRIES)),
    ("partner.regions", Kind::List(REGIONS)),
    ("partner.products", Kind::List(PRODUCTS)),
    ("partner.industries", Kind::List(INDUSTRIES)),
    ("partner.tier", Kind::Text(TIERS)),
    ("partner.capacity", Kind::Num(0, 10)),
    ("partner.open_leads", Kind::Num(0, 10)),
    ("partner.performance.conversion_rate", Kind::Num(0, 1)),
    ("partner.attributes.segment", Kind::Text(SEGMENTS)),
];

fn leaf(rng: &mut Rng, (field, kind): (&str, Kind)) -> Value {
    let (op, value) = match kind {
        Kind::Text(words) => match rng.below(6) {
            0 => ("ne", json!(rng.pick(words))),
            1 => ("in", json!(rng.subset(words, 0.5))),
            2 => ("not_in", json!(rng.subset(words, 0.5))),
            3 => ("starts_with", json!(&rng.pick(words)[..1])),
            4 => ("exists", json!(rng.chance(0.8))),
            _ => ("eq", json!(rng.pick(words))),
        },
        Kind::List(words) => match rng.below(4) {
            0 => ("contains_any", json!(rng.subset(words, 0.4))),
            1 => ("contains_all", json!(rng.subset(words, 0.3))),
            2 => ("exists", json!(true)),
            _ => ("contains", json!(rng.pick(words))),
        },
        Kind::Num(lo, hi) => {
            let x = rng.int(lo, hi);
            match rng.below(7) {
                0 => ("between", json!([x, x + rng.int(0, hi - lo)])),
                1 => ("gt", json!(x)),
                2 => ("lt", json!(x)),
                3 => ("lte", json!(x)),
                4 => ("ne", json!(x)),
                5 => ("eq", json!(x)),
                _ => ("gte", json!(x)),
            }
        }
    };
    // one leaf in 40 is ill-typed or names an unknown field: an error every surface must report
    // with the same code and path
    match rng.below(40) {
        0 => json!({"field": field, "op": "gt", "value": "DE"}),
        1 => json!({"field": format!("{field}x"), "op": op, "value": value}),
        _ => json!({"field": field, "op": op, "value": value}),
    }
}

fn field_ref(rng: &mut Rng) -> Value {
    let (field, op, other) = *rng.pick(&[
        ("partner.countries", "contains", "lead.country"),
        ("partner.regions", "contains", "lead.region"),
        ("partner.industries", "contains", "lead.industry"),
        ("partner.products", "contains_any", "lead.products"),
        ("partner.products", "contains_all", "lead.products"),
        ("partner.attributes.segment", "eq", "lead.attributes.segment"),
    ]);
    json!({"field": field, "op": op, "field_ref": other})
}

/// A condition over lead fields only (`when`) or over both (`eligible`).
fn condition(rng: &mut Rng, partner: bool, depth: u32) -> Value {
    let choice = rng.below(if depth >= 3 { 4 } else { 8 });
    match choice {
        0 | 1 if partner => {
            let f = *rng.pick(&PARTNER_FIELDS);
            leaf(rng, f)
        }
        2 if partner => field_ref(rng),
        5 => {
            json!({"all": (0..rng.int(0, 3)).map(|_| condition(rng, partner, depth + 1)).collect::<Vec<_>>()})
        }
        6 => {
            json!({"any": (0..rng.int(1, 3)).map(|_| condition(rng, partner, depth + 1)).collect::<Vec<_>>()})
        }
        7 => json!({"not": condition(rng, partner, depth + 1)}),
        _ => {
            let f = *rng.pick(&LEAD_FIELDS);
            leaf(rng, f)
        }
    }
}

fn policy(rng: &mut Rng) -> Value {
    let rules: Vec<Value> = (0..rng.int(1, 5))
        .map(|i| {
            let strategy = *rng.pick(&["first", "round_robin", "weighted", "best_score", "nearest"]);
            let mut rule = json!({"name": format!("r{i}"), "strategy": {"type": strategy}});
            if rng.chance(0.7) {
                rule["when"] = condition(rng, false, 0);
            }
            if rng.chance(0.8) {
                rule["eligible"] = condition(rng, true, 0);
            }
            if strategy == "best_score" {
                rule["scoring"] = json!([
                    {"field": "partner.performance.conversion_rate", "weight": rng.decimal(1, 100, 1)},
                    {"when": condition(rng, true, 2), "points": rng.decimal(0, 50, 0)},
                ]);
            }
            rule
        })
        .collect();
    let fallback = if rng.chance(0.5) {
        json!({"type": "direct"})
    } else {
        json!({"type": "queue", "name": "inside"})
    };
    json!({"rules": rules, "fallback": fallback, "seed": rng.int(0, 1000)})
}

fn location(rng: &mut Rng) -> Value {
    json!({"lat": rng.float(-60.0, 60.0), "lon": rng.float(-150.0, 150.0)})
}

fn partners(rng: &mut Rng) -> Vec<Value> {
    (0..rng.int(1, 12))
        .map(|i| {
            let mut p = json!({
                "id": format!("P{i}"), "tier": rng.pick(TIERS),
                "countries": rng.subset(COUNTRIES, 0.4), "regions": rng.subset(REGIONS, 0.5),
                "industries": rng.subset(INDUSTRIES, 0.5), "products": rng.subset(PRODUCTS, 0.5),
                "open_leads": rng.int(0, 4),
                "attributes": {"segment": rng.pick(SEGMENTS)},
            });
            if rng.chance(0.6) {
                p["capacity"] = json!(rng.int(0, 5));
            }
            if rng.chance(0.7) {
                p["weight"] = json!(rng.int(0, 5));
            }
            if rng.chance(0.7) {
                p["location"] = location(rng);
            }
            if rng.chance(0.7) {
                p["performance"] = json!({"conversion_rate": rng.decimal(0, 100, 2)});
            }
            if rng.chance(0.1) {
                p["active"] = json!(false);
            }
            p
        })
        .collect()
}

fn lead(rng: &mut Rng, i: i64) -> Value {
    let mut l = json!({
        "id": format!("L{i}"), "country": rng.pick(COUNTRIES), "region": rng.pick(REGIONS),
        "products": rng.subset(PRODUCTS, 0.4), "amount": rng.int(0, 200_000),
        "created_at": instant(rng, 30), "attributes": {"segment": rng.pick(SEGMENTS), "score": rng.int(0, 100)},
    });
    if rng.chance(0.7) {
        l["industry"] = json!(rng.pick(INDUSTRIES));
    }
    if rng.chance(0.6) {
        l["employees"] = json!(rng.int(1, 5000));
    }
    if rng.chance(0.7) {
        l["location"] = location(rng);
    }
    l
}

fn state(rng: &mut Rng) -> Value {
    if rng.chance(0.6) {
        Value::Null
    } else {
        json!({"last": {"r0": format!("P{}", rng.int(0, 5))}})
    }
}

/// One routing call.
pub(super) fn case(rng: &mut Rng) -> Case {
    let leads = |rng: &mut Rng| json!((0..rng.int(1, 10)).map(|i| lead(rng, i)).collect::<Vec<_>>());
    match rng.below(9) {
        8 => Case::new(
            "explain",
            vec![
                ("policy", policy(rng)),
                ("partners", json!(partners(rng))),
                ("lead", lead(rng, 0)),
                ("state", state(rng)),
            ],
        ),
        0 => Case::new(
            "route",
            vec![
                ("policy", policy(rng)),
                ("partners", json!(partners(rng))),
                ("lead", lead(rng, 0)),
                ("state", state(rng)),
            ],
        ),
        1 | 2 => Case::new(
            "route_batch",
            vec![
                ("policy", policy(rng)),
                ("partners", json!(partners(rng))),
                ("leads", leads(rng)),
                ("state", state(rng)),
            ],
        ),
        3 => {
            let declined: Vec<String> = (0..rng.int(0, 3))
                .map(|_| format!("P{}", rng.int(0, 8)))
                .collect();
            Case::new(
                "reroute",
                vec![
                    ("policy", policy(rng)),
                    ("partners", json!(partners(rng))),
                    ("lead", lead(rng, 0)),
                    ("declined", json!(declined)),
                    ("state", state(rng)),
                ],
            )
        }
        4 => Case::new(
            "assign_optimal",
            vec![
                ("policy", policy(rng)),
                ("partners", json!(partners(rng))),
                ("leads", leads(rng)),
            ],
        ),
        5 => Case::new("format_condition", vec![("condition", condition(rng, true, 0))]),
        _ => {
            // text printed from a random tree; one in five cut short (a syntax error with a
            // line and column every surface must report alike)
            let tree = condition(rng, true, 0);
            let mut text = serde_json::from_value::<prm_core::routing::Condition>(tree).map_or_else(
                |_| "lead.country == \"DE\"".to_owned(),
                |c| prm_core::routing::format_condition(&c),
            );
            if rng.chance(0.2) && text.len() > 2 {
                let cut = rng.below(text.len() - 1) + 1;
                text = text.chars().take(cut).collect();
            }
            Case::new("parse_condition", vec![("text", json!(text))])
        }
    }
}
