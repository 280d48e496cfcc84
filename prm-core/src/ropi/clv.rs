//! Customer lifetime value (SPEC §6), exact decimal arithmetic.

use super::decimal_ops::{add, div, mul, sub, tidy};
use super::error::{RopiErrorKind, err};
use crate::Error;
use crate::domain::serde_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most periods a finite-horizon CLV may sum (a guard against hostile input).
pub const MAX_HORIZON_PERIODS: u32 = 100_000;

/// When in each period the margin arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Timing {
    /// At the end of each period (the first margin is discounted once) — the default.
    #[default]
    End,
    /// At the start of each period (the first margin is not discounted).
    Start,
}

/// Input of [`clv`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClvInput {
    /// Average revenue per account per period.
    pub arpa: Decimal,
    /// Gross-margin rate `m`; the margin per period is `M = arpa · m`.
    pub margin_rate: Decimal,
    /// Retention per period `r`.
    pub retention: Decimal,
    /// Discount rate per period `d` (default 0).
    #[serde(default)]
    pub discount_rate: Decimal,
    /// Cash timing within a period (default `end`).
    #[serde(default)]
    pub timing: Timing,
    /// Number of periods; `null`/absent for an infinite horizon.
    #[serde(default)]
    pub horizon_periods: Option<u32>,
    /// Cost of acquiring the account; absent leaves `ltv_to_cac` null and `net_clv = clv`.
    #[serde(default)]
    pub acquisition_cost: Option<Decimal>,
}

/// Output of [`clv`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clv {
    /// The discounted lifetime value under the chosen timing and horizon.
    #[serde(with = "serde_decimal")]
    pub clv: Decimal,
    /// `M / (1 − r)`: undiscounted, infinite horizon.
    #[serde(with = "serde_decimal")]
    pub ltv_simple: Decimal,
    /// `clv − acquisition_cost`.
    #[serde(with = "serde_decimal")]
    pub net_clv: Decimal,
    /// `clv / acquisition_cost` (null without an acquisition cost).
    #[serde(with = "serde_decimal::option")]
    pub ltv_to_cac: Option<Decimal>,
}

/// Customer lifetime value.
///
/// * infinite horizon: `M·r/(1+d−r)` (end) or `M·(1+d)/(1+d−r)` (start); `1+d−r ≤ 0` is
///   `InvalidRate`;
/// * `N` periods: `Σ_{t=1..N} M·rᵗ/(1+d)ᵗ` (end) or `Σ_{t=0..N−1}` (start); `1+d ≤ 0` is
///   `InvalidRate`; `N` above [`MAX_HORIZON_PERIODS`] is `LimitExceeded`;
/// * `ltv_simple = M/(1−r)`; `r = 1` is `ZeroChurn` (for the whole call);
/// * an acquisition cost of 0 is `ZeroInvestment`.
///
/// ```
/// use prm_core::ropi::{clv, ClvInput, Timing};
/// use rust_decimal::Decimal;
/// let input = ClvInput {
///     arpa: Decimal::from(1000), margin_rate: Decimal::new(5, 1), retention: Decimal::new(8, 1),
///     discount_rate: Decimal::new(2, 1), timing: Timing::End, horizon_periods: None,
///     acquisition_cost: Some(Decimal::from(400)),
/// };
/// let out = clv(&input).unwrap();
/// assert_eq!(out.clv, Decimal::from(1000));          // 500·0.8 / (1.2 − 0.8)
/// assert_eq!(out.ltv_simple, Decimal::from(2500));   // 500 / 0.2
/// assert_eq!(out.net_clv, Decimal::from(600));
/// assert_eq!(out.ltv_to_cac, Some(Decimal::new(25, 1)));
/// ```
pub fn clv(input: &ClvInput) -> Result<Clv, Error> {
    let m = mul(input.arpa, input.margin_rate, "clv")?;
    let r = input.retention;
    let one_plus_d = add(Decimal::ONE, input.discount_rate, "discount_rate")?;
    let value = match input.horizon_periods {
        None => {
            let denom = sub(one_plus_d, r, "clv")?;
            if denom <= Decimal::ZERO {
                return Err(err(
                    RopiErrorKind::InvalidRate,
                    "discount_rate",
                    "1 + discount_rate − retention must be positive for an infinite horizon",
                ));
            }
            let numer = match input.timing {
                Timing::End => mul(m, r, "clv")?,
                Timing::Start => mul(m, one_plus_d, "clv")?,
            };
            div(numer, denom, "clv")?
        }
        Some(n) => {
            if n > MAX_HORIZON_PERIODS {
                return Err(Error::LimitExceeded {
                    path: "horizon_periods".into(),
                    message: format!("at most {MAX_HORIZON_PERIODS} periods"),
                });
            }
            if one_plus_d <= Decimal::ZERO {
                return Err(err(
                    RopiErrorKind::InvalidRate,
                    "discount_rate",
                    "discount rate must be > −1",
                ));
            }
            let q = div(r, one_plus_d, "clv")?;
            // term_t = M · q^t; end timing sums t = 1..N, start timing t = 0..N−1.
            let mut term = match input.timing {
                Timing::End => mul(m, q, "clv")?,
                Timing::Start => m,
            };
            let mut sum = Decimal::ZERO;
            for _ in 0..n {
                sum = add(sum, term, "clv")?;
                term = mul(term, q, "clv")?;
                if term.is_zero() {
                    break;
                }
            }
            sum
        }
    };
    if r == Decimal::ONE {
        return Err(err(
            RopiErrorKind::ZeroChurn,
            "retention",
            "retention of 100% makes the simple lifetime value infinite",
        ));
    }
    let ltv_simple = div(m, sub(Decimal::ONE, r, "ltv_simple")?, "ltv_simple")?;
    let (net_clv, ltv_to_cac) = match input.acquisition_cost {
        None => (value, None),
        Some(cac) if cac.is_zero() => {
            return Err(err(
                RopiErrorKind::ZeroInvestment,
                "acquisition_cost",
                "acquisition cost is zero: LTV/CAC is undefined",
            ));
        }
        Some(cac) => (
            sub(value, cac, "net_clv")?,
            Some(tidy(div(value, cac, "ltv_to_cac")?)),
        ),
    };
    Ok(Clv {
        clv: tidy(value),
        ltv_simple: tidy(ltv_simple),
        net_clv: tidy(net_clv),
        ltv_to_cac,
    })
}
