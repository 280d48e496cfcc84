//! The input types whose JSON shape is told by its content (a condition given as text or as a
//! tree, a literal, a model given by name or as an object tagged by `type`, ...) decode as the
//! snapshot in `tests/snapshots/buffered_shapes.json` says: the value (its `Debug` form) or the
//! error's message and path, for ~4,000 generated inputs, valid and damaged.
//!
//! The snapshot was first taken from serde's derived decoders (`#[serde(untagged)]`,
//! `#[serde(tag = "type")]`, `#[serde(flatten)]`), which buffer the input in serde's private
//! content tree and compile every type under them once more for it; prm's hand-written
//! decoders replaced them (`json::buffered`), checked against that snapshot. Rewrite it with
//! `PRM_BLESS=1 cargo test -p prm-core --test buffered_shapes` only for an intended change.

use prm_core::{attribution, conflicts, json, routing, tiers};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::fmt::Debug;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())].clone()
    }
}

/// Anything at all: the damage mixed into every shape.
fn junk(r: &mut Rng, depth: usize) -> Value {
    match r.below(if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(r.chance(50)),
        2 => r.pick(&[
            json!(0),
            json!(1),
            json!(-3),
            json!(0.5),
            json!(1e300),
            json!(12_345_678_901_234_567_890u64),
        ]),
        3 => r.pick(&[
            json!(""),
            json!("x"),
            json!("7"),
            json!("0.4"),
            json!("bogus"),
            json!("P1>P2"),
        ]),
        4 => json!("lead.amount >= 5"),
        5 => json!(" ( "),
        6 => Value::Array((0..r.below(3)).map(|_| junk(r, depth - 1)).collect()),
        _ => {
            let mut m = Map::new();
            for _ in 0..r.below(3) {
                m.insert(r.pick(&["x", "type", "all", "value"]).into(), junk(r, depth - 1));
            }
            Value::Object(m)
        }
    }
}

/// An object of some of `keys`, each valued by `value` (or by junk).
fn object(r: &mut Rng, keys: &[&str], depth: usize, value: &dyn Fn(&mut Rng, &str, usize) -> Value) -> Value {
    let mut m = Map::new();
    for _ in 0..=r.below(keys.len().min(4)) {
        let k = r.pick(keys);
        let v = if r.chance(12) {
            junk(r, depth.min(2))
        } else {
            value(r, k, depth)
        };
        m.insert(k.into(), v);
    }
    Value::Object(m)
}

fn literal(r: &mut Rng, depth: usize) -> Value {
    match r.below(if depth == 0 { 5 } else { 6 }) {
        0 => json!(r.chance(50)),
        1 => r.pick(&[json!("DE"), json!("45000.50"), json!(""), json!("x")]),
        2 => r.pick(&[json!(5), json!(-2.25), json!(50000), json!(1e-7), json!(1e30)]),
        3 => Value::Null,
        4 => json!({"a": 1}),
        _ => Value::Array((0..r.below(3)).map(|_| literal(r, depth - 1)).collect()),
    }
}

fn condition(r: &mut Rng, depth: usize) -> Value {
    if depth == 0 || r.chance(30) {
        return match r.below(4) {
            0 => r.pick(&[
                json!("lead.country in [\"DE\", \"AT\"] and lead.amount >= 50000"),
                json!("not lead.industry exists"),
                json!("lead.amount >"),
                json!(""),
            ]),
            1 => {
                json!({"field": "lead.country", "op": r.pick(&["eq", "in", "exists", "nope"]), "value": literal(r, 1)})
            }
            2 => json!({"field": "lead.region", "op": "eq", "field_ref": "partner.region"}),
            _ => junk(r, 1),
        };
    }
    object(
        r,
        &["all", "any", "not", "field", "op", "value", "field_ref", "x"],
        depth,
        &|r, k, d| match k {
            "all" | "any" => Value::Array((0..r.below(3)).map(|_| condition(r, d - 1)).collect()),
            "not" => condition(r, d - 1),
            "field" | "field_ref" => r.pick(&[json!("lead.country"), json!("partner.tier"), json!(3)]),
            "op" => r.pick(&[
                json!("eq"),
                json!("gte"),
                json!("between"),
                json!("exists"),
                json!("EQ"),
            ]),
            "value" => literal(r, 2),
            _ => junk(r, 1),
        },
    )
}

fn attr_value(r: &mut Rng, depth: usize) -> Value {
    literal(r, depth)
}

fn scoring_term(r: &mut Rng) -> Value {
    object(
        r,
        &["when", "points", "field", "weight", "x"],
        2,
        &|r, k, d| match k {
            "when" => condition(r, d),
            "points" | "weight" => r.pick(&[json!(10), json!("2.5"), json!(-1), json!("x")]),
            "field" => r.pick(&[json!("partner.performance.conversion_rate"), json!("")]),
            _ => junk(r, 1),
        },
    )
}

fn tagged(r: &mut Rng, types: &[&str], keys: &[&str]) -> Value {
    object(r, keys, 2, &|r, k, _| match k {
        "type" => json!(r.pick(types)),
        "name" => r.pick(&[json!("partner-desk"), json!(7)]),
        "half_life_days" | "first" | "middle" | "last" | "lookback_days" => r.pick(&[
            json!(14),
            json!("0.25"),
            json!(0.5),
            json!(-1),
            json!("x"),
            Value::Null,
        ]),
        "type_weights" => r.pick(&[
            json!({"sourced": 5, "referral": "1.5"}),
            json!({}),
            json!({"a": "x"}),
        ]),
        _ => junk(r, 1),
    })
}

const MODEL_TYPES: &[&str] = &[
    "first_touch",
    "last_touch",
    "linear",
    "time_decay",
    "position_based",
    "w_shaped",
    "custom",
    "partner_even",
    "markov",
    "Linear",
];
const MODEL_KEYS: &[&str] = &[
    "type",
    "type",
    "half_life_days",
    "first",
    "middle",
    "last",
    "type_weights",
    "lookback_days",
    "x",
];

fn model(r: &mut Rng) -> Value {
    if r.chance(25) {
        json!(r.pick(MODEL_TYPES))
    } else {
        tagged(r, MODEL_TYPES, MODEL_KEYS)
    }
}

fn requirement(r: &mut Rng, depth: usize) -> Value {
    if depth == 0 || r.chance(30) {
        return match r.below(3) {
            0 => {
                json!({"metric": r.pick(&["revenue", "certs"]), "op": r.pick(&["gte", "eq", "GTE", "x"]), "value": r.pick(&[json!(100), json!("2.5"), json!("x")])})
            }
            1 => json!({"points": [{"metric": "revenue", "per": "1000", "points": 1, "cap": 10}], "min": 5}),
            _ => junk(r, 1),
        };
    }
    let keys = [
        "metric", "op", "value", "all", "any", "at_least", "of", "points", "min", "x",
    ];
    object(r, &keys, depth, &|r, k, d| match k {
        "all" | "any" | "of" => Value::Array((0..r.below(3)).map(|_| requirement(r, d - 1)).collect()),
        "metric" => r.pick(&[json!("revenue"), json!(3)]),
        "op" => r.pick(&[json!("gte"), json!("lt"), json!("between")]),
        "value" | "min" => r.pick(&[json!(5), json!("0.5"), json!(-1), json!("x")]),
        "at_least" => r.pick(&[json!(2), json!(-1), json!(1.5), json!("2")]),
        "points" => r.pick(&[
            json!([{"metric": "revenue", "per": 1000, "points": 2}]),
            json!([{"metric": "revenue", "per": 1000, "points": 2, "cap": 4, "x": 1}]),
            json!([]),
            json!(3),
        ]),
        _ => junk(r, 1),
    })
}

fn record(r: &mut Rng) -> Value {
    let mut base = if r.chance(50) {
        json!({"id": "R1", "partner_id": "P1", "customer": {"name": "Acme GmbH", "website": "acme.de"}})
    } else {
        json!({"id": "O1", "owner_id": "U1", "account": {"name": "Acme GmbH"}, "created_at": "2026-01-05T10:00:00Z"})
    };
    let keys = [
        "id",
        "partner_id",
        "owner_id",
        "account",
        "customer",
        "submitted_at",
        "created_at",
        "products",
        "status",
        "x",
    ];
    let damage = object(r, &keys, 1, &|r, k, _| match k {
        "id" | "partner_id" | "owner_id" => json!(r.pick(&["R1", "P1", "U1"])),
        "customer" | "account" => r.pick(&[
            json!({"name": "Acme GmbH", "website": "acme.de"}),
            json!({"name": ""}),
            json!("Acme"),
        ]),
        "submitted_at" | "created_at" => {
            r.pick(&[json!("2026-01-05T10:00:00Z"), json!("2026-13-01"), json!(5)])
        }
        "products" => r.pick(&[json!(["security"]), json!([]), json!("security")]),
        "status" => r.pick(&[json!("approved"), json!("submitted"), json!("nope")]),
        _ => junk(r, 1),
    });
    if r.chance(70) {
        let (Value::Object(b), Value::Object(d)) = (&mut base, damage) else {
            unreachable!()
        };
        for (k, v) in d.into_iter().take(r.below(3)) {
            b.insert(k, v);
        }
    }
    base
}

fn journey_path(r: &mut Rng) -> Value {
    match r.below(4) {
        0 => r.pick(&[json!("P1>P2"), json!(" P1 >> P2 "), json!("")]),
        1 => json!(["P1", "P2"]),
        2 => json!(["P1", 2]),
        _ => junk(r, 2),
    }
}

/// One case: the type, the input and what decoding it gives.
fn case<T: DeserializeOwned + Debug>(name: &str, input: Value) -> Value {
    match json::from_value::<T>(input.clone()) {
        Ok(v) => json!({"type": name, "input": input, "ok": format!("{v:?}")}),
        Err(e) => json!({"type": name, "input": input, "error": e.to_string(), "path": e.path()}),
    }
}

fn cases() -> Vec<Value> {
    let mut r = Rng(0x05EE_D0F5_A4E5);
    let mut out = Vec::new();
    for _ in 0..800 {
        let c = condition(&mut r, 4);
        out.push(case::<routing::Condition>("Condition", c));
    }
    for _ in 0..300 {
        let v = literal(&mut r, 3);
        out.push(case::<routing::Literal>("Literal", v));
        let v = attr_value(&mut r, 3);
        out.push(case::<routing::AttrValue>("AttrValue", v));
    }
    for _ in 0..400 {
        let v = scoring_term(&mut r);
        out.push(case::<routing::ScoringTerm>("ScoringTerm", v));
    }
    let strategies = [
        "first",
        "round_robin",
        "weighted",
        "best_score",
        "nearest",
        "First",
        "queue",
    ];
    for _ in 0..250 {
        let v = tagged(&mut r, &strategies, &["type", "type", "x"]);
        out.push(case::<routing::Strategy>("Strategy", v));
        let v = tagged(
            &mut r,
            &["direct", "queue", "first"],
            &["type", "type", "name", "x"],
        );
        out.push(case::<routing::Fallback>("Fallback", v));
    }
    for _ in 0..500 {
        let v = model(&mut r);
        out.push(case::<attribution::Model>("Model", v));
        let v = tagged(&mut r, MODEL_TYPES, MODEL_KEYS);
        out.push(case::<attribution::ModelKind>("ModelKind", v));
    }
    for _ in 0..150 {
        let v = journey_path(&mut r);
        out.push(case::<attribution::JourneyPath>("JourneyPath", v));
    }
    for _ in 0..400 {
        let v = requirement(&mut r, 3);
        out.push(case::<tiers::Requirement>("Requirement", v));
    }
    for _ in 0..300 {
        let v = record(&mut r);
        out.push(case::<conflicts::Record>("Record", v));
    }
    // whole documents around them: a rule, a policy's fallback, a deal's model
    out.push(case::<routing::Rule>(
        "Rule",
        json!({"name": "r", "when": "lead.amount >= 5", "strategy": {"type": "best_score"},
               "scoring": [{"when": {"field": "lead.country", "op": "eq", "value": "DE"}, "points": 10},
                           {"field": "partner.performance.conversion_rate", "weight": "2"}]}),
    ));
    out.push(case::<routing::Rule>(
        "Rule",
        json!({"name": "r", "strategy": {"type": "best_score"}, "scoring": [{"when": "x ==", "points": 1}]}),
    ));
    out
}

#[test]
fn buffered_shapes_decode_as_the_snapshot_says() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/buffered_shapes.json"
    );
    let want = cases();
    if std::env::var_os("PRM_BLESS").is_some() {
        // one case per line
        let lines: Vec<String> = want.iter().map(|c| serde_json::to_string(c).unwrap()).collect();
        let text = format!("[\n{}\n]\n", lines.join(",\n"));
        std::fs::write(path, text).unwrap();
    }
    let have: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(have.len(), want.len(), "stale snapshot: the generator changed");
    let mut differ = Vec::new();
    for (h, w) in have.iter().zip(&want) {
        if h != w {
            differ.push(format!("snapshot {h}\n     now {w}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} cases differ:\n{}",
        differ.len(),
        want.len(),
        differ.join("\n")
    );
    // the corpus exercises both outcomes of every type
    for name in [
        "Condition",
        "Literal",
        "AttrValue",
        "ScoringTerm",
        "Strategy",
        "Fallback",
        "Model",
        "ModelKind",
        "JourneyPath",
        "Requirement",
        "Record",
    ] {
        let of = |k: &str| {
            have.iter()
                .filter(|c| c["type"] == name && c.get(k).is_some())
                .count()
        };
        assert!(
            of("ok") >= 10 && of("error") >= 10,
            "{name}: {} ok, {} errors",
            of("ok"),
            of("error")
        );
    }
}

/// A model's `type` given as a variant index, in range and past it, decodes as serde's derive
/// decoded it: a flattened model (`Model`) takes the index of a variant for its name, a bare
/// `ModelKind` refuses a number. Checked against derived enums of the same variants (the
/// snapshot has no such case).
#[test]
fn a_model_tag_given_as_a_variant_index_decodes_as_serdes_derive() {
    #[derive(serde::Deserialize, Debug)]
    #[serde(tag = "type", rename_all = "snake_case")]
    #[allow(dead_code)]
    enum Kind {
        FirstTouch,
        LastTouch,
        Linear,
        TimeDecay,
        PositionBased,
        WShaped,
        Custom,
        PartnerEven,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Flat {
        #[serde(flatten)]
        kind: Kind,
        lookback_days: Option<u32>,
    }
    /// prm's outcome for `input`, where the reference decoded or refused it.
    fn agree<T: DeserializeOwned + Debug, R: Debug>(
        input: &Value,
        reference: Result<R, serde_json::Error>,
        named: &Value,
    ) {
        let have = json::from_value::<T>(input.clone());
        match reference {
            Ok(_) => {
                // the same value as the variant given by name
                let want = json::from_value::<T>(named.clone());
                assert_eq!(format!("{have:?}"), format!("{want:?}"), "{input}");
            }
            // prm's message is the reference's, after the path it names
            Err(e) => {
                let have = have.unwrap_err().to_string();
                assert!(have.ends_with(&e.to_string()), "{input}: {have} / {e}");
            }
        }
    }
    // the eight kinds, in declaration order (the generator's list has two more names)
    let names = &MODEL_TYPES[..8];
    let mut refused = [0, 0];
    for i in [0u64, 2, 7, 8, 99, u64::MAX] {
        let input = json!({"type": i});
        let named = json!({"type": names.get(i as usize).copied().unwrap_or("linear")});
        let kind = serde_json::from_value::<Kind>(input.clone());
        let flat = serde_json::from_value::<Flat>(input.clone());
        refused[0] += usize::from(kind.is_err());
        refused[1] += usize::from(flat.is_err());
        agree::<attribution::ModelKind, _>(&input, kind, &named);
        agree::<attribution::Model, _>(&input, flat, &named);
    }
    // a bare kind refuses every number; a flattened one only the indices past its variants
    assert_eq!(refused, [6, 3]);
    let past = json::from_value::<attribution::Model>(json!({"type": 8})).unwrap_err();
    assert!(
        past.to_string()
            .ends_with("invalid value: integer `8`, expected variant index 0 <= i < 8"),
        "{past}"
    );
}
