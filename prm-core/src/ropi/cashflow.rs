//! Discounting and payback of cash flows (SPEC §6), in `f64`.

use super::error::{RopiErrorKind, err};
use crate::Error;
use crate::domain::Date;
use crate::math;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::str::FromStr;

pub(crate) fn check_flows(flows: &[f64], path: &str) -> Result<(), Error> {
    if flows.is_empty() {
        return Err(err(RopiErrorKind::EmptyCashFlows, path, "no cash flows"));
    }
    if let Some(i) = flows.iter().position(|v| !v.is_finite()) {
        return Err(err(
            RopiErrorKind::NonFinite,
            format!("{path}[{i}]"),
            "cash flow is not a finite number",
        ));
    }
    Ok(())
}

pub(crate) fn check_rate(rate: f64, path: &str) -> Result<(), Error> {
    if !rate.is_finite() || rate <= -1.0 {
        return Err(err(
            RopiErrorKind::InvalidRate,
            path,
            format!("rate {rate} must be a finite number > -1"),
        ));
    }
    Ok(())
}

fn finite(value: f64, path: &str) -> Result<f64, Error> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(err(
            RopiErrorKind::NonFinite,
            path,
            "the result overflows a 64-bit float",
        ))
    }
}

/// Net present value with the first flow at t = 0, undiscounted (as numpy-financial):
/// `Σ CFₜ / (1+r)ᵗ`.
///
/// ```
/// let v = prm_core::ropi::npv(0.1, &[-100.0, 60.0, 60.0]).unwrap();
/// assert!((v - 4.132_231_404_958_68).abs() < 1e-12);
/// assert_eq!(prm_core::ropi::npv(-1.0, &[1.0]).unwrap_err().code(), "InvalidRate");
/// ```
pub fn npv(rate: f64, flows: &[f64]) -> Result<f64, Error> {
    check_rate(rate, "rate")?;
    check_flows(flows, "flows")?;
    // Horner in v = 1/(1+r): one multiplication per flow, accurate and overflow-aware.
    let v = 1.0 / (1.0 + rate);
    let value = flows.iter().rev().fold(0.0, |acc, &cf| acc * v + cf);
    finite(value, "npv")
}

/// Spreadsheet `NPV`: every flow discounted, the first one period: `npv / (1+r)`.
///
/// ```
/// let v = prm_core::ropi::npv_excel(0.1, &[-100.0, 60.0, 60.0]).unwrap();
/// assert!((v - 3.756_574_004_507_89).abs() < 1e-12);
/// ```
pub fn npv_excel(rate: f64, flows: &[f64]) -> Result<f64, Error> {
    let value = npv(rate, flows)? / (1.0 + rate);
    finite(value, "npv")
}

pub(crate) fn check_dated(dates: &[Date], amounts: &[f64]) -> Result<(), Error> {
    if dates.len() != amounts.len() {
        return Err(err(
            RopiErrorKind::LengthMismatch,
            "amounts",
            format!("{} dates but {} amounts", dates.len(), amounts.len()),
        ));
    }
    check_flows(amounts, "amounts")
}

fn xnpv_from(rate: f64, base: Date, dates: &[Date], amounts: &[f64]) -> Result<f64, Error> {
    let ln1r = math::ln_1p(rate);
    let value: f64 = dates
        .iter()
        .zip(amounts)
        .map(|(d, &p)| {
            let t = (*d - base).num_days() as f64 / 365.0;
            p * math::exp(-t * ln1r)
        })
        .sum();
    finite(value, "xnpv")
}

/// Net present value of dated flows, actual/365, based on the earliest date (order irrelevant):
/// `Σ Pᵢ / (1+r)^((dᵢ − d_min)/365)`.
///
/// ```
/// use chrono::NaiveDate;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let v = prm_core::ropi::xnpv(0.1, &[d(2026, 1, 1), d(2025, 1, 1)], &[110.0, -100.0]).unwrap();
/// assert!(v.abs() < 1e-12);
/// ```
pub fn xnpv(rate: f64, dates: &[Date], amounts: &[f64]) -> Result<f64, Error> {
    check_rate(rate, "rate")?;
    check_dated(dates, amounts)?;
    let Some(&base) = dates.iter().min() else {
        return Err(err(RopiErrorKind::EmptyCashFlows, "dates", "no cash flows"));
    };
    xnpv_from(rate, base, dates, amounts)
}

/// Spreadsheet `XNPV`: based on `dates[0]`; a date before it is `DateBeforeStart`.
///
/// ```
/// use chrono::NaiveDate;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let err = prm_core::ropi::xnpv_excel(0.1, &[d(2026, 1, 1), d(2025, 1, 1)], &[110.0, -100.0]);
/// assert_eq!(err.unwrap_err().path(), "dates[1]");
/// ```
pub fn xnpv_excel(rate: f64, dates: &[Date], amounts: &[f64]) -> Result<f64, Error> {
    check_rate(rate, "rate")?;
    check_dated(dates, amounts)?;
    let base = dates[0];
    if let Some(i) = dates.iter().position(|d| *d < base) {
        return Err(err(
            RopiErrorKind::DateBeforeStart,
            format!("dates[{i}]"),
            format!("{} precedes the first date {base}", dates[i]),
        ));
    }
    xnpv_from(rate, base, dates, amounts)
}

/// Modified IRR: `(FV⁺ at the reinvestment rate at t = n−1 / −PV⁻ at the finance rate at
/// t = 0)^(1/(n−1)) − 1`, `n` counting zero flows.
///
/// ```
/// let m = prm_core::ropi::mirr(&[-100.0, 50.0, 60.0], 0.1, 0.12).unwrap();
/// // FV+ = 50·1.12 + 60 = 116; (116/100)^(1/2) - 1
/// assert!((m - (1.16f64.sqrt() - 1.0)).abs() < 1e-15);
/// ```
pub fn mirr(flows: &[f64], finance_rate: f64, reinvest_rate: f64) -> Result<f64, Error> {
    check_flows(flows, "flows")?;
    check_rate(finance_rate, "finance_rate")?;
    check_rate(reinvest_rate, "reinvest_rate")?;
    let n = flows.len();
    let (mut pv_pos, mut pv_neg) = (0.0, 0.0);
    let (vr, vf) = (1.0 / (1.0 + reinvest_rate), 1.0 / (1.0 + finance_rate));
    for (t, &cf) in flows.iter().enumerate() {
        if cf > 0.0 {
            pv_pos += cf * math::powi(vr, t as i32);
        } else if cf < 0.0 {
            pv_neg += cf * math::powi(vf, t as i32);
        }
    }
    if pv_pos == 0.0 || pv_neg == 0.0 {
        return Err(err(
            RopiErrorKind::NoSignChange,
            "flows",
            "MIRR needs a positive and a negative flow",
        ));
    }
    // (FV+ / -PV-)^(1/(n-1)) with FV+ = PV+ · (1+re)^(n-1), rearranged to avoid overflow.
    let value = math::powf(pv_pos / -pv_neg, 1.0 / (n - 1) as f64) * (1.0 + reinvest_rate) - 1.0;
    finite(value, "mirr")
}

fn to_decimal(v: f64) -> Option<Decimal> {
    Decimal::from_str(&v.to_string()).ok()
}

/// The payback rule on a series, with `C` cumulative: the first `k ≥ 1` with `C(k−1) < 0 ≤ C(k)`
/// gives `(k−1) + (−C(k−1))/CF(k)`; 0 when `C` is never negative.
fn payback_of<T: Copy + PartialOrd + Default + std::ops::Add<Output = T> + std::ops::Neg<Output = T>>(
    flows: &[T],
    ratio: impl Fn(T, T) -> f64,
) -> Result<f64, Error> {
    let zero = T::default();
    let mut cum = zero;
    let mut ever_negative = false;
    for (t, &cf) in flows.iter().enumerate() {
        let prev = cum;
        cum = cum + cf;
        if t >= 1 && prev < zero && cum >= zero {
            return Ok((t - 1) as f64 + ratio(-prev, cf));
        }
        ever_negative |= cum < zero;
    }
    if ever_negative {
        Err(err(
            RopiErrorKind::NeverPaysBack,
            "flows",
            "the cumulative cash flow never recovers",
        ))
    } else {
        Ok(0.0)
    }
}

/// Payback period in periods (fractional within the period of recovery).
///
/// Cumulative sums are exact: flows are read as the decimals they print as, so
/// `[-0.3, 0.1, 0.2]` pays back at exactly 2.
///
/// ```
/// use prm_core::ropi::payback;
/// assert_eq!(payback(&[-100.0, 30.0, 30.0, 80.0]).unwrap(), 2.5);
/// assert_eq!(payback(&[-0.3, 0.1, 0.2]).unwrap(), 2.0);
/// assert_eq!(payback(&[10.0, 5.0]).unwrap(), 0.0);
/// assert_eq!(payback(&[-100.0, 30.0]).unwrap_err().code(), "NeverPaysBack");
/// ```
pub fn payback(flows: &[f64]) -> Result<f64, Error> {
    check_flows(flows, "flows")?;
    match flows.iter().map(|&v| to_decimal(v)).collect::<Option<Vec<_>>>() {
        Some(exact) => payback_of(&exact, |owed, cf| (owed / cf).to_f64().unwrap_or(f64::NAN)),
        None => payback_of(flows, |owed, cf| owed / cf),
    }
}

/// Discounted payback: the payback rule applied to `CFₜ / (1+rate)ᵗ`.
///
/// ```
/// use prm_core::ropi::discounted_payback;
/// let p = discounted_payback(0.1, &[-100.0, 55.0, 121.0]).unwrap();
/// assert!((p - 1.5).abs() < 1e-12); // discounted: -100, 50, 100
/// ```
pub fn discounted_payback(rate: f64, flows: &[f64]) -> Result<f64, Error> {
    check_rate(rate, "rate")?;
    if rate == 0.0 {
        return payback(flows);
    }
    check_flows(flows, "flows")?;
    let v = 1.0 / (1.0 + rate);
    let discounted: Vec<f64> = flows
        .iter()
        .enumerate()
        .map(|(t, &cf)| cf * math::powi(v, t as i32))
        .collect();
    if let Some(i) = discounted.iter().position(|d| !d.is_finite()) {
        return Err(err(
            RopiErrorKind::NonFinite,
            format!("flows[{i}]"),
            "discounted flow overflows",
        ));
    }
    payback_of(&discounted, |owed, cf| owed / cf)
}
