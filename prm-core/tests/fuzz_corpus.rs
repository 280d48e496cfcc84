//! Replays the fuzz corpora (`fuzz/corpus/<target>`) and hostile shapes through the same code
//! as the fuzz target: decoding and evaluating must return, never panic.

use prm_core::ropi::RopiRequest;
use std::path::PathBuf;

fn run(text: &str) {
    if let Ok(request) = RopiRequest::from_str(text) {
        let _ = request.evaluate();
    }
}

/// Feeds every input of `fuzz/corpus/<target>` to `entry` (as the fuzz target does); returns
/// how many there were.
fn replay(target: &str, entry: impl Fn(&[u8])) -> usize {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut n = 0;
    for file in std::fs::read_dir(dir).unwrap() {
        entry(&std::fs::read(file.unwrap().path()).unwrap());
        n += 1;
    }
    n
}

#[test]
fn corpus_replays_without_panics() {
    let n = replay("ropi_request", |bytes| run(&String::from_utf8_lossy(bytes)));
    assert!(n > 50, "corpus has {n} inputs");
}

#[test]
fn many_sign_changes_are_a_limit_not_a_hang() {
    let flows: Vec<String> = (0..10_000)
        .map(|i| if i % 2 == 0 { "-1" } else { "1.5" }.to_owned())
        .collect();
    let text = format!(r#"{{"op": "irr_roots", "flows": [{}]}}"#, flows.join(","));
    let err = RopiRequest::from_str(&text).unwrap().evaluate().unwrap_err();
    assert_eq!((err.code(), err.path()), ("LimitExceeded", "flows"));
    // exactly at the limit still solves
    let flows: Vec<f64> = (0..=prm_core::ropi::MAX_SIGN_CHANGES)
        .map(|i| if i % 2 == 0 { -1.0 } else { 1.5 })
        .collect();
    if let Err(e) = prm_core::ropi::irr_roots(&flows) {
        assert_ne!(e.code(), "LimitExceeded", "64 sign changes are within the limit");
    }
}

#[test]
fn hostile_numbers_do_not_panic() {
    for text in [
        r#"{"op":"npv","rate":1e308,"flows":[1e308,1e308]}"#,
        r#"{"op":"irr","flows":[-1e308,1e308,1e-308]}"#,
        r#"{"op":"xirr","dates":["0001-01-01","9999-12-31"],"amounts":[-1,1e300]}"#,
        r#"{"op":"mirr","flows":[-1,0,0,0,1e308],"finance_rate":1e300,"reinvest_rate":1e300}"#,
        r#"{"op":"clv","inputs":{"arpa":"79228162514264337593543950335","margin_rate":"79228162514264337593543950335","retention":"0.5"}}"#,
        r#"{"op":"weighted_pipeline","inputs":{"deals":[{"amount":"79228162514264337593543950335","probability":"0.5"}]}}"#,
        r#"{"op":"clv","inputs":{"arpa":"1","margin_rate":"1","retention":"0.9999","horizon_periods":100000}}"#,
    ] {
        run(text);
    }
}

#[test]
fn tiers_corpus_replays_without_panics() {
    let n = replay("tiers_program", |bytes| {
        prm_core::tiers::fuzz_entry(&String::from_utf8_lossy(bytes));
    });
    assert!(n >= 20, "corpus has {n} inputs");
    // nesting beyond the limit is a typed error, not a stack overflow
    let deep = format!(
        r#"{{"tiers": [{{"name": "a", "requirements": {}{}}}]}}"#,
        r#"{"all": ["#.repeat(40),
        r#"{"metric": "x", "op": "gte", "value": 1}"#.to_owned() + &"]}".repeat(40)
    );
    let err = prm_core::tiers::TierProgram::from_json(&deep).unwrap_err();
    assert_eq!(err.code(), "LimitExceeded");
}

#[test]
fn attribution_corpus_replays_without_panics() {
    let n = replay("attribution", |bytes| {
        prm_core::attribution::fuzz_entry(&String::from_utf8_lossy(bytes));
    });
    assert!(n >= 40, "corpus has {n} inputs");
    // hostile shapes: huge amounts, tiny half-lives, malformed counts
    for text in [
        r#"{"deals": [{"id": "D", "amount": {"amount": "79228162514264337593543950335", "currency": "JPY"},
            "closed_at": "2026-01-01T00:00:00Z", "touches": [
            {"partner_id": "A", "at": "2025-01-01T00:00:00Z", "touch_type": "sourced"},
            {"partner_id": "B", "at": "2025-06-01T00:00:00Z", "touch_type": "influenced"},
            {"partner_id": "C", "at": "2025-07-01T00:00:00Z", "touch_type": "influenced"}]}],
            "model": {"type": "custom", "type_weights": {"sourced": "79228162514264337593543950335", "influenced": "0.0000000000000000000000000001"}}}"#,
        r#"{"deals": [{"id": "D", "amount": {"amount": "1e9", "currency": "USD"}, "closed_at": "2026-01-01T00:00:00Z",
            "touches": [{"partner_id": "A", "at": "1970-01-01T00:00:00Z", "touch_type": "x"},
                        {"partner_id": "B", "at": "2026-01-01T00:00:00Z", "touch_type": "x"}]}],
            "model": {"type": "time_decay", "half_life_days": "0.0000000001", "lookback_days": 999999}}"#,
        r#"{"counts": {"channels": ["A"], "start": [1], "transitions": [5], "conversions": [0], "nulls": [0],
            "conversion_value": [0], "total_conversions": 0, "total_value": 0}}"#,
        r#"{"counts": {"channels": ["A", "B"], "start": [1], "transitions": [], "conversions": [], "nulls": [],
            "conversion_value": [], "total_conversions": 1, "total_value": 1}}"#,
    ] {
        prm_core::attribution::fuzz_entry(text);
    }
}

#[test]
fn attribution_fuzz_finding_amount_too_large_in_minor_units() {
    // found by the attribution fuzz target: 1.09e26 CLF (4 minor digits) is 1.09e30 minor
    // units, beyond a decimal's 96-bit mantissa; it must be a typed error, not a panic.
    let deal: prm_core::attribution::Deal = serde_json::from_str(
        r#"{"id":"D24","amount":{"amount":"108888888888888888888888880","currency":"CLF"},
            "closed_at":"2026-03-31T12:00:00Z","touches":[
            {"partner_id":"P1","at":"2026-01-01T00:00:00Z","touch_type":"sourced"},
            {"partner_id":"P2","at":"2026-02-01T00:00:00Z","touch_type":"influenced"}]}"#,
    )
    .unwrap();
    let err = prm_core::attribution::split(&deal, &prm_core::attribution::Model::linear()).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("DecimalOverflow", "deal.amount.amount")
    );
}

#[test]
fn routing_corpus_replays_without_panics() {
    let n = replay("routing", |bytes| {
        prm_core::routing::fuzz_entry(&String::from_utf8_lossy(bytes));
    });
    assert!(n >= 40, "corpus has {n} inputs");
    for text in [
        "\"\\ud800\"",
        "lead.attributes.x == \"\\ud83d\\ude00\" and lead.amount >= -1e-30",
        "lead.amount between [1e40, 2]",
        &format!("lead.country in [{}]", vec!["\"DE\""; 5000].join(",")),
        &"(".repeat(10_000),
        &"not ".repeat(10_000),
    ] {
        prm_core::routing::fuzz_entry(text);
    }
}

#[test]
fn conflicts_corpus_replays_without_panics() {
    let n = replay("conflicts", |bytes| {
        if let Ok(text) = std::str::from_utf8(bytes) {
            prm_core::conflicts::fuzz_entry(text);
        }
    });
    assert!(n >= 1000, "corpus has {n} inputs");
}

#[test]
fn conflicts_hostile_inputs_do_not_panic() {
    let long = "Ä".repeat(5000);
    let many = format!(
        r#"{{"registrations": [{}], "as_of": "2026-01-01T00:00:00Z"}}"#,
        (0..300)
            .map(|i| format!(r#"{{"id": "R{i}", "partner_id": "P", "customer": {{"name": "Bank of A{i}", "website": "a{}.com"}}, "products": ["x"], "submitted_at": "2025-12-01T00:00:00Z"}}"#, i % 7))
            .collect::<Vec<_>>()
            .join(",")
    );
    for text in [
        "",
        " ",
        "&&&",
        "...",
        "@",
        "http://",
        "a@b@c..d",
        "xn--nxasmq6b.com",
        "The The The Inc Inc",
        "GmbH & Co. KG",
        long.as_str(),
        &"a.".repeat(3000),
        &"x ".repeat(20_000),
        many.as_str(),
        r#"{"registrations": [{"id": "R1", "partner_id": "P", "customer": {"name": "A"}, "submitted_at": "2026-01-02T00:00:00Z", "approved_at": "2026-01-01T00:00:00Z"}]}"#,
        r#"{"registrations": [{"id": "R1", "partner_id": "P", "customer": {"name": "Acme"}, "submitted_at": "2026-01-02T00:00:00Z", "approved_at": "2026-01-03T00:00:00Z"}], "policy": {"protection_days": 4294967295}}"#,
    ] {
        prm_core::conflicts::fuzz_entry(text);
    }
}
