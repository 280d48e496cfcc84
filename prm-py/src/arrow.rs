//! Arrow tables in and out through the PyCapsule interface (pyo3-arrow): anything with
//! `__arrow_c_stream__` or `__arrow_c_array__` (pyarrow, polars, pandas ≥ 2.2, Spark batches)
//! comes in; an Arrow table goes out, which pyarrow/polars/pandas take without copying.
//! Column readers and builders only: the engines decide.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt32Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use prm_core::Error;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;
use rust_decimal::Decimal;
use std::sync::Arc;

/// The input table's schema and batches (a stream is read to its end).
pub(crate) fn batches(data: AnyRecordBatch) -> PyResult<(Arc<Schema>, Vec<RecordBatch>)> {
    let reader = data.into_reader()?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok((schema, batches))
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::InvalidInput {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// One column of every batch, cast to `to` (an error naming the column when it is missing or
/// cannot be cast).
fn column(batches: &[RecordBatch], name: &str, to: &DataType) -> Result<Vec<ArrayRef>, Error> {
    batches
        .iter()
        .map(|b| {
            let col = b
                .column_by_name(name)
                .ok_or_else(|| invalid(name, format!("the table has no column `{name}`")))?;
            arrow_cast::cast(col, to).map_err(|e| invalid(name, format!("column `{name}`: {e}")))
        })
        .collect()
}

/// Whether the table has a column `name`.
pub(crate) fn has(schema: &Schema, name: &str) -> bool {
    schema.index_of(name).is_ok()
}

/// A text column (any type Arrow casts to text: ids as ints are fine).
pub(crate) fn strings(batches: &[RecordBatch], name: &str) -> Result<Vec<Option<String>>, Error> {
    let mut out = Vec::new();
    for a in column(batches, name, &DataType::Utf8)? {
        out.extend(a.as_string::<i32>().iter().map(|s| s.map(str::to_owned)));
    }
    Ok(out)
}

/// A list-of-text column (a list column, or text split at commas); nulls are empty lists.
pub(crate) fn string_lists(batches: &[RecordBatch], name: &str) -> Result<Vec<Vec<String>>, Error> {
    let mut out = Vec::new();
    for b in batches {
        let col = b
            .column_by_name(name)
            .ok_or_else(|| invalid(name, format!("the table has no column `{name}`")))?;
        match col.data_type() {
            DataType::List(_)
            | DataType::LargeList(_)
            | DataType::ListView(_)
            | DataType::LargeListView(_) => {
                let list = arrow_cast::cast(
                    col,
                    &DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
                )
                .map_err(|e| invalid(name, format!("column `{name}`: {e}")))?;
                for row in list.as_list::<i32>().iter() {
                    out.push(row.map_or_else(Vec::new, |items| {
                        items
                            .as_string::<i32>()
                            .iter()
                            .flatten()
                            .map(str::to_owned)
                            .collect()
                    }));
                }
            }
            _ => {
                let text = arrow_cast::cast(col, &DataType::Utf8)
                    .map_err(|e| invalid(name, format!("column `{name}`: {e}")))?;
                for row in text.as_string::<i32>() {
                    out.push(row.map_or_else(Vec::new, |t| {
                        t.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect()
                    }));
                }
            }
        }
    }
    Ok(out)
}

/// A time column (timestamps of any unit and zone, dates, ISO text); naive times are UTC.
pub(crate) fn timestamps(
    batches: &[RecordBatch],
    name: &str,
) -> Result<Vec<Option<prm_core::domain::Timestamp>>, Error> {
    use arrow_array::types::TimestampMicrosecondType;
    let mut out = Vec::new();
    let to = DataType::Timestamp(arrow_schema::TimeUnit::Microsecond, None);
    for a in column(batches, name, &to)? {
        for v in a.as_primitive::<TimestampMicrosecondType>() {
            out.push(v.and_then(chrono::DateTime::from_timestamp_micros));
        }
    }
    Ok(out)
}

/// A float column (nulls and NaN are `None`).
pub(crate) fn floats(batches: &[RecordBatch], name: &str) -> Result<Vec<Option<f64>>, Error> {
    let mut out = Vec::new();
    for a in column(batches, name, &DataType::Float64)? {
        out.extend(
            a.as_primitive::<Float64Type>()
                .iter()
                .map(|v| v.filter(|x| !x.is_nan())),
        );
    }
    Ok(out)
}

/// [`strings`], or nulls for `n` rows when the table lacks the column.
pub(crate) fn strings_or_nulls(
    schema: &Schema,
    batches: &[RecordBatch],
    name: &str,
    n: usize,
) -> Result<Vec<Option<String>>, Error> {
    if has(schema, name) {
        strings(batches, name)
    } else {
        Ok(vec![None; n])
    }
}

/// [`timestamps`], or nulls for `n` rows when the table lacks the column.
pub(crate) fn timestamps_or_nulls(
    schema: &Schema,
    batches: &[RecordBatch],
    name: &str,
    n: usize,
) -> Result<Vec<Option<prm_core::domain::Timestamp>>, Error> {
    if has(schema, name) {
        timestamps(batches, name)
    } else {
        Ok(vec![None; n])
    }
}

/// [`string_lists`], or empty lists for `n` rows when the table lacks the column.
pub(crate) fn string_lists_or_empty(
    schema: &Schema,
    batches: &[RecordBatch],
    name: &str,
    n: usize,
) -> Result<Vec<Vec<String>>, Error> {
    if has(schema, name) {
        string_lists(batches, name)
    } else {
        Ok(vec![Vec::new(); n])
    }
}

/// A count column (`failures`): nulls are 0.
pub(crate) fn counts(batches: &[RecordBatch], name: &str) -> Result<Vec<u32>, Error> {
    let mut out = Vec::new();
    for a in column(batches, name, &DataType::UInt32)? {
        out.extend(
            a.as_primitive::<UInt32Type>()
                .iter()
                .map(Option::unwrap_or_default),
        );
    }
    Ok(out)
}

/// One float column of one batch (nulls are NaN, as numpy reads them; any numeric type).
pub(crate) fn batch_floats(b: &RecordBatch, name: &str) -> Result<Vec<f64>, Error> {
    let col = b
        .column_by_name(name)
        .ok_or_else(|| invalid(name, format!("the table has no column `{name}`")))?;
    let a = arrow_cast::cast(col, &DataType::Float64)
        .map_err(|e| invalid(name, format!("column `{name}` is not numeric: {e}")))?;
    let a = a.as_primitive::<Float64Type>();
    Ok(if a.null_count() == 0 {
        a.values().to_vec()
    } else {
        a.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
    })
}

/// A journey's path as a table holds it: `"P1>P2"` text or a list of ids.
pub(crate) enum Path<'a> {
    Null,
    Text(&'a str),
    Steps(&'a [&'a str]),
}

/// Calls `f(row, path)` for every row of a path column of one batch, reading the text in place
/// (`Utf8`, `LargeUtf8`, `Utf8View`, or lists of them).
pub(crate) fn for_each_path(
    b: &RecordBatch,
    name: &str,
    mut f: impl FnMut(usize, Path<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    let col = b
        .column_by_name(name)
        .ok_or_else(|| invalid(name, format!("the table has no column `{name}`")))?;
    let mut texts = |it: &mut dyn Iterator<Item = Option<&str>>| -> Result<(), Error> {
        for (i, t) in it.enumerate() {
            f(i, t.map_or(Path::Null, Path::Text))?;
        }
        Ok(())
    };
    match col.data_type() {
        DataType::Utf8 => texts(&mut col.as_string::<i32>().iter()),
        DataType::LargeUtf8 => texts(&mut col.as_string::<i64>().iter()),
        DataType::Utf8View => texts(&mut col.as_string_view().iter()),
        DataType::List(_) | DataType::LargeList(_) | DataType::ListView(_) | DataType::LargeListView(_) => {
            let list = arrow_cast::cast(
                col,
                &DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            )
            .map_err(|e| invalid(name, format!("column `{name}`: {e}")))?;
            for (i, row) in list.as_list::<i32>().iter().enumerate() {
                let Some(items) = row else {
                    f(i, Path::Null)?;
                    continue;
                };
                let steps: Vec<&str> = items.as_string::<i32>().iter().map(|s| s.unwrap_or("")).collect();
                f(i, Path::Steps(&steps))?;
            }
            Ok(())
        }
        _ => {
            let text = arrow_cast::cast(col, &DataType::Utf8)
                .map_err(|e| invalid(name, format!("column `{name}`: {e}")))?;
            texts(&mut text.as_string::<i32>().iter())
        }
    }
}

/// Whether a column type holds whole numbers an `i64` takes exactly (`UInt64` goes through
/// floats, as any other numeric type).
fn is_whole(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::Boolean
    )
}

/// A numeric column kept in its kind, for the columnar tier evaluator: floats (null is NaN),
/// integers, or decimals; any other type Arrow casts to a float is read as floats.
pub(crate) enum Numbers {
    /// One batch of floats without nulls: read in place.
    Arrow(ArrayRef),
    Floats(Vec<f64>),
    Ints(Vec<Option<i64>>),
    Decimals(Vec<Option<Decimal>>),
}

impl Numbers {
    pub(crate) fn view(&self) -> prm_core::tiers::MetricColumn<'_> {
        use prm_core::tiers::MetricColumn;
        match self {
            Numbers::Arrow(a) => MetricColumn::Floats(a.as_primitive::<Float64Type>().values()),
            Numbers::Floats(v) => MetricColumn::Floats(v),
            Numbers::Ints(v) => MetricColumn::Ints(v),
            Numbers::Decimals(v) => MetricColumn::Decimals(v),
        }
    }
}

/// Column `name` of every batch as [`Numbers`] (of the first batch's kind).
pub(crate) fn numbers(batches: &[RecordBatch], name: &str) -> Result<Numbers, Error> {
    let cols: Vec<&ArrayRef> = batches
        .iter()
        .map(|b| {
            b.column_by_name(name)
                .ok_or_else(|| invalid(name, format!("the table has no column `{name}`")))
        })
        .collect::<Result<_, _>>()?;
    let kind = cols.first().map(|c| c.data_type().clone());
    match kind {
        Some(t) if is_whole(&t) => {
            let mut out = Vec::new();
            for c in cols {
                let a = arrow_cast::cast(c, &DataType::Int64).map_err(|e| invalid(name, e.to_string()))?;
                out.extend(a.as_primitive::<Int64Type>().iter());
            }
            Ok(Numbers::Ints(out))
        }
        Some(DataType::Decimal128(..)) => {
            let mut bad = Vec::new();
            Ok(Numbers::Decimals(decimals(batches, name, &mut bad)?))
        }
        Some(DataType::Float64) if cols.len() == 1 && cols[0].null_count() == 0 => {
            Ok(Numbers::Arrow(cols[0].clone()))
        }
        _ => {
            let mut out = Vec::new();
            for c in cols {
                let a = arrow_cast::cast(c, &DataType::Float64)
                    .map_err(|e| invalid(name, format!("column `{name}` is not numeric: {e}")))?;
                let a = a.as_primitive::<Float64Type>();
                if a.null_count() == 0 {
                    out.extend_from_slice(a.values());
                } else {
                    out.extend(a.iter().map(|v| v.unwrap_or(f64::NAN)));
                }
            }
            Ok(Numbers::Floats(out))
        }
    }
}

/// A text column of every batch as one Arrow array (no copy for one batch of text).
pub(crate) fn text_array(batches: &[RecordBatch], name: &str) -> Result<ArrayRef, Error> {
    let parts = column(batches, name, &DataType::Utf8)?;
    match parts.len() {
        0 => Ok(Arc::new(arrow_array::StringArray::from(
            Vec::<Option<&str>>::new(),
        ))),
        1 => Ok(parts[0].clone()),
        _ => {
            let refs: Vec<&dyn Array> = parts.iter().map(AsRef::as_ref).collect();
            arrow_select::concat::concat(&refs).map_err(|e| invalid(name, e.to_string()))
        }
    }
}

/// A numeric column as decimals: integers exactly, decimals exactly, floats through their
/// shortest decimal form; null and NaN are missing. A value that is not a finite number is
/// reported in `bad` as `(row, error)` and read as missing.
pub(crate) fn decimals(
    batches: &[RecordBatch],
    name: &str,
    bad: &mut Vec<(usize, Error)>,
) -> Result<Vec<Option<Decimal>>, Error> {
    let mut out: Vec<Option<Decimal>> = Vec::new();
    for b in batches {
        let col = b
            .column_by_name(name)
            .ok_or_else(|| invalid(name, format!("the table has no column `{name}`")))?;
        match col.data_type() {
            t if is_whole(t) => {
                let a = arrow_cast::cast(col, &DataType::Int64).map_err(|e| invalid(name, e.to_string()))?;
                out.extend(a.as_primitive::<Int64Type>().iter().map(|v| v.map(Decimal::from)));
            }
            DataType::Decimal128(_, scale) => {
                let scale = u32::try_from(*scale).unwrap_or(0);
                let a = col.as_primitive::<arrow_array::types::Decimal128Type>();
                for v in a {
                    out.push(v.and_then(|m| Decimal::try_from_i128_with_scale(m, scale).ok()));
                }
            }
            _ => {
                let a = arrow_cast::cast(col, &DataType::Float64)
                    .map_err(|e| invalid(name, format!("column `{name}` is not numeric: {e}")))?;
                for v in a.as_primitive::<Float64Type>() {
                    let row = out.len();
                    out.push(match v {
                        None => None,
                        Some(x) if x.is_nan() => None,
                        Some(x) => prm_core::domain::decimal_from_f64(x).or_else(|| {
                            bad.push((row, invalid(name, format!("{x} is not a decimal prm can hold"))));
                            None
                        }),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// A text column written straight into its buffers (a validity bitmap only once a null comes):
/// several times faster than a `StringBuilder` for the short, repeated values of the output
/// columns (tier names, codes, metric names).
pub(crate) struct TextCol {
    offsets: Vec<i32>,
    bytes: Vec<u8>,
    valid: Option<Vec<bool>>,
}

impl TextCol {
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        Self {
            offsets,
            bytes: Vec::with_capacity(n * 8),
            valid: None,
        }
    }

    pub(crate) fn push(&mut self, v: Option<&str>) {
        match v {
            Some(t) => self.bytes.extend_from_slice(t.as_bytes()),
            None if self.valid.is_none() => self.valid = Some(vec![true; self.offsets.len() - 1]),
            None => {}
        }
        if let Some(valid) = &mut self.valid {
            valid.push(v.is_some());
        }
        self.offsets
            .push(i32::try_from(self.bytes.len()).unwrap_or(i32::MAX));
    }

    pub(crate) fn finish(self) -> arrow_array::StringArray {
        arrow_array::StringArray::try_new(
            arrow_buffer::OffsetBuffer::new(self.offsets.into()),
            self.bytes.into(),
            self.valid.map(arrow_buffer::NullBuffer::from),
        )
        // monotone offsets over whole strings: valid by construction
        .unwrap_or_else(|_| arrow_array::StringArray::new_null(0))
    }
}

/// [`TextCol`] of the values.
pub(crate) fn text_array_of<'a>(values: impl Iterator<Item = Option<&'a str>>) -> arrow_array::StringArray {
    let mut col = TextCol::with_capacity(values.size_hint().0);
    values.for_each(|v| col.push(v));
    col.finish()
}

/// A float column written value by value (a validity bitmap only once a null comes).
pub(crate) struct FloatCol {
    values: Vec<f64>,
    valid: Option<Vec<bool>>,
}

impl FloatCol {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            values: Vec::with_capacity(n),
            valid: None,
        }
    }

    pub(crate) fn push(&mut self, v: Option<f64>) {
        if v.is_none() && self.valid.is_none() {
            self.valid = Some(vec![true; self.values.len()]);
        }
        if let Some(valid) = &mut self.valid {
            valid.push(v.is_some());
        }
        self.values.push(v.unwrap_or(0.0));
    }

    pub(crate) fn finish(self) -> arrow_array::Float64Array {
        arrow_array::Float64Array::new(self.values.into(), self.valid.map(arrow_buffer::NullBuffer::from))
    }
}

/// Builds the output table column by column.
#[derive(Default)]
pub(crate) struct Out {
    fields: Vec<Field>,
    columns: Vec<ArrayRef>,
}

impl Out {
    /// A column under its own field (e.g. an ordered dictionary).
    pub(crate) fn push_field(&mut self, field: Field, column: ArrayRef) {
        self.fields.push(field);
        self.columns.push(column);
    }

    pub(crate) fn push(&mut self, name: &str, column: ArrayRef) {
        self.fields
            .push(Field::new(name, column.data_type().clone(), true));
        self.columns.push(column);
    }

    pub(crate) fn text<'a>(&mut self, name: &str, values: impl Iterator<Item = Option<&'a str>>) {
        self.push(name, Arc::new(text_array_of(values)));
    }

    pub(crate) fn float(&mut self, name: &str, values: impl Iterator<Item = Option<f64>>) {
        let mut col = FloatCol::with_capacity(values.size_hint().0);
        values.for_each(|v| col.push(v));
        self.push(name, Arc::new(col.finish()));
    }

    pub(crate) fn count(&mut self, name: &str, values: impl Iterator<Item = Option<u32>>) {
        let mut out: Vec<u32> = Vec::with_capacity(values.size_hint().0);
        let mut valid: Option<Vec<bool>> = None;
        for v in values {
            if v.is_none() && valid.is_none() {
                valid = Some(vec![true; out.len()]);
            }
            if let Some(valid) = &mut valid {
                valid.push(v.is_some());
            }
            out.push(v.unwrap_or(0));
        }
        let nulls = valid.map(arrow_buffer::NullBuffer::from);
        self.push(name, Arc::new(arrow_array::UInt32Array::new(out.into(), nulls)));
    }

    /// The row errors as two columns, `error_code` and `error_path` (null where the row is fine).
    pub(crate) fn errors(&mut self, n: usize, errors: &[(usize, Error)]) {
        if errors.is_empty() {
            for name in ["error_code", "error_path"] {
                self.push(name, Arc::new(arrow_array::StringArray::new_null(n)));
            }
            return;
        }
        let mut code: Vec<Option<&str>> = vec![None; n];
        let mut path: Vec<Option<&str>> = vec![None; n];
        for (row, e) in errors {
            if code[*row].is_none() {
                code[*row] = Some(e.code());
                path[*row] = Some(e.path());
            }
        }
        self.text("error_code", code.into_iter());
        self.text("error_path", path.into_iter());
    }

    /// The columns as one record batch.
    pub(crate) fn batch(self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        RecordBatch::try_new(Arc::new(Schema::new(self.fields)), self.columns)
    }

    /// The table (one batch).
    pub(crate) fn finish(self) -> PyResult<PyTable> {
        let schema = Arc::new(Schema::new(self.fields));
        let batch = RecordBatch::try_new(schema.clone(), self.columns)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        PyTable::try_new(vec![batch], schema)
    }
}

/// A table of record batches of one schema (at least one batch).
pub(crate) fn table(batches: Vec<RecordBatch>) -> PyResult<PyTable> {
    let schema = batches
        .first()
        .map(RecordBatch::schema)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("a table needs a batch"))?;
    PyTable::try_new(batches, schema)
}

/// A decimal as a float for an Arrow output column (the nearest float).
pub(crate) fn f64_of(d: Decimal) -> f64 {
    prm_core::domain::f64_from_decimal(d)
}

/// The list type of a column of structs with these fields.
pub(crate) fn list_of(fields: Vec<Field>) -> (DataType, Arc<Field>) {
    let item = Arc::new(Field::new("item", DataType::Struct(fields.into()), true));
    (DataType::List(item.clone()), item)
}
