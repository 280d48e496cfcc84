//! The documented input limits for JavaScript: `limits()`.

use crate::convert::encode;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// Every documented input limit (`prm_core::limits`), by name: what prm refuses with a
/// `LimitExceeded` error instead of recursing or allocating without bound.
#[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
pub fn limits() -> Result<JsValue, JsValue> {
    // inserted one by one: `collect` would compile a whole stable sort for this one map
    let mut all = BTreeMap::new();
    for &(name, limit) in prm_core::limits::ALL {
        all.insert(name, limit);
    }
    encode(&all)
}
