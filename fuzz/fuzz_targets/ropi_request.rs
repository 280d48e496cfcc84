//! Any bytes as a ROPI JSON request: decoding and evaluation must never panic or hang.
//! `cargo +nightly fuzz run ropi_request` (from fuzz/).

#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(request) = prm_core::ropi::RopiRequest::from_str(text) {
            let _ = request.evaluate();
        }
    }
});
