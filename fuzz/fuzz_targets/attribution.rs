//! Any bytes as `{"deals": ..., "model": ..., "journeys": ..., "counts": ...}`: splitting (shares
//! must sum exactly to each amount), totals, Markov (also from arbitrary counts), Shapley and
//! heuristics must never panic or hang. `cargo +nightly fuzz run attribution` (from fuzz/).

#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        prm_core::attribution::fuzz_entry(text);
    }
});
