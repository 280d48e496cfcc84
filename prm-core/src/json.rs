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

use crate::Error;
use serde::de::DeserializeOwned;

/// Decodes `T` from a JSON value.
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(path_error)
}

/// Decodes `T` from JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(path_error)
}

fn path_error<E: std::fmt::Display>(err: serde_path_to_error::Error<E>) -> Error {
    let path = err.path().to_string();
    let path = if path == "." { String::new() } else { path };
    Error::InvalidInput {
        path,
        message: err.into_inner().to_string(),
    }
}
