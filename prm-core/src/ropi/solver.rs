//! Real roots of sums of exponentials — the engine behind IRR and XIRR.
//!
//! With `x = ln(1 + r)`, a present value `Σ Pᵢ (1+r)^(−tᵢ)` is `f(x) = Σ aᵢ e^(λᵢ x)` with
//! `λᵢ = −tᵢ`. Working in `x` maps the whole domain `r > −1` onto the real line, so rates near
//! −100% and above 1e6 are as easy as 10%.
//!
//! * **Overflow-safe evaluation**: `f` is evaluated scaled by `e^(−max λᵢx)`, which keeps every
//!   term in [−|aᵢ|, |aᵢ|] and leaves the sign (and the Newton step `f/f′`) unchanged; the
//!   coefficients are normalised by `max |aᵢ|`.
//! * **All roots**: by the generalised Descartes rule a sum of exponentials has at most as many
//!   real roots as its coefficients have sign changes. With one sign change the root is unique
//!   and a safeguarded Newton iteration finds it. With more, the roots of `(e^(−λ₀x) f)′` — a sum
//!   with one term fewer, solved recursively — cut the line into pieces on which `f` is
//!   monotone; each piece holds at most one root, found by bracketed Newton. A zero of `f` at a
//!   critical point (a double root) is reported too.
//! * Every `exp`/`log` goes through [`crate::math`], so results are identical on every target.
//! * The search window is `x ∈ [ln(1 + MIN_RATE), ln(1 + MAX_RATE)]`.

use crate::math;

/// Smallest rate searched: `−1 + 1e−12` (−99.9999999999%).
pub const MIN_RATE: f64 = -1.0 + 1e-12;
/// Largest rate searched: `1e15` (100,000,000,000,000,000%).
pub const MAX_RATE: f64 = 1e15;
/// Most sign changes for which every root is searched (the isolation costs O(s²) solves; real
/// cash flows change sign a handful of times). More is `LimitExceeded`.
pub const MAX_SIGN_CHANGES: usize = 64;

fn x_min() -> f64 {
    math::ln(1e-12)
}

fn x_max() -> f64 {
    math::ln_1p(MAX_RATE)
}

/// `f(x) = Σ aᵢ e^(λᵢ x)` with `λ` strictly ascending and every `aᵢ ≠ 0`.
#[derive(Debug, Clone)]
pub(crate) struct ExpSum {
    a: Vec<f64>,
    lam: Vec<f64>,
    /// When `λᵢ = λ₀ + h·kᵢ` for integers `kᵢ` (periods, or days / 365), the step `h` and the
    /// `kᵢ`: the terms are then powers of one `e^(−h|x|)`, computed by multiplication instead of
    /// one `exp` per term (see [`ExpSum::eval_fast`]).
    lattice: Option<Lattice>,
}

/// `λᵢ = λ₀ + h·kᵢ` with integer `kᵢ` ascending from 0; `gaps[i] = kᵢ − kᵢ₋₁` (`gaps[0] = 0`).
#[derive(Debug, Clone)]
struct Lattice {
    h: f64,
    gaps: Vec<i32>,
}

/// The outcome of a root search.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Roots {
    /// Coefficients of one sign: no root can exist.
    NoSignChange,
    /// Roots in the window, ascending (possibly empty).
    Found(Vec<f64>),
    /// No root in the window, but one lies outside it.
    OutOfRange,
    /// More than [`MAX_SIGN_CHANGES`] sign changes.
    TooManySignChanges,
}

impl ExpSum {
    /// Builds `Σ aᵢ e^(λᵢ x)` from (λ, a) pairs with distinct λ; zero coefficients are dropped and
    /// the coefficients normalised by their largest magnitude.
    pub(crate) fn new(mut terms: Vec<(f64, f64)>) -> Self {
        terms.retain(|&(_, a)| a != 0.0);
        crate::sort::by(&mut terms, |p, q| p.0.total_cmp(&q.0));
        let scale = largest_magnitude(terms.iter().map(|t| t.1));
        let (lam, a) = terms.into_iter().map(|(l, a)| (l, a / scale)).unzip();
        Self {
            a,
            lam,
            lattice: None,
        }
    }

    /// Builds `Σ aᵢ e^(−h·kᵢ·x)` from (kᵢ, aᵢ) with integers `kᵢ` strictly ascending (flows at
    /// periods `kᵢ`, or at `kᵢ` days with `h = 1/365`); zero amounts are dropped.
    pub(crate) fn on_lattice(h: f64, terms: &[(u64, f64)]) -> Self {
        debug_assert!(terms.windows(2).all(|w| w[0].0 < w[1].0), "k must ascend");
        let scale = largest_magnitude(terms.iter().map(|t| t.1));
        let n = terms.iter().filter(|t| t.1 != 0.0).count();
        let (mut a, mut lam, mut gaps) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let mut prev: Option<u64> = None;
        let mut fits = h > 0.0;
        // descending k = ascending λ
        for &(k, amount) in terms.iter().rev().filter(|t| t.1 != 0.0) {
            a.push(amount / scale);
            lam.push(-(k as f64) * h);
            let gap = prev.map_or(Some(0), |p| i32::try_from(p - k).ok());
            fits &= gap.is_some();
            gaps.push(gap.unwrap_or(0));
            prev = Some(k);
        }
        let lattice = fits.then_some(Lattice { h, gaps });
        Self { a, lam, lattice }
    }

    fn sign_changes(&self) -> usize {
        self.a.windows(2).filter(|w| (w[0] > 0.0) != (w[1] > 0.0)).count()
    }

    /// `(f, f′, Σ|terms|)` at `x`, all scaled by the same positive factor.
    fn eval(&self, x: f64) -> (f64, f64, f64) {
        let lo = self.lam[0] * x;
        let hi = self.lam[self.lam.len() - 1] * x;
        let m = lo.max(hi);
        let (mut f, mut df, mut abs) = (0.0, 0.0, 0.0);
        for (&a, &l) in self.a.iter().zip(&self.lam) {
            let e = math::exp(l * x - m);
            f += a * e;
            df += a * l * e;
            abs += a.abs() * e;
        }
        (f, df, abs)
    }

    /// `(f, f′, f″)` like [`ExpSum::eval`] but, on a lattice, by products of one power base:
    /// every term is `b^pᵢ` with `b = e^(−h|x|) ≤ 1` (so nothing overflows), stepping through
    /// the gaps with `powi`. Accurate to a few hundred ulps: the solver iterates with it and
    /// polishes with [`ExpSum::eval`].
    fn eval_fast(&self, x: f64) -> (f64, f64, f64) {
        let Some(lat) = &self.lattice else {
            return self.eval2(x);
        };
        let base = math::exp(-lat.h * x.abs());
        let (mut f, mut df, mut d2f) = (0.0, 0.0, 0.0);
        let mut power = 1.0;
        let n = self.a.len();
        if x >= 0.0 {
            // scaled by e^(−λ_max x): exponents grow from the last term backwards
            for i in (0..n).rev() {
                if i + 1 < n {
                    power *= math::powi(base, lat.gaps[i + 1]);
                }
                let (a, l) = (self.a[i], self.lam[i]);
                f += a * power;
                df += a * l * power;
                d2f += a * l * l * power;
            }
        } else {
            // scaled by e^(−λ₀ x): exponents grow from the first term
            for i in 0..n {
                power *= math::powi(base, lat.gaps[i]);
                let (a, l) = (self.a[i], self.lam[i]);
                f += a * power;
                df += a * l * power;
                d2f += a * l * l * power;
            }
        }
        (f, df, d2f)
    }

    /// `(f, f′, f″)` with one `exp` per term, scaled as in [`ExpSum::eval`].
    fn eval2(&self, x: f64) -> (f64, f64, f64) {
        let m = (self.lam[0] * x).max(self.lam[self.lam.len() - 1] * x);
        let (mut f, mut df, mut d2f) = (0.0, 0.0, 0.0);
        for (&a, &l) in self.a.iter().zip(&self.lam) {
            let e = a * math::exp(l * x - m);
            f += e;
            df += l * e;
            d2f += l * l * e;
        }
        (f, df, d2f)
    }

    /// `(e^(−λ₀x) f)′`: one term fewer, its roots separate the roots of `f`.
    fn reduced_derivative(&self) -> ExpSum {
        let l0 = self.lam[0];
        let terms = self.a[1..]
            .iter()
            .zip(&self.lam[1..])
            .map(|(&a, &l)| (l - l0, a * (l - l0)))
            .collect();
        let mut d = ExpSum::new(terms);
        if let Some(lat) = &self.lattice {
            // the derivative keeps terms 1.. with the same gaps; its first term is its new λ₀
            if lat.gaps.len() > 1 && d.a.len() == lat.gaps.len() - 1 {
                let mut gaps = lat.gaps[1..].to_vec();
                gaps[0] = 0;
                d.lattice = Some(Lattice { h: lat.h, gaps });
            }
        }
        d
    }

    /// Every real root in the window, ascending.
    pub(crate) fn roots(&self) -> Roots {
        match self.sign_changes() {
            0 => return Roots::NoSignChange,
            s if s > MAX_SIGN_CHANGES => return Roots::TooManySignChanges,
            _ => {}
        }
        let found = self.roots_in(x_min(), x_max());
        if found.is_empty() && self.root_outside_window() {
            Roots::OutOfRange
        } else {
            Roots::Found(found)
        }
    }

    /// The single root when there is exactly one sign change, starting at `x0` (default: one
    /// Newton step from `x = 0`, free since every term is `aᵢ` there); `None` when there is not
    /// exactly one sign change.
    pub(crate) fn unique_root(&self, x0: Option<f64>) -> Option<Roots> {
        if self.sign_changes() != 1 {
            return None;
        }
        let (lo, hi) = (x_min(), x_max());
        // f → sign(a₀)·∞ as x → −∞ and sign(a_last)·∞ as x → +∞: the bracket's signs are known.
        let neg_at_lo = self.a[0] < 0.0;
        let x0 = x0
            .or_else(|| {
                // at x = 0 every term is its coefficient: f, f′, f″ are free, so the first
                // (Halley) step costs nothing
                let (f0, df0, d2f0) = self
                    .a
                    .iter()
                    .zip(&self.lam)
                    .fold((0.0, 0.0, 0.0), |(f, d, d2), (a, l)| {
                        (f + a, d + a * l, d2 + a * l * l)
                    });
                let newton = f0 / df0;
                let corr = 1.0 - 0.5 * newton * d2f0 / df0;
                let step = if corr > 0.5 && corr < 2.0 {
                    newton / corr
                } else {
                    newton
                };
                Some(-step).filter(|x| x.is_finite())
            })
            .unwrap_or(math::ln_1p(0.1))
            .clamp(lo, hi);
        let x = self.solve(lo, hi, neg_at_lo, x0);
        // The bracket's signs were assumed, not evaluated: an iterate stuck on the window's edge
        // (to the solver's tolerance) means the root lies beyond it.
        let near = |e: f64| (x - e).abs() <= 1e-9 * e.abs().max(1.0);
        Some(if near(lo) || near(hi) {
            Roots::OutOfRange
        } else {
            Roots::Found(vec![self.polish(x)])
        })
    }

    fn root_outside_window(&self) -> bool {
        let (flo, _, _) = self.eval(x_min());
        let (fhi, _, _) = self.eval(x_max());
        (flo < 0.0) != (self.a[0] < 0.0) || (fhi < 0.0) != (self.a[self.a.len() - 1] < 0.0)
    }

    fn roots_in(&self, lo: f64, hi: f64) -> Vec<f64> {
        if self.a.len() < 2 || self.sign_changes() == 0 {
            return Vec::new();
        }
        let mut cuts = vec![lo];
        if self.sign_changes() >= 2 {
            cuts.extend(self.reduced_derivative().roots_in(lo, hi));
        }
        cuts.push(hi);
        let mut roots: Vec<f64> = Vec::new();
        let push = |x: f64, roots: &mut Vec<f64>| {
            if roots.last().is_none_or(|&last| x > last) {
                roots.push(x);
            }
        };
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (fa, _, abs_a) = self.eval(a);
            let (fb, _, abs_b) = self.eval(b);
            if fa.abs() <= 16.0 * f64::EPSILON * abs_a && a > lo {
                push(a, &mut roots); // a (double) root at a critical point
            }
            if (fa < 0.0) != (fb < 0.0) && fa != 0.0 && fb != 0.0 {
                push(self.polish(self.solve(a, b, fa < 0.0, 0.5 * (a + b))), &mut roots);
            } else if fb.abs() <= 16.0 * f64::EPSILON * abs_b && b < hi {
                push(b, &mut roots);
            }
        }
        roots
    }

    /// Bracketed Newton (Newton steps, bisection when a step leaves the bracket or stalls) on
    /// `[lo, hi]` where `f(lo)` is negative iff `neg_at_lo` and `f(hi)` has the other sign.
    fn solve(&self, mut lo: f64, mut hi: f64, neg_at_lo: bool, x0: f64) -> f64 {
        let mut x = x0;
        // Numerical Recipes' rtsafe rule: take the Newton step unless it leaves the bracket or
        // does not at least halve the step before last; then bisect.
        let (mut dx, mut dx_old) = (hi - lo, hi - lo);
        // Where f is nearly log-linear (far from the roots, one term dominating) Newton crawls
        // at a constant step that passes the rtsafe test: every 4 iterations, if neither the
        // bracket nor the step has halved, bisect. (Found on flows at the 64-sign-change limit,
        // where the crawl ran out of iterations and reported a point that is not a root while a
        // real root was missed: vectors/ropi/limits.json.)
        let (mut width_mark, mut step_mark, mut since) = (hi - lo, hi - lo, 0_u32);
        let rel_tol = if self.lattice.is_some() {
            1e-11
        } else {
            2.0 * f64::EPSILON
        };
        for _ in 0..400 {
            let (f, df, d2f) = self.eval_fast(x);
            if f == 0.0 {
                break;
            }
            if (f < 0.0) == neg_at_lo {
                lo = x;
            } else {
                hi = x;
            }
            // Halley's step (cubic convergence) when its correction is mild, else Newton's
            let newton = f / df;
            let corr = 1.0 - 0.5 * newton * d2f / df;
            let halley = self.lattice.is_some() && corr > 0.5 && corr < 2.0;
            let step = if corr > 0.5 && corr < 2.0 {
                newton / corr
            } else {
                newton
            };
            let next = x - step;
            since += 1;
            let stalled = since >= 4 && hi - lo > 0.5 * width_mark && step.abs() > 0.5 * step_mark.abs();
            if since >= 4 {
                (width_mark, step_mark, since) = (hi - lo, step, 0);
            }
            let bisect = stalled || !(next > lo && next < hi) || (2.0 * f).abs() > (dx_old * df).abs();
            let halley = halley && !bisect;
            if bisect {
                dx_old = dx;
                dx = 0.5 * (hi - lo);
                x = lo + dx;
            } else {
                dx_old = dx;
                dx = step;
                x = next;
            }
            // With the fast (lattice) evaluation, stop at 1e-11 relative — below that its rounding
            // noise steers the steps — and let `polish` finish with exact evaluations.
            let tol = rel_tol * x.abs().max(1e-300);
            if dx.abs() <= tol || hi - lo <= tol || (halley && dx.abs() <= 1e-5 * x.abs()) {
                break;
            }
        }
        x
    }

    /// One Newton step with the exact evaluation from a root found with
    /// [`ExpSum::eval_fast`] to 1e-11: Newton's quadratic convergence takes it to full precision.
    /// (The fast evaluation's error moves a root by far less than 1e-9 relative; a larger step
    /// means the root is ill-conditioned, and is not taken.)
    fn polish(&self, x: f64) -> f64 {
        if self.lattice.is_none() {
            return x; // already solved with the exact evaluation
        }
        let (f, df, _) = self.eval(x);
        let next = x - f / df;
        if next.is_finite() && (next - x).abs() <= 1e-9 * x.abs().max(1e-3) {
            next
        } else {
            x
        }
    }
}

/// The largest `|a|` (0 for none). A comparison rather than `f64::max`, which WebAssembly has no
/// instruction for (a call to `fmax` per term); the same for every input, NaN included (skipped,
/// as `max` skips it).
fn largest_magnitude(amounts: impl Iterator<Item = f64>) -> f64 {
    amounts.fold(0.0, |m, a| if a.abs() > m { a.abs() } else { m })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn periodic(flows: &[f64]) -> ExpSum {
        ExpSum::new(flows.iter().enumerate().map(|(t, &a)| (-(t as f64), a)).collect())
    }

    fn rates(roots: Roots) -> Vec<f64> {
        match roots {
            Roots::Found(xs) => xs.into_iter().map(math::exp_m1).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn two_roots_of_a_quadratic() {
        // (1 - 1.1 v)(1 - 1.3 v) with v = 1/(1+r): roots r = 0.1 and 0.3.
        let f = periodic(&[1.0, -2.4, 1.43]);
        let r = rates(f.roots());
        assert_eq!(r.len(), 2);
        assert!((r[0] - 0.1).abs() < 1e-14 && (r[1] - 0.3).abs() < 1e-14, "{r:?}");
    }

    #[test]
    fn double_root_is_reported() {
        let r = rates(periodic(&[1.0, -2.0, 1.0]).roots());
        assert_eq!(r.len(), 1);
        assert!(r[0].abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn no_real_root_and_no_sign_change() {
        assert_eq!(periodic(&[1.0, -1.0, 1.0]).roots(), Roots::Found(vec![]));
        assert_eq!(periodic(&[1.0, 2.0]).roots(), Roots::NoSignChange);
    }

    #[test]
    fn out_of_window() {
        // -1 then 1e-14: r = -1 + 1e-14, below MIN_RATE.
        assert_eq!(
            periodic(&[-1.0, 1e-14]).unique_root(None),
            Some(Roots::OutOfRange)
        );
        assert_eq!(periodic(&[-1.0, 1e-14]).roots(), Roots::OutOfRange);
    }
}
