//! WebAssembly bindings of prm (the npm package `prm-wasm`): conversion and delegation only.
//!
//! JavaScript values cross as JSON text both ways (`JSON.stringify` in, `JSON.parse` out) and are
//! decoded by `prm_core::json`, as in Python: bad input names its path, deep or cyclic input is a
//! typed error. Outputs are JSON-shaped objects with snake_case fields and decimals as strings.
//! Errors are thrown as real `Error`s with `code` and `path` properties.

#![forbid(unsafe_code)]

//!
//! Each engine is a cargo feature (all on by default). The npm package is built as two modules
//! of this crate (`scripts/build-wasm.sh`): `prm_portal` with the feature `portal` (conflicts,
//! tiers, attribution) and `prm_ops` with `ops` (routing, ROPI), each under the 300 KB gzip
//! budget; a page that needs another set can build it:
//! `scripts/build-wasm.sh --features "conflicts tiers"`.

#[cfg(feature = "attribution")]
mod attribution;
#[cfg(feature = "conflicts")]
mod conflicts;
mod convert;
mod limits;
#[cfg(feature = "ropi")]
mod ropi;
#[cfg(feature = "routing")]
mod routing;
#[cfg(feature = "tiers")]
mod tiers;

#[cfg(feature = "attribution")]
pub use attribution::*;
#[cfg(feature = "conflicts")]
pub use conflicts::*;
pub use limits::limits;
#[cfg(feature = "ropi")]
pub use ropi::*;
#[cfg(feature = "routing")]
pub use routing::*;
#[cfg(feature = "tiers")]
pub use tiers::*;
