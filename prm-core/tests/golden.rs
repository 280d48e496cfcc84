//! Runs every golden vector of `vectors/` against the Rust API (see vectors/README.md).

use prm_core::ropi::RopiRequest;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::str::FromStr;

fn vector_files(engine: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../vectors")
        .join(engine);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Compares `actual` with `expected`; returns a description of the first difference.
fn compare(actual: &Value, expected: &Value, tol: (f64, Decimal), at: &str) -> Result<(), String> {
    let (tol, dtol) = tol;
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            if (a - e).abs() <= tol * e.abs().max(1e-6) {
                Ok(())
            } else {
                Err(format!("{at}: {a:e} != {e:e}"))
            }
        }
        (Value::String(a), Value::String(e)) => match (Decimal::from_str(a), Decimal::from_str(e)) {
            (Ok(a), Ok(e)) => {
                let bound = dtol * e.abs().max(Decimal::ONE);
                if (a - e).abs() <= bound {
                    Ok(())
                } else {
                    Err(format!("{at}: {a} != {e}"))
                }
            }
            _ if a == e => Ok(()),
            _ => Err(format!("{at}: {a:?} != {e:?}")),
        },
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                return Err(format!("{at}: {} items != {}", a.len(), e.len()));
            }
            a.iter()
                .zip(e)
                .enumerate()
                .try_for_each(|(i, (a, e))| compare(a, e, (tol, dtol), &format!("{at}[{i}]")))
        }
        (Value::Object(a), Value::Object(e)) => {
            let (mut ka, mut ke): (Vec<_>, Vec<_>) = (a.keys().collect(), e.keys().collect());
            ka.sort();
            ke.sort();
            if ka != ke {
                return Err(format!("{at}: keys {ka:?} != {ke:?}"));
            }
            e.iter()
                .try_for_each(|(k, ev)| compare(&a[k], ev, (tol, dtol), &format!("{at}.{k}")))
        }
        _ if actual == expected => Ok(()),
        _ => Err(format!("{at}: {actual} != {expected}")),
    }
}

/// Expands the generators of a vector (see vectors/README.md: `$repeat`, `$concat`, `$list`,
/// `$nest`), so cases at and past the input limits stay small on disk.
fn expand(v: &Value) -> Value {
    let times = |o: &serde_json::Map<String, Value>| o["times"].as_u64().unwrap() as usize;
    match v {
        Value::Object(o) if o.contains_key("$repeat") => {
            Value::String(o["$repeat"].as_str().unwrap().repeat(times(o)))
        }
        Value::Object(o) if o.contains_key("$concat") => Value::String(
            o["$concat"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| expand(x).as_str().unwrap().to_owned())
                .collect(),
        ),
        Value::Object(o) if o.contains_key("$list") => {
            let item = expand(&o["$list"]);
            Value::Array((0..times(o)).map(|i| fill(&item, &i.to_string())).collect())
        }
        Value::Object(o) if o.contains_key("$nest") => {
            let template = expand(&o["$nest"]);
            (0..times(o)).fold(expand(&o["leaf"]), |inner, _| put(&template, &inner))
        }
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), expand(x))).collect()),
        Value::Array(xs) => Value::Array(xs.iter().map(expand).collect()),
        _ => v.clone(),
    }
}

/// `template` with every string `"{i}"` in it replaced by `i`.
fn fill(template: &Value, i: &str) -> Value {
    match template {
        Value::String(s) => Value::String(s.replace("{i}", i)),
        Value::Array(xs) => Value::Array(xs.iter().map(|x| fill(x, i)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), fill(x, i))).collect()),
        _ => template.clone(),
    }
}

/// `template` with the string `"$inner"` replaced by `inner`.
fn put(template: &Value, inner: &Value) -> Value {
    match template {
        Value::String(s) if s == "$inner" => inner.clone(),
        Value::Array(xs) => Value::Array(xs.iter().map(|x| put(x, inner)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), put(x, inner))).collect()),
        _ => template.clone(),
    }
}

fn run_engine(engine: &str, eval: impl Fn(Value) -> Result<Value, prm_core::Error>) {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in vector_files(engine) {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let case = &expand(case);
            count += 1;
            let name = format!(
                "{} / {}",
                file.file_name().unwrap().to_string_lossy(),
                case["description"]
            );
            let mut request = json!({"op": case["op"]});
            for (k, v) in case["input"].as_object().unwrap() {
                request[k] = v.clone();
            }
            let expected = &case["expected"];
            let tol = case.get("tolerance").and_then(Value::as_f64).unwrap_or(1e-12);
            let dtol = case.get("decimal_tolerance").and_then(Value::as_f64).map_or_else(
                || Decimal::from_str("1e-20").unwrap(),
                |d| Decimal::try_from(d).unwrap(),
            );
            let tol = (tol, dtol);
            let outcome = match (eval(request), case.get("expected_error")) {
                (Ok(out), None) => compare(&out, expected, tol, "result"),
                (Err(e), Some(want)) => {
                    let got = json!({"code": e.code(), "path": e.path()});
                    if &got == want {
                        Ok(())
                    } else {
                        Err(format!("error {got} != {want} ({e})"))
                    }
                }
                (Ok(out), Some(want)) => Err(format!("expected error {want}, got {out}")),
                (Err(e), None) => Err(format!("unexpected error {} at {:?}: {e}", e.code(), e.path())),
            };
            if let Err(why) = outcome {
                failures.push(format!("{name}: {why}"));
            }
        }
    }
    assert!(count > 0, "no vectors for {engine}");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ropi_vectors() {
    run_engine("ropi", |request| RopiRequest::from_json(request)?.evaluate());
}

#[test]
fn tiers_vectors() {
    use prm_core::tiers::{PartnerMetrics, TierProgram, TierStatus};
    run_engine("tiers", |request| {
        let field = |k: &str| request.get(k).cloned().unwrap_or(Value::Null);
        let program = TierProgram::new(prm_core::json::from_value(field("program"))?)?;
        match request["op"].as_str() {
            Some("compile") => Ok(Value::Null),
            Some("evaluate") => {
                let metrics: PartnerMetrics = prm_core::json::from_value(field("metrics"))?;
                let previous: Option<TierStatus> = prm_core::json::from_value(field("previous"))?;
                let as_of: Option<prm_core::domain::Timestamp> = prm_core::json::from_value(field("as_of"))?;
                let status = program.evaluate(&metrics, previous.as_ref(), as_of)?;
                Ok(serde_json::to_value(status).unwrap())
            }
            other => panic!("unknown tiers op {other:?}"),
        }
    });
}

#[test]
fn attribution_vectors() {
    use prm_core::attribution::{self, Deal, Journey, Journeys, Model, ValueMode};
    use prm_core::domain::Currency;
    use prm_core::json::from_value;
    run_engine("attribution", |request| {
        let field = |k: &str| request.get(k).cloned().unwrap_or(Value::Null);
        let arg = |k: &str| field(k);
        let journeys = || -> Result<Journeys, prm_core::Error> {
            let rows: Vec<Journey> = from_value(arg("journeys")).map_err(|e| e.under("journeys"))?;
            Journeys::from_rows(&rows).map_err(|e| e.under("journeys"))
        };
        let model =
            || -> Result<Model, prm_core::Error> { from_value(arg("model")).map_err(|e| e.under("model")) };
        let deals = || -> Result<Vec<Deal>, prm_core::Error> {
            from_value(arg("deals")).map_err(|e| e.under("deals"))
        };
        let out = match request["op"].as_str() {
            Some("split") => {
                let deal: Deal = from_value(arg("deal")).map_err(|e| e.under("deal"))?;
                serde_json::to_value(attribution::split(&deal, &model()?)?)
            }
            Some("split_many") => serde_json::to_value(attribution::split_many(&deals()?, &model()?)?),
            Some("partner_totals") => {
                let (deals, model) = (deals()?, model()?);
                let currency: Option<Currency> =
                    from_value(arg("currency")).map_err(|e| e.under("currency"))?;
                let splits = attribution::split_many(&deals, &model)?;
                serde_json::to_value(
                    attribution::partner_totals(&splits, currency.as_ref()).map_err(|e| e.under("deals"))?,
                )
            }
            Some("markov") => {
                let j = journeys()?;
                let mode: ValueMode = from_value(arg("value_mode")).map_err(|e| e.under("value_mode"))?;
                serde_json::to_value(attribution::markov(&j, mode)?)
            }
            Some("shapley") => {
                let ordered = arg("ordered").as_bool().unwrap_or(false);
                serde_json::to_value(attribution::shapley(&journeys()?, ordered))
            }
            Some("heuristics") => serde_json::to_value(attribution::heuristics(&journeys()?)),
            other => panic!("unknown attribution op {other:?}"),
        };
        Ok(out.unwrap())
    });
}

#[test]
fn routing_vectors() {
    use prm_core::domain::PartnerId;
    use prm_core::json::from_value;
    use prm_core::routing::{self, Condition, Lead, Partner, Router, RoutingPolicy, RoutingState};
    run_engine("routing", |request| {
        let arg = |k: &str| request.get(k).cloned().unwrap_or(Value::Null);
        let router = || -> Result<Router, prm_core::Error> {
            let policy: RoutingPolicy = from_value(arg("policy"))?;
            let partners: Vec<Partner> = from_value(arg("partners")).map_err(|e| e.under("partners"))?;
            Router::new(policy, partners)
        };
        let state = || -> Result<RoutingState, prm_core::Error> {
            Ok(from_value::<Option<RoutingState>>(arg("state"))
                .map_err(|e| e.under("state"))?
                .unwrap_or_default())
        };
        Ok(match request["op"].as_str() {
            Some("route_batch") => {
                let r = router()?;
                let leads: Vec<Lead> = from_value(arg("leads")).map_err(|e| e.under("leads"))?;
                let mut s = state()?;
                let d = r.route_batch(&leads, &mut s);
                json!({"decisions": d, "state": s})
            }
            Some("reroute") => {
                let r = router()?;
                let lead: Lead = from_value(arg("lead")).map_err(|e| e.under("lead"))?;
                let declined: Vec<PartnerId> =
                    from_value(arg("declined")).map_err(|e| e.under("declined"))?;
                let mut s = state()?;
                let d = r.reroute(&lead, &declined, &mut s);
                json!({"decision": d, "state": s})
            }
            Some("parse_condition") => serde_json::to_value(routing::parse_condition(
                arg("text").as_str().unwrap_or_default(),
            )?)
            .unwrap(),
            Some("format_condition") => {
                let c: Condition = from_value(arg("condition")).map_err(|e| e.under("condition"))?;
                Value::String(routing::format_condition(&c))
            }
            other => panic!("unknown routing op {other:?}"),
        })
    });
}

#[test]
fn conflicts_vectors() {
    use prm_core::conflicts::{self, ConflictPolicy, DirectOpportunity, Partner, Registration};
    use prm_core::json::from_value;
    run_engine("conflicts", |request| {
        let arg = |k: &str| request.get(k).cloned().unwrap_or(Value::Null);
        let text = |k: &str| arg(k).as_str().unwrap_or_default().to_owned();
        Ok(match request["op"].as_str() {
            Some("normalize_company_name") => {
                serde_json::to_value(conflicts::normalize_company_name(&text("name"))).unwrap()
            }
            Some("extract_domain") => {
                serde_json::to_value(conflicts::extract_domain(&text("value"))).unwrap()
            }
            Some("detect_all") => {
                let r: Vec<Registration> =
                    from_value(arg("registrations")).map_err(|e| e.under("registrations"))?;
                let o: Vec<DirectOpportunity> =
                    from_value(arg("opportunities")).map_err(|e| e.under("opportunities"))?;
                let p: Vec<Partner> = from_value(arg("partners")).map_err(|e| e.under("partners"))?;
                let policy: Option<ConflictPolicy> =
                    from_value(arg("policy")).map_err(|e| e.under("policy"))?;
                serde_json::to_value(conflicts::detect_all(&r, &o, &p, &policy.unwrap_or_default())?).unwrap()
            }
            other => panic!("unknown conflicts op {other:?}"),
        })
    });
}
