//! Decoding JSON-shaped input with the path of the offending value in the error.
//!
//! The bindings turn Python and JavaScript values into JSON-shaped data and decode it here, so
//! every surface applies the same defaults and reports the same paths.
//!
//! ```
//! use prm_core::{json, ropi::MdfRoiInput};
//! let err = json::from_value::<MdfRoiInput>(serde_json::json!({
//!     "mdf_spend": "10", "mdf_allocated": "x", "attributed_revenue": 1, "margin_rate": 0.5
//! })).unwrap_err();
//! assert_eq!(err.code(), "InvalidInput");
//! assert_eq!(err.path(), "mdf_allocated");
//! ```

pub(crate) mod buffered;
mod path;

use crate::Error;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The deepest nesting of arrays and objects accepted in any input, on every surface: a deeper
/// (or, in Python and JavaScript, cyclic) value is a `LimitExceeded` error, never a stack
/// overflow. Deep enough for conditions and requirements at their own limits (32 levels of
/// `{"all": [...]}` are 64 JSON levels, plus the policy around them).
///
/// ```
/// use prm_core::json::{self, MAX_NESTING};
/// let mut deep = serde_json::json!(1);
/// for _ in 0..=MAX_NESTING {
///     deep = serde_json::json!([deep]);
/// }
/// let err = json::from_value::<serde_json::Value>(deep).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("LimitExceeded", ""));
/// ```
pub const MAX_NESTING: usize = 100;

/// The error for input nested deeper than [`MAX_NESTING`] (the same on every surface).
pub fn nesting_error() -> Error {
    Error::LimitExceeded {
        path: String::new(),
        message: format!("arrays and objects nested deeper than {MAX_NESTING} levels"),
    }
}

/// Decodes `T` from a JSON value.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    check_nesting(&value)?;
    let track = path::Track::default();
    let root = path::Chain::Root;
    T::deserialize(path::De {
        value,
        chain: &root,
        track: &track,
    })
    .map_err(|e| decode_error(track, &root, e))
}

/// Decodes `T` from JSON text (through a [`Value`], so the nesting limit is the same as for
/// values handed over by the bindings).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    from_value(parse(text)?)
}

// The parts that do not depend on `T` stay out of line, compiled once rather than inlined into
// each input type's decoder (two dozen copies in the WebAssembly module).

#[inline(never)]
fn decode_error(track: path::Track, root: &path::Chain<'_>, e: serde_json::Error) -> Error {
    let message = track.fail(root, e).to_string();
    Error::InvalidInput {
        path: track.path(),
        message,
    }
}

#[inline(never)]
fn parse(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| {
        // serde_json's own recursion limit (128) is past ours: the same error either way
        if e.to_string().starts_with("recursion limit exceeded") {
            nesting_error()
        } else {
            Error::InvalidInput {
                path: String::new(),
                message: e.to_string(),
            }
        }
    })
}

/// [`MAX_NESTING`], checked without recursion.
#[inline(never)]
fn check_nesting(value: &Value) -> Result<(), Error> {
    let container = |v: &&Value| v.is_array() || v.is_object();
    // the containers still to visit, with their level (the outermost is level 1)
    let mut stack: Vec<(&Value, usize)> = std::iter::once(value).filter(container).map(|v| (v, 1)).collect();
    while let Some((v, level)) = stack.pop() {
        if level > MAX_NESTING {
            return Err(nesting_error());
        }
        match v {
            Value::Array(xs) => stack.extend(xs.iter().filter(container).map(|c| (c, level + 1))),
            Value::Object(m) => stack.extend(m.values().filter(container).map(|c| (c, level + 1))),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_from_text_are_the_nearest_f64() {
        // serde_json's default parser misses some 17-digit values by one ulp; the WebAssembly
        // surface reads JSON text, so it needs `float_roundtrip` to see what JS passed
        for x in [
            104_623_687.416_255_83_f64,
            44_995_575.400_776_036,
            100_000_099.999_999_93,
        ] {
            assert_eq!(
                from_str::<f64>(&x.to_string()).unwrap().to_bits(),
                x.to_bits(),
                "{x}"
            );
        }
    }

    fn nested(levels: usize) -> Value {
        (0..levels).fold(Value::from(1), |v, i| {
            if i % 2 == 0 {
                Value::Array(vec![v])
            } else {
                serde_json::json!({ "k": v })
            }
        })
    }

    #[test]
    fn nesting_at_and_past_the_limit() {
        assert_eq!(
            from_value::<Value>(nested(MAX_NESTING)).unwrap(),
            nested(MAX_NESTING)
        );
        let err = from_value::<Value>(nested(MAX_NESTING + 1)).unwrap_err();
        assert_eq!((err.code(), err.path()), ("LimitExceeded", ""));
        // text: the same limit, and far past it the same error (not serde_json's own)
        let text = |n| serde_json::to_string(&nested(n)).unwrap();
        assert!(from_str::<Value>(&text(MAX_NESTING)).is_ok());
        assert_eq!(
            from_str::<Value>(&text(MAX_NESTING + 1)).unwrap_err(),
            nesting_error()
        );
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(from_str::<Value>(&deep).unwrap_err(), nesting_error());
        // scalars and empty containers count as they are
        assert!(from_value::<Value>(Value::from("x")).is_ok());
        assert!(from_value::<Value>(nested(MAX_NESTING - 1).clone()).is_ok());
    }
}
