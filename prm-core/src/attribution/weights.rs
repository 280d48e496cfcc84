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
    /// `nums[i] / 10^scale / denominator` (scale and denominator are common, so they cancel
    /// in credits).
    Exact {
        nums: Vec<i128>,
        scale: u32,
        denominator: u64,
    },
    /// Per-partner weights of `partner_even`: every distinct partner 1.
    PerPartner,
    /// `time_decay`: raw weights `2^(−age/half_life)` and the same shifted so that the
    /// youngest touch weighs 1 (no underflow; the credits are the same).
    Float { raw: Vec<f64>, shifted: Vec<f64> },
}

/// Equal shares of 1 over `n` touches.
fn equal(n: usize) -> Weights {
    Weights::Exact {
        nums: vec![1; n],
        scale: 0,
        denominator: n as u64,
    }
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
    let exact = |numerators: Vec<Decimal>, denominator: u64| -> Result<Weights, Error> {
        let (nums, scale) = common_scale(numerators.iter().copied()).ok_or_else(|| {
            Error::from(MoneyError::Overflow {
                path: "touches".to_owned(),
            })
        })?;
        Ok(Weights::Exact {
            nums,
            scale,
            denominator,
        })
    };
    let integers = |nums: Vec<i128>| {
        Ok(Weights::Exact {
            nums,
            scale: 0,
            denominator: 1,
        })
    };
    match kind {
        ModelKind::FirstTouch => integers((0..n).map(|i| i128::from(i == 0)).collect()),
        ModelKind::LastTouch => integers((0..n).map(|i| i128::from(i + 1 == n)).collect()),
        ModelKind::Linear => integers(vec![1; n]),
        ModelKind::PartnerEven => Ok(Weights::PerPartner),
        ModelKind::PositionBased { first, last } => {
            if n <= 2 {
                return Ok(equal(n));
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
                return Ok(equal(n));
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

/// Integers at one common scale for non-negative decimals, and that scale (`None` on
/// overflow).
pub(crate) fn common_scale(values: impl Iterator<Item = Decimal> + Clone) -> Option<(Vec<i128>, u32)> {
    let at_scale = |values: &mut dyn Iterator<Item = Decimal>, scale: u32| -> Option<Vec<i128>> {
        values
            .map(|d| {
                10i128
                    .checked_pow(scale - d.scale())
                    .and_then(|p| d.mantissa().checked_mul(p))
            })
            .collect()
    };
    let scale = values.clone().map(|d| d.scale()).max().unwrap_or(0);
    if let Some(v) = at_scale(&mut values.clone(), scale) {
        return Some((v, scale));
    }
    // trailing zeros can inflate a scale: retry on normalised values
    let normal = values.map(|d| d.normalize());
    let scale = normal.clone().map(|d| d.scale()).max().unwrap_or(0);
    at_scale(&mut normal.clone(), scale).map(|v| (v, scale))
}
