//! WebAssembly bindings of prm (the npm package `prm-wasm`): conversion and delegation only.
//!
//! JavaScript values are decoded with `serde-wasm-bindgen` (wrapped in `serde_path_to_error`
//! so bad input names its path, as on every surface); outputs are JSON-shaped objects with
//! snake_case fields and decimals as strings (written as JSON text, read with `JSON.parse`). Errors are thrown as real `Error`s with `code`
//! and `path` properties.

mod attribution;
mod conflicts;
mod convert;
mod ropi;
mod routing;
mod tiers;

pub use attribution::*;
pub use conflicts::*;
pub use ropi::*;
pub use routing::*;
pub use tiers::*;
