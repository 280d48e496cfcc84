//! Serialisation of instants on output: RFC 3339 strings (`"2026-01-01T00:00:00Z"`), passed
//! through serde as a newtype struct named [`MARKER`] so the Python binding can build a real
//! `datetime` (JSON and JavaScript see the plain string). Use with
//! `#[serde(serialize_with = "prm_core::domain::serde_timestamp::option::serialize")]`.
//!
//! ```
//! #[derive(serde::Serialize)]
//! struct Out {
//!     #[serde(serialize_with = "prm_core::domain::serde_timestamp::serialize")]
//!     at: prm_core::domain::Timestamp,
//! }
//! let at = prm_core::domain::parse_timestamp("2026-01-01T00:00:00Z", "").unwrap();
//! assert_eq!(serde_json::to_string(&Out { at }).unwrap(), r#"{"at":"2026-01-01T00:00:00Z"}"#);
//! ```

use super::Timestamp;
use chrono::SecondsFormat;
use serde::Serializer;

/// The newtype-struct name that tags a timestamp string for bindings.
pub const MARKER: &str = "$prm::Timestamp";

/// Serialises an instant as a tagged RFC 3339 string (`Z`, as many fraction digits as needed).
pub fn serialize<S: Serializer>(value: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(MARKER, &value.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// The same for `Option<Timestamp>`.
pub mod option {
    use super::Timestamp;
    use serde::Serializer;

    /// Serialises an optional instant as a tagged string or `null`.
    pub fn serialize<S: Serializer>(value: &Option<Timestamp>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => super::serialize(t, serializer),
            None => serializer.serialize_none(),
        }
    }
}
