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

#[wasm_bindgen(inline_js = r#"
export function prm_numbers(a) {
  if (a instanceof Float64Array) return a;
  if (!Array.isArray(a)) return null;
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== "number") return null;
  return new Float64Array(a);
}
export function prm_joined_strings(a) {
  if (!Array.isArray(a)) return null;
  for (let i = 0; i < a.length; i++) {
    const s = a[i];
    if (typeof s !== "string" || s.indexOf(",") >= 0) return null;
  }
  return a.join(",");
}
"#)]
extern "C" {
    /// A `Float64Array` of an array of numbers (one copy), or `null` for anything else.
    fn prm_numbers(a: &JsValue) -> JsValue;
    /// The strings of an array joined by commas (one crossing), or `null` for anything else.
    fn prm_joined_strings(a: &JsValue) -> JsValue;
}

/// A list of numbers: arrays of numbers and `Float64Array`s in one copy; anything else through
/// [`decode`] (which names the offending element).
pub(crate) fn numbers(value: JsValue, path: &str) -> Result<Vec<f64>, Error> {
    let fast = prm_numbers(&value);
    match fast.dyn_ref::<js_sys::Float64Array>() {
        Some(array) => Ok(array.to_vec()),
        None => decode(value, path),
    }
}

/// A list of `YYYY-MM-DD` strings, crossing into WebAssembly as one string.
pub(crate) fn dates(value: JsValue, path: &str) -> Result<Vec<prm_core::domain::Date>, Error> {
    match prm_joined_strings(&value).as_string() {
        Some(joined) if joined.is_empty() => Ok(Vec::new()),
        Some(joined) => joined
            .split(',')
            .enumerate()
            // the path is formatted only for an error: formatting costs more than parsing
            .map(|(i, s)| {
                prm_core::domain::parse_date(s, "")
                    .or_else(|_| prm_core::domain::parse_date(s, &format!("{path}[{i}]")))
            })
            .collect(),
        None => decode(value, path),
    }
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
