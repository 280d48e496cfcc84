//! Deals with touches (ties, touches after close, custom touch types and weights, JPY/KWD
//! amounts) under every model, and journey sets for Markov, Shapley and the heuristics.

use super::{Case, instant};
use crate::rng::Rng;
use serde_json::{Value, json};

fn deal(rng: &mut Rng, id: usize) -> Value {
    let (currency, scale) = *rng.pick(&[("EUR", 2), ("USD", 2), ("JPY", 0), ("KWD", 3)]);
    let amount = match rng.below(10) {
        0 => "0".to_owned(),
        1 => rng.decimal(1, 99, scale),
        _ => rng.decimal(0, 10_000_000_000, scale),
    };
    let touches: Vec<Value> = (0..rng.int(0, 8))
        .map(|_| {
            // 10% after the close (ignored); a shared instant now and then (ties)
            let at = if rng.chance(0.1) {
                "2026-04-02T10:00:00Z".to_owned()
            } else if rng.chance(0.15) {
                "2026-03-01T00:00:00Z".to_owned()
            } else {
                instant(rng, 200)
            };
            let mut t = json!({
                "partner_id": format!("P{}", rng.int(0, 6)), "at": at,
                "touch_type": *rng.pick(&["sourced", "influenced", "co_sell", "referral", "sourced", "influenced", "webinar"]),
            });
            if rng.chance(0.1) {
                t["weight"] = json!(rng.decimal(0, 500, 2));
            }
            t
        })
        .collect();
    json!({"id": format!("D{id}"), "amount": {"amount": amount, "currency": currency},
           "closed_at": "2026-03-31T00:00:00Z", "touches": touches})
}

fn model(rng: &mut Rng) -> Value {
    let mut m = match rng.below(9) {
        0 => return json!(*rng.pick(&["first_touch", "last_touch", "linear", "w_shaped", "partner_even"])),
        1 => json!({"type": "time_decay", "half_life_days": *rng.pick(&["1", "7", "30.5", "90"])}),
        2 => json!({"type": "position_based", "first": rng.decimal(0, 60, 2), "last": rng.decimal(0, 60, 2)}),
        3 => json!({"type": "w_shaped", "first": "0.3", "middle": rng.decimal(0, 50, 2), "last": "0.2"}),
        4 => {
            json!({"type": "custom", "type_weights": {"sourced": rng.decimal(0, 9, 0), "webinar": rng.decimal(0, 30, 1)}})
        }
        5 => json!({"type": "custom"}),
        6 => json!({"type": "time_decay"}),
        _ => json!({"type": *rng.pick(&["first_touch", "last_touch", "linear", "partner_even"])}),
    };
    if rng.chance(0.3) {
        m["lookback_days"] = json!(*rng.pick(&["30", "90", "0.5"]));
    }
    m
}

fn journeys(rng: &mut Rng) -> Value {
    let rows: Vec<Value> = (0..rng.int(1, 40))
        .map(|_| {
            let steps: Vec<String> = (0..rng.int(1, 6))
                .map(|_| format!("C{}", rng.int(0, 7)))
                .collect();
            let path = if rng.chance(0.2) {
                json!(steps)
            } else {
                json!(steps.join(" > "))
            };
            // values of 17 significant digits now and then: every surface must read them exactly
            let value = if rng.chance(0.5) {
                rng.float(0.0, 1e9)
            } else {
                (rng.float(0.0, 1e4) * 100.0).round() / 100.0
            };
            let mut row = json!({"path": path, "conversions": rng.int(0, 3), "value": value});
            if rng.chance(0.7) {
                row["nulls"] = json!(rng.int(0, 4));
            }
            row
        })
        .collect();
    json!(rows)
}

/// One attribution call.
pub(super) fn case(rng: &mut Rng) -> Case {
    match rng.below(8) {
        0 | 1 => Case::new("split", vec![("deal", deal(rng, 0)), ("model", model(rng))]),
        2 => {
            let deals: Vec<Value> = (0..rng.int(0, 6)).map(|i| deal(rng, i as usize)).collect();
            Case::new("split_many", vec![("deals", json!(deals)), ("model", model(rng))])
        }
        3 => {
            let deals: Vec<Value> = (0..rng.int(0, 6)).map(|i| deal(rng, i as usize)).collect();
            let currency = if rng.chance(0.5) {
                Value::Null
            } else {
                json!(*rng.pick(&["EUR", "JPY"]))
            };
            Case::new(
                "partner_totals",
                vec![
                    ("deals", json!(deals)),
                    ("model", model(rng)),
                    ("currency", currency),
                ],
            )
        }
        4 | 5 => Case::new(
            "markov",
            vec![
                ("journeys", journeys(rng)),
                (
                    "value_mode",
                    json!(*rng.pick(&["channelattribution", "proportional"])),
                ),
            ],
        ),
        6 => Case::new(
            "shapley",
            vec![("journeys", journeys(rng)), ("ordered", json!(rng.chance(0.5)))],
        ),
        _ => Case::new("heuristics", vec![("journeys", journeys(rng))]),
    }
}
