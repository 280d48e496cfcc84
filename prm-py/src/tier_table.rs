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
use arrow_buffer::{NullBufferBuilder, OffsetBuffer};
use arrow_schema::{ArrowError, DataType, Field};
use prm_core::Error;
use prm_core::tiers::{Change, GapRef, Op, RowStatus, TableSink, TierProgram};
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

/// A column of optional values with its validity.
struct Col<T> {
    values: Vec<T>,
    valid: NullBufferBuilder,
}

impl<T> Default for Col<T> {
    fn default() -> Self {
        Self {
            values: Vec::new(),
            valid: NullBufferBuilder::new(0),
        }
    }
}

impl<T: Copy + Default> Col<T> {
    fn new(n: usize) -> Self {
        Self {
            values: Vec::with_capacity(n),
            valid: NullBufferBuilder::new(n),
        }
    }

    #[inline]
    fn push(&mut self, v: Option<T>) {
        if let Some(v) = v {
            self.values.push(v);
            self.valid.append_non_null();
        } else {
            self.values.push(T::default());
            self.valid.append_null();
        }
    }
}

/// One chunk's statuses as Arrow buffers.
pub(crate) struct StatusSink<'n, 'p> {
    names: &'n Names<'p>,
    /// Rows whose partner id is null: reported as bad rows, their statuses null.
    no_id: Vec<bool>,
    row: usize,
    /// Whether the current row's gaps are dropped (a row without an id).
    skip: bool,
    tier: Col<i16>,
    qualified: Col<i16>,
    change: Col<i8>,
    failures: Col<u32>,
    probation: Col<u32>,
    offsets: Vec<i32>,
    metric: Vec<i16>,
    op: Vec<i8>,
    required: Vec<f64>,
    actual: Col<f64>,
    short_by: Col<f64>,
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
        let no_id: Vec<bool> = (0..ids.len()).map(|i| ids.is_null(i)).collect();
        let n = no_id.len();
        let gaps = 2 * n;
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        Self {
            names,
            no_id,
            row: 0,
            skip: false,
            tier: Col::new(n),
            qualified: Col::new(n),
            change: Col::new(n),
            failures: Col::new(n),
            probation: Col::new(n),
            offsets,
            metric: Vec::with_capacity(gaps),
            op: Vec::with_capacity(gaps),
            required: Vec::with_capacity(gaps),
            actual: Col::new(gaps),
            short_by: Col::new(gaps),
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
        if self.offsets.len() <= self.row {
            self.offsets
                .push(i32::try_from(self.metric.len()).unwrap_or(i32::MAX));
        }
    }

    /// The chunk as a record batch, bad rows in `error_code` / `error_path`.
    fn build(&mut self) -> Result<RecordBatch, ArrowError> {
        let partner_col = self.partner_col;
        let n = self.no_id.len();
        let mut bad = std::mem::take(&mut self.errors);
        bad.extend(self.no_id.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| {
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
        let tier = dict::<Int16Type>(std::mem::take(&mut self.tier), &tier_values)?;
        out.push_field(
            Field::new("tier", tier.data_type().clone(), true).with_dict_is_ordered(true),
            tier,
        );
        let qualified = dict::<Int16Type>(std::mem::take(&mut self.qualified), &tier_values)?;
        out.push_field(
            Field::new("qualified_tier", qualified.data_type().clone(), true).with_dict_is_ordered(true),
            qualified,
        );
        out.push(
            "change",
            dict::<Int8Type>(std::mem::take(&mut self.change), &change_values)?,
        );
        out.push("failures", uint32(std::mem::take(&mut self.failures)));
        out.push("probation_remaining", uint32(std::mem::take(&mut self.probation)));
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
        let float = |c: &mut Col<f64>| -> ArrayRef {
            Arc::new(Float64Array::new(
                std::mem::take(&mut c.values).into(),
                c.valid.finish(),
            ))
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

/// Keys over dictionary `values`, nulls where the column has none.
fn dict<K: ArrowDictionaryKeyType>(mut c: Col<K::Native>, values: &ArrayRef) -> Result<ArrayRef, ArrowError> {
    let keys = PrimitiveArray::<K>::new(c.values.into(), c.valid.finish());
    Ok(Arc::new(DictionaryArray::<K>::try_new(keys, values.clone())?))
}

fn uint32(mut c: Col<u32>) -> ArrayRef {
    Arc::new(UInt32Array::new(c.values.into(), c.valid.finish()))
}

impl TableSink for StatusSink<'_, '_> {
    fn row(&mut self, status: Option<RowStatus>) {
        self.close_row();
        let status = status.filter(|_| !self.no_id[self.row]);
        self.skip = status.is_none();
        self.row += 1;
        let key = |t: Option<u16>| t.map(|t| i16::try_from(t).unwrap_or(i16::MAX));
        self.tier.push(status.and_then(|s| key(s.tier)));
        self.qualified.push(status.and_then(|s| key(s.qualified_tier)));
        self.change.push(status.map(|s| change_key(s.change)));
        self.failures.push(status.map(|s| s.failures));
        self.probation.push(status.and_then(|s| s.probation_remaining));
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
        self.actual.push(actual);
        self.short_by.push(short_by);
    }

    fn errors(&mut self, errors: Vec<(usize, Error)>) {
        self.close_row();
        self.errors = errors;
        self.out = Some(self.build());
    }
}
