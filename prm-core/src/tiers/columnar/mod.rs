//! Columnar evaluation of a whole table of partners ([`TierProgram::evaluate_table`]).
//!
//! Each metric column is read once into integers at one scale per column (a float through its
//! shortest decimal form, as everywhere in prm), every requirement becomes a mask over all rows
//! by integer comparisons, the qualified tier is the highest mask that holds, and the gaps of a
//! block of rows are read off the masks together (a bit per unmet requirement and row). The
//! answers equal [`TierProgram::evaluate_values`] row for row (a
//! property test holds the two to it); a column that does not fit 64-bit integers at one scale,
//! and any points sum that would overflow, falls back to exact decimals for those values.

mod block;
mod gaps;
mod masks;
mod prepare;
mod rows;

use super::model::{Change, Op};
use super::{Previous, TierProgram};
use crate::Error;
pub use block::{RowGaps, TableBlock};
pub use gaps::GapRef;
use masks::Plan;
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

/// A requirement a partner can fall short of: a leaf comparison or a points requirement
/// (what a [`TableGap`] refers to; one per such node of the program, in document order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GapUnit<'p> {
    /// The metric (`"points"` for a points requirement).
    pub metric: &'p str,
    /// The comparison (`gte` for points).
    pub op: Op,
    /// The threshold (the minimum for points).
    pub required: Decimal,
}

/// An unmet requirement of a partner's next tier: a [`Gap`](super::Gap) whose metric, comparison
/// and threshold are those of [`TierTable::units`]`[unit]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableGap {
    /// The requirement, as an index into [`TierTable::units`].
    pub unit: u32,
    /// The partner's value (the points total for points); `None` when the metric is missing.
    pub actual: Option<Decimal>,
    /// How far from the threshold (as [`Gap::short_by`](super::Gap::short_by)).
    pub short_by: Option<Decimal>,
}

/// The statuses of a table of partners, column by column (see
/// [`TierProgram::evaluate_table`]); tiers are positions in the program (lowest first), names
/// and requirements are borrowed from it.
///
/// ```
/// use prm_core::tiers::{MetricColumn, TierProgram};
/// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
///   {"name": "gold", "requirements": {"all": [{"metric": "revenue", "op": "gte", "value": 100000},
///                                             {"metric": "csat", "op": "gte", "value": "4.5"}]}}]}"#)?;
/// let (revenue, csat) = ([Some(150_000), Some(90_000)], [4.7, 4.1]);
/// let t = program.evaluate_table(2, &[MetricColumn::Ints(&revenue), MetricColumn::Floats(&csat)], None, 1)?;
/// assert_eq!((t.len(), t.tier_name(0), t.qualified_tier_name(1)), (2, Some("gold"), Some("base")));
/// assert_eq!(t.tier[0], Some(1)); // the program's second tier
/// assert!(t.gaps_of(0).is_empty()); // gold is the top tier
/// let gaps: Vec<(&str, String)> =
///     t.gaps_of(1).iter().map(|g| (t.unit(g).metric, g.short_by.unwrap().to_string())).collect();
/// assert_eq!(gaps, [("revenue", "10000".to_owned()), ("csat", "0.4".to_owned())]);
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TierTable<'p> {
    /// The program's tier names, lowest first: what `tier` and `qualified_tier` index.
    pub tier_names: Vec<&'p str>,
    /// The tier held, per partner (a position in `tier_names`).
    pub tier: Vec<Option<u16>>,
    /// The highest tier whose requirements hold (a position in `tier_names`).
    pub qualified_tier: Vec<Option<u16>>,
    /// What happened.
    pub change: Vec<Change>,
    /// Consecutive failed evaluations.
    pub failures: Vec<u32>,
    /// Evaluations left before a demotion (`None` unless on probation).
    pub probation_remaining: Vec<Option<u32>>,
    /// The program's requirements a gap can refer to, in document order.
    pub units: Vec<GapUnit<'p>>,
    /// Partner `i`'s gaps are `gaps[gap_offsets[i]..gap_offsets[i + 1]]` (one offset more than
    /// there are partners).
    pub gap_offsets: Vec<usize>,
    /// The unmet requirements of each partner's next tier, in document order.
    pub gaps: Vec<TableGap>,
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

    /// The name of the tier partner `row` holds.
    pub fn tier_name(&self, row: usize) -> Option<&'p str> {
        self.tier[row].map(|t| self.tier_names[usize::from(t)])
    }

    /// The name of the highest tier whose requirements partner `row` meets.
    pub fn qualified_tier_name(&self, row: usize) -> Option<&'p str> {
        self.qualified_tier[row].map(|t| self.tier_names[usize::from(t)])
    }

    /// Partner `row`'s gaps.
    pub fn gaps_of(&self, row: usize) -> &[TableGap] {
        &self.gaps[self.gap_offsets[row]..self.gap_offsets[row + 1]]
    }

    /// The requirement a gap falls short of.
    pub fn unit(&self, gap: &TableGap) -> &GapUnit<'p> {
        &self.units[gap.unit as usize]
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

/// One evaluated row of a table, as a [`TableSink`] receives it (the fields of a
/// [`TierTable`] row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowStatus {
    /// The tier held (a position in the program, lowest first).
    pub tier: Option<u16>,
    /// The highest tier whose requirements hold.
    pub qualified_tier: Option<u16>,
    /// What happened.
    pub change: Change,
    /// Consecutive failed evaluations.
    pub failures: u32,
    /// Evaluations left before a demotion (`None` unless on probation).
    pub probation_remaining: Option<u32>,
}

/// Where [`TierProgram::evaluate_table_with`] writes a chunk of rows, in row order: blocks of
/// consecutive rows ([`block`](Self::block), which by default hands each row to
/// [`row`](Self::row), then that row's gaps to [`gap`](Self::gap)); at the end the chunk's
/// errors. A caller that writes its own output format (Arrow buffers) receives the rows without
/// an intermediate [`TierTable`], and can write a block's columns in bulk.
pub trait TableSink {
    /// The next row: its status, or `None` when it could not be evaluated (its errors come at
    /// the end).
    fn row(&mut self, status: Option<RowStatus>);
    /// An unmet requirement of the last row's next tier (document order).
    fn gap(&mut self, gap: GapRef<'_>);
    /// The rows that could not be evaluated, by row of the chunk, ascending (a row may appear
    /// more than once). Called once, last.
    fn errors(&mut self, errors: Vec<(usize, Error)>);
    /// The next rows at once (at most a few thousand). By default: [`row`](Self::row) for each,
    /// followed by [`gap`](Self::gap) for each of its gaps.
    fn block(&mut self, block: &TableBlock<'_>) {
        for (i, status) in block.statuses().iter().enumerate() {
            self.row(*status);
            for g in block.gaps(i) {
                self.gap(g);
            }
        }
    }
}

impl<'p> TierTable<'p> {
    /// An empty table for the rows of `program` (the sink [`TierProgram::evaluate_table`]
    /// fills), with room for `rows` partners.
    fn for_program(program: &'p TierProgram, rows: usize) -> Self {
        let mut t = TierTable {
            tier_names: program.tier_names(),
            tier: Vec::with_capacity(rows),
            qualified_tier: Vec::with_capacity(rows),
            change: Vec::with_capacity(rows),
            failures: Vec::with_capacity(rows),
            probation_remaining: Vec::with_capacity(rows),
            units: program.gap_units(),
            gap_offsets: Vec::with_capacity(rows + 1),
            gaps: Vec::new(),
            errors: Vec::new(),
        };
        t.gap_offsets.push(0);
        t
    }
}

impl TableSink for TierTable<'_> {
    fn row(&mut self, status: Option<RowStatus>) {
        if self.gap_offsets.len() <= self.tier.len() {
            self.gap_offsets.push(self.gaps.len());
        }
        let s = status.unwrap_or(RowStatus {
            tier: None,
            qualified_tier: None,
            change: Change::New,
            failures: 0,
            probation_remaining: None,
        });
        self.tier.push(s.tier);
        self.qualified_tier.push(s.qualified_tier);
        self.change.push(s.change);
        self.failures.push(s.failures);
        self.probation_remaining.push(s.probation_remaining);
    }

    fn gap(&mut self, gap: GapRef<'_>) {
        self.gaps.push(gap.to_gap());
    }

    fn errors(&mut self, errors: Vec<(usize, Error)>) {
        if self.gap_offsets.len() <= self.tier.len() {
            self.gap_offsets.push(self.gaps.len());
        }
        self.errors = errors;
    }
}

impl TierProgram {
    /// The program's tier names, lowest first (what a tier position of a [`TierTable`] or
    /// [`RowStatus`] indexes).
    pub fn tier_names(&self) -> Vec<&str> {
        self.compiled.tiers.iter().map(|t| t.name.as_str()).collect()
    }

    /// The requirements a [`TableGap`] can refer to, by [`TableGap::unit`]: every leaf
    /// comparison and points requirement of the program, in document order.
    ///
    /// ```
    /// let program = prm_core::tiers::TierProgram::from_json(r#"{"tiers": [{"name": "base"},
    ///   {"name": "gold", "requirements": {"any": [{"metric": "revenue", "op": "gte", "value": 100000},
    ///     {"points": [{"metric": "deals", "per": 1, "points": 1}], "min": 12}]}}]}"#)?;
    /// let units: Vec<&str> = program.gap_units().iter().map(|u| u.metric).collect();
    /// assert_eq!(units, ["revenue", "points"]);
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn gap_units(&self) -> Vec<GapUnit<'_>> {
        Plan::new(&self.compiled).units
    }

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
    /// assert_eq!((t.tier_name(0), t.tier_name(1)), (Some("gold"), Some("base")));
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
        let parts = self.evaluate_table_with(n, columns, previous, threads, |r| {
            TierTable::for_program(self, r.len())
        })?;
        let mut parts = parts.into_iter().map(|(r, t)| (r.start, t));
        let mut out = parts
            .next()
            .map_or_else(|| TierTable::for_program(self, 0), |(_, t)| t);
        for (start, part) in parts {
            out.append(part, start);
        }
        Ok(out)
    }

    /// [`evaluate_table`](Self::evaluate_table), written to sinks: the rows are split into
    /// contiguous chunks (one per thread, at least 16,384 rows each), `sink(rows)` makes the
    /// sink of a chunk, and the filled sinks come back in row order with their rows.
    ///
    /// ```
    /// use prm_core::Error;
    /// use prm_core::tiers::{GapRef, MetricColumn, RowStatus, TableSink, TierProgram};
    /// // counts each tier and the gaps, without keeping the rows
    /// #[derive(Default)]
    /// struct Counts { per_tier: [usize; 2], gaps: usize }
    /// impl TableSink for Counts {
    ///     fn row(&mut self, s: Option<RowStatus>) {
    ///         if let Some(t) = s.and_then(|s| s.tier) { self.per_tier[usize::from(t)] += 1 }
    ///     }
    ///     fn gap(&mut self, _: GapRef<'_>) { self.gaps += 1 }
    ///     fn errors(&mut self, _: Vec<(usize, Error)>) {}
    /// }
    /// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
    ///   {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 100000}}]}"#)?;
    /// let revenue: Vec<f64> = (0..50_000).map(|i| f64::from(i) * 3.0).collect();
    /// let parts = program.evaluate_table_with(50_000, &[MetricColumn::Floats(&revenue)], None, 2,
    ///     |_| Counts::default())?;
    /// let gold: usize = parts.iter().map(|(_, c)| c.per_tier[1]).sum();
    /// let gaps: usize = parts.iter().map(|(_, c)| c.gaps).sum();
    /// assert_eq!((gold, gaps), (50_000 - 33_334, 33_334));
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn evaluate_table_with<S: TableSink + Send>(
        &self,
        n: usize,
        columns: &[MetricColumn<'_>],
        previous: Option<&[Option<Previous<'_>>]>,
        threads: usize,
        sink: impl Fn(Range<usize>) -> S + Sync,
    ) -> Result<Vec<(Range<usize>, S)>, Error> {
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
        let plan = Plan::new(&self.compiled);
        let chunks = crate::parallel::threads(threads).min(n.div_ceil(16_384)).max(1);
        let size = n.div_ceil(chunks).max(1);
        Ok(crate::parallel::map(chunks, chunks, 1, |c| {
            let r = (c * size).min(n)..((c + 1) * size).min(n);
            let cols: Vec<MetricColumn<'_>> = columns.iter().map(|col| col.slice(r.clone())).collect();
            let mut out = sink(r.clone());
            self.table_rows(&plan, &cols, previous.map(|p| &p[r.clone()]), r.len(), &mut out);
            (r, out)
        }))
    }
}
