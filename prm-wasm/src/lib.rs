//! WebAssembly bindings of prm (the npm package `prm-wasm`): conversion and delegation only.
//!
//! JavaScript values are decoded with `serde-wasm-bindgen` (wrapped in `serde_path_to_error`
//! so bad input names its path, as on every surface); outputs are JSON-shaped objects with
//! snake_case fields and decimals as strings (written as JSON text, read with `JSON.parse`).
//! Errors are thrown as real `Error`s with `code` and `path` properties.

//!
//! Each engine is a cargo feature (all on by default), so a page that needs only some of them
//! can build a smaller module: `scripts/build-wasm.sh --features "conflicts tiers"`.

#[cfg(feature = "attribution")]
mod attribution;
#[cfg(feature = "conflicts")]
mod conflicts;
mod convert;
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
#[cfg(feature = "ropi")]
pub use ropi::*;
#[cfg(feature = "routing")]
pub use routing::*;
#[cfg(feature = "tiers")]
pub use tiers::*;
