//! Serialisation of decimals on output.
//!
//! Decimals serialise as JSON strings (`"123.45"`), as everywhere in prm. They pass through
//! serde as a newtype struct named [`MARKER`], which JSON and JavaScript serialisers treat as
//! the plain string and which the Python binding recognises to build a real `decimal.Decimal`.
//! Use with `#[serde(with = "prm_core::domain::serde_decimal")]` (or `::option`).
//!
//! ```
//! #[derive(serde::Serialize)]
//! struct Out {
//!     #[serde(with = "prm_core::domain::serde_decimal")]
//!     total: rust_decimal::Decimal,
//! }
//! let json = serde_json::to_string(&Out { total: rust_decimal::Decimal::new(12345, 2) }).unwrap();
//! assert_eq!(json, r#"{"total":"123.45"}"#);
//! ```

use rust_decimal::Decimal;
use serde::Serializer;

/// The newtype-struct name that tags a decimal string for bindings.
pub const MARKER: &str = "$prm::Decimal";

/// Serialises a decimal as a tagged string.
pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(MARKER, &value.to_string())
}

/// The same for `Option<Decimal>` (`null` when absent).
pub mod option {
    use super::Decimal;
    use serde::Serializer;

    /// Serialises an optional decimal as a tagged string or `null`.
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => super::serialize(d, serializer),
            None => serializer.serialize_none(),
        }
    }
}

/// The same for maps of decimals (`{"revenue": "100"}`).
pub mod map {
    use super::Decimal;
    use serde::ser::{Serialize, SerializeMap, Serializer};
    use std::collections::BTreeMap;

    struct Tagged<'a>(&'a Decimal);

    impl Serialize for Tagged<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            super::serialize(self.0, serializer)
        }
    }

    /// Serialises a map of decimals with tagged values.
    pub fn serialize<S: Serializer>(
        value: &BTreeMap<String, Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(value.len()))?;
        for (k, v) in value {
            map.serialize_entry(k, &Tagged(v))?;
        }
        map.end()
    }
}
