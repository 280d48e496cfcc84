//! The weight each model gives each counted touch: exact (a decimal numerator over a common
//! integer denominator) for every model but `time_decay`, which is `f64` as SPEC §4 allows.

use super::error::{AttributionErrorKind as K, err};
use super::model::{ModelKind, Touch};
use crate::Error;
use crate::domain::MoneyError;
use crate::math;
use rust_decimal::Decimal;

/// Weights of the counted touches, in counted order.
pub(crate) enum Weights {
    /// `numerators[i] / denominator` (the denominator is common, so it cancels in credits).
    Exact {
        numerators: Vec<Decimal>,
        denominator: u64,
    },
    /// Per-partner weights of `partner_even`: every distinct partner 1.
    PerPartner,
    /// `time_decay`: raw weights `2^(−age/half_life)` and the same shifted so that the
    /// youngest touch weighs 1 (no underflow; the credits are the same).
    Float { raw: Vec<f64>, shifted: Vec<f64> },
}

/// Model weights for `counted` (touches in (at, partner id) order; `ages` their age at close
/// in days, only used by `time_decay`).
pub(crate) fn weights(
    kind: &ModelKind,
    counted: &[(usize, &Touch)],
    ages: impl Fn(&Touch) -> f64,
) -> Result<Weights, Error> {
    let n = counted.len();
    let one = Decimal::ONE;
    let exact = |numerators: Vec<Decimal>, denominator: u64| {
        Ok(Weights::Exact {
            numerators,
            denominator,
        })
    };
    match kind {
        ModelKind::FirstTouch => exact(
            (0..n).map(|i| if i == 0 { one } else { Decimal::ZERO }).collect(),
            1,
        ),
        ModelKind::LastTouch => exact(
            (0..n)
                .map(|i| if i + 1 == n { one } else { Decimal::ZERO })
                .collect(),
            1,
        ),
        ModelKind::Linear => exact(vec![one; n], 1),
        ModelKind::PartnerEven => Ok(Weights::PerPartner),
        ModelKind::PositionBased { first, last } => {
            if n <= 2 {
                return exact(vec![one; n], n as u64);
            }
            let k = Decimal::from(n - 2);
            let rest = one - first - last;
            exact(
                (0..n)
                    .map(|i| match i {
                        0 => first * k,
                        _ if i + 1 == n => last * k,
                        _ => rest,
                    })
                    .collect(),
                (n - 2) as u64,
            )
        }
        ModelKind::WShaped { first, middle, last } => {
            if n <= 3 {
                return exact(vec![one; n], n as u64);
            }
            let k = Decimal::from(n - 3);
            let m = (n - 1) / 2;
            let rest = one - first - middle - last;
            exact(
                (0..n)
                    .map(|i| match i {
                        0 => first * k,
                        _ if i == m => middle * k,
                        _ if i + 1 == n => last * k,
                        _ => rest,
                    })
                    .collect(),
                (n - 3) as u64,
            )
        }
        ModelKind::Custom { type_weights } => {
            let mut numerators = Vec::with_capacity(n);
            for &(index, touch) in counted {
                let tw = type_weights
                    .get(touch.touch_type.as_str())
                    .ok_or_else(|| unknown_type(index, touch))?;
                let w = touch.weight.unwrap_or(one);
                numerators.push(tw.checked_mul(w).ok_or_else(|| {
                    Error::from(MoneyError::Overflow {
                        path: format!("touches[{index}].weight"),
                    })
                })?);
            }
            exact(numerators, 1)
        }
        ModelKind::TimeDecay { half_life_days } => {
            let h = decimal_f64(*half_life_days);
            let exponents: Vec<f64> = counted.iter().map(|(_, t)| -ages(t) / h).collect();
            let top = exponents.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            Ok(Weights::Float {
                raw: exponents.iter().map(|&e| math::exp2(e)).collect(),
                shifted: exponents.iter().map(|&e| math::exp2(e - top)).collect(),
            })
        }
    }
}

pub(crate) fn unknown_type(index: usize, touch: &Touch) -> Error {
    err(
        K::UnknownTouchType,
        format!("touches[{index}].touch_type"),
        format!(
            "the custom model has no weight for touch type `{}`",
            touch.touch_type
        ),
    )
}

pub(crate) fn decimal_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().unwrap_or(f64::NAN)
}

/// Integers at one common scale for non-negative decimals (`None` on overflow).
pub(crate) fn common_scale(values: impl Iterator<Item = Decimal> + Clone) -> Option<Vec<i128>> {
    let scale = values.clone().map(|d| d.normalize().scale()).max().unwrap_or(0);
    values
        .map(|d| {
            let d = d.normalize();
            10i128
                .checked_pow(scale - d.scale())
                .and_then(|p| d.mantissa().checked_mul(p))
        })
        .collect()
}
