//! A block of evaluated rows as a sink receives it ([`TableBlock`]): the rows' statuses and
//! their gaps as one flat list. The gaps of all the block's rows are found together — per node
//! of each tier's tree, a mask of the rows that reach it and where it does not hold, then a bit
//! per unmet unit and row — instead of a walk of the tree per row, whose branches follow the
//! data and mostly mispredict.

use super::RowStatus;
use super::gaps::{EXACT, GapRef, POW10};
use super::masks::Chunk;
use super::prepare::Prepared;
use crate::tiers::compile::Node;
use crate::tiers::model::Op;

/// The gaps of a block's rows, row by row in document order; reused from block to block of a
/// chunk.
#[derive(Default)]
pub(super) struct BlockGaps {
    /// Row `i`'s gaps are the block's gaps `offsets[i]..offsets[i + 1]` (one more than there
    /// are rows).
    offsets: Vec<u32>,
    /// Each row's next tier (`NONE`: none to reach).
    next: Vec<u16>,
    /// Per row: a bit per unit of its next tier's tree (`Plan::tree_units`) that is a gap.
    bits: Vec<Bits>,
    /// Instead of `bits` when a tree has more than `Bits::BITS` units: the gaps' nodes, row by row.
    nodes: Vec<u32>,
    /// Per node: the rows that reach it and where it does not hold.
    unmet: Vec<Vec<bool>>,
}

/// A row's gaps as a bit per unit of its next tier's tree: 32 bits (a tier with more
/// requirements is walked row by row) keep the loops over rows four values wide.
type Bits = u32;

/// No next tier (a program has at most `MAX_TIERS`, 1,000, tiers).
const NONE: u16 = u16::MAX;

// (a block holds at most `BLOCK` rows and a program at most a few thousand nodes: both fit)
#[allow(clippy::cast_possible_truncation)]
fn small(x: usize) -> u32 {
    x as u32
}

impl BlockGaps {
    /// Finds the gaps of rows whose statuses are `statuses` (a failed row has none, nor has a
    /// row at the top tier).
    #[allow(clippy::needless_bitwise_bool)] // branch-free, so the loops vectorise
    pub(super) fn fill(&mut self, chunk: &Chunk<'_, '_>, statuses: &[Option<RowStatus>]) {
        let plan = chunk.plan;
        let n = statuses.len();
        let BlockGaps {
            offsets,
            next,
            bits,
            nodes,
            unmet,
        } = self;
        next.clear();
        next.extend(
            statuses
                .iter()
                .map(|s| s.map_or(NONE, |s| s.tier.map_or(0, |t| t.saturating_add(1)))),
        );
        offsets.clear();
        offsets.push(0);
        bits.clear();
        nodes.clear();
        if plan.tree_units.iter().any(|u| u.len() > Bits::BITS as usize) {
            // (a tree too large for a bit per unit: walked row by row)
            for (i, &t) in next.iter().enumerate() {
                let t = usize::from(t);
                if t < plan.roots.len() {
                    chunk.gap_nodes(t, i, &mut |k| nodes.push(small(k)));
                }
                offsets.push(small(nodes.len()));
            }
            return;
        }
        unmet.resize_with(plan.nodes.len(), Vec::new);
        bits.resize(n, 0);
        for (t, root) in plan.roots.iter().enumerate() {
            let Some(root) = *root else { continue };
            let t = u16::try_from(t).unwrap_or(NONE);
            let mut bit = 0;
            for k in root..plan.end[root] {
                let holds = &chunk.holds[k];
                // a node is reached when its parent is and does not hold; a unit (a leaf or a
                // points node: no children) is a gap where it is reached and does not hold
                if plan.unit_of[k].is_some() {
                    let rows = bits.iter_mut().zip(holds);
                    match plan.parent[k] {
                        None => rows
                            .zip(next.iter())
                            .for_each(|((b, &h), &x)| *b |= Bits::from((x == t) & !h) << bit),
                        Some(p) => rows
                            .zip(&unmet[p])
                            .for_each(|((b, &h), &r)| *b |= Bits::from(r & !h) << bit),
                    }
                    bit += 1;
                    continue;
                }
                let (before, rest) = unmet.split_at_mut(k);
                let g = &mut rest[0];
                g.clear();
                match plan.parent[k] {
                    None => g.extend(next.iter().zip(holds).map(|(&x, &h)| (x == t) & !h)),
                    Some(p) => g.extend(before[p].iter().zip(holds).map(|(&r, &h)| r & !h)),
                }
            }
        }
        let mut total = 0;
        offsets.extend(bits.iter().map(|b| {
            total += b.count_ones();
            total
        }));
    }
}

/// Every gap of a block as `(row, node)`, read off the rows' bits.
struct BitGaps<'g> {
    bits: &'g [Bits],
    next: &'g [u16],
    trees: &'g [Vec<usize>],
    /// The next row to read.
    row: usize,
    /// The current row's bits not yet read, and its next tier's units.
    left: Bits,
    tree: &'g [usize],
}

impl Iterator for BitGaps<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        while self.left == 0 {
            let &b = self.bits.get(self.row)?;
            self.row += 1;
            if b != 0 {
                self.left = b;
                self.tree = &self.trees[usize::from(self.next[self.row - 1])];
            }
        }
        let k = self.tree[self.left.trailing_zeros() as usize];
        self.left &= self.left - 1;
        Some((self.row - 1, k))
    }
}

/// Row `row`'s gaps (see [`TableBlock::gaps`]).
pub struct RowGaps<'a> {
    chunk: &'a Chunk<'a, 'a>,
    row: usize,
    /// The next tier's units and the row's bits over them.
    units: &'a [usize],
    bits: Bits,
    /// Or the row's nodes.
    nodes: std::slice::Iter<'a, u32>,
}

impl<'a> Iterator for RowGaps<'a> {
    type Item = GapRef<'a>;

    fn next(&mut self) -> Option<GapRef<'a>> {
        let k = if self.bits != 0 {
            let k = self.units[self.bits.trailing_zeros() as usize];
            self.bits &= self.bits - 1;
            k
        } else {
            *self.nodes.next()? as usize
        };
        Some(GapRef::new(self.chunk, k, self.row))
    }
}

/// Consecutive evaluated rows of a chunk, as [`TableSink::block`](super::TableSink::block)
/// receives them: their statuses, and their gaps as one list in row order (document order
/// within a row), to write in bulk.
///
/// ```
/// use prm_core::Error;
/// use prm_core::tiers::{GapRef, MetricColumn, RowStatus, TableBlock, TableSink, TierProgram};
/// // gap columns written a block at a time
/// #[derive(Default)]
/// struct Gaps { offsets: Vec<usize>, units: Vec<u32>, short_by: Vec<f64> }
/// impl TableSink for Gaps {
///     fn row(&mut self, _: Option<RowStatus>) {}
///     fn gap(&mut self, _: GapRef<'_>) {}
///     fn errors(&mut self, _: Vec<(usize, Error)>) {}
///     fn block(&mut self, block: &TableBlock<'_>) {
///         let (from, n) = (self.units.len(), block.gap_count());
///         self.offsets.extend(block.gap_offsets()[..block.len()].iter().map(|&o| from + o as usize));
///         self.units.resize(from + n, 0);
///         self.short_by.resize(from + n, 0.0);
///         let mut actual = vec![0.0; n];
///         block.gap_floats(&mut self.units[from..], &mut actual, &mut self.short_by[from..]);
///     }
/// }
/// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
///   {"name": "gold", "requirements": {"all": [{"metric": "revenue", "op": "gte", "value": 100000},
///                                             {"metric": "csat", "op": "gte", "value": "4.5"}]}}]}"#)?;
/// let (revenue, csat) = ([150_000.0, 90_000.0, 99_999.5], [4.7, 4.1, 4.6]);
/// let cols = [MetricColumn::Floats(&revenue), MetricColumn::Floats(&csat)];
/// let parts = program.evaluate_table_with(3, &cols, None, 1, |_| Gaps::default())?;
/// let g = &parts[0].1;
/// assert_eq!(g.offsets, [0, 0, 2]); // row 0 is gold; row 1 misses both; row 2 revenue only
/// assert_eq!(g.units, [0, 1, 0]); // units: revenue, csat
/// assert_eq!(g.short_by, [10_000.0, 0.4, 0.5]); // (0.4: 4.5 − 4.1, exactly)
/// # Ok::<(), Error>(())
/// ```
pub struct TableBlock<'a> {
    chunk: &'a Chunk<'a, 'a>,
    statuses: &'a [Option<RowStatus>],
    gaps: &'a BlockGaps,
}

/// How a gap's floats are read for one node, when they can be without decimals: a leaf on a
/// column of scaled integers whose threshold is exact at the column's scale, or a points
/// requirement summed on integers. Its value `x` (`MISSING`/`OVER`: the general way) gives
/// `actual = x / 10^scale` and `short_by = sign × (t − x) / 10^scale`, each one division of
/// integers below 2^52 by an exact power of ten: the nearest floats of the exact decimals.
#[derive(Clone, Copy)]
struct Fast<'a> {
    ints: &'a [i64],
    /// The threshold (the minimum for points) at the values' scale, below 2^52.
    t: i64,
    /// 1 for a lower bound (`t − x`), −1 for an upper one (`x − t`).
    sign: i64,
    /// `10^scale`.
    p: f64,
}

impl<'a> TableBlock<'a> {
    pub(super) fn new(
        chunk: &'a Chunk<'a, 'a>,
        statuses: &'a [Option<RowStatus>],
        gaps: &'a BlockGaps,
    ) -> Self {
        Self {
            chunk,
            statuses,
            gaps,
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.statuses.len()
    }

    /// Whether the block has no rows.
    pub fn is_empty(&self) -> bool {
        self.statuses.is_empty()
    }

    /// Each row's status (`None`: it could not be evaluated; its errors come at the end).
    pub fn statuses(&self) -> &'a [Option<RowStatus>] {
        self.statuses
    }

    /// Row `i`'s gaps are the block's gaps `gap_offsets()[i]..gap_offsets()[i + 1]` (one
    /// more entry than there are rows, the first 0).
    pub fn gap_offsets(&self) -> &'a [u32] {
        &self.gaps.offsets
    }

    /// The number of gaps of all the block's rows.
    pub fn gap_count(&self) -> usize {
        self.gaps.offsets.last().map_or(0, |&n| n as usize)
    }

    /// Row `i`'s gaps: the unmet requirements of its next tier, in document order.
    pub fn gaps(&self, i: usize) -> RowGaps<'a> {
        let g = self.gaps;
        let (bits, units) = match g.bits.get(i) {
            Some(&b) if b != 0 => (b, self.chunk.plan.tree_units[usize::from(g.next[i])].as_slice()),
            _ => (0, &[][..]),
        };
        let nodes = if g.nodes.is_empty() {
            &[]
        } else {
            &g.nodes[g.offsets[i] as usize..g.offsets[i + 1] as usize]
        };
        RowGaps {
            chunk: self.chunk,
            row: i,
            units,
            bits,
            nodes: nodes.iter(),
        }
    }

    /// Every gap of the block at once, in order: its unit (as [`GapRef::unit`]) and its values
    /// as [`GapRef::floats`] gives them, `NaN` for `None`. Each slice holds
    /// [`gap_count`](Self::gap_count) values.
    ///
    /// # Panics
    /// When a slice's length is not `gap_count()`.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // below 2^52: exact
    pub fn gap_floats(&self, units: &mut [u32], actual: &mut [f64], short_by: &mut [f64]) {
        let c = self.chunk;
        let n = self.gap_count();
        assert!(
            units.len() == n && actual.len() == n && short_by.len() == n,
            "gap_floats wants {n} values per slice"
        );
        let g = self.gaps;
        if g.bits.is_empty() {
            let gaps = (0..self.len()).flat_map(|row| {
                let nodes = &g.nodes[g.offsets[row] as usize..g.offsets[row + 1] as usize];
                nodes.iter().map(move |&k| (row, k as usize))
            });
            self.write_floats(gaps, units, actual, short_by);
            return;
        }
        let gaps = BitGaps {
            bits: &g.bits,
            next: &g.next,
            trees: &c.plan.tree_units,
            row: 0,
            left: 0,
            tree: &[],
        };
        self.write_floats(gaps, units, actual, short_by);
    }

    /// Writes the floats of `gaps` (`(row, node)`, in order) into the slices.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // below 2^52: exact
    fn write_floats(
        &self,
        gaps: impl Iterator<Item = (usize, usize)>,
        units: &mut [u32],
        actual: &mut [f64],
        short_by: &mut [f64],
    ) {
        let c = self.chunk;
        let fast: Vec<Option<Fast<'_>>> = (0..c.plan.nodes.len()).map(|k| self.fast(k)).collect();
        let unit_of: Vec<u32> = c.plan.unit_of.iter().map(|u| u.unwrap_or(u32::MAX)).collect();
        let out = units.iter_mut().zip(actual.iter_mut().zip(short_by.iter_mut()));
        for ((row, k), (unit, (actual, short_by))) in gaps.zip(out) {
            *unit = unit_of[k];
            if let Some(Fast { ints, t, sign, p }) = fast[k] {
                let x = ints[row];
                let d = t.wrapping_sub(x).wrapping_mul(sign);
                // (`MISSING`/`OVER` is i64::MIN: beyond 2^52)
                if x.unsigned_abs() < EXACT && d.unsigned_abs() < EXACT {
                    // (whole numbers, the common case, need no division)
                    (*actual, *short_by) = if p == 1.0 {
                        (x as f64, d as f64)
                    } else {
                        (x as f64 / p, d as f64 / p)
                    };
                    continue;
                }
            }
            (*actual, *short_by) = self.general_floats(k, row);
        }
    }

    /// A gap's floats through [`GapRef::floats`] (`NaN` for `None`).
    #[cold]
    #[inline(never)]
    fn general_floats(&self, k: usize, row: usize) -> (f64, f64) {
        let (a, s) = GapRef::new(self.chunk, k, row).floats();
        (a.unwrap_or(f64::NAN), s.unwrap_or(f64::NAN))
    }

    /// How node `k`'s gaps read their floats in this block.
    fn fast(&self, k: usize) -> Option<Fast<'a>> {
        let c = self.chunk;
        let small = |t: i128| i64::try_from(t).ok().filter(|t| t.unsigned_abs() < EXACT);
        match c.plan.nodes[k] {
            Node::Leaf { metric, op, .. } => {
                let Prepared::Scaled { v, scale, .. } = &c.cols[*metric] else {
                    return None;
                };
                let sign = match op {
                    Op::Gte | Op::Gt => 1,
                    Op::Lte | Op::Lt => -1,
                    Op::Eq | Op::Ne => return None,
                };
                Some(Fast {
                    ints: v,
                    t: c.thresholds[k].and_then(small)?,
                    sign,
                    p: *POW10.get(*scale as usize)?,
                })
            }
            Node::Points { min, .. } => {
                let (sums, q) = c.sums_of(k)?;
                let min = q
                    .checked_sub(min.scale())
                    .and_then(super::prepare::pow10)
                    .and_then(|p| min.mantissa().checked_mul(p));
                Some(Fast {
                    ints: sums,
                    t: min.and_then(small)?,
                    sign: 1,
                    p: *POW10.get(q as usize)?,
                })
            }
            _ => None,
        }
    }
}
