//! Reading a metric column once: into 64-bit integers at one scale per column (a float through
//! its shortest decimal form, as everywhere in prm), or exact decimals when a value does not
//! fit.

use super::MetricColumn;
use crate::Error;
use crate::domain::decimal_from_f64;
use crate::domain::float::f64_parts;
use rust_decimal::Decimal;

/// A missing value among scaled integers.
pub(super) const MISSING: i64 = i64::MIN;

/// A metric column prepared for comparisons.
pub(super) enum Prepared<'a> {
    /// `value = v × 10^-scale` (`MISSING`: missing); `source` gives back the exact input.
    Scaled {
        v: Vec<i64>,
        scale: u32,
        source: MetricColumn<'a>,
    },
    /// Exact decimals, when the column does not fit 64-bit integers at one scale.
    Exact(Vec<Option<Decimal>>),
    Missing,
}

impl Prepared<'_> {
    /// Whether row `i` is a float read on the fast path: its scaled integer is its shortest
    /// decimal form, which reads back as the float.
    #[inline]
    pub(super) fn float_on_fast_path(&self, i: usize) -> bool {
        matches!(self, Prepared::Scaled { v, scale, source: MetricColumn::Floats(_) }
            if v[i] != MISSING && *scale <= 15 && v[i].unsigned_abs() < 1 << 52)
    }

    /// The value of row `i` as [`TierProgram::evaluate_values`](super::super::TierProgram::evaluate_values)
    /// would be given it.
    pub(super) fn get(&self, i: usize) -> Option<Decimal> {
        match self {
            Prepared::Missing => None,
            Prepared::Exact(d) => d[i],
            Prepared::Scaled { v, scale, source } => match source {
                MetricColumn::Decimals(d) => d[i],
                MetricColumn::Ints(x) => x[i].map(Decimal::from),
                // a value read on the fast path is the shortest form, scaled up
                MetricColumn::Floats(_) if self.float_on_fast_path(i) => normalized(i128::from(v[i]), *scale),
                MetricColumn::Floats(f) if v[i] != MISSING => decimal_from_f64(f[i]),
                _ => None,
            },
        }
    }
}

pub(super) fn pow10(k: u32) -> Option<i128> {
    10i128.checked_pow(k)
}

/// `10^k` as an `i64` (`k` ≤ 18).
const POW10_I64: [i64; 19] = {
    let mut p = [1i64; 19];
    let mut k = 1;
    while k < 19 {
        p[k] = p[k - 1] * 10;
        k += 1;
    }
    p
};

/// `10^k` as an exact `f64` (`k` ≤ 15).
const FLOAT_POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// 1.5 × 2^52: a float below 2^51 plus this is rounded to an integer, in the low bits.
const ROUND: f64 = 6_755_399_441_055_744.0;

/// 2^51: below it, [`ROUND`] rounds exactly.
const LIMIT: f64 = 2_251_799_813_685_248.0;

/// Integers at one scale that grows as values need it (earlier values are scaled up).
struct Scaler {
    v: Vec<i64>,
    scale: u32,
    /// False once a value does not fit an `i64` at the scale.
    fits: bool,
}

impl Scaler {
    fn rescale(&mut self, to: u32) {
        let p = POW10_I64.get((to - self.scale) as usize).copied();
        for v in &mut self.v {
            if *v != MISSING {
                let up = p.and_then(|p| v.checked_mul(p)).filter(|&x| x != MISSING);
                self.fits &= up.is_some();
                *v = up.unwrap_or(MISSING);
            }
        }
        self.scale = to;
    }

    fn push(&mut self, parts: Option<(i128, u32)>) {
        let Some((m, k)) = parts else {
            self.v.push(MISSING);
            return;
        };
        if k > self.scale {
            self.rescale(k);
        }
        let v = pow10(self.scale - k)
            .and_then(|p| m.checked_mul(p))
            .and_then(|x| i64::try_from(x).ok())
            .filter(|&x| x != MISSING);
        self.fits &= v.is_some();
        self.v.push(v.unwrap_or(MISSING));
    }

    /// Reads floats for as long as each is, at the column's scale so far, the one integer
    /// there that reads back as the float (the shortest form's, scaled: unique below 2^51);
    /// returns how many it read. The loop of nearly every column, so kept free of other work.
    #[allow(clippy::cast_possible_wrap)] // the difference of two floats' bits below 2^51
    #[allow(clippy::needless_bitwise_bool)] // branch-free: checked a few values at a time
    fn floats(&mut self, f: &[f64]) -> usize {
        /// Values checked together, without a branch per value.
        const LANES: usize = 8;
        if self.scale > 15 {
            return 0;
        }
        let p = FLOAT_POW10[self.scale as usize];
        // `x` scaled: the nearest integer, and whether it reads back as `x`. Rounded by adding
        // and subtracting 1.5 × 2^52 (exact below 2^51; its bits are then the integer's),
        // which the compiler vectorises where a saturating `as` conversion is not
        let scaled = |x: f64| -> (i64, bool) {
            let y = x * p;
            let m = y + ROUND;
            let r = m - ROUND;
            let int = m.to_bits().wrapping_sub(ROUND.to_bits()) as i64;
            // (NaN fails: NaN < LIMIT is false)
            (
                int,
                (y.abs() < LIMIT) & (if p == 1.0 { r == x } else { r / p == x }),
            )
        };
        let mut read = 0;
        for lanes in f.chunks_exact(LANES) {
            let mut out = [0i64; LANES];
            let mut ok = true;
            for (o, &x) in out.iter_mut().zip(lanes) {
                let (r, good) = scaled(x);
                *o = r;
                ok &= good;
            }
            if !ok {
                break;
            }
            self.v.extend_from_slice(&out);
            read += LANES;
        }
        for &x in &f[read..] {
            let (r, good) = scaled(x);
            if !good {
                return read;
            }
            self.v.push(r);
            read += 1;
        }
        read
    }
}

/// Reads a column into integers at one scale, reporting unreadable floats in `errors`; exact
/// decimals when a value does not fit.
pub(super) fn prepare<'a>(
    col: MetricColumn<'a>,
    name: &str,
    errors: &mut Vec<(usize, Error)>,
) -> Prepared<'a> {
    let mut sc = Scaler {
        v: Vec::with_capacity(col.len().unwrap_or(0)),
        scale: 0,
        fits: true,
    };
    match col {
        MetricColumn::Missing => return Prepared::Missing,
        MetricColumn::Ints(x) => x.iter().for_each(|v| sc.push(v.map(|v| (i128::from(v), 0)))),
        MetricColumn::Decimals(d) => d
            .iter()
            .for_each(|v| sc.push(v.map(|d| (d.mantissa(), d.scale())))),
        MetricColumn::Floats(f) => {
            let mut row = sc.floats(f);
            while row < f.len() {
                let x = f[row];
                if x.is_nan() {
                    sc.v.push(MISSING);
                } else {
                    let p = f64_parts(x).filter(|&(m, s)| s <= 28 && m.unsigned_abs() < 1 << 96);
                    if p.is_none() {
                        errors.push((
                            row,
                            Error::InvalidInput {
                                path: name.to_owned(),
                                message: format!("{x} is not a decimal prm can hold"),
                            },
                        ));
                    }
                    sc.push(p);
                }
                row += 1;
                row += sc.floats(&f[row..]);
            }
        }
    }
    if sc.fits {
        return Prepared::Scaled {
            v: sc.v,
            scale: sc.scale,
            source: col,
        };
    }
    Prepared::Exact(match col {
        MetricColumn::Ints(x) => x.iter().map(|v| v.map(Decimal::from)).collect(),
        MetricColumn::Decimals(d) => d.to_vec(),
        MetricColumn::Floats(f) => f.iter().map(|&x| decimal_from_f64(x)).collect(),
        MetricColumn::Missing => Vec::new(),
    })
}

/// `v × 10^-scale` as a normalised decimal (no trailing zeros); `None` beyond a decimal.
pub(super) fn normalized(v: i128, scale: u32) -> Option<Decimal> {
    if let Ok(mut x) = i64::try_from(v) {
        let mut s = scale;
        while s > 0 && x % 10 == 0 {
            x /= 10;
            s -= 1;
        }
        return (s <= 28).then(|| Decimal::new(x, s));
    }
    Decimal::try_from_i128_with_scale(v, scale)
        .ok()
        .map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_beyond_64_bits_falls_back_to_decimals() {
        let mut errors = Vec::new();
        let d = [Some(Decimal::MAX), Some(Decimal::new(1, 28)), None];
        let p = prepare(MetricColumn::Decimals(&d), "m", &mut errors);
        assert!(matches!(p, Prepared::Exact(_)));
        assert_eq!((p.get(0), p.get(1), p.get(2)), (d[0], d[1], None));
        let f = [f64::INFINITY, 2.5, f64::NAN];
        let p = prepare(MetricColumn::Floats(&f), "m", &mut errors);
        assert!(matches!(p, Prepared::Scaled { scale: 1, .. }));
        assert_eq!(
            (p.get(0), p.get(1), p.get(2)),
            (None, Some(Decimal::new(25, 1)), None)
        );
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].0, errors[0].1.path()), (0, "m"));
    }

    #[test]
    fn floats_rescale_as_finer_values_arrive() {
        let f = [3.0, -2.0, f64::NAN, 0.25, 7.5, 0.1];
        let mut errors = Vec::new();
        let p = prepare(MetricColumn::Floats(&f), "m", &mut errors);
        let Prepared::Scaled { v, scale, .. } = &p else {
            panic!("small floats fit 64-bit integers");
        };
        assert_eq!(
            (*scale, v.as_slice()),
            (2, &[300, -200, MISSING, 25, 750, 10][..])
        );
        assert_eq!(p.get(5), Some(Decimal::new(1, 1)));
        assert!(errors.is_empty());
    }
}
