//! A row's gaps to its next tier, read off the masks: the unmet units of the tier's
//! requirement tree in document order, skipping every subtree that holds (as the row evaluator
//! does). A gap's values are computed when the sink asks for them, as exact decimals or
//! straight from the scaled integers as floats.

use super::MetricColumn;
use super::masks::Chunk;
use super::prepare::{MISSING, Prepared, normalized, pow10};
use crate::domain::f64_from_decimal;
use crate::tiers::compile::Node;
use crate::tiers::model::Op;
use rust_decimal::Decimal;

impl Chunk<'_, '_> {
    /// Hands the nodes of row `i`'s unmet units under the tree of tier `tier` (if it has
    /// requirements) to `out`, in document order.
    pub(super) fn gap_nodes(&self, tier: usize, i: usize, out: &mut impl FnMut(usize)) {
        let plan = self.plan;
        let Some(root) = plan.roots[tier] else {
            return;
        };
        let (mut k, end) = (root, plan.end[root]);
        while k < end {
            if self.holds[k][i] {
                k = plan.end[k];
                continue;
            }
            if plan.unit_of[k].is_some() {
                out(k);
            }
            k += 1;
        }
    }
}

/// An unmet requirement of the row a [`TableSink`](super::TableSink) just received: which
/// unit, and its values — computed when asked for, as exact decimals (what
/// [`TierProgram::evaluate_values`](crate::tiers::TierProgram::evaluate_values) writes) or as
/// the nearest floats of those decimals (for columnar outputs, without building decimals).
#[derive(Clone, Copy)]
pub struct GapRef<'a> {
    chunk: &'a Chunk<'a, 'a>,
    id: usize,
    unit: u32,
    row: usize,
}

impl std::fmt::Debug for GapRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GapRef")
            .field("unit", &self.unit)
            .field("actual", &self.actual())
            .field("short_by", &self.short_by())
            .finish()
    }
}

/// 2^52: integers below it, and their quotients by a power of ten, are exact or correctly
/// rounded as floats.
pub(super) const EXACT: u64 = 1 << 52;

/// `10^k` as an exact `f64` (`k` ≤ 22).
pub(super) const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// `m × 10^-scale` as the nearest float, when one division of exact operands gives it.
#[inline]
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // |m| < 2^52: exact
fn scaled_f64(m: i128, scale: u32) -> Option<f64> {
    if m.unsigned_abs() >= u128::from(EXACT) {
        return None;
    }
    // (through i64: an i128 conversion is a library call)
    let m = (m as i64) as f64;
    match scale {
        0 => Some(m),
        s => POW10.get(s as usize).map(|p| m / p),
    }
}

impl<'a> GapRef<'a> {
    /// Row `row`'s gap at unit node `id`.
    pub(super) fn new(chunk: &'a Chunk<'a, 'a>, id: usize, row: usize) -> Self {
        Self {
            chunk,
            id,
            unit: chunk.plan.unit_of[id].unwrap_or(u32::MAX),
            row,
        }
    }

    /// The requirement (an index into [`TierTable::units`](super::TierTable::units) and
    /// [`TierProgram::gap_units`](crate::tiers::TierProgram::gap_units)).
    #[inline]
    pub fn unit(&self) -> u32 {
        self.unit
    }

    /// The gap with its values as exact decimals.
    pub fn to_gap(&self) -> super::TableGap {
        super::TableGap {
            unit: self.unit,
            actual: self.actual(),
            short_by: self.short_by(),
        }
    }

    /// The partner's value (the points total for points); `None` when the metric is missing.
    pub fn actual(&self) -> Option<Decimal> {
        let c = self.chunk;
        match c.plan.nodes[self.id] {
            Node::Leaf { metric, .. } => c.cols[*metric].get(self.row),
            Node::Points { terms, .. } => Some(c.sum_of(self.id, terms, self.row)),
            _ => None,
        }
    }

    /// How far from the threshold (as [`Gap::short_by`](crate::tiers::Gap::short_by)).
    pub fn short_by(&self) -> Option<Decimal> {
        let c = self.chunk;
        match c.plan.nodes[self.id] {
            Node::Leaf { op, value, .. } => {
                // (beyond a decimal, the decimal difference saturates)
                if let Some(d) = self.scaled_short_by().and_then(|(d, s)| normalized(d, s)) {
                    return Some(d);
                }
                self.actual().and_then(|a| match op {
                    Op::Gte | Op::Gt => Some(value.saturating_sub(a).normalize()),
                    Op::Lte | Op::Lt => Some(a.saturating_sub(*value).normalize()),
                    Op::Eq | Op::Ne => None,
                })
            }
            Node::Points { min, .. } => self.actual().map(|sum| min.saturating_sub(sum).normalize()),
            _ => None,
        }
    }

    /// `(actual_f64(), short_by_f64())` in one go: the common case (a float column compared
    /// with a threshold exact at its scale) without the general dispatch.
    ///
    /// ```
    /// use prm_core::Error;
    /// use prm_core::tiers::{GapRef, MetricColumn, RowStatus, TableSink, TierProgram};
    /// struct Floats(Vec<(Option<f64>, Option<f64>)>);
    /// impl TableSink for Floats {
    ///     fn row(&mut self, _: Option<RowStatus>) {}
    ///     fn gap(&mut self, g: GapRef<'_>) { self.0.push(g.floats()) }
    ///     fn errors(&mut self, _: Vec<(usize, Error)>) {}
    /// }
    /// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
    ///   {"name": "gold", "requirements": {"metric": "csat", "op": "gte", "value": "4.5"}}]}"#)?;
    /// let csat = [4.2, 4.8, f64::NAN];
    /// let parts = program.evaluate_table_with(3, &[MetricColumn::Floats(&csat)], None, 1, |_| Floats(vec![]))?;
    /// assert_eq!(parts[0].1.0, [(Some(4.2), Some(0.3)), (None, None)]); // (0.3: 4.5 − 4.2, exactly)
    /// # Ok::<(), Error>(())
    /// ```
    #[inline]
    pub fn floats(&self) -> (Option<f64>, Option<f64>) {
        let c = self.chunk;
        if let Node::Leaf { metric, op, .. } = c.plan.nodes[self.id]
            && let Prepared::Scaled {
                v,
                scale,
                source: MetricColumn::Floats(f),
            } = &c.cols[*metric]
            && let Some(t) = c.thresholds[self.id]
            && c.cols[*metric].float_on_fast_path(self.row)
        {
            // (+ 0.0: a decimal has no negative zero)
            let actual = Some(f[self.row] + 0.0);
            let x = i128::from(v[self.row]);
            let diff = match op {
                Op::Gte | Op::Gt => t - x,
                Op::Lte | Op::Lt => x - t,
                Op::Eq | Op::Ne => return (actual, None),
            };
            if let Some(short_by) = scaled_f64(diff, *scale) {
                return (actual, Some(short_by));
            }
        }
        (self.actual_f64(), self.short_by_f64())
    }

    /// [`actual`](Self::actual) as the nearest float.
    #[allow(clippy::cast_precision_loss)] // an i64 to its nearest float
    #[inline]
    pub fn actual_f64(&self) -> Option<f64> {
        let c = self.chunk;
        if let Node::Leaf { metric, .. } = c.plan.nodes[self.id]
            && let Prepared::Scaled { v, source, .. } = &c.cols[*metric]
        {
            let x = v[self.row];
            match source {
                // a float read on the fast path is its shortest form, which reads back as it
                MetricColumn::Floats(f) if c.cols[*metric].float_on_fast_path(self.row) => {
                    // (+ 0.0: a decimal has no negative zero)
                    return Some(f[self.row] + 0.0);
                }
                MetricColumn::Ints(_) if x != MISSING => return Some(x as f64),
                _ if x == MISSING => return None,
                _ => {}
            }
        }
        if let Node::Points { .. } = c.plan.nodes[self.id]
            && let Some(f) = c
                .sum_scaled(self.id, self.row)
                .and_then(|(s, q)| scaled_f64(s.into(), q))
        {
            return Some(f);
        }
        self.actual().map(f64_from_decimal)
    }

    /// [`short_by`](Self::short_by) as the nearest float.
    #[inline]
    pub fn short_by_f64(&self) -> Option<f64> {
        if let Some(f) = self.scaled_short_by().and_then(|(d, s)| scaled_f64(d, s)) {
            return Some(f);
        }
        let c = self.chunk;
        if let Node::Points { min, .. } = c.plan.nodes[self.id]
            && let Some((s, q)) = c.sum_scaled(self.id, self.row)
            && let Some(m) = q
                .checked_sub(min.scale())
                .and_then(pow10)
                .and_then(|k| min.mantissa().checked_mul(k))
            && let Some(f) = scaled_f64(m - i128::from(s), q)
        {
            return Some(f);
        }
        self.short_by().map(f64_from_decimal)
    }

    /// A leaf's shortfall on the integers (`(value, scale)`), when its threshold is exact at
    /// its column's scale and the value is present.
    #[inline]
    fn scaled_short_by(&self) -> Option<(i128, u32)> {
        let c = self.chunk;
        let Node::Leaf { metric, op, .. } = c.plan.nodes[self.id] else {
            return None;
        };
        let (Prepared::Scaled { v, scale, .. }, Some(t)) = (&c.cols[*metric], c.thresholds[self.id]) else {
            return None;
        };
        let x = v[self.row];
        if x == MISSING {
            return None;
        }
        let x = i128::from(x);
        match op {
            Op::Gte | Op::Gt => Some((t - x, *scale)),
            Op::Lte | Op::Lt => Some((x - t, *scale)),
            Op::Eq | Op::Ne => None,
        }
    }
}
