//! IRR and XIRR: every root, the one closest to 0 (or to a guess) by default (SPEC §6).

use super::cashflow::{check_dated, check_flows, check_rate};
use super::error::{RopiErrorKind, err};
use super::solver::{ExpSum, Roots};
use crate::Error;
use crate::domain::{Date, day_number};
use crate::math;

fn periodic_terms(flows: &[f64]) -> ExpSum {
    let terms: Vec<(u64, f64)> = flows.iter().enumerate().map(|(t, &a)| (t as u64, a)).collect();
    ExpSum::on_lattice(1.0, &terms)
}

/// Day numbers → netted `(λ = −years, amount)` terms, years = days from the earliest / 365.
fn dated_terms(days: &[i64], amounts: &[f64]) -> ExpSum {
    let in_order = days.iter().copied().zip(amounts.iter().copied());
    if days.windows(2).all(|w| w[0] <= w[1]) {
        // the usual case: flows already in date order, nothing to copy or sort
        return netted_terms(in_order);
    }
    let mut pairs: Vec<(i64, f64)> = in_order.collect();
    if pairs.len() <= 32 {
        // a series of a few flows (the usual size): a stable insertion sort in place, cheaper
        // than the general sort's setup
        for k in 1..pairs.len() {
            let mut at = k;
            while at > 0 && pairs[at - 1].0 > pairs[at].0 {
                pairs.swap(at - 1, at);
                at -= 1;
            }
        }
    } else {
        crate::sort::by_key(&mut pairs, |p| p.0);
    }
    netted_terms(pairs.into_iter())
}

/// Flows in date order as lattice terms (days since the first), same-date flows netted.
fn netted_terms(pairs: impl ExactSizeIterator<Item = (i64, f64)>) -> ExpSum {
    let mut terms: Vec<(u64, f64)> = Vec::with_capacity(pairs.len());
    let (mut base, mut last_day) = (0, None);
    for (day, amount) in pairs {
        if last_day == Some(day) {
            terms.last_mut().expect("a previous term").1 += amount; // same-date flows are netted
        } else {
            if last_day.is_none() {
                base = day;
            }
            terms.push((day.abs_diff(base), amount));
            last_day = Some(day);
        }
    }
    ExpSum::on_lattice(1.0 / 365.0, &terms)
}

fn start_point(guess: Option<f64>) -> Option<f64> {
    guess.map(math::ln_1p)
}

fn all_roots(f: &ExpSum, path: &str) -> Result<Vec<f64>, Error> {
    match f.roots() {
        Roots::NoSignChange => Err(no_sign_change(path)),
        Roots::OutOfRange => Err(out_of_range(path)),
        Roots::TooManySignChanges => Err(Error::LimitExceeded {
            path: path.to_owned(),
            message: format!("more than {} sign changes", super::solver::MAX_SIGN_CHANGES),
        }),
        Roots::Found(xs) if xs.is_empty() => Err(err(
            RopiErrorKind::NoRealRoot,
            path,
            "the flows change sign but no rate gives a zero present value",
        )),
        Roots::Found(xs) => Ok(xs.into_iter().map(math::exp_m1).collect()),
    }
}

fn no_sign_change(path: &str) -> Error {
    err(
        RopiErrorKind::NoSignChange,
        path,
        "the flows need at least one positive and one negative amount",
    )
}

fn out_of_range(path: &str) -> Error {
    err(
        RopiErrorKind::RateOutOfRange,
        path,
        format!(
            "the rate of return lies outside [{}, {:e}]",
            super::solver::MIN_RATE,
            super::solver::MAX_RATE
        ),
    )
}

/// The root closest to `target`; ties go to the larger root.
fn closest(roots: &[f64], target: f64) -> f64 {
    let mut best = roots[0];
    for &r in &roots[1..] {
        if (r - target).abs() <= (best - target).abs() {
            best = r;
        }
    }
    best
}

fn solve(f: &ExpSum, guess: Option<f64>, path: &str) -> Result<f64, Error> {
    if let Some(guess) = guess {
        check_rate(guess, "guess")?;
    }
    // One sign change: exactly one root, found by safeguarded Newton (the fast path).
    if let Some(roots) = f.unique_root(start_point(guess)) {
        return match roots {
            Roots::Found(xs) => Ok(math::exp_m1(xs[0])),
            _ => Err(out_of_range(path)),
        };
    }
    let roots = all_roots(f, path)?;
    Ok(closest(&roots, guess.unwrap_or(0.0)))
}

/// Internal rate of return of periodic flows (t = 0, 1, …): the root `r > −1` of
/// [`npv`](super::npv) closest to 0, or to `guess` when given (Excel-like).
///
/// Errors: `EmptyCashFlows`, `NonFinite`, `NoSignChange`, `NoRealRoot`, `RateOutOfRange`
/// (a root exists outside [`MIN_RATE`](super::MIN_RATE), [`MAX_RATE`](super::MAX_RATE)),
/// `InvalidRate` (a guess ≤ −1).
///
/// ```
/// use prm_core::ropi::irr;
/// let r = irr(&[-100.0, 110.0], None).unwrap();
/// assert!((r - 0.1).abs() < 1e-15);
/// // Two roots, 10% and 30%: the default is the one closest to 0, a guess picks the other.
/// let flows = [-1.0, 2.4, -1.43];
/// assert!((irr(&flows, None).unwrap() - 0.1).abs() < 1e-14);
/// assert!((irr(&flows, Some(0.5)).unwrap() - 0.3).abs() < 1e-14);
/// ```
pub fn irr(flows: &[f64], guess: Option<f64>) -> Result<f64, Error> {
    check_flows(flows, "flows")?;
    solve(&periodic_terms(flows), guess, "flows")
}

/// Every IRR of periodic flows, ascending.
///
/// ```
/// let roots = prm_core::ropi::irr_roots(&[-1.0, 2.4, -1.43]).unwrap();
/// assert_eq!(roots.len(), 2);
/// ```
pub fn irr_roots(flows: &[f64]) -> Result<Vec<f64>, Error> {
    check_flows(flows, "flows")?;
    all_roots(&periodic_terms(flows), "flows")
}

fn days_of(dates: &[Date]) -> Vec<i64> {
    dates.iter().copied().map(day_number).collect()
}

/// XIRR of dated flows (actual/365, same-date flows netted, order irrelevant): the root of
/// [`xnpv`](super::xnpv) closest to 0, or to `guess`.
///
/// ```
/// use chrono::NaiveDate;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let r = prm_core::ropi::xirr(&[d(2025, 1, 1), d(2025, 7, 2), d(2026, 1, 1)],
///                              &[-1000.0, 0.0, 1100.0], None).unwrap();
/// assert!((r - 0.1).abs() < 1e-14);
/// ```
pub fn xirr(dates: &[Date], amounts: &[f64], guess: Option<f64>) -> Result<f64, Error> {
    check_dated(dates, amounts)?;
    xirr_days(&days_of(dates), amounts, guess)
}

/// [`xirr`] on day numbers (days since any fixed epoch) instead of dates: the batch path.
///
/// ```
/// let r = prm_core::ropi::xirr_days(&[0, 365], &[-100.0, 110.0], None).unwrap();
/// assert!((r - 0.1).abs() < 1e-15);
/// ```
pub fn xirr_days(days: &[i64], amounts: &[f64], guess: Option<f64>) -> Result<f64, Error> {
    if days.len() != amounts.len() {
        return Err(err(
            RopiErrorKind::LengthMismatch,
            "amounts",
            format!("{} dates but {} amounts", days.len(), amounts.len()),
        ));
    }
    check_flows(amounts, "amounts")?;
    solve(&dated_terms(days, amounts), guess, "amounts")
}

/// Every XIRR of dated flows, ascending.
///
/// ```
/// use chrono::NaiveDate;
/// let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
/// let roots = prm_core::ropi::xirr_roots(&[d(2023), d(2024), d(2025)], &[-1.0, 2.4, -1.43]).unwrap();
/// assert_eq!(roots.len(), 2); // 2024 is a leap year, so not exactly 10% and 30%
/// ```
pub fn xirr_roots(dates: &[Date], amounts: &[f64]) -> Result<Vec<f64>, Error> {
    check_dated(dates, amounts)?;
    all_roots(&dated_terms(&days_of(dates), amounts), "amounts")
}

/// [`irr`] over many series stored flat: series `i` is `amounts[offsets[i]..offsets[i+1]]` (the
/// columnar layout of a DataFrame sorted by series id). One result per series; a failing series
/// does not stop the others, and its error path is prefixed with `[i].`.
///
/// `threads`: 1 solves on the calling thread; `n > 1` splits the series over `n` scoped
/// threads; 0 uses every available core. (prm starts threads only when asked.)
///
/// ```
/// let out = prm_core::ropi::irr_batch(&[0, 2, 4], &[-100.0, 110.0, 1.0, 1.0], None, 1);
/// assert!((out[0].as_ref().unwrap() - 0.1).abs() < 1e-15);
/// assert_eq!(out[1].as_ref().unwrap_err().path(), "[1].flows");
/// ```
pub fn irr_batch(
    offsets: &[usize],
    amounts: &[f64],
    guess: Option<f64>,
    threads: usize,
) -> Vec<Result<f64, Error>> {
    batch(offsets, amounts.len(), threads, |i, a, b| {
        irr(&amounts[a..b], guess).map_err(|e| e.at_index(i))
    })
}

/// [`xirr`] over many series stored flat: series `i` is `days[offsets[i]..offsets[i+1]]` (day
/// numbers, see [`crate::domain::day_number`]) with its `amounts`; `threads` as in
/// [`irr_batch`].
///
/// ```
/// let out = prm_core::ropi::xirr_batch(&[0, 2, 4], &[0, 365, 0, 730], &[-100.0, 110.0, -100.0, 121.0], None, 0);
/// assert!((out[0].as_ref().unwrap() - 0.1).abs() < 1e-15);
/// assert!((out[1].as_ref().unwrap() - 0.1).abs() < 1e-15);
/// ```
pub fn xirr_batch(
    offsets: &[usize],
    days: &[i64],
    amounts: &[f64],
    guess: Option<f64>,
    threads: usize,
) -> Vec<Result<f64, Error>> {
    let len = days.len().min(amounts.len());
    batch(offsets, len, threads, |i, a, b| {
        xirr_days(&days[a..b], &amounts[a..b], guess).map_err(|e| e.at_index(i))
    })
}

fn batch(
    offsets: &[usize],
    len: usize,
    threads: usize,
    one: impl Fn(usize, usize, usize) -> Result<f64, Error> + Sync,
) -> Vec<Result<f64, Error>> {
    let series = offsets.len().saturating_sub(1);
    let solve = |i: usize| {
        let (a, b) = (offsets[i], offsets[i + 1]);
        if a > b || b > len {
            return Err(Error::InvalidInput {
                path: format!("offsets[{}]", i + 1),
                message: "offsets must be ascending and within the columns".into(),
            });
        }
        one(i, a, b)
    };
    // a thread for fewer than ~1000 series costs more than it saves
    crate::parallel::map(series, threads, 1024, solve)
}
