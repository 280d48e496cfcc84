//! Runs every golden vector of `vectors/` against the Rust API (see vectors/README.md).

// One dispatcher from a vector's op and input to the Rust API, shared with the cross-surface
// generator (tests/cross), which writes Rust's answers for the Python and JS suites to match.
#[path = "../../tests/cross/src/dispatch.rs"]
#[allow(unreachable_pub)] // public in prm-cross's library
mod dispatch;

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

fn run_engine(engine: &str) {
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
            let outcome = match (dispatch::eval(engine, &request), case.get("expected_error")) {
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
    run_engine("ropi");
}

#[test]
fn tiers_vectors() {
    run_engine("tiers");
}

#[test]
fn attribution_vectors() {
    run_engine("attribution");
}

#[test]
fn routing_vectors() {
    run_engine("routing");
}

#[test]
fn conflicts_vectors() {
    run_engine("conflicts");
}
