//! prm's input decoder (`json::from_value`, a one-layer path-tracking deserializer) against the
//! reference it replaced — serde_json's `Value` deserializer wrapped in serde_path_to_error: the
//! same value, or the same error message at the same path, for every input type on every JSON
//! value found in the golden vectors, and on random damage to them. One difference is intended
//! and checked as such: prm refuses an array where a struct (an object) belongs.

use prm_core::{attribution, conflicts, json, ropi, routing, tiers};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt::Debug;
use std::path::Path;

/// Decodes `value` as `T` both ways; `Err` describes the first disagreement.
fn agree<T: DeserializeOwned + Debug>(value: &Value) -> Result<(), String> {
    let ours = json::from_value::<T>(value.clone()).map_err(|e| (e.path().to_owned(), e.to_string()));
    let reference = serde_path_to_error::deserialize::<_, T>(value.clone()).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let message = prm_core::Error::InvalidInput {
            path: path.clone(),
            message: e.into_inner().to_string(),
        }
        .to_string();
        (path, message)
    });
    // the one intended difference: a struct must be an object (serde_json also takes an array of
    // its fields in order); then the value at the error's path is an array
    if let Err((path, message)) = &ours
        && message.contains("invalid type: sequence, expected struct")
    {
        return match at_path(value, path) {
            Some(Value::Array(_)) => Ok(()),
            other => Err(format!("{message}, but the value there is {other:?}")),
        };
    }
    let (ours, reference) = (format!("{ours:?}"), format!("{reference:?}"));
    if ours == reference {
        Ok(())
    } else {
        Err(format!(
            "{}:\n  ours      {ours}\n  reference {reference}\n  on {value}",
            std::any::type_name::<T>()
        ))
    }
}

/// The value at a path as the errors write it (`a.b[2].c`; no key in the test data holds `.`).
fn at_path<'v>(mut value: &'v Value, path: &str) -> Option<&'v Value> {
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indices) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            value = value.get(key)?;
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            value = value.get(index.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(value)
}

/// Every input type the bindings decode, at the root of a value.
fn all_agree(value: &Value) -> Result<(), String> {
    macro_rules! each {
        ($($t:ty),* $(,)?) => {{ $(agree::<$t>(value)?;)* Ok(()) }};
    }
    each!(
        ropi::MdfRoiInput,
        ropi::ClvInput,
        ropi::PartnerEconomicsInput,
        ropi::WeightedPipelineInput,
        ropi::TimeToRevenueInput,
        attribution::Journey,
        attribution::Attribution,
        attribution::Deal,
        Vec<attribution::Touch>,
        routing::RoutingPolicy,
        routing::Lead,
        Vec<routing::Partner>,
        routing::RoutingState,
        routing::Condition,
        tiers::TierProgramSpec,
        tiers::PartnerMetrics,
        Option<tiers::TierStatus>,
        Vec<tiers::PartnerEvent>,
        conflicts::Registration,
        conflicts::DirectOpportunity,
        conflicts::ConflictPolicy,
        Vec<conflicts::Partner>,
        conflicts::IndexSnapshot,
        prm_core::domain::Money,
        Vec<prm_core::domain::Timestamp>,
        Vec<rust_decimal::Decimal>,
        std::collections::BTreeMap<String, u32>,
        std::collections::BTreeMap<u32, String>,
        (u8, Option<bool>, f64),
    )
}

/// Every array and object inside the golden vectors (each case and all it contains).
fn vector_values() -> Vec<Value> {
    fn walk(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Array(xs) => xs.iter().for_each(|x| walk(x, out)),
            Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => return,
        }
        out.push(v.clone());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let mut out = Vec::new();
    for engine in std::fs::read_dir(&root).unwrap() {
        let engine = engine.unwrap().path();
        if !engine.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(engine).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            walk(&serde_json::from_str(&text).unwrap(), &mut out);
        }
    }
    out
}

#[test]
fn the_vectors_decode_alike() {
    let values = vector_values();
    assert!(values.len() > 1000, "found {} values", values.len());
    for v in &values {
        if let Err(e) = all_agree(v) {
            panic!("{e}");
        }
    }
}

/// `value` with one place in it damaged: a leaf swapped for another kind of value, a key added
/// or dropped, an array emptied or a variant renamed.
fn damage(value: &Value, pick: usize, how: u8) -> Value {
    fn places(v: &Value) -> usize {
        1 + match v {
            Value::Array(xs) => xs.iter().map(places).sum(),
            Value::Object(m) => m.values().map(places).sum(),
            _ => 0,
        }
    }
    fn go(v: &mut Value, pick: &mut usize, how: u8) {
        if *pick == 0 {
            *v = match (how % 9, &*v) {
                (0, _) => Value::Null,
                (1, _) => Value::from("x"),
                (2, _) => Value::from(-1.5),
                (3, _) => Value::from(7),
                (4, _) => Value::Bool(true),
                (5, Value::Object(m)) => {
                    let mut m = m.clone();
                    m.insert("unknown_field".into(), Value::from(1));
                    Value::Object(m)
                }
                (6, Value::Object(m)) => {
                    let mut m = m.clone();
                    let first = m.keys().next().cloned();
                    first.map(|k| m.remove(&k));
                    Value::Object(m)
                }
                (7, Value::Array(_)) => Value::Array(Vec::new()),
                (8, Value::String(s)) => Value::from(format!("{s}_")),
                (_, other) => serde_json::json!([other.clone()]),
            };
            *pick = usize::MAX;
            return;
        }
        *pick -= 1;
        match v {
            Value::Array(xs) => xs.iter_mut().for_each(|x| go(x, pick, how)),
            Value::Object(m) => m.values_mut().for_each(|x| go(x, pick, how)),
            _ => {}
        }
    }
    let mut out = value.clone();
    let mut pick = pick % places(value);
    go(&mut out, &mut pick, how);
    out
}

proptest! {
    #[test]
    fn damaged_vectors_decode_alike(which in any::<prop::sample::Index>(), pick in any::<usize>(), how in any::<u8>(),
                                    pick2 in any::<usize>(), how2 in any::<u8>()) {
        thread_local!(static VALUES: Vec<Value> = vector_values());
        let value = VALUES.with(|vs| which.get(vs).clone());
        let value = damage(&damage(&value, pick, how), pick2, how2);
        if let Err(e) = all_agree(&value) {
            prop_assert!(false, "{}", e);
        }
    }
}
