//! JavaScript values ⇄ prm's JSON shapes, and prm errors → thrown `Error`s.
// A build with only some engines (cargo features) leaves some helpers unused.
#![cfg_attr(
    not(all(
        feature = "ropi",
        feature = "attribution",
        feature = "routing",
        feature = "tiers",
        feature = "conflicts"
    )),
    allow(dead_code)
)]

use prm_core::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// Decodes a JS value as `T`; errors carry the path under `root` (`flows[2]`, `costs.mdf`).
///
/// The value crosses as JSON text (`JSON.stringify`, then serde_json) and is decoded by
/// `prm_core::json`, exactly as in Python: one decoder, the same defaults, unknown-field checks,
/// paths and nesting limit on every surface. Going through text, not through a recursive walk of
/// the JS value in Rust, is what keeps a hostile, deeply nested or cyclic value from overflowing
/// the WebAssembly stack: V8 stops `JSON.stringify` itself (`RangeError`, `TypeError` for a
/// cycle), reported as `LimitExceeded` like any value nested past
/// [`prm_core::json::MAX_NESTING`]. (`Date` objects arrive as their ISO strings.)
pub(crate) fn decode<T: DeserializeOwned>(value: JsValue, root: &str) -> Result<T, Error> {
    prm_core::json::from_str(&json_text(&value, root)?).map_err(|e| e.under(root))
}

/// `JSON.stringify(value)`, its exceptions as prm errors (out of line: one copy, not one per
/// input type).
#[inline(never)]
fn json_text(value: &JsValue, root: &str) -> Result<String, Error> {
    match prm_stringify(value) {
        Ok(text) => Ok(text.as_string().unwrap_or_else(|| "null".to_owned())),
        Err(e) => {
            let name = js_sys::Reflect::get(&e, &"name".into())
                .ok()
                .and_then(|n| n.as_string());
            let message = js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default();
            let err = if name.as_deref() == Some("RangeError") || message.contains("circular") {
                prm_core::json::nesting_error()
            } else {
                Error::InvalidInput {
                    path: String::new(),
                    message,
                }
            };
            Err(err.under(root))
        }
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SHARED: &str = r#"
/** A decimal: a string ("123.45") or a number on input; always a string on output. */
export type DecimalInput = string | number;
/** A calendar date, "YYYY-MM-DD". */
export type DateString = string;
/** An ISO 8601 timestamp, "2025-03-01T12:00:00Z". */
export type TimeString = string;
/** An amount of money in a currency (ISO 4217 code). */
export interface Money { amount: DecimalInput; currency: string; }

/** Thrown by every prm function: `code` is the error class ("NoSignChange"), `path` the input at fault. */
export interface PrmError extends Error { code: string; path: string; }
"#;

#[wasm_bindgen(inline_js = r#"
// Results are written to reused scratch arrays and returned as views: allocating a fresh
// Float64Array costs ~0.9 us in V8, more than everything else in a call. Rust copies a view out
// before the next helper runs.
let numberScratch = new Float64Array(64);
let dayScratch = new Float64Array(64);
function grow(scratch, n) {
  return scratch.length >= n ? scratch : new Float64Array(Math.max(n, 2 * scratch.length));
}
export function prm_parse(s) { return JSON.parse(s); }
export function prm_stringify(v) { const s = JSON.stringify(v); return s === undefined ? "null" : s; }
export function prm_numbers(a) {
  if (a instanceof Float64Array) return a;
  if (!Array.isArray(a)) return null;
  const n = a.length;
  const out = (numberScratch = grow(numberScratch, n));
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (typeof v !== "number") return i;
    out[i] = v;
  }
  return out.subarray(0, n);
}
// days in each month of a common year (index 1..12)
const DIM = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Writes the day numbers of the strings of `a` into `out` from `at`: the index of the first
// element that is not a string, -1 when one is not a valid YYYY-MM-DD date, or -2 when all are.
function dayNumbersInto(a, out, at) {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const s = a[i];
    if (typeof s !== "string") return i;
    if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return -1;
    const c0 = s.charCodeAt(0) - 48, c1 = s.charCodeAt(1) - 48, c2 = s.charCodeAt(2) - 48, c3 = s.charCodeAt(3) - 48;
    const c5 = s.charCodeAt(5) - 48, c6 = s.charCodeAt(6) - 48, c8 = s.charCodeAt(8) - 48, c9 = s.charCodeAt(9) - 48;
    // each a digit: no value below 0 (the OR has no sign bit) and none above 9
    if ((c0 | c1 | c2 | c3 | c5 | c6 | c8 | c9) < 0 || c0 > 9 || c1 > 9 || c2 > 9 || c3 > 9 || c5 > 9 || c6 > 9 || c8 > 9 || c9 > 9) return -1;
    const y = c0 * 1000 + c1 * 100 + c2 * 10 + c3, m = c5 * 10 + c6, d = c8 * 10 + c9;
    if (y < 1 || m < 1 || m > 12 || d < 1) return -1;
    if (d > DIM[m] && !(m === 2 && d === 29 && (y & 3) === 0 && (y % 100 !== 0 || y % 400 === 0))) return -1;
    // days from 0001-01-01 (= 1), years from March so the leap day comes last
    const yy = m <= 2 ? y - 1 : y;
    const mp = m > 2 ? m - 3 : m + 9;
    out[at + i] = yy * 365 + (yy >> 2) - ((yy / 100) | 0) + ((yy / 400) | 0) + (((153 * mp + 2) / 5) | 0) + d - 306;
  }
  return -2;
}
export function prm_day_numbers(a) {
  if (!Array.isArray(a)) return null;
  const n = a.length;
  const out = (dayScratch = grow(dayScratch, n));
  const status = dayNumbersInto(a, out, 0);
  return status === -2 ? out.subarray(0, n) : status === -1 ? null : status;
}
// Dated flows in one copy: the day numbers of `dates`, then `amounts`, when both are plain arrays
// of the same length of YYYY-MM-DD strings and of numbers; null for anything else (the caller
// then converts each on its own, which words the error).
export function prm_dated_flows(dates, amounts) {
  if (!Array.isArray(dates) || !Array.isArray(amounts) || dates.length !== amounts.length) return null;
  const n = dates.length;
  const out = (dayScratch = grow(dayScratch, 2 * n));
  if (dayNumbersInto(dates, out, 0) !== -2) return null;
  for (let i = 0; i < n; i++) {
    const v = amounts[i];
    if (typeof v !== "number") return null;
    out[n + i] = v;
  }
  return out.subarray(0, 2 * n);
}
"#)]
extern "C" {
    /// `JSON.parse`.
    fn prm_parse(text: &str) -> JsValue;
    /// `JSON.stringify` (`"null"` for `undefined`); throws what it throws.
    #[wasm_bindgen(catch)]
    fn prm_stringify(value: &JsValue) -> Result<JsValue, JsValue>;
    /// A `Float64Array` of an array of numbers (one copy), the index of the first element that
    /// is not a number, or `null` for anything else.
    fn prm_numbers(a: &JsValue) -> JsValue;
    /// Day numbers of an array of `YYYY-MM-DD` strings (one copy), the index of the first
    /// element that is not a string, or `null` for anything else.
    fn prm_day_numbers(a: &JsValue) -> JsValue;
    /// The day numbers of `dates` then `amounts` in one `Float64Array` (one copy), or `null`
    /// unless both are arrays of the same length of `YYYY-MM-DD` strings and of numbers.
    fn prm_dated_flows(dates: &JsValue, amounts: &JsValue) -> JsValue;
}

/// The error for element `index` of the list at `path` (worded as in Python).
fn bad_element(path: &str, index: &JsValue, expected: &str) -> Error {
    Error::InvalidInput {
        path: format!("{path}[{}]", index.as_f64().unwrap_or_default()),
        message: expected.to_owned(),
    }
}

/// A list of numbers: arrays of numbers and `Float64Array`s in one copy; an array with anything
/// else in it is refused at that element (as in Python); other values go through [`decode`].
pub(crate) fn numbers(value: JsValue, path: &str) -> Result<Vec<f64>, Error> {
    let fast = prm_numbers(&value);
    match fast.dyn_ref::<js_sys::Float64Array>() {
        Some(array) => Ok(array.to_vec()),
        None if fast.as_f64().is_some() => Err(bad_element(path, &fast, "expected a number")),
        None => decode(value, path),
    }
}

/// A list of `YYYY-MM-DD` strings as day numbers ([`prm_core::domain::day_number`]): converted
/// in JS and copied once; an array with a non-string is refused at that element (as in Python);
/// anything else through [`decode`] (which names the offending element).
pub(crate) fn day_numbers(value: JsValue, path: &str) -> Result<Vec<i64>, Error> {
    let fast = prm_day_numbers(&value);
    match fast.dyn_ref::<js_sys::Float64Array>() {
        Some(array) => Ok(array.to_vec().into_iter().map(|d| d as i64).collect()),
        None if fast.as_f64().is_some() => {
            Err(bad_element(path, &fast, "expected a date or a YYYY-MM-DD string"))
        }
        None => Ok(decode::<Vec<prm_core::domain::Date>>(value, path)?
            .into_iter()
            .map(prm_core::domain::day_number)
            .collect()),
    }
}

/// Dated flows (`dates`, `amounts`) as `(days, buffer, from)`, the amounts being
/// `buffer[from..]`: in one copy from JS when both are well-formed (the buffer then holds the
/// day numbers too), else each on its own (with its errors, dates first).
pub(crate) fn dated_flows(dates: JsValue, amounts: JsValue) -> Result<(Vec<i64>, Vec<f64>, usize), Error> {
    if let Some(both) = prm_dated_flows(&dates, &amounts).dyn_ref::<js_sys::Float64Array>() {
        let both = both.to_vec();
        let n = both.len() / 2;
        return Ok((both[..n].iter().map(|&d| d as i64).collect(), both, n));
    }
    let days = day_numbers(dates, "dates")?;
    Ok((days, numbers(amounts, "amounts")?, 0))
}

/// Day numbers ([`prm_core::domain::day_number`]) back to dates.
pub(crate) fn dates_of_days(days: &[i64], path: &str) -> Result<Vec<prm_core::domain::Date>, Error> {
    days.iter()
        .map(|&d| {
            i32::try_from(d)
                .ok()
                .and_then(prm_core::domain::Date::from_num_days_from_ce_opt)
                .ok_or_else(|| Error::InvalidInput {
                    path: path.to_owned(),
                    message: "date out of range".into(),
                })
        })
        .collect()
}

/// Encodes an output as a plain JS object (maps as objects, 64-bit integers as numbers).
///
/// Through JSON text and `JSON.parse`: one serializer (serde_json's, which LTO shares with the
/// rest of the module) instead of a second, per-type one for JS values; 8 KB less gzip.
pub(crate) fn encode<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_error("InvalidInput", "", &e.to_string()))?;
    Ok(prm_parse(&text))
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
