//! Columnar evaluation of a whole table of partners ([`TierProgram::evaluate_table`]).
//!
//! Each metric column is read once into integers at one scale per column (a float through its
//! shortest decimal form, as everywhere in prm), every requirement becomes a mask over all rows
//! by integer comparisons, the qualified tier is the highest mask that holds, and only the gaps
//! are built row by row. The answers equal [`TierProgram::evaluate_values`] row for row (a
//! property test holds the two to it); a column that does not fit 64-bit integers at one scale,
//! and any points sum that would overflow, falls back to exact decimals for those values.

use super::compile::{Node, Term};
use super::eval::points_total;
use super::model::{Change, Op};
use super::{Previous, TierProgram};
use crate::Error;
use crate::domain::decimal_from_f64;
use crate::domain::float::f64_parts;
use rust_decimal::Decimal;
use std::ops::Range;

/// One metric's values for every partner of a table (row `i` is partner `i`).
#[derive(Debug, Clone, Copy)]
pub enum MetricColumn<'a> {
    /// The table has no such column: the metric is missing for every partner.
    Missing,
    /// Exact decimals (`None`: missing).
    Decimals(&'a [Option<Decimal>]),
    /// Whole numbers (`None`: missing).
    Ints(&'a [Option<i64>]),
    /// Floats, each read as its shortest decimal form (as a number in prm's JSON is read); NaN
    /// is missing; an infinite value is an `InvalidInput` error of its row.
    Floats(&'a [f64]),
}

impl<'a> MetricColumn<'a> {
    fn len(&self) -> Option<usize> {
        match self {
            MetricColumn::Missing => None,
            MetricColumn::Decimals(v) => Some(v.len()),
            MetricColumn::Ints(v) => Some(v.len()),
            MetricColumn::Floats(v) => Some(v.len()),
        }
    }

    /// Rows `r` of the column (the whole of a `Missing` one).
    ///
    /// ```
    /// use prm_core::tiers::MetricColumn;
    /// let v = [1.0, 2.0, 3.0];
    /// assert!(matches!(MetricColumn::Floats(&v).slice(1..3), MetricColumn::Floats([2.0, 3.0])));
    /// ```
    #[must_use]
    pub fn slice(&self, r: Range<usize>) -> MetricColumn<'a> {
        match *self {
            MetricColumn::Missing => MetricColumn::Missing,
            MetricColumn::Decimals(v) => MetricColumn::Decimals(&v[r]),
            MetricColumn::Ints(v) => MetricColumn::Ints(&v[r]),
            MetricColumn::Floats(v) => MetricColumn::Floats(&v[r]),
        }
    }
}

/// An unmet requirement of a partner's next tier: a [`Gap`](super::Gap) whose metric name is
/// borrowed from the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableGap<'p> {
    /// The metric (`"points"` for a points requirement).
    pub metric: &'p str,
    /// The comparison (`gte` for points).
    pub op: Op,
    /// The threshold (the minimum for points).
    pub required: Decimal,
    /// The partner's value (the points total for points); `None` when the metric is missing.
    pub actual: Option<Decimal>,
    /// How far from the threshold (as [`Gap::short_by`](super::Gap::short_by)).
    pub short_by: Option<Decimal>,
}

/// The statuses of a table of partners, column by column (see
/// [`TierProgram::evaluate_table`]); tier names are borrowed from the program.
///
/// ```
/// use prm_core::tiers::{MetricColumn, TierProgram};
/// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
///   {"name": "gold", "requirements": {"all": [{"metric": "revenue", "op": "gte", "value": 100000},
///                                             {"metric": "csat", "op": "gte", "value": "4.5"}]}}]}"#)?;
/// let (revenue, csat) = ([Some(150_000), Some(90_000)], [4.7, 4.1]);
/// let t = program.evaluate_table(2, &[MetricColumn::Ints(&revenue), MetricColumn::Floats(&csat)], None, 1)?;
/// assert_eq!((t.len(), t.tier[0], t.qualified_tier[1]), (2, Some("gold"), Some("base")));
/// assert!(t.gaps_of(0).is_empty()); // gold is the top tier
/// let gaps: Vec<(&str, String)> =
///     t.gaps_of(1).iter().map(|g| (g.metric, g.short_by.unwrap().to_string())).collect();
/// assert_eq!(gaps, [("revenue", "10000".to_owned()), ("csat", "0.4".to_owned())]);
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TierTable<'p> {
    /// The tier held, per partner.
    pub tier: Vec<Option<&'p str>>,
    /// The highest tier whose requirements hold.
    pub qualified_tier: Vec<Option<&'p str>>,
    /// What happened.
    pub change: Vec<Change>,
    /// Consecutive failed evaluations.
    pub failures: Vec<u32>,
    /// Evaluations left before a demotion (`None` unless on probation).
    pub probation_remaining: Vec<Option<u32>>,
    /// Partner `i`'s gaps are `gaps[gap_offsets[i]..gap_offsets[i + 1]]` (one offset more than
    /// there are partners).
    pub gap_offsets: Vec<usize>,
    /// The unmet requirements of each partner's next tier, in document order.
    pub gaps: Vec<TableGap<'p>>,
    /// The partners that could not be evaluated, by row, ascending (a row may appear more than
    /// once); such a row has no tier, `New`, and no gaps.
    pub errors: Vec<(usize, Error)>,
}

impl<'p> TierTable<'p> {
    /// The number of partners.
    pub fn len(&self) -> usize {
        self.tier.len()
    }

    /// Whether the table has no partners.
    pub fn is_empty(&self) -> bool {
        self.tier.is_empty()
    }

    /// Partner `row`'s gaps.
    pub fn gaps_of(&self, row: usize) -> &[TableGap<'p>] {
        &self.gaps[self.gap_offsets[row]..self.gap_offsets[row + 1]]
    }

    fn append(&mut self, mut other: TierTable<'p>, rows: usize) {
        let base = self.gaps.len();
        self.tier.append(&mut other.tier);
        self.qualified_tier.append(&mut other.qualified_tier);
        self.change.append(&mut other.change);
        self.failures.append(&mut other.failures);
        self.probation_remaining.append(&mut other.probation_remaining);
        self.gap_offsets
            .extend(other.gap_offsets.iter().skip(1).map(|o| o + base));
        self.gaps.append(&mut other.gaps);
        self.errors
            .extend(other.errors.into_iter().map(|(r, e)| (r + rows, e)));
    }
}

/// A missing value among scaled integers.
const MISSING: i64 = i64::MIN;

/// A metric column prepared for comparisons.
enum Prepared<'a> {
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
    /// The value of row `i` as [`TierProgram::evaluate_values`] would be given it.
    fn get(&self, i: usize) -> Option<Decimal> {
        match self {
            Prepared::Missing => None,
            Prepared::Exact(d) => d[i],
            Prepared::Scaled { v, scale, source } => match source {
                MetricColumn::Decimals(d) => d[i],
                MetricColumn::Ints(x) => x[i].map(Decimal::from),
                // a value read on the fast path is the shortest form, scaled up
                MetricColumn::Floats(_)
                    if v[i] != MISSING && *scale <= 15 && v[i].unsigned_abs() < 1 << 52 =>
                {
                    normalized(i128::from(v[i]), *scale)
                }
                MetricColumn::Floats(f) if v[i] != MISSING => decimal_from_f64(f[i]),
                _ => None,
            },
        }
    }
}

fn pow10(k: u32) -> Option<i128> {
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
}

/// Reads a column into integers at one scale, reporting unreadable floats in `errors`; exact
/// decimals when a value does not fit.
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // guarded by the bounds
fn prepare<'a>(col: MetricColumn<'a>, name: &str, errors: &mut Vec<(usize, Error)>) -> Prepared<'a> {
    const EXACT: f64 = 4_503_599_627_370_496.0; // 2^52
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
            for (row, &x) in f.iter().enumerate() {
                if x.is_nan() {
                    sc.v.push(MISSING);
                    continue;
                }
                // at the column's scale so far: the one integer there that reads back as x
                // is the shortest form's, scaled (unique below 2^52)
                if sc.scale <= 15 {
                    let p = FLOAT_POW10[sc.scale as usize];
                    let y = x * p;
                    if y.abs() < EXACT {
                        let r = (y + 0.5f64.copysign(y)) as i64;
                        if r as f64 / p == x {
                            sc.v.push(r);
                            continue;
                        }
                    }
                }
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

/// `10^k` as an exact `f64` (`k` ≤ 15).
const FLOAT_POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `v × 10^-scale` as a normalised decimal (no trailing zeros); `None` beyond a decimal.
fn normalized(v: i128, scale: u32) -> Option<Decimal> {
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

/// `x OP t` for every row of a scaled column: the threshold is brought to the column's scale,
/// rounded the way that keeps the comparison exact on integers.
#[allow(clippy::needless_bitwise_bool)] // branch-free, so the loops vectorise
fn leaf_mask(v: &[i64], scale: u32, op: Op, t: Decimal) -> Option<Vec<bool>> {
    let (tm, ts) = (t.mantissa(), t.scale());
    // floor(t × 10^scale) and whether that is exact
    let (floor, exact) = if ts <= scale {
        (tm.checked_mul(pow10(scale - ts)?)?, true)
    } else {
        let p = pow10(ts - scale)?;
        (tm.div_euclid(p), tm.rem_euclid(p) == 0)
    };
    let ceil = if exact { floor } else { floor.checked_add(1)? };
    // thresholds beyond the i64 range: every present value is on one side
    let clamp = |x: i128| i64::try_from(x).unwrap_or(if x < 0 { MISSING + 1 } else { i64::MAX });
    let (lo, hi) = (clamp(ceil), clamp(floor));
    let big = |x: i128| i64::try_from(x).is_err();
    Some(match op {
        Op::Gte if big(ceil) && ceil > 0 => vec![false; v.len()],
        Op::Gte => v.iter().map(|&x| (x != MISSING) & (x >= lo)).collect(),
        Op::Gt if big(floor) && floor > 0 => vec![false; v.len()],
        Op::Gt => v.iter().map(|&x| (x != MISSING) & (x > hi)).collect(),
        Op::Lte if big(floor) && floor < 0 => vec![false; v.len()],
        Op::Lte => v.iter().map(|&x| (x != MISSING) & (x <= hi)).collect(),
        Op::Lt if big(ceil) && ceil < 0 => vec![false; v.len()],
        Op::Lt => v.iter().map(|&x| (x != MISSING) & (x < lo)).collect(),
        Op::Eq if !exact || big(floor) => vec![false; v.len()],
        Op::Eq => v.iter().map(|&x| x == hi).collect(),
        Op::Ne if !exact || big(floor) => v.iter().map(|&x| x != MISSING).collect(),
        Op::Ne => v.iter().map(|&x| (x != MISSING) & (x != hi)).collect(),
    })
}

/// A requirement node of the plan, children by id (pre-order, so children after parents).
struct Planned<'c> {
    node: &'c Node,
    children: Vec<usize>,
    /// A leaf's threshold at its column's scale, when exact there.
    threshold: Option<i128>,
}

fn plan<'c>(node: &'c Node, out: &mut Vec<Planned<'c>>) -> usize {
    let id = out.len();
    out.push(Planned {
        node,
        children: Vec::new(),
        threshold: None,
    });
    if let Node::All(c) | Node::Any(c) | Node::AtLeast(_, c) = node {
        let kids = c.iter().map(|k| plan(k, out)).collect();
        out[id].children = kids;
    }
    id
}

/// One chunk of rows, evaluated.
struct Chunk<'a, 'c> {
    cols: Vec<Prepared<'a>>,
    nodes: Vec<Planned<'c>>,
    /// Per node: does it hold, per row.
    holds: Vec<Vec<bool>>,
    /// Per node: the points totals per row on integers at a scale (points nodes only), `None`
    /// where they are computed from decimals instead.
    sums: Vec<(Vec<Option<i128>>, u32)>,
}

impl Chunk<'_, '_> {
    fn row(&self, i: usize) -> Vec<Option<Decimal>> {
        self.cols.iter().map(|c| c.get(i)).collect()
    }

    /// Fills `holds` (and `sums`) for node `id` from its children's masks.
    fn evaluate(&mut self, id: usize, n: usize) {
        let kids = &self.nodes[id].children;
        let mask = match self.nodes[id].node {
            Node::Leaf { metric, op, value } => {
                if let Prepared::Scaled { scale, .. } = &self.cols[*metric] {
                    self.nodes[id].threshold = scale
                        .checked_sub(value.scale())
                        .and_then(pow10)
                        .and_then(|p| value.mantissa().checked_mul(p))
                        .filter(|t| t.unsigned_abs() < 1 << 120);
                }
                let fast = match &self.cols[*metric] {
                    Prepared::Missing => Some(vec![false; n]),
                    Prepared::Scaled { v, scale, .. } => leaf_mask(v, *scale, *op, *value),
                    Prepared::Exact(_) => None,
                };
                fast.unwrap_or_else(|| {
                    let c = &self.cols[*metric];
                    (0..n)
                        .map(|i| c.get(i).is_some_and(|a| op.holds(a, *value)))
                        .collect()
                })
            }
            Node::All(_) => {
                let mut m = vec![true; n];
                for &k in kids {
                    m.iter_mut().zip(&self.holds[k]).for_each(|(a, &b)| *a &= b);
                }
                m
            }
            Node::Any(_) => {
                let mut m = vec![false; n];
                for &k in kids {
                    m.iter_mut().zip(&self.holds[k]).for_each(|(a, &b)| *a |= b);
                }
                m
            }
            Node::AtLeast(need, _) => {
                let mut count = vec![0usize; n];
                for &k in kids {
                    count
                        .iter_mut()
                        .zip(&self.holds[k])
                        .for_each(|(c, &b)| *c += usize::from(b));
                }
                count.into_iter().map(|c| c >= *need).collect()
            }
            Node::Points { terms, min } => {
                let (sums, q) = self.points_fast(terms, *min, n).unwrap_or((vec![None; n], 0));
                let min_q = pow10(q.saturating_sub(min.scale())).and_then(|k| min.mantissa().checked_mul(k));
                let mask = sums
                    .iter()
                    .enumerate()
                    .map(|(i, s)| match (s, min_q) {
                        (Some(s), Some(m)) => *s >= m,
                        _ => points_total(terms, &self.row(i)) >= *min,
                    })
                    .collect();
                self.sums[id] = (sums, q);
                mask
            }
        };
        self.holds[id] = mask;
    }

    /// Every row's points total on 64-bit integers at one scale `q` (that of the finest of the
    /// terms' points and caps and the minimum), `None` for a row that would overflow; `None`
    /// overall when a term cannot be put on such integers. Those rows are summed as decimals.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // guarded below 2^53
    fn points_fast(&self, terms: &[Term], min: Decimal, n: usize) -> Option<(Vec<Option<i128>>, u32)> {
        const EXACT: i64 = 1 << 53;
        const OVER: i64 = i64::MIN;
        let q = terms
            .iter()
            .flat_map(|t| [Some(t.points.scale()), t.cap.map(|c| c.scale())])
            .flatten()
            .chain([min.scale()])
            .max()
            .unwrap_or(0);
        let at_q = |d: Decimal| {
            pow10(q - d.scale())
                .and_then(|k| d.mantissa().checked_mul(k))
                .and_then(|x| i64::try_from(x).ok())
        };
        let mut total: Vec<i64> = vec![0; n];
        for t in terms {
            let points = at_q(t.points)?;
            let cap = match t.cap.map(at_q) {
                Some(None) => return None,
                Some(Some(c)) => Some(c),
                None => None,
            };
            let (v, scale) = match &self.cols[t.metric] {
                Prepared::Missing => continue, // earns nothing
                Prepared::Exact(_) => return None,
                Prepared::Scaled { v, scale, .. } => (v, *scale),
            };
            // floor(x / per) = floor(a / b), both at the larger scale
            let s = scale.max(t.per.scale());
            let a_mul = i64::try_from(pow10(s - scale)?).ok()?;
            let b = i64::try_from(t.per.mantissa().checked_mul(pow10(s - t.per.scale())?)?).ok()?;
            let bf = b as f64;
            for (sum, &x) in total.iter_mut().zip(v) {
                if x == MISSING || *sum == OVER {
                    continue;
                }
                let Some(a) = x.checked_mul(a_mul) else {
                    *sum = OVER;
                    continue;
                };
                // one division of exact operands below 2^53 never crosses an integer: truncated,
                // then corrected for negatives
                let floor = if a.unsigned_abs() < EXACT as u64 && b < EXACT {
                    let q = (a as f64 / bf) as i64;
                    q - i64::from(q * b > a)
                } else {
                    a.div_euclid(b)
                };
                let earned = floor.checked_mul(points).filter(|&e| e != OVER);
                let earned = earned.map(|e| cap.map_or(e, |c| e.min(c)));
                *sum = earned
                    .and_then(|e| sum.checked_add(e))
                    .filter(|&x| x != OVER)
                    .unwrap_or(OVER);
            }
        }
        // (below 2^63, every total is a decimal mantissa, as the decimal sum would hold it)
        Some((
            total
                .into_iter()
                .map(|x| (x != OVER).then_some(i128::from(x)))
                .collect(),
            q,
        ))
    }

    /// Row `i`'s points total under node `id` as a decimal.
    fn sum_of(&self, id: usize, terms: &[Term], i: usize) -> Decimal {
        let (sums, q) = &self.sums[id];
        sums.get(i)
            .copied()
            .flatten()
            .and_then(|s| Decimal::try_from_i128_with_scale(s, *q).ok())
            .map_or_else(|| points_total(terms, &self.row(i)), |d| d.normalize())
    }

    /// Appends row `i`'s unmet units under node `id`, in document order (the nodes that hold
    /// contribute nothing, as in the row evaluator).
    fn gaps<'p>(&self, id: usize, i: usize, names: &'p [String], out: &mut Vec<TableGap<'p>>) {
        if self.holds[id][i] {
            return;
        }
        match self.nodes[id].node {
            Node::Leaf { metric, op, value } => {
                let col = &self.cols[*metric];
                let actual = col.get(i);
                // on the integers when the threshold is exact at the column's scale
                let fast = match (col, self.nodes[id].threshold) {
                    (Prepared::Scaled { v, scale, .. }, Some(t)) if actual.is_some() => {
                        let x = i128::from(v[i]);
                        match op {
                            Op::Gte | Op::Gt => normalized(t - x, *scale),
                            Op::Lte | Op::Lt => normalized(x - t, *scale),
                            Op::Eq | Op::Ne => None,
                        }
                    }
                    _ => None,
                };
                let short_by = fast.or_else(|| {
                    actual.and_then(|a| match op {
                        Op::Gte | Op::Gt => Some(value.saturating_sub(a).normalize()),
                        Op::Lte | Op::Lt => Some(a.saturating_sub(*value).normalize()),
                        Op::Eq | Op::Ne => None,
                    })
                });
                out.push(TableGap {
                    metric: &names[*metric],
                    op: *op,
                    required: *value,
                    actual,
                    short_by,
                });
            }
            Node::Points { terms, min } => {
                let sum = self.sum_of(id, terms, i);
                out.push(TableGap {
                    metric: "points",
                    op: Op::Gte,
                    required: *min,
                    actual: Some(sum),
                    short_by: Some(min.saturating_sub(sum).normalize()),
                });
            }
            _ => {
                for &k in &self.nodes[id].children {
                    self.gaps(k, i, names, out);
                }
            }
        }
    }
}

impl TierProgram {
    /// Evaluates a table of `n` partners held in columns — the fast path of the Arrow/DataFrame
    /// surfaces. `columns[m]` holds metric [`metric_names`](Self::metric_names)`[m]`;
    /// `previous[i]` (if given) is partner `i`'s previous tier and failure count. Row for row
    /// the answers equal [`evaluate_values`](Self::evaluate_values); a row that cannot be
    /// evaluated (an infinite float, an unknown previous tier) is reported in
    /// [`TierTable::errors`] and the others are unaffected. Runs on up to `threads` threads
    /// (0 = all cores) over contiguous chunks of rows.
    ///
    /// Errors (for the whole call): `InvalidInput` when the number of columns is not the number
    /// of metrics or a column's or `previous`'s length is not `n`.
    ///
    /// ```
    /// use prm_core::tiers::{MetricColumn, Previous, TierProgram};
    /// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
    ///   {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 100000}}]}"#)?;
    /// let revenue = [150_000.0, 87_500.5, f64::NAN];
    /// let prev = [None, None, Some(Previous { tier: Some("platinum"), failures: 0 })];
    /// let t = program.evaluate_table(3, &[MetricColumn::Floats(&revenue)], Some(&prev), 1)?;
    /// assert_eq!(t.tier[..2], [Some("gold"), Some("base")]);
    /// assert_eq!(t.gaps_of(1)[0].short_by.unwrap().to_string(), "12499.5");
    /// assert_eq!(t.errors[0].0, 2); // `platinum` is not a tier
    /// assert_eq!(t.errors[0].1.code(), "UnknownTier");
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn evaluate_table(
        &self,
        n: usize,
        columns: &[MetricColumn<'_>],
        previous: Option<&[Option<Previous<'_>>]>,
        threads: usize,
    ) -> Result<TierTable<'_>, Error> {
        let metrics = &self.compiled.metrics;
        if columns.len() != metrics.len() {
            return Err(Error::InvalidInput {
                path: "columns".into(),
                message: format!(
                    "{} columns for the program's {} metrics",
                    columns.len(),
                    metrics.len()
                ),
            });
        }
        for (m, c) in columns.iter().enumerate() {
            if let Some(len) = c.len().filter(|&l| l != n) {
                return Err(Error::InvalidInput {
                    path: metrics[m].clone(),
                    message: format!("a column of {len} values for {n} partners"),
                });
            }
        }
        if let Some(p) = previous.filter(|p| p.len() != n) {
            return Err(Error::InvalidInput {
                path: "previous".into(),
                message: format!("previous statuses for {} partners, not {n}", p.len()),
            });
        }
        let chunks = crate::parallel::threads(threads).min(n.div_ceil(16_384)).max(1);
        let size = n.div_ceil(chunks).max(1);
        let parts = crate::parallel::map(chunks, chunks, 1, |c| {
            let r = (c * size).min(n)..((c + 1) * size).min(n);
            let cols: Vec<MetricColumn<'_>> = columns.iter().map(|col| col.slice(r.clone())).collect();
            self.table_chunk(&cols, previous.map(|p| &p[r.clone()]), r.len())
        });
        if parts.len() == 1 {
            return Ok(parts.into_iter().next().unwrap_or_default());
        }
        let mut out = TierTable {
            gap_offsets: vec![0],
            ..TierTable::default()
        };
        for (c, part) in parts.into_iter().enumerate() {
            out.append(part, c * size);
        }
        Ok(out)
    }

    fn table_chunk(
        &self,
        columns: &[MetricColumn<'_>],
        previous: Option<&[Option<Previous<'_>>]>,
        n: usize,
    ) -> TierTable<'_> {
        let compiled = &self.compiled;
        let mut errors = Vec::new();
        let cols: Vec<Prepared<'_>> = columns
            .iter()
            .zip(&compiled.metrics)
            .map(|(c, name)| prepare(*c, name, &mut errors))
            .collect();
        let mut nodes = Vec::new();
        let roots: Vec<Option<usize>> = compiled
            .tiers
            .iter()
            .map(|t| t.requirements.as_ref().map(|r| plan(r, &mut nodes)))
            .collect();
        let count = nodes.len();
        let mut chunk = Chunk {
            cols,
            nodes,
            holds: vec![Vec::new(); count],
            sums: vec![(Vec::new(), 0); count],
        };
        for id in (0..count).rev() {
            chunk.evaluate(id, n);
        }
        let mut qualified: Vec<Option<usize>> = vec![None; n];
        for (t, root) in roots.iter().enumerate() {
            match root {
                None => qualified.iter_mut().for_each(|q| *q = Some(t)),
                Some(id) => qualified
                    .iter_mut()
                    .zip(&chunk.holds[*id])
                    .filter(|(_, h)| **h)
                    .for_each(|(q, _)| *q = Some(t)),
            }
        }
        let name = |t: Option<usize>| t.map(|t| compiled.tiers[t].name.as_str());
        let grace = self.spec.grace_periods;
        let mut out = TierTable {
            tier: Vec::with_capacity(n),
            qualified_tier: Vec::with_capacity(n),
            change: Vec::with_capacity(n),
            failures: Vec::with_capacity(n),
            probation_remaining: Vec::with_capacity(n),
            gap_offsets: Vec::with_capacity(n + 1),
            // (reserved, not touched: a guess that spares most regrowth copies)
            gaps: Vec::with_capacity(2 * n),
            errors: Vec::new(),
        };
        out.gap_offsets.push(0);
        errors.sort_by_key(|(row, _)| *row);
        let mut failed = vec![false; n];
        for (row, _) in &errors {
            failed[*row] = true;
        }
        // the last previous tier looked up, for runs of equal names
        let mut last: Option<(&str, Option<usize>)> = None;
        for (i, &q) in qualified.iter().enumerate() {
            let prev = previous.and_then(|p| p[i]);
            let transition = match prev {
                _ if failed[i] => None,
                None => Some((q, Change::New, 0, None)),
                Some(prev) => {
                    let p = match (prev.tier, last) {
                        (None, _) => Ok(None),
                        (Some(t), Some((l, pos))) if l == t => Ok(pos),
                        (Some(t), _) => self.position(Some(t), "previous.tier").inspect(|pos| {
                            last = Some((t, *pos));
                        }),
                    };
                    match p {
                        Err(e) => {
                            errors.push((i, e));
                            None
                        }
                        Ok(p) => Some(super::transition(q, p, prev.failures, grace)),
                    }
                }
            };
            match transition {
                None => {
                    out.tier.push(None);
                    out.qualified_tier.push(None);
                    out.change.push(Change::New);
                    out.failures.push(0);
                    out.probation_remaining.push(None);
                }
                Some((tier, change, failures, remaining)) => {
                    out.tier.push(name(tier));
                    out.qualified_tier.push(name(q));
                    out.change.push(change);
                    out.failures.push(failures);
                    out.probation_remaining.push(remaining);
                    let next = tier.map_or(0, |t| t + 1);
                    if let Some(Some(root)) = roots.get(next) {
                        chunk.gaps(*root, i, &compiled.metrics, &mut out.gaps);
                    }
                }
            }
            out.gap_offsets.push(out.gaps.len());
        }
        errors.sort_by_key(|(row, _)| *row);
        out.errors = errors;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_masks_are_exact_at_any_threshold_scale() {
        // values 0.5, 1, 1.5 at scale 1; thresholds finer and coarser than the column
        let v = [5, 10, 15, MISSING];
        let t = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            leaf_mask(&v, 1, Op::Gte, t("1.00")).unwrap(),
            [false, true, true, false]
        );
        assert_eq!(
            leaf_mask(&v, 1, Op::Gte, t("0.99")).unwrap(),
            [false, true, true, false]
        );
        assert_eq!(
            leaf_mask(&v, 1, Op::Gt, t("0.99")).unwrap(),
            [false, true, true, false]
        );
        assert_eq!(
            leaf_mask(&v, 1, Op::Lt, t("1.01")).unwrap(),
            [true, true, false, false]
        );
        assert_eq!(
            leaf_mask(&v, 1, Op::Lte, t("0.5")).unwrap(),
            [true, false, false, false]
        );
        assert_eq!(leaf_mask(&v, 1, Op::Eq, t("1.05")).unwrap(), [false; 4]);
        assert_eq!(
            leaf_mask(&v, 1, Op::Ne, t("1.05")).unwrap(),
            [true, true, true, false]
        );
        assert_eq!(
            leaf_mask(&v, 1, Op::Eq, t("1.50")).unwrap(),
            [false, false, true, false]
        );
        let huge = t("79228162514264337593543950335");
        assert_eq!(leaf_mask(&v, 1, Op::Lt, huge).unwrap(), [true, true, true, false]);
        assert_eq!(
            leaf_mask(&v, 1, Op::Gt, -huge).unwrap(),
            [true, true, true, false]
        );
        assert_eq!(leaf_mask(&v, 1, Op::Gte, huge).unwrap(), [false; 4]);
        assert_eq!(leaf_mask(&v, 1, Op::Lte, -huge).unwrap(), [false; 4]);
    }

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
}
