//! `prm.attribution`: conversion and delegation to `prm_core::attribution`.

use crate::arrow;
use crate::convert::{decode, to_py};
use crate::errors::IntoPyResult;
use crate::pickle;
use prm_core::Error;
use prm_core::attribution::{self, Deal, Journey, Journeys, MarkovCounts, Model, ShapleyCounts, ValueMode};
use prm_core::domain::Currency;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use pyo3_arrow::input::AnyRecordBatch;

/// Journeys parsed once (`prm.attribution.Journeys`): pass it to `markov`, `shapley` and
/// `heuristics` to parse a large table only once.
#[pyclass(frozen, name = "Journeys", module = "prm.attribution")]
pub(crate) struct PyJourneys {
    inner: Journeys,
}

impl PyJourneys {
    pub(crate) fn from_json(py: Python<'_>, data: &str) -> PyResult<Self> {
        let rows: Vec<Journey> = prm_core::json::from_str(data).py_err(py)?;
        Ok(Self {
            inner: Journeys::from_rows(&rows).py_err(py)?,
        })
    }
}

#[pymethods]
impl PyJourneys {
    /// From a list of dicts `{"path", "conversions", "value", "nulls"}`.
    #[new]
    fn new(py: Python<'_>, rows: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self {
            inner: rows_journeys(rows).py_err(py)?,
        })
    }

    /// Rows kept (non-empty paths with conversions or nulls).
    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Partner ids in order of first appearance.
    #[getter]
    fn channels(&self) -> Vec<String> {
        self.inner.channels().to_vec()
    }

    /// The kept rows as dicts `{"path": [ids], "conversions", "value", "nulls"}`.
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.rows())
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        pickle::reduce(py, "Journeys", pickle::json(py, &self.inner.rows())?)
    }

    fn __dask_tokenize__(&self, py: Python<'_>) -> PyResult<(String, u32, String)> {
        Ok(pickle::token("Journeys", pickle::json(py, &self.inner.rows())?))
    }

    fn __repr__(&self) -> String {
        format!(
            "Journeys(rows={}, partners={})",
            self.inner.len(),
            self.inner.channels().len()
        )
    }
}

fn rows_journeys(rows: &Bound<'_, PyAny>) -> Result<Journeys, Error> {
    let rows: Vec<Journey> = decode(Some(rows), "journeys")?;
    Journeys::from_rows(&rows).map_err(|e| e.under("journeys"))
}

fn f64s(bytes: Option<&Bound<'_, PyBytes>>, n: usize, path: &str) -> Result<Vec<f64>, Error> {
    let Some(b) = bytes else {
        return Ok(vec![0.0; n]);
    };
    let b = b.as_bytes();
    if b.len() != n * 8 {
        return Err(Error::InvalidInput {
            path: path.to_owned(),
            message: format!("expected {n} float64 values, got {} bytes", b.len()),
        });
    }
    Ok(b.chunks_exact(8)
        .map(|c| f64::from_ne_bytes(c.try_into().unwrap_or([0; 8])))
        .collect())
}

/// Journeys from columns: `paths` a list of `"P1>P2"` strings or lists of ids, the counts as
/// native-endian float64 bytes (`numpy.ndarray.tobytes()`), `None` for an absent column.
#[pyfunction]
#[pyo3(signature = (paths, conversions, values=None, nulls=None))]
fn _journeys_from_columns(
    py: Python<'_>,
    paths: &Bound<'_, PyList>,
    conversions: &Bound<'_, PyBytes>,
    values: Option<&Bound<'_, PyBytes>>,
    nulls: Option<&Bound<'_, PyBytes>>,
) -> PyResult<PyJourneys> {
    let n = paths.len();
    let build = || -> Result<Journeys, Error> {
        let c = f64s(Some(conversions), n, "conversions")?;
        let v = f64s(values, n, "value")?;
        let u = f64s(nulls, n, "nulls")?;
        let mut j = Journeys::new();
        for (i, p) in paths.iter().enumerate() {
            let fail = |e: PyErr| Error::InvalidInput {
                path: format!("[{i}].path"),
                message: e.to_string(),
            };
            if let Ok(s) = p.cast::<PyString>() {
                j.push_text(&s.to_cow().map_err(fail)?, c[i], v[i], u[i], i)?;
            } else {
                let steps: Vec<String> = p.extract().map_err(fail)?;
                j.push_steps(steps.iter().map(String::as_str), c[i], v[i], u[i], i)?;
            }
        }
        Ok(j)
    };
    Ok(PyJourneys {
        inner: build().map_err(|e| e.under("journeys")).py_err(py)?,
    })
}

/// Journeys from any Arrow-compatible table (pyarrow, polars, pandas): `path` as text
/// (`"P1>P2"`, any string type) or a list of ids, `conversions` and the optional `value` and
/// `nulls` as numbers (absent: 0; null: NaN, rejected as numpy's NaN is). The Arrow buffers are
/// read in place: no Python object per row.
#[pyfunction]
fn _journeys_from_arrow(py: Python<'_>, data: AnyRecordBatch) -> PyResult<PyJourneys> {
    let (schema, batches) = arrow::batches(data)?;
    let build = || -> Result<Journeys, Error> {
        let mut j = Journeys::new();
        let mut row = 0usize;
        for b in &batches {
            push_batch(&mut j, &schema, b, row)?;
            row += b.num_rows();
        }
        Ok(j)
    };
    Ok(PyJourneys {
        inner: py.detach(build).map_err(|e| e.under("journeys")).py_err(py)?,
    })
}

/// Rows per slice when a table's journeys are counted slice by slice.
const SLICE_ROWS: usize = 65_536;

/// Counts (`count`) the journeys of a table slice by slice and merges them (`merge`): the peak
/// memory is one slice's parsed journeys, not the table's.
fn fold_slices<C>(
    schema: &arrow_schema::Schema,
    batches: &[arrow_array::RecordBatch],
    mut acc: C,
    count: impl Fn(&Journeys) -> C,
    merge: impl Fn(&mut C, &C),
) -> Result<C, Error> {
    let mut row = 0usize;
    for b in batches {
        for start in (0..b.num_rows()).step_by(SLICE_ROWS) {
            let slice = b.slice(start, SLICE_ROWS.min(b.num_rows() - start));
            let mut j = Journeys::new();
            push_batch(&mut j, schema, &slice, row)?;
            merge(&mut acc, &count(&j));
            row += slice.num_rows();
        }
    }
    Ok(acc)
}

/// Exact Markov attribution of a table's journeys, counted slice by slice (`markov` on a table).
#[pyfunction]
#[pyo3(signature = (data, value_mode="channelattribution"))]
fn _markov_arrow<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    value_mode: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mode = self::value_mode(PyString::new(py, value_mode).as_any()).py_err(py)?;
    let (schema, batches) = arrow::batches(data)?;
    let out = py
        .detach(|| {
            fold_slices(
                &schema,
                &batches,
                MarkovCounts::default(),
                MarkovCounts::from_journeys,
                MarkovCounts::merge,
            )
            .map_err(|e| e.under("journeys"))?
            .solve(mode)
        })
        .py_err(py)?;
    to_py(py, &out)
}

/// Appends the journeys of one batch (its first row being table row `row`).
fn push_batch(
    j: &mut Journeys,
    schema: &arrow_schema::Schema,
    b: &arrow_array::RecordBatch,
    row: usize,
) -> Result<(), Error> {
    if !arrow::has(schema, "path") {
        return Err(Error::InvalidInput {
            path: "path".into(),
            message: "no column `path`".into(),
        });
    }
    let n = b.num_rows();
    let number = |name: &str| -> Result<Vec<f64>, Error> {
        if arrow::has(schema, name) {
            arrow::batch_floats(b, name)
        } else {
            Ok(vec![0.0; n])
        }
    };
    let (c, v, u) = (number("conversions")?, number("value")?, number("nulls")?);
    arrow::for_each_path(b, "path", |i, steps| match steps {
        arrow::Path::Null => Err(Error::InvalidInput {
            path: format!("[{}].path", row + i),
            message: "no path".into(),
        }),
        arrow::Path::Text(t) => j.push_text(t, c[i], v[i], u[i], row + i),
        arrow::Path::Steps(s) => j.push_steps(s.iter().copied(), c[i], v[i], u[i], row + i),
    })
}

fn words<const N: usize, T>(
    b: &Bound<'_, PyBytes>,
    n: usize,
    path: &str,
    from: fn([u8; N]) -> T,
) -> Result<Vec<T>, Error> {
    let b = b.as_bytes();
    if b.len() != n * N {
        return Err(Error::InvalidInput {
            path: path.to_owned(),
            message: format!("expected {n} values of {N} bytes, got {} bytes", b.len()),
        });
    }
    Ok(b.chunks_exact(N)
        .map(|c| from(c.try_into().unwrap_or([0; N])))
        .collect())
}

/// The items of a list of `str`, kept alive while their text is borrowed.
fn py_strs<'py>(list: &Bound<'py, PyList>, path: &str) -> Result<Vec<Bound<'py, PyString>>, Error> {
    list.iter()
        .enumerate()
        .map(|(i, x)| {
            x.cast_into::<PyString>().map_err(|e| Error::InvalidInput {
                path: format!("[{i}].{path}"),
                message: e.to_string(),
            })
        })
        .collect()
}

/// Borrowed UTF-8 text of Python strings (immutable; alive as long as `items`).
fn strs<'a>(items: &'a [Bound<'_, PyString>], path: &str) -> Result<Vec<&'a str>, Error> {
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.to_str().map_err(|e| Error::InvalidInput {
                path: format!("[{i}].{path}"),
                message: e.to_string(),
            })
        })
        .collect()
}

type ShareColumns<'py> = (
    Bound<'py, PyList>,
    Bound<'py, PyBytes>,
    Bound<'py, PyList>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyList>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// Columnar split: touch columns in (strings as lists, numbers and nanosecond instants as
/// native-endian bytes, amounts as float64 bytes or a list of decimal strings); share columns
/// out: `(deal_ids, deal_index u32, partner_ids, partner_index u32, amount_minor i64,
/// minor_digits u8, currencies, credit f64, sourced u8, touches u32)`.
#[pyfunction]
#[pyo3(signature = (deal_id, amount, currency, closed_at_ns, partner_id, at_ns, touch_type, weight, model, threads=1))]
#[allow(clippy::too_many_arguments)]
fn _split_columns<'py>(
    py: Python<'py>,
    deal_id: &Bound<'py, PyList>,
    amount: &Bound<'py, PyAny>,
    currency: &Bound<'py, PyList>,
    closed_at_ns: &Bound<'py, PyBytes>,
    partner_id: &Bound<'py, PyList>,
    at_ns: &Bound<'py, PyBytes>,
    touch_type: &Bound<'py, PyList>,
    weight: Option<&Bound<'py, PyBytes>>,
    model: &Bound<'py, PyAny>,
    threads: usize,
) -> PyResult<ShareColumns<'py>> {
    let n = deal_id.len();
    let lists = (|| {
        let text_amounts = match amount.cast::<PyList>() {
            Ok(l) => Some(py_strs(l, "amount")?),
            Err(_) => None,
        };
        Ok::<_, Error>((
            py_strs(deal_id, "deal_id")?,
            py_strs(currency, "currency")?,
            py_strs(partner_id, "partner_id")?,
            py_strs(touch_type, "touch_type")?,
            text_amounts,
        ))
    })()
    .map_err(|e| e.under("touches"))
    .py_err(py)?;
    let (table, model) = (|| {
        let amount = match (&lists.4, amount.cast::<PyBytes>()) {
            (Some(text), _) => attribution::Amounts::Text(strs(text, "amount")?),
            (None, Ok(b)) => attribution::Amounts::Float(words(b, n, "amount", f64::from_ne_bytes)?),
            (None, Err(e)) => {
                return Err(Error::InvalidInput {
                    path: "amount".into(),
                    message: e.to_string(),
                });
            }
        };
        let table = attribution::TouchTable {
            deal_id: strs(&lists.0, "deal_id")?,
            amount,
            currency: strs(&lists.1, "currency")?,
            closed_at_ns: words(closed_at_ns, n, "closed_at", i64::from_ne_bytes)?,
            partner_id: strs(&lists.2, "partner_id")?,
            at_ns: words(at_ns, n, "at", i64::from_ne_bytes)?,
            touch_type: strs(&lists.3, "touch_type")?,
            weight: weight
                .map(|w| words(w, n, "weight", f64::from_ne_bytes))
                .transpose()?,
        };
        let model: Model = decode(Some(model), "model")?;
        Ok::<_, Error>((table, model))
    })()
    .map_err(|e| e.under("touches"))
    .py_err(py)?;
    let out = py
        .detach(|| {
            let out = attribution::split_table(&table, &model, threads)?;
            if !out.errors.is_empty() {
                // `split_frame` raises on a bad deal (as it always has; `split_table` reports
                // them as rows): the first bad row, or the first deal that does not split
                attribution::split_many(&table.deals()?, &model)?;
                // what is left: a share beyond 64-bit minor units
                if let Some(e) = out.errors.first() {
                    return Err(Error::LimitExceeded {
                        path: e.path.clone(),
                        message: e.message.clone(),
                    });
                }
            }
            Ok(out)
        })
        .map_err(|e: Error| e.under("touches"))
        .py_err(py)?;
    // partners as codes into a list of distinct ids (a categorical column)
    let mut codes: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut partners: Vec<&str> = Vec::new();
    let partner_index: Vec<u8> = out
        .partner_id
        .iter()
        .flat_map(|p| {
            let next = partners.len() as u32;
            let code = *codes.entry(p.as_str()).or_insert_with(|| {
                partners.push(p.as_str());
                next
            });
            code.to_ne_bytes()
        })
        .collect();
    let bytes = |v: Vec<u8>| PyBytes::new(py, &v);
    Ok((
        PyList::new(py, &out.deal_ids)?,
        bytes(out.deal.iter().flat_map(|x| x.to_ne_bytes()).collect()),
        PyList::new(py, &partners)?,
        bytes(partner_index),
        bytes(out.amount_minor.iter().flat_map(|x| x.to_ne_bytes()).collect()),
        bytes(out.minor_digits.clone()),
        PyList::new(py, out.currency.iter().map(prm_core::domain::Currency::code))?,
        bytes(out.credit.iter().flat_map(|x| x.to_ne_bytes()).collect()),
        bytes(out.sourced.iter().map(|&b| u8::from(b)).collect()),
        bytes(out.touches.iter().flat_map(|x| x.to_ne_bytes()).collect()),
    ))
}

/// A text column's values as `&str` borrowed from its buffer (nulls as "").
fn arrow_strs(a: &arrow_array::ArrayRef) -> Vec<&str> {
    use arrow_array::cast::AsArray;
    a.as_string::<i32>()
        .iter()
        .map(Option::unwrap_or_default)
        .collect()
}

/// A row of `split_table` that could not be split: its deal, table row, code and path.
struct ErrorRow {
    deal_id: String,
    row: usize,
    code: &'static str,
    path: String,
}

/// A share column: its values, then a null for each of `bad` error rows.
fn pad<T: Copy>(v: &[T], bad: usize) -> impl Iterator<Item = Option<T>> + '_ {
    v.iter().map(|&x| Some(x)).chain(std::iter::repeat_n(None, bad))
}

/// The output columns of `split_table`: the shares of `out` (its own errors left out), then the
/// `errors` rows (share columns null).
fn share_batch(
    out: &attribution::ShareTable,
    errors: &[ErrorRow],
) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
    use std::iter::repeat_n;
    use std::sync::Arc;
    let bad = errors.len();
    let mut t = crate::arrow::Out::default();
    t.text(
        "deal_id",
        out.deal
            .iter()
            .map(|&d| Some(out.deal_ids[d as usize].as_str()))
            .chain(errors.iter().map(|e| Some(e.deal_id.as_str()))),
    );
    t.text(
        "partner_id",
        out.partner_id
            .iter()
            .map(|p| Some(p.as_str()))
            .chain(repeat_n(None, bad)),
    );
    t.float(
        "amount",
        out.amount_minor
            .iter()
            .zip(&out.minor_digits)
            .map(|(&m, &d)| Some(m as f64 / 10f64.powi(i32::from(d))))
            .chain(repeat_n(None, bad)),
    );
    t.push(
        "amount_minor",
        Arc::new(pad(&out.amount_minor, bad).collect::<arrow_array::Int64Array>()),
    );
    t.push(
        "minor_digits",
        Arc::new(pad(&out.minor_digits, bad).collect::<arrow_array::UInt8Array>()),
    );
    t.text(
        "currency",
        out.currency
            .iter()
            .map(|c| Some(c.code()))
            .chain(repeat_n(None, bad)),
    );
    t.float("credit", pad(&out.credit, bad));
    t.push(
        "sourced",
        Arc::new(pad(&out.sourced, bad).collect::<arrow_array::BooleanArray>()),
    );
    t.count("touches", pad(&out.touches, bad));
    let shares = out.deal.len();
    if errors.is_empty() {
        // all-null columns: zeroed buffers the process does not touch
        t.push(
            "error_row",
            arrow_array::new_null_array(&arrow_schema::DataType::UInt64, shares),
        );
        for name in ["error_code", "error_path"] {
            t.push(
                name,
                arrow_array::new_null_array(&arrow_schema::DataType::Utf8, shares),
            );
        }
        return t.batch();
    }
    t.push(
        "error_row",
        std::sync::Arc::new(
            (repeat_n(None, shares).chain(errors.iter().map(|e| Some(e.row as u64))))
                .collect::<arrow_array::UInt64Array>(),
        ),
    );
    t.text(
        "error_code",
        repeat_n(None, shares).chain(errors.iter().map(|e| Some(e.code))),
    );
    t.text(
        "error_path",
        repeat_n(None, shares).chain(errors.iter().map(|e| Some(e.path.as_str()))),
    );
    t.batch()
}

/// Rows per chunk when a touch table is split chunk by chunk.
const SPLIT_CHUNK_ROWS: usize = 16_384;

/// Ranges of table rows (across batches) of about [`SPLIT_CHUNK_ROWS`] that never cut a deal:
/// chunks end where the deal id changes. One range over everything when a deal's rows are not
/// adjacent (a deal must be split whole).
fn deal_chunks(ids: &[arrow_array::ArrayRef]) -> Vec<std::ops::Range<usize>> {
    use arrow_array::cast::AsArray;
    use std::hash::{BuildHasher, RandomState};
    let n: usize = ids.iter().map(|a| a.len()).sum();
    #[allow(clippy::single_range_in_vec_init)] // one range: all rows
    let whole = vec![0..n];
    let mut ranges = Vec::new();
    // a hash per run of equal ids: a repeated hash means a deal (or, rarely, a collision) comes
    // back after other deals, and the table is split whole
    let hasher = RandomState::new();
    let mut runs: Vec<u64> = Vec::new();
    let (mut start, mut prev, mut row): (usize, Option<&str>, usize) = (0, None, 0);
    for a in ids {
        let Some(a) = a.as_string_opt::<i32>() else {
            return whole;
        };
        for id in a {
            let id = id.unwrap_or("");
            if prev != Some(id) {
                runs.push(hasher.hash_one(id));
                if row - start >= SPLIT_CHUNK_ROWS {
                    ranges.push(start..row);
                    start = row;
                }
                prev = Some(id);
            }
            row += 1;
        }
    }
    runs.sort_unstable();
    if runs.windows(2).any(|w| w[0] == w[1]) {
        return whole;
    }
    ranges.push(start..n);
    ranges
}

/// Table rows `r` as one batch: a slice of one batch as is, pieces of several joined.
fn table_rows(
    schema: &arrow_schema::SchemaRef,
    batches: &[arrow_array::RecordBatch],
    r: std::ops::Range<usize>,
) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
    let mut pieces = Vec::new();
    let mut first = 0usize;
    for b in batches {
        let (lo, hi) = (r.start.max(first), r.end.min(first + b.num_rows()));
        if lo < hi {
            pieces.push(b.slice(lo - first, hi - lo));
        }
        first += b.num_rows();
    }
    match pieces.as_slice() {
        [one] => Ok(one.clone()),
        _ => arrow_select::concat::concat_batches(schema, &pieces),
    }
}

/// `[row]…` with the row moved by `offset` (a chunk's first table row).
fn shift_path(path: &str, offset: usize) -> String {
    let shifted = path.strip_prefix('[').and_then(|rest| {
        let (row, after) = rest.split_once(']')?;
        let row: usize = row.parse().ok()?;
        Some(format!("[{}]{after}", row + offset))
    });
    shifted.unwrap_or_else(|| path.to_owned())
}

/// Splits every deal of a long touch table (Arrow in, Arrow out; see `prm.attribution.split_table`).
#[pyfunction]
#[pyo3(signature = (data, model, threads=1))]
fn _split_arrow(
    py: Python<'_>,
    data: pyo3_arrow::input::AnyRecordBatch,
    model: &Bound<'_, PyAny>,
    threads: usize,
) -> PyResult<pyo3_arrow::PyTable> {
    use arrow_schema::DataType;
    let model: Model = decode(Some(model), "model").py_err(py)?;
    let (schema, batches) = crate::arrow::batches(data)?;
    let ids: Vec<arrow_array::ArrayRef> = batches
        .iter()
        .map(|b| {
            let c = b.column_by_name("deal_id").ok_or_else(|| Error::InvalidInput {
                path: "touches.deal_id".into(),
                message: "the table has no column `deal_id`".into(),
            })?;
            arrow_cast::cast(c, &DataType::Utf8).map_err(|e| Error::InvalidInput {
                path: "touches.deal_id".into(),
                message: e.to_string(),
            })
        })
        .collect::<Result<_, _>>()
        .py_err(py)?;
    let arrow_err = |e: arrow_schema::ArrowError| pyo3::exceptions::PyValueError::new_err(e.to_string());
    // deal by deal in chunks of rows, so that only one chunk's touches and results are held
    // besides the output; the error rows come last, as one batch
    let mut parts: Vec<arrow_array::RecordBatch> = Vec::new();
    let mut errors: Vec<ErrorRow> = Vec::new();
    for range in deal_chunks(&ids) {
        let chunk = table_rows(&schema, &batches, range.clone()).map_err(arrow_err)?;
        let out = split_chunk(py, &chunk, &schema, &model, threads, range.start).py_err(py)?;
        errors.extend(out.errors.iter().map(|e| ErrorRow {
            deal_id: out.deal_ids[e.deal as usize].clone(),
            row: e.row + range.start,
            code: e.code,
            path: shift_path(&e.path, range.start),
        }));
        parts.push(share_batch(&out, &[]).map_err(arrow_err)?);
    }
    parts.push(share_batch(&attribution::ShareTable::default(), &errors).map_err(arrow_err)?);
    crate::arrow::table(parts)
}

/// Splits the deals of one chunk of a touch table (`offset`: its first table row, for the
/// paths of whole-column errors).
fn split_chunk(
    py: Python<'_>,
    batch: &arrow_array::RecordBatch,
    schema: &arrow_schema::Schema,
    model: &Model,
    threads: usize,
    offset: usize,
) -> Result<attribution::ShareTable, Error> {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, TimestampNanosecondType};
    use arrow_schema::{DataType, TimeUnit};
    let invalid = |path: &str, m: String| Error::InvalidInput {
        path: format!("touches.{path}"),
        message: m,
    };
    let cast = |name: &str, to: &DataType| -> Result<arrow_array::ArrayRef, Error> {
        let col = batch
            .column_by_name(name)
            .ok_or_else(|| invalid(name, format!("the table has no column `{name}`")))?;
        arrow_cast::cast(col, to).map_err(|e| invalid(name, e.to_string()))
    };
    let text = |name: &str| cast(name, &DataType::Utf8);
    let (deal, currency, partner, touch) = (
        text("deal_id")?,
        text("currency")?,
        text("partner_id")?,
        text("touch_type")?,
    );
    let ns = |name: &str| -> Result<Vec<i64>, Error> {
        let a = cast(name, &DataType::Timestamp(TimeUnit::Nanosecond, None))?;
        let a = a.as_primitive::<TimestampNanosecondType>();
        if a.null_count() > 0 {
            let row = (0..a.len()).find(|&i| a.is_null(i)).unwrap_or(0) + offset;
            return Err(invalid(
                &format!("[{row}].{name}"),
                format!("a touch needs `{name}`"),
            ));
        }
        Ok(a.values().to_vec())
    };
    let amount_col = batch
        .column_by_name("amount")
        .ok_or_else(|| invalid("amount", "the table has no column `amount`".into()))?;
    let float_amounts = matches!(amount_col.data_type(), DataType::Float64 | DataType::Float32);
    let amount_arr = if float_amounts {
        cast("amount", &DataType::Float64)?
    } else {
        text("amount")?
    };
    let weight = if schema.index_of("weight").is_ok() {
        let w = cast("weight", &DataType::Float64)?;
        Some(
            w.as_primitive::<Float64Type>()
                .iter()
                .map(|v| v.unwrap_or(1.0))
                .collect(),
        )
    } else {
        None
    };
    let table = attribution::TouchTable {
        deal_id: arrow_strs(&deal),
        amount: if float_amounts {
            attribution::Amounts::Float(
                amount_arr
                    .as_primitive::<Float64Type>()
                    .iter()
                    .map(|v| v.unwrap_or(f64::NAN))
                    .collect(),
            )
        } else {
            attribution::Amounts::Text(arrow_strs(&amount_arr))
        },
        currency: arrow_strs(&currency),
        closed_at_ns: ns("closed_at")?,
        partner_id: arrow_strs(&partner),
        at_ns: ns("at")?,
        touch_type: arrow_strs(&touch),
        weight,
    };
    py.detach(|| attribution::split_table(&table, model, threads))
        .map_err(|e| e.under("touches"))
}

/// Runs `f` on journeys given as a `Journeys` object or a list of dicts, with the GIL released.
fn with_journeys<'py, T: Send>(
    py: Python<'py>,
    journeys: &Bound<'py, PyAny>,
    f: impl FnOnce(&Journeys) -> Result<T, Error> + Send,
) -> PyResult<T> {
    if let Ok(j) = journeys.cast::<PyJourneys>() {
        let j = j.get();
        return py.detach(|| f(&j.inner)).py_err(py);
    }
    let j = rows_journeys(journeys).py_err(py)?;
    py.detach(|| f(&j)).py_err(py)
}

/// Splits one deal under a model (a name or a dict).
#[pyfunction]
fn split<'py>(
    py: Python<'py>,
    deal: &Bound<'py, PyAny>,
    model: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let out = (|| {
        let d: Deal = decode(Some(deal), "deal")?;
        let m: Model = decode(Some(model), "model")?;
        attribution::split(&d, &m)
    })()
    .py_err(py)?;
    to_py(py, &out)
}

fn deals_and_model(deals: &Bound<'_, PyAny>, model: &Bound<'_, PyAny>) -> Result<(Vec<Deal>, Model), Error> {
    Ok((decode(Some(deals), "deals")?, decode(Some(model), "model")?))
}

/// Splits many deals (the GIL released while splitting; `threads=0` uses every core).
#[pyfunction]
#[pyo3(signature = (deals, model, threads=1))]
fn split_many<'py>(
    py: Python<'py>,
    deals: &Bound<'py, PyAny>,
    model: &Bound<'py, PyAny>,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (d, m) = deals_and_model(deals, model).py_err(py)?;
    let out = py
        .detach(|| attribution::split_many_threads(&d, &m, threads))
        .py_err(py)?;
    to_py(py, &out)
}

/// Per-partner sourced vs influenced revenue per currency over a book of deals.
#[pyfunction]
#[pyo3(signature = (deals, model, currency=None))]
fn partner_totals<'py>(
    py: Python<'py>,
    deals: &Bound<'py, PyAny>,
    model: &Bound<'py, PyAny>,
    currency: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (d, m) = deals_and_model(deals, model).py_err(py)?;
    let c: Option<Currency> = decode(currency, "currency").py_err(py)?;
    let out = py
        .detach(|| {
            let splits = attribution::split_many(&d, &m)?;
            attribution::partner_totals(&splits, c.as_ref()).map_err(|e| e.under("deals"))
        })
        .py_err(py)?;
    to_py(py, &out)
}

fn value_mode(mode: &Bound<'_, PyAny>) -> Result<ValueMode, Error> {
    decode(Some(mode), "value_mode")
}

/// Exact order-1 Markov attribution.
#[pyfunction]
#[pyo3(signature = (journeys, value_mode="channelattribution"))]
fn markov<'py>(
    py: Python<'py>,
    journeys: &Bound<'py, PyAny>,
    value_mode: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mode = self::value_mode(PyString::new(py, value_mode).as_any()).py_err(py)?;
    let out = with_journeys(py, journeys, |j| attribution::markov(j, mode))?;
    to_py(py, &out)
}

/// Transition counts (mergeable by `merge_markov_counts`, solved by `markov_from_counts`).
#[pyfunction]
fn markov_counts<'py>(py: Python<'py>, journeys: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let out = with_journeys(py, journeys, |j| Ok(MarkovCounts::from_journeys(j)))?;
    to_py(py, &out)
}

/// Sums the counts of several batches.
#[pyfunction]
fn merge_markov_counts<'py>(py: Python<'py>, counts: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let all: Vec<MarkovCounts> = decode(Some(counts), "counts").py_err(py)?;
    let merged = py.detach(|| {
        let mut acc = MarkovCounts::default();
        for c in &all {
            acc.merge(c);
        }
        acc
    });
    to_py(py, &merged)
}

/// Solves the exact model from (merged) counts.
#[pyfunction]
#[pyo3(signature = (counts, value_mode="channelattribution"))]
fn markov_from_counts<'py>(
    py: Python<'py>,
    counts: &Bound<'py, PyAny>,
    value_mode: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mode = self::value_mode(PyString::new(py, value_mode).as_any()).py_err(py)?;
    let c: MarkovCounts = decode(Some(counts), "counts").py_err(py)?;
    let out = py.detach(|| c.solve(mode)).py_err(py)?;
    to_py(py, &out)
}

/// Simplified (and ordered) Shapley attribution.
#[pyfunction]
#[pyo3(signature = (journeys, ordered=false))]
fn shapley<'py>(py: Python<'py>, journeys: &Bound<'py, PyAny>, ordered: bool) -> PyResult<Bound<'py, PyAny>> {
    let out = with_journeys(py, journeys, |j| Ok(attribution::shapley(j, ordered)))?;
    to_py(py, &out)
}

/// Coalition sums for Shapley (mergeable by `merge_shapley_counts`, solved by
/// `shapley_from_counts`).
#[pyfunction]
fn shapley_counts<'py>(py: Python<'py>, journeys: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let out = with_journeys(py, journeys, |j| Ok(ShapleyCounts::from_journeys(j)))?;
    to_py(py, &out)
}

/// Sums the Shapley counts of several batches.
#[pyfunction]
fn merge_shapley_counts<'py>(py: Python<'py>, counts: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let all: Vec<ShapleyCounts> = decode(Some(counts), "counts").py_err(py)?;
    let merged = py.detach(|| {
        let mut acc = ShapleyCounts::default();
        for c in &all {
            acc.merge(c);
        }
        acc
    });
    to_py(py, &merged)
}

/// The (unordered) Shapley value from (merged) counts.
#[pyfunction]
fn shapley_from_counts<'py>(py: Python<'py>, counts: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let c: ShapleyCounts = decode(Some(counts), "counts").py_err(py)?;
    to_py(py, &py.detach(|| c.solve()))
}

/// First-touch, last-touch and linear credit as ChannelAttribution computes them.
#[pyfunction]
fn heuristics<'py>(py: Python<'py>, journeys: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let out = with_journeys(py, journeys, |j| Ok(attribution::heuristics(j)))?;
    to_py(py, &out)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyJourneys>()?;
    m.add_function(wrap_pyfunction!(_journeys_from_columns, m)?)?;
    m.add_function(wrap_pyfunction!(_journeys_from_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_markov_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_split_columns, m)?)?;
    m.add_function(wrap_pyfunction!(_split_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(split, m)?)?;
    m.add_function(wrap_pyfunction!(split_many, m)?)?;
    m.add_function(wrap_pyfunction!(partner_totals, m)?)?;
    m.add_function(wrap_pyfunction!(markov, m)?)?;
    m.add_function(wrap_pyfunction!(markov_counts, m)?)?;
    m.add_function(wrap_pyfunction!(merge_markov_counts, m)?)?;
    m.add_function(wrap_pyfunction!(markov_from_counts, m)?)?;
    m.add_function(wrap_pyfunction!(shapley, m)?)?;
    m.add_function(wrap_pyfunction!(shapley_counts, m)?)?;
    m.add_function(wrap_pyfunction!(merge_shapley_counts, m)?)?;
    m.add_function(wrap_pyfunction!(shapley_from_counts, m)?)?;
    m.add_function(wrap_pyfunction!(heuristics, m)?)?;
    Ok(())
}
