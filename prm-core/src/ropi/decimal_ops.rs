//! Checked decimal arithmetic that turns overflow into a typed error naming the output field.

use super::error::{RopiErrorKind, err};
use crate::Error;
use rust_decimal::Decimal;

pub(crate) fn add(a: Decimal, b: Decimal, path: &str) -> Result<Decimal, Error> {
    a.checked_add(b).ok_or_else(|| overflow(path))
}

pub(crate) fn sub(a: Decimal, b: Decimal, path: &str) -> Result<Decimal, Error> {
    a.checked_sub(b).ok_or_else(|| overflow(path))
}

pub(crate) fn mul(a: Decimal, b: Decimal, path: &str) -> Result<Decimal, Error> {
    a.checked_mul(b).ok_or_else(|| overflow(path))
}

/// `a / b` for a non-zero `b` (callers check zero denominators with their own error kind).
pub(crate) fn div(a: Decimal, b: Decimal, path: &str) -> Result<Decimal, Error> {
    a.checked_div(b).ok_or_else(|| overflow(path))
}

/// Removes trailing zeros so `"35000.0350"` prints as `"35000.035"` (value unchanged).
pub(crate) fn tidy(d: Decimal) -> Decimal {
    d.normalize()
}

fn overflow(path: &str) -> Error {
    err(
        RopiErrorKind::DecimalOverflow,
        path,
        "the result does not fit in a decimal (about ±7.9e28)",
    )
}
