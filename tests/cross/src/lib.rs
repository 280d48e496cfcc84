//! Cross-surface differential tests: random valid-shaped inputs for every engine ([`inputs`],
//! from a seed or from a fuzzer's bytes via [`rng::Rng`]), and the Rust API's answer to each
//! ([`dispatch`]). The `prm-cross` binary writes them as golden-vector files for the Python and
//! JavaScript suites; the fuzz target `structured` feeds libFuzzer's bytes through the same
//! generators.

#![forbid(unsafe_code)]

pub mod dispatch;
pub mod inputs;
pub mod rng;

/// One input of the `structured` fuzz target: `bytes` as the generators' choices pick an engine
/// and build a call; the Rust API must answer without panicking, and a result must serialize and
/// parse back to the same JSON (no NaN, no lossy number).
///
/// # Panics
/// When either check fails: that is the finding.
pub fn structured(bytes: &[u8]) {
    let mut rng = rng::Rng::from_bytes(bytes);
    let engine = inputs::ENGINES[rng.below(inputs::ENGINES.len())];
    let case = inputs::case(engine, &mut rng);
    if let Ok(out) = dispatch::eval(engine, &case.request()) {
        let text = serde_json::to_string(&out).expect("every result serializes");
        let back: serde_json::Value = serde_json::from_str(&text).expect("and parses back");
        assert_eq!(back, out, "{engine} {}: the result's JSON round trip", case.op);
    }
}
