//! Floats at the edges: a float read as a decimal the way prm's JSON reads a number (its
//! shortest round-trip form), and a decimal written as the nearest float (correctly rounded,
//! as Python's `float(Decimal)` and JavaScript's `Number(string)` do).

use rust_decimal::Decimal;
use std::str::FromStr;

/// Powers of ten exact in an `f64` (up to 10^22).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// 2^52: below it a scaled mantissa is exact in an `f64` and at most one decimal with a given
/// number of fraction digits rounds to the float.
const EXACT: f64 = 4_503_599_627_370_496.0;

/// `x` as the decimal of its shortest round-trip form (`0.1` → `0.1`, not
/// `0.1000000000000000055…`), as a number written in JSON is read; `None` when `x` is not finite
/// or beyond what a [`Decimal`] holds.
///
/// ```
/// use prm_core::domain::decimal_from_f64;
/// assert_eq!(decimal_from_f64(0.1).unwrap().to_string(), "0.1");
/// assert_eq!(decimal_from_f64(0.1 + 0.2).unwrap().to_string(), "0.30000000000000004");
/// assert_eq!(decimal_from_f64(1250000.0).unwrap().to_string(), "1250000");
/// assert_eq!(decimal_from_f64(f64::INFINITY), None);
/// ```
pub fn decimal_from_f64(x: f64) -> Option<Decimal> {
    let (mantissa, scale) = f64_parts(x)?;
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
}

/// The mantissa and scale of [`decimal_from_f64`]`(x)` (`None` when it has none). Whole numbers
/// and numbers of up to 15 fraction digits whose mantissa stays below 2^52 take a fast path
/// (the first scale at which the rounded mantissa reads back as `x`); the rest go through the
/// standard library's shortest formatting.
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // guarded by the bounds
pub(crate) fn f64_parts(x: f64) -> Option<(i128, u32)> {
    if !x.is_finite() {
        return None;
    }
    // (integer casts, not `fract`/`round`: those are library calls on baseline x86-64)
    if x.abs() < 9.0e15 {
        let whole = x as i64;
        if whole as f64 == x {
            return Some((i128::from(whole), 0));
        }
        for (k, p) in POW10.iter().enumerate().take(16).skip(1) {
            let y = x * p;
            if y.abs() >= EXACT {
                break;
            }
            // the nearest integer (y + ½ is exact below 2^52); checked by reading it back
            let m = (y + 0.5f64.copysign(y)) as i64;
            if m as f64 / p == x {
                return Some((i128::from(m), u32::try_from(k).unwrap_or(0)));
            }
        }
    }
    let d = Decimal::from_str(&x.to_string()).ok()?;
    Some((d.mantissa(), d.scale()))
}

/// The float nearest to `d` (ties to even), as `float(Decimal)` in Python gives it.
///
/// ```
/// use prm_core::domain::f64_from_decimal;
/// use rust_decimal::Decimal;
/// assert_eq!(f64_from_decimal(Decimal::new(29, 1)), 2.9);
/// assert_eq!(f64_from_decimal("0.30000000000000004".parse().unwrap()), 0.1 + 0.2);
/// ```
#[inline]
pub fn f64_from_decimal(d: Decimal) -> f64 {
    let m = d.mantissa();
    let s = d.scale() as usize;
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // |m| < 2^52: exact
    if s == 0 && m.unsigned_abs() < (1u128 << 52) {
        return (m as i64) as f64;
    }
    #[allow(clippy::cast_precision_loss)] // |m| < 2^52: exact
    if m.unsigned_abs() < (1u128 << 52) && s < POW10.len() {
        // both operands exact, so the one rounding of the division is the only one
        #[allow(clippy::cast_possible_truncation)] // below 2^52
        return (m as i64) as f64 / POW10[s];
    }
    d.to_string().parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(x: f64) -> Option<Decimal> {
        if x.fract() == 0.0 && x.abs() < 9.0e15 {
            #[allow(clippy::cast_possible_truncation)]
            return Some(Decimal::from(x as i64));
        }
        Decimal::from_str(&x.to_string()).ok()
    }

    fn check(x: f64) {
        let (got, want) = (decimal_from_f64(x), reference(x));
        assert_eq!(got, want, "{x:?}");
        if let (Some(g), Some(w)) = (got, want) {
            assert_eq!(g.scale(), w.scale(), "{x:?}");
            // a decimal holds 28 fraction digits: tinier floats read as rounded
            if x.abs() >= 1e-12 {
                assert_eq!(f64_from_decimal(g), x, "{x:?}");
            }
        }
    }

    #[test]
    fn edges() {
        for x in [
            0.0,
            -0.0,
            0.1,
            0.5,
            2.675,
            1e-7,
            123_456.789,
            9.0e15,
            9.1e15,
            4.5e15 + 0.5,
            1e21,
            1e-30,
            0.1 + 0.2,
            2f64.powi(52) - 0.5,
            1.0 / 3.0,
            -7.25,
            1e15 + 0.1,
            99.99,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            check(x);
        }
        assert_eq!(decimal_from_f64(f64::NAN), None);
        assert_eq!(decimal_from_f64(f64::NEG_INFINITY), None);
    }

    proptest! {
        #[test]
        fn shortest_form_as_the_formatter_gives_it(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                check(x);
            }
        }

        #[test]
        fn short_decimals(m in -10_000_000_000i64..10_000_000_000, k in 0u32..12) {
            #[allow(clippy::cast_precision_loss)]
            let x = m as f64 / 10f64.powi(i32::try_from(k).unwrap());
            check(x);
            check(x.next_up());
            check(x.next_down());
        }

        #[test]
        fn nearest_float(m in any::<i64>(), k in 0u32..28) {
            let d = Decimal::new(m, k);
            let want: f64 = d.to_string().parse().unwrap();
            prop_assert_eq!(f64_from_decimal(d), want);
        }
    }
}
