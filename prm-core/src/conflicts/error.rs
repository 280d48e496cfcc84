//! Errors of the conflicts engine.

use std::fmt;

/// What went wrong; [`code`](ConflictsErrorKind::code) is the stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConflictsErrorKind {
    /// A record is not valid: an empty or over-long customer name, a missing `submitted_at`,
    /// `approved_at`/`rejected_at`/`closed_at` before `submitted_at`, `expires_at` before
    /// `approved_at`, a duplicate id.
    InvalidRecord,
    /// The policy is not valid: a threshold or penalty outside [0, 1], a repeated resolution
    /// rule, a repeated tier name.
    InvalidPolicy,
}

impl ConflictsErrorKind {
    /// The stable code, equal to the variant name.
    pub const fn code(self) -> &'static str {
        match self {
            Self::InvalidRecord => "InvalidRecord",
            Self::InvalidPolicy => "InvalidPolicy",
        }
    }
}

impl fmt::Display for ConflictsErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error of the conflicts engine: a kind, the input path at fault and a message.
///
/// ```
/// use prm_core::conflicts::{detect_all, ConflictPolicy, Registration};
/// let regs: Vec<Registration> = serde_json::from_str(r#"[
///     {"id": "R1", "partner_id": "P1", "customer": {"name": " "}, "submitted_at": "2026-01-01T00:00:00Z"}]"#).unwrap();
/// let err = detect_all(&regs, &[], &[], &ConflictPolicy::default()).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("InvalidRecord", "registrations[0].customer.name"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at `{path}`: {message}")]
pub struct ConflictsError {
    /// What went wrong.
    pub kind: ConflictsErrorKind,
    /// The input at fault.
    pub path: String,
    /// A human-readable explanation.
    pub message: String,
}

pub(crate) fn err(
    kind: ConflictsErrorKind,
    path: impl Into<String>,
    message: impl Into<String>,
) -> crate::Error {
    ConflictsError {
        kind,
        path: path.into(),
        message: message.into(),
    }
    .into()
}
