//! Identifiers. They are opaque strings compared in byte order (every tie-break in prm that
//! uses an id sorts ids by their UTF-8 bytes). They are shared, immutable strings (`Arc<str>`):
//! results name the same partners many times, and a clone is a reference count, not a copy.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            schemars::JsonSchema,
        )]
        #[serde(transparent)]
        pub struct $name(#[schemars(with = "String")] Arc<str>);

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(Arc::from(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(Arc::from(s))
            }
        }
    };
}

id_type!(
    /// A partner's id.
    ///
    /// ```
    /// use prm_core::domain::PartnerId;
    /// let mut ids = vec![PartnerId::from("b"), PartnerId::from("B"), PartnerId::from("a")];
    /// ids.sort(); // byte order: uppercase before lowercase
    /// assert_eq!(ids, ["B", "a", "b"].map(PartnerId::from));
    /// ```
    PartnerId
);
id_type!(
    /// A deal's id.
    ///
    /// ```
    /// use prm_core::domain::DealId;
    /// assert_eq!(DealId::from("D-1").as_str(), "D-1");
    /// ```
    DealId
);
id_type!(
    /// A lead's id.
    ///
    /// ```
    /// use prm_core::domain::LeadId;
    /// assert_eq!(serde_json::to_string(&LeadId::from("L9")).unwrap(), "\"L9\"");
    /// ```
    LeadId
);
id_type!(
    /// A deal registration's or direct opportunity's id (one namespace for both).
    ///
    /// ```
    /// use prm_core::domain::RecordId;
    /// assert!(RecordId::from("O-1") < RecordId::from("R-1"));
    /// ```
    RecordId
);
