//! The documented input limits for JavaScript: `limits()`.

use crate::convert::encode;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// Every documented input limit (`prm_core::limits`), by name: what prm refuses with a
/// `LimitExceeded` error instead of recursing or allocating without bound.
#[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
pub fn limits() -> Result<JsValue, JsValue> {
    encode(&prm_core::limits::ALL.iter().copied().collect::<BTreeMap<_, _>>())
}
