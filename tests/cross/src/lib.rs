//! Cross-surface differential tests: random valid-shaped inputs for every engine ([`inputs`],
//! from a seed or from a fuzzer's bytes via [`rng::Rng`]), and the Rust API's answer to each
//! ([`dispatch`]). The `prm-cross` binary writes them as golden-vector files for the Python and
//! JavaScript suites; the fuzz target `structured` feeds libFuzzer's bytes through the same
//! generators.

#![forbid(unsafe_code)]

pub mod dispatch;
pub mod inputs;
pub mod rng;
