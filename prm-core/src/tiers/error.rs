//! Errors of the tiers engine.

use std::fmt;

/// What went wrong; [`code`](TiersErrorKind::code) is the stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TiersErrorKind {
    /// The program is not valid: no tiers, duplicate names, `at_least` above its list, `per` ≤ 0.
    InvalidProgram,
    /// A previous status names a tier the program does not have.
    UnknownTier,
}

impl TiersErrorKind {
    /// The stable code, equal to the variant name.
    pub const fn code(self) -> &'static str {
        match self {
            Self::InvalidProgram => "InvalidProgram",
            Self::UnknownTier => "UnknownTier",
        }
    }
}

impl fmt::Display for TiersErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error of the tiers engine: a kind, the input path at fault and a message.
///
/// ```
/// use prm_core::tiers::{TierProgram, TierProgramSpec};
/// let spec: TierProgramSpec = serde_json::from_str(r#"{"tiers": [{"name": "a"}, {"name": "a"}]}"#).unwrap();
/// let err = TierProgram::new(spec).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("InvalidProgram", "tiers[1].name"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at `{path}`: {message}")]
pub struct TiersError {
    /// What went wrong.
    pub kind: TiersErrorKind,
    /// The input at fault.
    pub path: String,
    /// A human-readable explanation.
    pub message: String,
}

pub(crate) fn err(kind: TiersErrorKind, path: impl Into<String>, message: impl Into<String>) -> crate::Error {
    TiersError {
        kind,
        path: path.into(),
        message: message.into(),
    }
    .into()
}
