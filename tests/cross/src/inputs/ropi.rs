//! Cash flows (mostly well-formed, some with no sign change, zeros, huge or tiny amounts, netted
//! same-day flows) and the economics inputs of SPEC §6.

use super::{Case, date};
use crate::rng::Rng;
use serde_json::{Value, json};

fn amount(rng: &mut Rng) -> f64 {
    match rng.below(10) {
        0 => 0.0,
        1 => rng.float(-10.0, 10.0),
        2 => rng.float(-1e12, 1e12),
        _ => rng.float(-1e6, 1e6),
    }
}

fn flows(rng: &mut Rng) -> Vec<f64> {
    let n = rng.int(1, 25) as usize;
    let mut a: Vec<f64> = (0..n).map(|_| amount(rng)).collect();
    if rng.chance(0.8) {
        a[0] = -a[0].abs() - 1.0;
    }
    a
}

/// Ascending dates (repeats allowed: same-day flows are netted), sometimes out of order.
fn dates(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut day = rng.int(0, 3000);
    let mut out: Vec<(i64, String)> = Vec::with_capacity(n);
    for _ in 0..n {
        out.push((day, String::new()));
        day += rng.int(0, 120);
    }
    if rng.chance(0.1) {
        out.reverse();
    }
    let base = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid");
    out.into_iter()
        .map(|(d, _)| (base + chrono::Duration::days(d)).to_string())
        .collect()
}

fn rate(rng: &mut Rng) -> Value {
    json!(match rng.below(8) {
        0 => -0.99,
        1 => 0.0,
        _ => rng.float(-0.5, 0.5),
    })
}

fn guess(rng: &mut Rng) -> Value {
    if rng.chance(0.7) {
        Value::Null
    } else {
        json!(rng.float(-0.9, 2.0))
    }
}

fn money(rng: &mut Rng, max: i64) -> Value {
    json!(rng.decimal(0, max * 100, 2))
}

fn ratio(rng: &mut Rng) -> Value {
    // mostly in [0, 1]; sometimes past it (an error on some inputs)
    json!(if rng.chance(0.95) {
        rng.decimal(0, 1000, 3)
    } else {
        rng.decimal(1001, 3000, 3)
    })
}

/// One ROPI call.
pub(super) fn case(rng: &mut Rng) -> Case {
    const OPS: [&str; 16] = [
        "npv",
        "npv_excel",
        "irr",
        "irr_roots",
        "mirr",
        "payback",
        "discounted_payback",
        "xnpv",
        "xnpv_excel",
        "xirr",
        "xirr_roots",
        "partner_economics",
        "mdf_roi",
        "clv",
        "weighted_pipeline",
        "time_to_revenue",
    ];
    let op = *rng.pick(&OPS);
    let f = flows(rng);
    let n = f.len();
    match op {
        "npv" | "npv_excel" | "discounted_payback" => {
            Case::new(op, vec![("rate", rate(rng)), ("flows", json!(f))])
        }
        "irr" => Case::new(op, vec![("flows", json!(f)), ("guess", guess(rng))]),
        "irr_roots" | "payback" => Case::new(op, vec![("flows", json!(f))]),
        "mirr" => Case::new(
            op,
            vec![
                ("flows", json!(f)),
                ("finance_rate", json!(rng.float(0.0, 0.2))),
                ("reinvest_rate", json!(rng.float(0.0, 0.2))),
            ],
        ),
        "xnpv" | "xnpv_excel" => Case::new(
            op,
            vec![
                ("rate", rate(rng)),
                ("dates", json!(dates(rng, n))),
                ("amounts", json!(f)),
            ],
        ),
        "xirr" => Case::new(
            op,
            vec![
                ("dates", json!(dates(rng, n))),
                ("amounts", json!(f)),
                ("guess", guess(rng)),
            ],
        ),
        "xirr_roots" => Case::new(op, vec![("dates", json!(dates(rng, n))), ("amounts", json!(f))]),
        _ => Case::new(op, vec![("inputs", economics(op, rng))]),
    }
}

/// The `inputs` object of an economics op.
fn economics(op: &str, rng: &mut Rng) -> Value {
    match op {
        "partner_economics" => {
            const LINES: [&str; 10] = [
                "mdf",
                "rebates",
                "spiffs",
                "other_incentives",
                "discounts",
                "enablement",
                "support",
                "partner_manager_hours",
                "partner_manager_hourly_rate",
                "program_overhead",
            ];
            let mut costs = serde_json::Map::new();
            for k in LINES {
                if rng.chance(0.7) {
                    costs.insert(k.to_owned(), money(rng, 50_000));
                }
            }
            json!({
                "sourced_revenue": money(rng, 2_000_000), "influenced_revenue": money(rng, 1_000_000),
                "influence_weight": ratio(rng), "margin_rate": ratio(rng),
                "revenue_is_net_of_discounts": rng.chance(0.5), "costs": costs,
            })
        }
        "mdf_roi" => json!({
            "mdf_spend": money(rng, 50_000), "mdf_allocated": money(rng, 60_000),
            "attributed_revenue": money(rng, 500_000), "margin_rate": ratio(rng),
        }),
        "clv" => json!({
            "arpa": money(rng, 5_000), "margin_rate": ratio(rng), "retention": ratio(rng),
            "discount_rate": rng.decimal(0, 300, 3), "timing": *rng.pick(&["end", "start"]),
            "horizon_periods": if rng.chance(0.5) { Value::Null } else { json!(rng.int(0, 60)) },
            "acquisition_cost": if rng.chance(0.3) { Value::Null } else { money(rng, 3_000) },
        }),
        "weighted_pipeline" => {
            let deals: Vec<Value> = (0..rng.int(0, 12))
                .map(|_| {
                    let mut d = json!({"amount": money(rng, 300_000), "probability": ratio(rng)});
                    if rng.chance(0.5) {
                        d["partner_share"] = ratio(rng);
                    }
                    d
                })
                .collect();
            let quota = if rng.chance(0.2) {
                Value::Null
            } else {
                money(rng, 500_000)
            };
            json!({"deals": deals, "quota": quota})
        }
        _ => {
            let partners: Vec<Value> = (0..rng.int(0, 10)).map(|_| activation(rng)).collect();
            json!({"partners": partners, "within_days": rng.int(1, 365)})
        }
    }
}

/// A partner's activation date and first revenue: none, on or after activation, or (one in 20)
/// before it, an error.
fn activation(rng: &mut Rng) -> Value {
    let start = date(rng, 2000);
    let first = if rng.chance(0.3) {
        Value::Null
    } else {
        let d = chrono::NaiveDate::parse_from_str(&start, "%Y-%m-%d").expect("a generated date");
        let shift = chrono::Duration::days(rng.int(0, 200));
        let first = if rng.chance(0.05) {
            d - shift - chrono::Duration::days(1)
        } else {
            d + shift
        };
        json!(first.to_string())
    };
    json!({"activation_date": start, "first_revenue_date": first})
}
