//! JavaScript values ⇄ prm's JSON shapes, and prm errors → thrown `Error`s.

use prm_core::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// Decodes a JS value as `T`; errors carry the path under `root` (`flows[2]`, `costs.mdf`).
///
/// The value goes through JSON (`serde_json::Value`) and `prm_core::json`, exactly as in Python:
/// one decoder, the same defaults, unknown-field checks and paths on every surface.
/// (Decoding straight from JS with serde-wasm-bindgen would skip `deny_unknown_fields`: it only
/// looks up the fields a struct knows.)
pub(crate) fn decode<T: DeserializeOwned>(value: JsValue, root: &str) -> Result<T, Error> {
    let json: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(|e| Error::InvalidInput {
        path: root.to_owned(),
        message: e.to_string(),
    })?;
    prm_core::json::from_value(json).map_err(|e| match e {
        Error::InvalidInput { path, message } => {
            let path = match (root.is_empty(), path.is_empty()) {
                (true, _) => path,
                (false, true) => root.to_owned(),
                (false, false) if path.starts_with('[') => format!("{root}{path}"),
                (false, false) => format!("{root}.{path}"),
            };
            Error::InvalidInput { path, message }
        }
        other => other,
    })
}

/// Encodes an output as a plain JS object (maps as objects, 64-bit integers as numbers).
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("InvalidInput", "", &e.to_string()))
}

/// A JS `Error` whose `name` and `code` are the error code and whose `path` names the input.
pub(crate) fn js_error(code: &str, path: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(code);
    let obj: &JsValue = err.as_ref();
    // Reflect::set on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(obj, &"code".into(), &code.into());
    let _ = js_sys::Reflect::set(obj, &"path".into(), &path.into());
    err.into()
}

/// prm error → thrown JS error.
pub(crate) fn to_js(err: &Error) -> JsValue {
    js_error(err.code(), err.path(), &err.to_string())
}

/// `Result<T, prm_core::Error>` → `Result<T, JsValue>`.
pub(crate) trait IntoJsResult<T> {
    fn js(self) -> Result<T, JsValue>;
}

impl<T> IntoJsResult<T> for Result<T, Error> {
    fn js(self) -> Result<T, JsValue> {
        self.map_err(|e| to_js(&e))
    }
}
