//! Structure-aware fuzzing of every engine through the cross-surface generators
//! (tests/cross/src/inputs): libFuzzer's bytes are the generators' choices, read in order, so
//! every input is a valid-shaped call — a tier program with nested requirements and previous
//! statuses, a book of noisy registrations, a deal under one of the eight models, a journey set,
//! a routing policy, cash flows — and a mutated byte changes one choice, reaching the engines'
//! deep code instead of their JSON decoders. Checks, beyond "no panic, no hang": a result
//! serializes, and parsing it back gives the same JSON. `cargo +nightly fuzz run structured`.

#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;
use prm_cross::{dispatch, inputs, rng::Rng};

fuzz_target!(|data: &[u8]| {
    let mut rng = Rng::from_bytes(data);
    let engine = inputs::ENGINES[rng.below(inputs::ENGINES.len())];
    let case = inputs::case(engine, &mut rng);
    if let Ok(out) = dispatch::eval(engine, &case.request()) {
        let text = serde_json::to_string(&out).expect("every result serializes");
        let back: serde_json::Value = serde_json::from_str(&text).expect("and parses back");
        assert_eq!(back, out, "{engine} {}: the result's JSON round trip", case.op);
    }
});
