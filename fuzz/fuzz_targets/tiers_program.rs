//! Any bytes as `{"program": ..., "metrics": ..., "previous": ...}`: compiling, evaluating,
//! finding paths to the next tier and simulating must never panic or hang.
//! `cargo +nightly fuzz run tiers_program` (from fuzz/).

#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        prm_core::tiers::fuzz_entry(text);
    }
});
