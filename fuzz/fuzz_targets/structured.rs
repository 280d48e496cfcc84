//! Structure-aware fuzzing of every engine through the cross-surface generators
//! (tests/cross/src/inputs): libFuzzer's bytes are the generators' choices, read in order, so
//! every input is a valid-shaped call — a tier program with nested requirements and previous
//! statuses, a book of noisy registrations, a deal under one of the eight models, a journey set,
//! a routing policy, cash flows — and a mutated byte changes one choice, reaching the engines'
//! deep code instead of their JSON decoders. Checks, beyond "no panic, no hang": a result
//! serializes, and parsing it back gives the same JSON (`prm_cross::structured`).
//! `cargo +nightly fuzz run structured` (from fuzz/).

#![forbid(unsafe_code)]
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| prm_cross::structured(data));
