//! Tier programs (leaves, all/any/at_least/points trees, benefits with a cost, grace periods),
//! partner metrics (missing ones too), previous statuses produced by an earlier evaluation.

use super::{Case, instant};
use crate::rng::Rng;
use prm_core::tiers::{PartnerMetrics, TierProgram};
use serde_json::{Value, json};

const METRICS: [(&str, i64); 5] = [
    ("revenue", 1_000_000),
    ("certified", 10),
    ("csat", 5),
    ("deals_won", 40),
    ("nps", 100),
];

fn requirement(rng: &mut Rng, depth: u32) -> Value {
    match rng.below(if depth >= 2 { 1 } else { 6 }) {
        1 => json!({"all": (0..rng.int(1, 3)).map(|_| requirement(rng, depth + 1)).collect::<Vec<_>>()}),
        2 => json!({"any": (0..rng.int(1, 3)).map(|_| requirement(rng, depth + 1)).collect::<Vec<_>>()}),
        3 => {
            let of: Vec<Value> = (0..rng.int(1, 4)).map(|_| requirement(rng, depth + 1)).collect();
            json!({"at_least": rng.int(0, of.len() as i64), "of": of})
        }
        4 => {
            let terms: Vec<Value> = (0..rng.int(1, 3))
                .map(|_| {
                    let (m, hi) = *rng.pick(&METRICS);
                    let mut t = json!({"metric": m, "per": rng.decimal(1, hi.max(2), 0), "points": rng.decimal(1, 30, 1)});
                    if rng.chance(0.5) {
                        t["cap"] = json!(rng.decimal(1, 20, 0));
                    }
                    t
                })
                .collect();
            json!({"points": terms, "min": rng.decimal(0, 40, 0)})
        }
        _ => {
            let (m, hi) = *rng.pick(&METRICS);
            let op = *rng.pick(&["gte", "gte", "gt", "lte", "lt", "eq", "ne"]);
            json!({"metric": m, "op": op, "value": rng.decimal(0, hi * 10, 1)})
        }
    }
}

fn program(rng: &mut Rng) -> Value {
    let tiers: Vec<Value> = (0..rng.int(1, 5))
        .map(|i| {
            let name = ["registered", "silver", "gold", "platinum", "diamond"][i as usize];
            let mut t = json!({ "name": name });
            if i > 0 || rng.chance(0.2) {
                t["requirements"] = requirement(rng, 0);
            }
            if rng.chance(0.5) {
                t["benefits"] = json!({"cost": rng.decimal(0, 100_000, 2), "discount": "0.1"});
            }
            t
        })
        .collect();
    json!({"tiers": tiers, "grace_periods": rng.int(0, 3)})
}

fn metrics(rng: &mut Rng, id: usize) -> Value {
    let values: serde_json::Map<String, Value> = METRICS
        .iter()
        .filter(|_| rng.chance(0.8))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|(m, hi)| ((*m).to_owned(), json!(rng.decimal(0, hi * 10, 1))))
        .collect();
    json!({"partner_id": format!("P{id}"), "values": values})
}

/// The status an earlier evaluation gave (under this program), or none; now and then a status
/// naming a tier the program does not have (an error every surface must report alike).
fn previous(rng: &mut Rng, program: &Value, id: usize) -> Value {
    if rng.chance(0.3) {
        return Value::Null;
    }
    let m = metrics(rng, id);
    let Ok(compiled) = serde_json::from_value(program.clone())
        .map_err(drop)
        .and_then(|s| TierProgram::new(s).map_err(drop))
    else {
        return Value::Null;
    };
    let m: PartnerMetrics = serde_json::from_value(m).expect("generated metrics decode");
    let mut before = compiled
        .evaluate(&m, None, None)
        .map_or(Value::Null, |s| serde_json::to_value(s).expect("serializes"));
    if rng.chance(0.05) {
        before["tier"] = json!("bronze");
    }
    before
}

/// Up to 8 partners' metrics, and their previous statuses under `program` or none.
fn partners(rng: &mut Rng, program: &Value) -> (Vec<Value>, Value) {
    let n = rng.int(0, 8) as usize;
    let list: Vec<Value> = (0..n).map(|i| metrics(rng, i)).collect();
    let prev = if rng.chance(0.5) {
        Value::Null
    } else {
        json!((0..n).map(|i| previous(rng, program, i)).collect::<Vec<_>>())
    };
    (list, prev)
}

fn as_of(rng: &mut Rng) -> Value {
    if rng.chance(0.5) {
        Value::Null
    } else {
        json!(instant(rng, 60))
    }
}

/// One tiers call.
pub(super) fn case(rng: &mut Rng) -> Case {
    let p = program(rng);
    match rng.below(4) {
        0 | 1 => {
            let prev = previous(rng, &p, 0);
            Case::new(
                "evaluate",
                vec![
                    ("program", p),
                    ("metrics", metrics(rng, 0)),
                    ("previous", prev),
                    ("as_of", as_of(rng)),
                ],
            )
        }
        2 => {
            let (list, prev) = partners(rng, &p);
            Case::new(
                "evaluate_many",
                vec![
                    ("program", p),
                    ("metrics_list", json!(list)),
                    ("previous_list", prev),
                    ("as_of", as_of(rng)),
                ],
            )
        }
        _ => {
            let proposed = program(rng);
            let (list, prev) = partners(rng, &p);
            Case::new(
                "simulate",
                vec![
                    ("current", p),
                    ("proposed", proposed),
                    ("metrics_list", json!(list)),
                    ("previous_list", prev),
                    ("as_of", as_of(rng)),
                ],
            )
        }
    }
}
