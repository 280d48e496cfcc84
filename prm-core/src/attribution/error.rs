//! Errors of the attribution engine.

use std::fmt;

/// What went wrong; [`code`](AttributionErrorKind::code) is the stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AttributionErrorKind {
    /// A deal amount is negative or has more decimals than its currency's minor unit.
    InvalidAmount,
    /// A touch weight or a custom type weight is negative.
    InvalidWeight,
    /// Model parameters out of range (a half-life ≤ 0, position weights above 1 in total, ...).
    InvalidModel,
    /// The custom model's `type_weights` has no entry for a touch's type.
    UnknownTouchType,
    /// A journey row is malformed (a negative or non-finite count or value, a path that is
    /// neither a string nor a list of strings).
    InvalidJourney,
}

impl AttributionErrorKind {
    /// The stable code, equal to the variant name.
    pub const fn code(self) -> &'static str {
        match self {
            Self::InvalidAmount => "InvalidAmount",
            Self::InvalidWeight => "InvalidWeight",
            Self::InvalidModel => "InvalidModel",
            Self::UnknownTouchType => "UnknownTouchType",
            Self::InvalidJourney => "InvalidJourney",
        }
    }
}

impl fmt::Display for AttributionErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error of the attribution engine: a kind, the input path at fault and a message.
///
/// ```
/// use prm_core::attribution::{self, Deal, Model};
/// let deal: Deal = serde_json::from_str(r#"{"id": "D1", "amount": {"amount": "-5", "currency": "EUR"},
///     "closed_at": "2026-03-01T00:00:00Z", "touches": []}"#).unwrap();
/// let err = attribution::split(&deal, &Model::linear()).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("InvalidAmount", "deal.amount.amount"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at `{path}`: {message}")]
pub struct AttributionError {
    /// What went wrong.
    pub kind: AttributionErrorKind,
    /// The input at fault.
    pub path: String,
    /// A human-readable explanation.
    pub message: String,
}

pub(crate) fn err(
    kind: AttributionErrorKind,
    path: impl Into<String>,
    message: impl Into<String>,
) -> crate::Error {
    AttributionError {
        kind,
        path: path.into(),
        message: message.into(),
    }
    .into()
}
