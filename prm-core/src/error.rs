//! The error family shared by every engine.
//!
//! Each engine has its own `thiserror` enum (for example [`RopiError`]); they fold into the
//! umbrella [`Error`]. Every error has a stable [`code`](Error::code) — the class name used by
//! the Python exception hierarchy (`prm.InvalidRate`, ...) and the `code` property of JavaScript
//! errors — and a [`path`](Error::path) naming the offending input (`flows[3]`,
//! `costs.partner_manager_hours`), empty when the input as a whole is at fault.

use crate::attribution::AttributionError;
use crate::conflicts::ConflictsError;
use crate::domain::MoneyError;
use crate::ropi::RopiError;
use crate::routing::RoutingError;
use crate::tiers::TiersError;

/// Any error prm can return.
///
/// ```
/// use prm_core::{ropi, Error};
/// let err: Error = ropi::irr(&[1.0, 2.0], None).unwrap_err();
/// assert_eq!(err.code(), "NoSignChange");
/// assert_eq!(err.path(), "flows");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error of the ROPI and cash-flow engine.
    #[error(transparent)]
    Ropi(#[from] RopiError),
    /// An error of the tiers engine.
    #[error(transparent)]
    Tiers(#[from] TiersError),
    /// An error of the attribution engine.
    #[error(transparent)]
    Attribution(#[from] AttributionError),
    /// An error of the routing engine.
    #[error(transparent)]
    Routing(#[from] RoutingError),
    /// An error of the conflicts engine.
    #[error(transparent)]
    Conflicts(#[from] ConflictsError),
    /// Money arithmetic failed (mixed currencies, overflow).
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// The input could not be decoded: a missing field, a wrong type, an unparsable date.
    #[error("invalid input at `{path}`: {message}")]
    InvalidInput {
        /// Where in the input, e.g. `costs.mdf`.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// A guard against hostile input was exceeded (documented limits).
    #[error("limit exceeded at `{path}`: {message}")]
    LimitExceeded {
        /// Where in the input.
        path: String,
        /// Which limit.
        message: String,
    },
}

impl Error {
    /// The stable error code: the error class name (`"NoSignChange"`, `"InvalidInput"`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Ropi(e) => e.kind.code(),
            Error::Tiers(e) => e.kind.code(),
            Error::Attribution(e) => e.kind.code(),
            Error::Routing(e) => e.kind.code(),
            Error::Conflicts(e) => e.kind.code(),
            Error::Money(e) => e.code(),
            Error::InvalidInput { .. } => "InvalidInput",
            Error::LimitExceeded { .. } => "LimitExceeded",
        }
    }

    /// The path of the offending input (`""` when the input as a whole is at fault).
    pub fn path(&self) -> &str {
        match self {
            Error::Ropi(e) => &e.path,
            Error::Tiers(e) => &e.path,
            Error::Attribution(e) => &e.path,
            Error::Routing(e) => &e.path,
            Error::Conflicts(e) => &e.path,
            Error::Money(e) => e.path(),
            Error::InvalidInput { path, .. } | Error::LimitExceeded { path, .. } => path,
        }
    }

    /// The same error with its path placed under `prefix` (`"deals"` + `"[2].amount"` →
    /// `"deals[2].amount"`; `"x"` + `"amount"` → `"x.amount"`).
    ///
    /// ```
    /// let e = prm_core::Error::InvalidInput { path: "amount".into(), message: "bad".into() };
    /// assert_eq!(e.clone().under("deals[2]").path(), "deals[2].amount");
    /// assert_eq!(e.at_index(4).path(), "[4].amount");
    /// ```
    #[must_use]
    pub fn under(mut self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        let path = self.path_mut();
        *path = if path.is_empty() {
            prefix.to_owned()
        } else if path.starts_with('[') {
            format!("{prefix}{path}")
        } else {
            format!("{prefix}.{path}")
        };
        self
    }

    /// The same error at another path.
    #[must_use]
    pub(crate) fn with_path(mut self, path: String) -> Self {
        *self.path_mut() = path;
        self
    }

    fn path_mut(&mut self) -> &mut String {
        match self {
            Error::Ropi(e) => &mut e.path,
            Error::Tiers(e) => &mut e.path,
            Error::Attribution(e) => &mut e.path,
            Error::Routing(e) => &mut e.path,
            Error::Conflicts(e) => &mut e.path,
            Error::Money(MoneyError::CurrencyMismatch { path, .. } | MoneyError::Overflow { path })
            | Error::InvalidInput { path, .. }
            | Error::LimitExceeded { path, .. } => path,
        }
    }

    /// The same error under `[index]` (batch functions name the failing item this way).
    #[must_use]
    pub fn at_index(self, index: usize) -> Self {
        self.under(&format!("[{index}]"))
    }

    /// Every code this crate can return, for bindings that build one exception class each.
    pub const CODES: &'static [&'static str] = &[
        "InvalidInput",
        "LimitExceeded",
        "CurrencyMismatch",
        "DecimalOverflow",
        "EmptyCashFlows",
        "NoSignChange",
        "NoRealRoot",
        "InvalidRate",
        "LengthMismatch",
        "DateBeforeStart",
        "NeverPaysBack",
        "RateOutOfRange",
        "ZeroInvestment",
        "ZeroRevenue",
        "ZeroChurn",
        "ZeroAllocation",
        "ZeroQuota",
        "InvalidProbability",
        "RevenueBeforeActivation",
        "NoRevenue",
        "NonFinite",
        "InvalidProgram",
        "UnknownTier",
        "InvalidAmount",
        "InvalidWeight",
        "InvalidModel",
        "UnknownTouchType",
        "InvalidJourney",
        "InvalidCondition",
        "ParseError",
        "InvalidPolicy",
        "InvalidRecord",
    ];
}

/// `Result` with prm's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
