//! `prm.tiers.evaluate_table`'s output: a [`TableSink`] that writes each chunk's statuses
//! straight into Arrow buffers (no per-row objects, no intermediate table). Tier, change,
//! metric and comparison columns are dictionary-encoded: their values are the program's
//! names, written once per batch.

use crate::arrow;
use arrow_array::types::{ArrowDictionaryKeyType, Int8Type, Int16Type};
use arrow_array::{
    ArrayRef, DictionaryArray, Float64Array, Int8Array, Int16Array, ListArray, PrimitiveArray, RecordBatch,
    StringArray, StructArray, UInt32Array,
};
use arrow_buffer::{BooleanBuffer, BooleanBufferBuilder, NullBuffer, OffsetBuffer};
use arrow_schema::{ArrowError, DataType, Field};
use prm_core::Error;
use prm_core::tiers::{Change, GapRef, Op, RowStatus, TableBlock, TableSink, TierProgram};
use std::sync::Arc;

const CHANGES: [Change; 5] = [
    Change::New,
    Change::Promoted,
    Change::Retained,
    Change::Probation,
    Change::Demoted,
];
const OPS: [Op; 6] = [Op::Gte, Op::Gt, Op::Lte, Op::Lt, Op::Eq, Op::Ne];

/// What every chunk's sink shares: the program's names as dictionary values, and each gap
/// unit's keys and threshold.
pub(crate) struct Names<'p> {
    tiers: Vec<&'p str>,
    metrics: Vec<&'p str>,
    /// Per unit: (metric key, op key, required as a float).
    units: Vec<(i16, i8, f64)>,
}

impl<'p> Names<'p> {
    pub(crate) fn new(program: &'p TierProgram) -> Self {
        let table = program.gap_units();
        let mut metrics: Vec<&str> = Vec::new();
        let units = table
            .iter()
            .map(|u| {
                let m = metrics.iter().position(|m| *m == u.metric).unwrap_or_else(|| {
                    metrics.push(u.metric);
                    metrics.len() - 1
                });
                let op = OPS.iter().position(|o| *o == u.op).unwrap_or(0);
                (key16(m), key8(op), arrow::f64_of(u.required))
            })
            .collect();
        Self {
            tiers: program.tier_names(),
            metrics,
            units,
        }
    }
}

// (a program has at most 1,000 tiers; units and metrics are bounded by the program's size
// limits, far below 2^15)
fn key16(i: usize) -> i16 {
    i16::try_from(i).unwrap_or(i16::MAX)
}

fn key8(i: usize) -> i8 {
    i8::try_from(i).unwrap_or(i8::MAX)
}

/// One chunk's statuses as Arrow buffers.
pub(crate) struct StatusSink<'n, 'p> {
    names: &'n Names<'p>,
    /// Rows whose partner id is null (`None`: there are none): reported as bad rows, their
    /// statuses null.
    no_id: Option<Vec<bool>>,
    /// Whether the current row's gaps are dropped (a row without an id).
    skip: bool,
    /// The statuses' columns, written block by block while the block is in cache.
    statuses: Statuses,
    offsets: Vec<i32>,
    metric: Vec<i16>,
    op: Vec<i8>,
    required: Vec<f64>,
    /// A gap's values, NaN where there is none (a value is never NaN).
    actual: Vec<f64>,
    short_by: Vec<f64>,
    /// A block's gap units.
    units: Vec<u32>,
    errors: Vec<(usize, Error)>,
    /// The chunk's partner ids and their column's name.
    ids: ArrayRef,
    partner_col: &'n str,
    /// The batch, built on the sink's own thread once the last row is in.
    out: Option<Result<RecordBatch, ArrowError>>,
}

impl<'n, 'p> StatusSink<'n, 'p> {
    /// A sink for the rows of `ids` (a chunk of the `partner_col` column); a null id is a bad
    /// row.
    pub(crate) fn new(names: &'n Names<'p>, ids: ArrayRef, partner_col: &'n str) -> Self {
        let n = ids.len();
        let no_id = ids
            .logical_nulls()
            .filter(|nulls| nulls.null_count() > 0)
            .map(|nulls| nulls.iter().map(|valid| !valid).collect());
        let gaps = 2 * n;
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        Self {
            names,
            no_id,
            skip: false,
            statuses: Statuses::with_capacity(n),
            offsets,
            metric: Vec::with_capacity(gaps),
            op: Vec::with_capacity(gaps),
            required: Vec::with_capacity(gaps),
            actual: Vec::with_capacity(gaps),
            short_by: Vec::with_capacity(gaps),
            units: Vec::new(),
            errors: Vec::new(),
            ids,
            partner_col,
            out: None,
        }
    }

    /// The chunk as a record batch (see [`Self::build`]).
    pub(crate) fn finish(mut self) -> Result<RecordBatch, ArrowError> {
        self.out.take().unwrap_or_else(|| self.build())
    }

    fn close_row(&mut self) {
        if self.offsets.len() <= self.statuses.len() {
            self.offsets
                .push(i32::try_from(self.metric.len()).unwrap_or(i32::MAX));
        }
    }

    /// The chunk as a record batch, bad rows in `error_code` / `error_path`.
    fn build(&mut self) -> Result<RecordBatch, ArrowError> {
        let partner_col = self.partner_col;
        let n = self.statuses.len();
        let mut bad = std::mem::take(&mut self.errors);
        let no_id = self.no_id.as_deref().unwrap_or_default();
        bad.extend(no_id.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| {
            (
                i,
                Error::InvalidInput {
                    path: partner_col.to_owned(),
                    message: "no partner id".into(),
                },
            )
        }));
        bad.sort_by_key(|(i, _)| *i);
        bad.dedup_by_key(|(i, _)| *i);
        let names = self.names;
        let tier_values: ArrayRef = Arc::new(StringArray::from(names.tiers.clone()));
        let change_values: ArrayRef =
            Arc::new(StringArray::from_iter_values(CHANGES.iter().map(|c| c.as_str())));
        let gaps = self.gaps_column()?;
        let mut out = arrow::Out::default();
        out.push("partner_id", self.ids.clone());
        let s = std::mem::take(&mut self.statuses);
        let rows = s.change.len();
        // null where the key is -1
        let nulls = |keys: &[i16]| {
            keys.contains(&-1)
                .then(|| NullBuffer::new(BooleanBuffer::collect_bool(keys.len(), |i| keys[i] >= 0)))
        };
        let (tier_nulls, qualified_nulls) = (nulls(&s.tier), nulls(&s.qualified));
        let row_nulls =
            (s.bad > 0).then(|| NullBuffer::new(BooleanBuffer::collect_bool(rows, |i| s.change[i] >= 0)));
        let tier = dict::<Int16Type>(s.tier, tier_nulls, &tier_values)?;
        out.push_field(
            Field::new("tier", tier.data_type().clone(), true).with_dict_is_ordered(true),
            tier,
        );
        let qualified = dict::<Int16Type>(s.qualified, qualified_nulls, &tier_values)?;
        out.push_field(
            Field::new("qualified_tier", qualified.data_type().clone(), true).with_dict_is_ordered(true),
            qualified,
        );
        out.push(
            "change",
            dict::<Int8Type>(s.change, row_nulls.clone(), &change_values)?,
        );
        out.push(
            "failures",
            Arc::new(UInt32Array::new(s.failures.into(), row_nulls)),
        );
        let mut on_probation = BooleanBufferBuilder::new(rows);
        on_probation.append_n(rows, false);
        s.on_probation.iter().for_each(|&i| on_probation.set_bit(i, true));
        let probation = UInt32Array::new(s.probation.into(), Some(NullBuffer::new(on_probation.finish())));
        out.push("probation_remaining", Arc::new(probation));
        out.push("gaps_to_next", gaps);
        out.errors(n, &bad);
        out.batch()
    }

    fn gaps_column(&mut self) -> Result<ArrayRef, ArrowError> {
        let metric_values: ArrayRef = Arc::new(StringArray::from(self.names.metrics.clone()));
        let op_values: ArrayRef = Arc::new(StringArray::from_iter_values(OPS.iter().map(|o| o.as_str())));
        let metric: ArrayRef = Arc::new(DictionaryArray::<Int16Type>::try_new(
            Int16Array::from(std::mem::take(&mut self.metric)),
            metric_values,
        )?);
        let op: ArrayRef = Arc::new(DictionaryArray::<Int8Type>::try_new(
            Int8Array::from(std::mem::take(&mut self.op)),
            op_values,
        )?);
        let float = |v: &mut Vec<f64>| -> ArrayRef {
            let v = std::mem::take(v);
            let valid = v
                .iter()
                .any(|x| x.is_nan())
                .then(|| NullBuffer::new(BooleanBuffer::collect_bool(v.len(), |i| !v[i].is_nan())));
            Arc::new(Float64Array::new(v.into(), valid))
        };
        let fields = vec![
            Field::new("metric", metric.data_type().clone(), true),
            Field::new("op", op.data_type().clone(), true),
            Field::new("required", DataType::Float64, true),
            Field::new("actual", DataType::Float64, true),
            Field::new("short_by", DataType::Float64, true),
        ];
        let columns = vec![
            metric,
            op,
            Arc::new(Float64Array::from(std::mem::take(&mut self.required))),
            float(&mut self.actual),
            float(&mut self.short_by),
        ];
        let structs = StructArray::try_new(fields.clone().into(), columns, None)?;
        let (_, item) = arrow::list_of(fields);
        Ok(Arc::new(ListArray::try_new(
            item,
            OffsetBuffer::new(std::mem::take(&mut self.offsets).into()),
            Arc::new(structs),
            None,
        )?))
    }
}

/// A change's key in the `change` dictionary (`CHANGES`).
fn change_key(c: Change) -> i8 {
    match c {
        Change::New => 0,
        Change::Promoted => 1,
        Change::Retained => 2,
        Change::Probation => 3,
        Change::Demoted => 4,
    }
}

/// A chunk's status columns, written block by block while the block is in cache: tier keys
/// (-1: null), change keys (-1: a bad row, whose every status column is null).
#[derive(Default)]
struct Statuses {
    tier: Vec<i16>,
    qualified: Vec<i16>,
    change: Vec<i8>,
    failures: Vec<u32>,
    /// Evaluations left (0 where there is none)...
    probation: Vec<u32>,
    /// ...and the rows on probation (few: a null column's bitmap is built from them).
    on_probation: Vec<usize>,
    /// Rows without a status.
    bad: usize,
}

impl Statuses {
    fn with_capacity(n: usize) -> Self {
        Self {
            tier: Vec::with_capacity(n),
            qualified: Vec::with_capacity(n),
            change: Vec::with_capacity(n),
            failures: Vec::with_capacity(n),
            probation: Vec::with_capacity(n),
            on_probation: Vec::new(),
            bad: 0,
        }
    }

    fn len(&self) -> usize {
        self.change.len()
    }

    /// Appends the statuses' fields, in one pass.
    fn extend(&mut self, statuses: &[Option<RowStatus>]) {
        let (from, n) = (self.change.len(), statuses.len());
        self.tier.resize(from + n, -1);
        self.qualified.resize(from + n, -1);
        self.change.resize(from + n, -1);
        self.failures.resize(from + n, 0);
        self.probation.resize(from + n, 0);
        let key = |t: Option<u16>| t.map_or(-1, |t| key16(t.into()));
        let columns = (self.tier[from..].iter_mut().zip(&mut self.qualified[from..]))
            .zip(self.change[from..].iter_mut().zip(&mut self.failures[from..]))
            .zip(&mut self.probation[from..]);
        let mut bad = 0;
        for (i, ((((tier, qualified), (change, failures)), probation), s)) in
            columns.zip(statuses).enumerate()
        {
            let Some(s) = s else {
                bad += 1;
                continue;
            };
            (*tier, *qualified) = (key(s.tier), key(s.qualified_tier));
            (*change, *failures) = (change_key(s.change), s.failures);
            if let Some(left) = s.probation_remaining {
                *probation = left;
                self.on_probation.push(from + i);
            }
        }
        self.bad += bad;
    }
}

/// Keys (-1 where null) over dictionary `values`.
fn dict<K: ArrowDictionaryKeyType>(
    keys: Vec<K::Native>,
    nulls: Option<NullBuffer>,
    values: &ArrayRef,
) -> Result<ArrayRef, ArrowError> {
    let keys = PrimitiveArray::<K>::new(keys.into(), nulls);
    Ok(Arc::new(DictionaryArray::<K>::try_new(keys, values.clone())?))
}

impl TableSink for StatusSink<'_, '_> {
    fn row(&mut self, status: Option<RowStatus>) {
        self.close_row();
        let row = self.statuses.len();
        let status = status.filter(|_| !self.no_id.as_ref().is_some_and(|b| b[row]));
        self.skip = status.is_none();
        self.statuses.extend(&[status]);
    }

    /// The block's statuses row by row, its gaps' columns in bulk.
    fn block(&mut self, block: &TableBlock<'_>) {
        let start = self.statuses.len();
        if let Some(no_id) = &self.no_id
            && no_id[start..start + block.len()].contains(&true)
        {
            // (rows without an id drop their gaps: one by one)
            for (i, status) in block.statuses().iter().enumerate() {
                self.row(*status);
                block.gaps(i).for_each(|g| self.gap(g));
            }
            return;
        }
        self.close_row();
        let base = self.metric.len();
        let ends = &block.gap_offsets()[1..block.len()];
        self.offsets.extend(
            ends.iter()
                .map(|&end| i32::try_from(base + end as usize).unwrap_or(i32::MAX)),
        );
        self.statuses.extend(block.statuses());
        self.skip = false;
        let n = block.gap_count();
        self.units.resize(n, 0);
        self.actual.resize(base + n, 0.0);
        self.short_by.resize(base + n, 0.0);
        block.gap_floats(
            &mut self.units,
            &mut self.actual[base..],
            &mut self.short_by[base..],
        );
        let from = self.metric.len();
        self.metric.resize(from + n, 0);
        self.op.resize(from + n, 0);
        self.required.resize(from + n, 0.0);
        let out = self.metric[from..]
            .iter_mut()
            .zip(&mut self.op[from..])
            .zip(&mut self.required[from..]);
        for (((metric, op), required), &u) in out.zip(&self.units) {
            (*metric, *op, *required) = self.names.units[u as usize];
        }
    }

    fn gap(&mut self, gap: GapRef<'_>) {
        if self.skip {
            return;
        }
        let (metric, op, required) = self.names.units[gap.unit() as usize];
        self.metric.push(metric);
        self.op.push(op);
        self.required.push(required);
        let (actual, short_by) = gap.floats();
        self.actual.push(actual.unwrap_or(f64::NAN));
        self.short_by.push(short_by.unwrap_or(f64::NAN));
    }

    fn errors(&mut self, errors: Vec<(usize, Error)>) {
        self.close_row();
        self.errors = errors;
        self.out = Some(self.build());
    }
}
