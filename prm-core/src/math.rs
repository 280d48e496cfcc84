//! The floating-point functions the engines use, identical on every target.
//!
//! `f64::exp` and friends call the platform's libm (glibc natively, a Rust port in WebAssembly),
//! whose last bits differ between platforms. prm promises byte-identical results on every
//! surface, so every transcendental goes through the pure-Rust `libm` crate, and integer
//! powers through one fixed square-and-multiply: the same operations in the same order
//! everywhere (Rust never fuses or reorders float operations on its own).

/// `eˣ`.
#[inline]
pub(crate) fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// `eˣ − 1`.
#[inline]
pub(crate) fn exp_m1(x: f64) -> f64 {
    libm::expm1(x)
}

/// `ln(1 + x)`.
#[inline]
pub(crate) fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// `ln x`.
#[inline]
pub(crate) fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// `xʸ`.
#[inline]
pub(crate) fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// `xⁿ` by square-and-multiply (negative `n`: `1 / x⁻ⁿ`).
#[inline]
pub(crate) fn powi(x: f64, n: i32) -> f64 {
    let mut e = n.unsigned_abs();
    let (mut base, mut acc) = (x, 1.0);
    while e > 0 {
        if e & 1 == 1 {
            acc *= base;
        }
        e >>= 1;
        if e > 0 {
            base *= base;
        }
    }
    if n < 0 { 1.0 / acc } else { acc }
}

/// `2ˣ`.
#[inline]
pub(crate) fn exp2(x: f64) -> f64 {
    libm::exp2(x)
}

/// `sin x`.
#[inline]
pub(crate) fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// `cos x`.
#[inline]
pub(crate) fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// `asin x`.
#[inline]
pub(crate) fn asin(x: f64) -> f64 {
    libm::asin(x)
}

/// `√x`.
#[inline]
pub(crate) fn sqrt(x: f64) -> f64 {
    libm::sqrt(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powi_matches_repeated_multiplication_for_small_exponents() {
        for n in 0..12 {
            let direct = (0..n).fold(1.0, |acc, _| acc * 1.1);
            assert!(
                (powi(1.1, n) - direct).abs() <= 4.0 * f64::EPSILON * direct,
                "{n}"
            );
        }
        assert_eq!(powi(2.0, -2), 0.25);
        assert_eq!(powi(0.5, 0), 1.0);
    }
}
