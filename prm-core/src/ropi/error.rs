//! Errors of the ROPI engine.

use std::fmt;

/// What went wrong; [`code`](RopiErrorKind::code) is the stable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RopiErrorKind {
    /// No cash flows were given.
    EmptyCashFlows,
    /// The flows are all of one sign (or zero): there is no rate of return.
    NoSignChange,
    /// The flows change sign but no rate makes their present value zero.
    NoRealRoot,
    /// A rate is ≤ −100% (or not finite).
    InvalidRate,
    /// Two aligned lists differ in length.
    LengthMismatch,
    /// `xnpv_excel`: a date precedes the first date.
    DateBeforeStart,
    /// The cumulative flow never recovers.
    NeverPaysBack,
    /// A root exists outside the range of rates prm can represent (see [`crate::ropi::MIN_RATE`]).
    RateOutOfRange,
    /// The investment (or MDF spend, or acquisition cost) is zero.
    ZeroInvestment,
    /// Attributed revenue is zero where it divides.
    ZeroRevenue,
    /// Retention is 100% in the simple lifetime-value formula.
    ZeroChurn,
    /// MDF allocation is zero.
    ZeroAllocation,
    /// The quota is zero.
    ZeroQuota,
    /// A probability outside [0, 1].
    InvalidProbability,
    /// A partner's first revenue precedes its activation.
    RevenueBeforeActivation,
    /// No partner has revenue.
    NoRevenue,
    /// A numeric input is NaN or infinite, or a result does not fit in a finite number.
    NonFinite,
    /// A decimal result does not fit.
    DecimalOverflow,
}

impl RopiErrorKind {
    /// The stable code, equal to the variant name.
    pub const fn code(self) -> &'static str {
        match self {
            Self::EmptyCashFlows => "EmptyCashFlows",
            Self::NoSignChange => "NoSignChange",
            Self::NoRealRoot => "NoRealRoot",
            Self::InvalidRate => "InvalidRate",
            Self::LengthMismatch => "LengthMismatch",
            Self::DateBeforeStart => "DateBeforeStart",
            Self::NeverPaysBack => "NeverPaysBack",
            Self::RateOutOfRange => "RateOutOfRange",
            Self::ZeroInvestment => "ZeroInvestment",
            Self::ZeroRevenue => "ZeroRevenue",
            Self::ZeroChurn => "ZeroChurn",
            Self::ZeroAllocation => "ZeroAllocation",
            Self::ZeroQuota => "ZeroQuota",
            Self::InvalidProbability => "InvalidProbability",
            Self::RevenueBeforeActivation => "RevenueBeforeActivation",
            Self::NoRevenue => "NoRevenue",
            Self::NonFinite => "NonFinite",
            Self::DecimalOverflow => "DecimalOverflow",
        }
    }
}

impl fmt::Display for RopiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error of the ROPI engine: a [`RopiErrorKind`], the input path at fault and a message.
///
/// ```
/// use prm_core::ropi::{npv, RopiErrorKind};
/// let err = prm_core::ropi::RopiError::new(RopiErrorKind::InvalidRate, "rate", "rate must be > -1");
/// assert_eq!(err.to_string(), "InvalidRate at `rate`: rate must be > -1");
/// assert!(npv(-1.0, &[1.0]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at `{path}`: {message}")]
pub struct RopiError {
    /// What went wrong.
    pub kind: RopiErrorKind,
    /// The input at fault (`flows`, `rate`, `dates[2]`, `costs`...).
    pub path: String,
    /// A human-readable explanation.
    pub message: String,
}

impl RopiError {
    /// Builds an error.
    pub fn new(kind: RopiErrorKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Shorthand used inside the engine: `Err(err(kind, path, msg))?`.
pub(crate) fn err(kind: RopiErrorKind, path: impl Into<String>, message: impl Into<String>) -> crate::Error {
    RopiError::new(kind, path, message).into()
}
