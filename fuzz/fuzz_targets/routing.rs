//! Any bytes as a condition text (parse, print, parse again: the same tree) or as
//! `{"policy": ..., "partners": ..., "leads": ...}` (compile and route a batch): never a panic or
//! a hang. `cargo +nightly fuzz run routing` (from fuzz/).

#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        prm_core::routing::fuzz_entry(text);
    }
});
