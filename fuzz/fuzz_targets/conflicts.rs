//! Any bytes as a company name / website / e-mail (normalise, extract the domain, match) or as
//! `{"registrations", "opportunities", "partners", "policy", "as_of"}` (detect_all, index
//! insert/check/expire): never a panic or a hang. `cargo +nightly fuzz run conflicts` (from fuzz/).

#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        prm_core::conflicts::fuzz_entry(text);
    }
});
