//! Every requirement of the program as a mask over the rows of a chunk: leaves by integer
//! comparison, `all`/`any`/`at_least` by combining their children's masks, points on integers.

use super::GapUnit;
use super::prepare::{MISSING, Prepared, pow10};
use crate::tiers::compile::{Compiled, Node, Term};
use crate::tiers::eval::points_total;
use crate::tiers::model::Op;
use rust_decimal::Decimal;

/// A points total that does not fit: the row is summed as decimals instead.
pub(super) const OVER: i64 = i64::MIN;

/// The program's requirements flattened in pre-order (a node's subtree is the ids
/// `id..end[id]`, children after their parent, in document order); shared by every chunk.
pub(super) struct Plan<'c> {
    pub(super) nodes: Vec<&'c Node>,
    pub(super) children: Vec<Vec<usize>>,
    /// One past the last node of each node's subtree.
    pub(super) end: Vec<usize>,
    /// The unit (see [`GapUnit`]) a leaf or points node is, by node.
    pub(super) unit_of: Vec<Option<u32>>,
    /// Each tier's root node (`None`: no requirements).
    pub(super) roots: Vec<Option<usize>>,
    pub(super) units: Vec<GapUnit<'c>>,
    /// Each node's parent (`None` for a root).
    pub(super) parent: Vec<Option<usize>>,
    /// Per tier: the nodes of its tree that are units, in document order (a row's gaps are a
    /// subset of its next tier's, so a bit per entry describes them when there are few enough).
    pub(super) tree_units: Vec<Vec<usize>>,
}

impl<'c> Plan<'c> {
    pub(super) fn new(compiled: &'c Compiled) -> Self {
        let mut plan = Plan {
            nodes: Vec::new(),
            children: Vec::new(),
            end: Vec::new(),
            unit_of: Vec::new(),
            roots: Vec::new(),
            units: Vec::new(),
            parent: Vec::new(),
            tree_units: Vec::new(),
        };
        for t in &compiled.tiers {
            let first = plan.nodes.len();
            let root = t
                .requirements
                .as_ref()
                .map(|r| plan.add(r, None, &compiled.metrics));
            plan.roots.push(root);
            let units = (first..plan.nodes.len()).filter(|&k| plan.unit_of[k].is_some());
            plan.tree_units.push(units.collect());
        }
        plan
    }

    fn add(&mut self, node: &'c Node, parent: Option<usize>, metrics: &'c [String]) -> usize {
        let id = self.nodes.len();
        self.nodes.push(node);
        self.parent.push(parent);
        self.children.push(Vec::new());
        self.end.push(id + 1);
        let unit = match node {
            Node::Leaf { metric, op, value } => Some(GapUnit {
                metric: &metrics[*metric],
                op: *op,
                required: *value,
            }),
            Node::Points { min, .. } => Some(GapUnit {
                metric: "points",
                op: Op::Gte,
                required: *min,
            }),
            _ => None,
        };
        self.unit_of.push(unit.map(|u| {
            self.units.push(u);
            u32::try_from(self.units.len() - 1).unwrap_or(u32::MAX)
        }));
        if let Node::All(c) | Node::Any(c) | Node::AtLeast(_, c) = node {
            let kids = c.iter().map(|k| self.add(k, Some(id), metrics)).collect();
            self.children[id] = kids;
            self.end[id] = self.nodes.len();
        }
        id
    }
}

/// `x OP t` for every row of a scaled column: the threshold is brought to the column's scale,
/// rounded the way that keeps the comparison exact on integers.
#[allow(clippy::needless_bitwise_bool)] // branch-free, so the loops vectorise
pub(super) fn leaf_mask(v: &[i64], scale: u32, op: Op, t: Decimal) -> Option<Vec<bool>> {
    let (tm, ts) = (t.mantissa(), t.scale());
    // floor(t × 10^scale) and whether that is exact
    let (floor, exact) = if ts <= scale {
        (tm.checked_mul(pow10(scale - ts)?)?, true)
    } else {
        let p = pow10(ts - scale)?;
        (tm.div_euclid(p), tm.rem_euclid(p) == 0)
    };
    let ceil = if exact { floor } else { floor.checked_add(1)? };
    // thresholds beyond the i64 range: every present value is on one side; `lo` is above
    // `MISSING`, so `x >= lo` holds for no missing value
    let clamp = |x: i128| i64::try_from(x).unwrap_or(if x < 0 { MISSING } else { i64::MAX });
    let (lo, hi) = (clamp(ceil).max(MISSING + 1), clamp(floor));
    let big = |x: i128| i64::try_from(x).is_err();
    Some(match op {
        Op::Gte if big(ceil) && ceil > 0 => vec![false; v.len()],
        Op::Gte => v.iter().map(|&x| x >= lo).collect(),
        Op::Gt if big(floor) && floor > 0 => vec![false; v.len()],
        Op::Gt => v.iter().map(|&x| x > hi).collect(),
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

/// One chunk of rows, evaluated.
pub(super) struct Chunk<'a, 'c> {
    pub(super) plan: &'c Plan<'c>,
    pub(super) cols: Vec<Prepared<'a>>,
    /// Per node: does it hold, per row.
    pub(super) holds: Vec<Vec<bool>>,
    /// Per leaf: its threshold at its column's scale, when exact there.
    pub(super) thresholds: Vec<Option<i128>>,
    /// Per points node: the totals per row on integers at a scale (`OVER` where they are
    /// computed from decimals instead).
    sums: Vec<(Vec<i64>, u32)>,
}

impl<'a, 'c> Chunk<'a, 'c> {
    /// Every node's mask over `n` rows.
    pub(super) fn new(plan: &'c Plan<'c>, cols: Vec<Prepared<'a>>, n: usize) -> Self {
        let count = plan.nodes.len();
        let mut chunk = Chunk {
            plan,
            cols,
            holds: vec![Vec::new(); count],
            thresholds: vec![None; count],
            sums: vec![(Vec::new(), 0); count],
        };
        for id in (0..count).rev() {
            chunk.evaluate(id, n);
        }
        chunk
    }

    pub(super) fn row(&self, i: usize) -> Vec<Option<Decimal>> {
        self.cols.iter().map(|c| c.get(i)).collect()
    }

    /// Fills `holds` (and `sums`) for node `id` from its children's masks.
    fn evaluate(&mut self, id: usize, n: usize) {
        let kids = &self.plan.children[id];
        let mask = match self.plan.nodes[id] {
            Node::Leaf { metric, op, value } => {
                if let Prepared::Scaled { scale, .. } = &self.cols[*metric] {
                    self.thresholds[id] = scale
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
                let mut count = vec![0u32; n];
                for &k in kids {
                    count
                        .iter_mut()
                        .zip(&self.holds[k])
                        .for_each(|(c, &b)| *c += u32::from(b));
                }
                let need = u32::try_from(*need).unwrap_or(u32::MAX);
                count.into_iter().map(|c| c >= need).collect()
            }
            Node::Points { terms, min } => {
                let (sums, q) = self.points_fast(terms, *min, n).unwrap_or((vec![OVER; n], 0));
                let min_q = pow10(q.saturating_sub(min.scale()))
                    .and_then(|k| min.mantissa().checked_mul(k))
                    .and_then(|m| i64::try_from(m).ok())
                    .filter(|&m| m != OVER);
                let mut mask: Vec<bool> = match min_q {
                    Some(m) => sums.iter().map(|&s| s >= m).collect(),
                    None => vec![false; n],
                };
                for (i, &s) in sums.iter().enumerate() {
                    if s == OVER || min_q.is_none() {
                        mask[i] = points_total(terms, &self.row(i)) >= *min;
                    }
                }
                self.sums[id] = (sums, q);
                mask
            }
        };
        self.holds[id] = mask;
    }

    /// Every row's points total on 64-bit integers at one scale `q` (that of the finest of the
    /// terms' points and caps and the minimum), `OVER` for a row that would overflow; `None`
    /// overall when a term cannot be put on such integers. Those rows are summed as decimals.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // guarded below 2^53
    fn points_fast(&self, terms: &[Term], min: Decimal, n: usize) -> Option<(Vec<i64>, u32)> {
        const EXACT: i64 = 1 << 53;
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
        // a bound on |total| while every term so far took the overflow-free loop (`None` once
        // one did not: totals may then hold OVER)
        let mut bound: Option<i128> = Some(0);
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
            // no row can overflow: the loop without checks
            // (a bound within twice the largest magnitude: enough for the proofs below)
            let (largest, negative) = magnitude(v);
            let largest = i128::from(largest);
            let earned_max = Some(largest * i128::from(a_mul))
                .filter(|&a| a < i128::from(EXACT) && b < EXACT)
                .map(|a| (a / i128::from(b) + 1) * i128::from(points.unsigned_abs()))
                .map(|e| e.max(cap.map_or(0, |c| i128::from(c.unsigned_abs()))));
            if let (Some(so_far), Some(e)) = (bound, earned_max)
                && so_far + e < 1 << 62
            {
                bound = Some(so_far + e);
                let cap = cap.unwrap_or(i64::MAX);
                let quotients_small = largest * i128::from(a_mul) / i128::from(b) < 1 << 40;
                if b == 1 {
                    add_points(&mut total, v, a_mul, points, cap, |a| a);
                } else if largest * i128::from(a_mul) < 1 << 32 && b < 1 << 32 && !negative {
                    let m = magic(b.unsigned_abs());
                    add_points(&mut total, v, a_mul, points, cap, |a| {
                        div_magic(a.unsigned_abs(), m) as i64
                    });
                } else if quotients_small && !negative {
                    // a multiplication by the reciprocal is off by at most one below 2^40:
                    // corrected both ways on the integers
                    let inv = 1.0 / bf;
                    add_points(&mut total, v, a_mul, points, cap, |a| {
                        let q = (a as f64 * inv) as i64;
                        let q = q - i64::from(q * b > a);
                        q + i64::from((q + 1) * b <= a)
                    });
                } else {
                    // one division of exact operands below 2^53 never crosses an integer:
                    // truncated, then corrected for negatives
                    add_points(&mut total, v, a_mul, points, cap, |a| {
                        let q = (a as f64 / bf) as i64;
                        q - i64::from(q * b > a)
                    });
                }
                continue;
            }
            bound = None;
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
        Some((total, q))
    }

    /// Row `i`'s points total under node `id` on the integers (`(total, scale)`), when it fits.
    pub(super) fn sum_scaled(&self, id: usize, i: usize) -> Option<(i64, u32)> {
        let (sums, q) = &self.sums[id];
        sums.get(i).copied().filter(|&s| s != OVER).map(|s| (s, *q))
    }

    /// Every row's points total under node `id` on the integers (`OVER` where it does not
    /// fit) and their scale.
    pub(super) fn sums_of(&self, id: usize) -> Option<(&[i64], u32)> {
        let (sums, q) = &self.sums[id];
        (!sums.is_empty()).then_some((sums.as_slice(), *q))
    }

    /// Row `i`'s points total under node `id` as a decimal.
    pub(super) fn sum_of(&self, id: usize, terms: &[Term], i: usize) -> Decimal {
        self.sum_scaled(id, i).map_or_else(
            || points_total(terms, &self.row(i)),
            |(s, q)| Decimal::new(s, q).normalize(),
        )
    }
}

/// A bound on the present values' magnitudes (their bits or-ed: at least the largest, less
/// than twice it) and whether one is negative, in one branch-free pass.
#[allow(clippy::needless_bitwise_bool)] // branch-free, so the loop vectorises
fn magnitude(v: &[i64]) -> (u64, bool) {
    let (mut bits, mut negative) = (0u64, false);
    for &x in v {
        let present = x != MISSING;
        bits |= if present { x.unsigned_abs() } else { 0 };
        negative |= present & (x < 0);
    }
    (bits, negative)
}

/// `ceil(2^64 / b)` for `1 < b < 2^32`: see [`div_magic`].
fn magic(b: u64) -> u128 {
    u128::from(u64::MAX / b + 1)
}

/// `floor(a / b)` for `a < 2^32` as the high half of `a × magic(b)`: one multiplication, no
/// branch, exact for every `a` and `b` below 2^32 (Lemire, Kaser & Kurz, "Faster remainder by
/// direct computation", 2019).
#[inline]
#[allow(clippy::cast_possible_truncation)] // the high half of a 96-bit product
fn div_magic(a: u64, m: u128) -> u64 {
    ((m * u128::from(a)) >> 64) as u64
}

/// `total[i] += min(floor(x_i × a_mul / b) × points, cap)` for every present `x_i`, with
/// `floor` giving `floor(a / b)`; the caller has proven that nothing overflows. Branch-free.
#[inline]
fn add_points(total: &mut [i64], v: &[i64], a_mul: i64, points: i64, cap: i64, floor: impl Fn(i64) -> i64) {
    for (sum, &x) in total.iter_mut().zip(v) {
        let present = -i64::from(x != MISSING);
        let earned = floor((x & present) * a_mul) * points;
        *sum += earned.min(cap) & present;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_magic_numbers_is_exact_below_2_pow_32() {
        let mut seed = 11u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed >> 32
        };
        let mut bs = vec![2, 3, 7, 10, 250_000, (1 << 31) - 1, 1 << 31, u64::from(u32::MAX)];
        bs.extend((0..2_000).map(|_| 2 + next() % (u64::from(u32::MAX) - 1)));
        for b in bs {
            let m = magic(b);
            let mut a_s = vec![
                0,
                1,
                b - 1,
                b,
                b + 1,
                u64::from(u32::MAX) - 1,
                u64::from(u32::MAX),
            ];
            a_s.extend((0..200).map(|_| next()));
            for a in a_s.into_iter().filter(|&a| u32::try_from(a).is_ok()) {
                assert_eq!(div_magic(a, m), a / b, "{a} / {b}");
            }
        }
    }

    #[test]
    fn leaf_masks_are_exact_at_any_threshold_scale() {
        // values 0.5, 1, 1.5 at scale 1; thresholds finer and coarser than the column
        let v = [5, 10, 15, MISSING];
        let t = |s: &str| s.parse::<Decimal>().unwrap();
        let mask = |op, s| leaf_mask(&v, 1, op, t(s)).unwrap();
        assert_eq!(mask(Op::Gte, "1.00"), [false, true, true, false]);
        assert_eq!(mask(Op::Gte, "0.99"), [false, true, true, false]);
        assert_eq!(mask(Op::Gt, "0.99"), [false, true, true, false]);
        assert_eq!(mask(Op::Gt, "-5"), [true, true, true, false]);
        assert_eq!(mask(Op::Gte, "-5"), [true, true, true, false]);
        assert_eq!(mask(Op::Lt, "1.01"), [true, true, false, false]);
        assert_eq!(mask(Op::Lte, "0.5"), [true, false, false, false]);
        assert_eq!(mask(Op::Eq, "1.05"), [false; 4]);
        assert_eq!(mask(Op::Ne, "1.05"), [true, true, true, false]);
        assert_eq!(mask(Op::Eq, "1.50"), [false, false, true, false]);
        let huge = "79228162514264337593543950335";
        assert_eq!(mask(Op::Lt, huge), [true, true, true, false]);
        assert_eq!(
            leaf_mask(&v, 1, Op::Gt, -t(huge)).unwrap(),
            [true, true, true, false]
        );
        assert_eq!(
            leaf_mask(&v, 1, Op::Gte, -t(huge)).unwrap(),
            [true, true, true, false]
        );
        assert_eq!(mask(Op::Gte, huge), [false; 4]);
        assert_eq!(leaf_mask(&v, 1, Op::Lte, -t(huge)).unwrap(), [false; 4]);
        // a threshold at the sentinel itself still keeps missing values out
        let (low, min) = ([MISSING + 1, 0, MISSING], Decimal::from(i64::MIN));
        assert_eq!(leaf_mask(&low, 0, Op::Gte, min).unwrap(), [true, true, false]);
        assert_eq!(leaf_mask(&low, 0, Op::Gt, min).unwrap(), [true, true, false]);
        assert_eq!(leaf_mask(&low, 0, Op::Lte, min).unwrap(), [false; 3]);
        assert_eq!(leaf_mask(&low, 0, Op::Ne, min).unwrap(), [true, true, false]);
    }
}
