//! Errors of the routing engine.

use std::fmt;

/// What went wrong; [`code`](RoutingErrorKind::code) is the stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RoutingErrorKind {
    /// A condition is not valid: an unknown field path, an op applied to the wrong type of field
    /// or value, `between` with lo > hi, a partner field in a lead-only `when`.
    InvalidCondition,
    /// The text form of a condition does not parse (the message gives line and column).
    ParseError,
    /// The policy is not valid: duplicate rule names, an unknown strategy, a scoring term
    /// outside `best_score`.
    InvalidPolicy,
}

impl RoutingErrorKind {
    /// The stable code, equal to the variant name.
    pub const fn code(self) -> &'static str {
        match self {
            Self::InvalidCondition => "InvalidCondition",
            Self::ParseError => "ParseError",
            Self::InvalidPolicy => "InvalidPolicy",
        }
    }
}

impl fmt::Display for RoutingErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error of the routing engine: a kind, the input path at fault and a message.
///
/// ```
/// let err = prm_core::routing::parse_condition("lead.country in [\"DE\"").unwrap_err();
/// assert_eq!(err.code(), "ParseError");
/// assert!(err.to_string().contains("line 1, column 22"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at `{path}`: {message}")]
pub struct RoutingError {
    /// What went wrong.
    pub kind: RoutingErrorKind,
    /// The input at fault.
    pub path: String,
    /// A human-readable explanation.
    pub message: String,
}

pub(crate) fn err(
    kind: RoutingErrorKind,
    path: impl Into<String>,
    message: impl Into<String>,
) -> crate::Error {
    RoutingError {
        kind,
        path: path.into(),
        message: message.into(),
    }
    .into()
}
