//! `prm.tiers`: conversion and delegation to `prm_core::tiers`.

use crate::arrow;
use crate::convert::{decode, to_py};
use crate::errors::IntoPyResult;
use crate::pickle;
use crate::tier_table::{Names, StatusSink};
use prm_core::Error;
use prm_core::domain::Timestamp;
use prm_core::tiers::{self, MetricColumn, PartnerMetrics, Previous, TierProgramSpec, TierStatus};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;

/// A compiled tier program (`prm.tiers.TierProgram`).
#[pyclass(frozen, name = "TierProgram", module = "prm.tiers")]
pub(crate) struct PyTierProgram {
    inner: tiers::TierProgram,
}

impl PyTierProgram {
    pub(crate) fn from_json(py: Python<'_>, data: &str) -> PyResult<Self> {
        let spec: TierProgramSpec = prm_core::json::from_str(data).py_err(py)?;
        Ok(Self {
            inner: tiers::TierProgram::new(spec).py_err(py)?,
        })
    }
}

#[pymethods]
impl PyTierProgram {
    #[new]
    fn new(py: Python<'_>, program: &Bound<'_, PyAny>) -> PyResult<Self> {
        let spec: TierProgramSpec = decode(Some(program), "").py_err(py)?;
        Ok(Self {
            inner: tiers::TierProgram::new(spec).py_err(py)?,
        })
    }

    /// Evaluates one partner: `metrics` is `{"partner_id", "values": {metric: number}}`,
    /// `previous` its last status (a dict as returned), `as_of` a `datetime` or ISO string.
    #[pyo3(signature = (metrics, previous=None, as_of=None))]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        metrics: &Bound<'py, PyAny>,
        previous: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let status = (|| {
            let m: PartnerMetrics = decode(Some(metrics), "metrics")?;
            let prev: Option<TierStatus> = decode(previous, "previous")?;
            let at: Option<Timestamp> = decode(as_of, "as_of")?;
            self.inner.evaluate(&m, prev.as_ref(), at)
        })()
        .py_err(py)?;
        to_py(py, &status)
    }

    /// Evaluates many partners (the evaluation runs with the GIL released).
    #[pyo3(signature = (metrics_list, previous_list=None, as_of=None))]
    fn evaluate_many<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
        metrics_list: &Bound<'py, PyAny>,
        previous_list: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // a table (pandas, polars, pyarrow: anything exporting an Arrow stream) goes the
        // columnar way and comes back as a table of the same library
        if !metrics_list.is_instance_of::<pyo3::types::PyList>()
            && metrics_list.hasattr("__arrow_c_stream__")?
        {
            return py.import("prm.tiers")?.getattr("_evaluate_many_table")?.call1((
                slf,
                metrics_list,
                previous_list,
                as_of,
            ));
        }
        let (m, prev, at) = inputs(metrics_list, previous_list, as_of).py_err(py)?;
        let inner = &slf.get().inner;
        let out = py
            .detach(|| inner.evaluate_many(&m, prev.as_deref(), at))
            .py_err(py)?;
        to_py(py, &out)
    }

    /// The cheapest ways up: lists of gaps, each list enough to reach the next tier.
    #[pyo3(signature = (metrics, status=None))]
    fn paths_to_next<'py>(
        &self,
        py: Python<'py>,
        metrics: &Bound<'py, PyAny>,
        status: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let paths = (|| {
            let m: PartnerMetrics = decode(Some(metrics), "metrics")?;
            let s: Option<TierStatus> = decode(status, "status")?;
            self.inner.paths_to_next(&m, s.as_ref())
        })()
        .py_err(py)?;
        to_py(py, &paths)
    }

    /// The program as given (a dict).
    fn spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.spec())
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        pickle::reduce(py, "TierProgram", pickle::json(py, self.inner.spec())?)
    }

    fn __dask_tokenize__(&self, py: Python<'_>) -> PyResult<(String, u32, String)> {
        Ok(pickle::token("TierProgram", pickle::json(py, self.inner.spec())?))
    }

    fn __repr__(&self) -> String {
        let names: Vec<&str> = self.inner.spec().tiers.iter().map(|t| t.name.as_str()).collect();
        format!(
            "TierProgram(tiers={names:?}, grace_periods={})",
            self.inner.spec().grace_periods
        )
    }
}

type Inputs = (
    Vec<PartnerMetrics>,
    Option<Vec<Option<TierStatus>>>,
    Option<Timestamp>,
);

fn inputs(
    metrics_list: &Bound<'_, PyAny>,
    previous_list: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
) -> Result<Inputs, Error> {
    let m: Vec<PartnerMetrics> = decode(Some(metrics_list), "metrics_list")?;
    let prev: Option<Vec<Option<TierStatus>>> = decode(previous_list, "previous_list")?;
    let at: Option<Timestamp> = decode(as_of, "as_of")?;
    Ok((m, prev, at))
}

/// What a program change does to every partner.
#[pyfunction]
#[pyo3(signature = (current, proposed, metrics_list, previous_list=None, as_of=None))]
fn simulate<'py>(
    py: Python<'py>,
    current: &Bound<'py, PyAny>,
    proposed: &Bound<'py, PyAny>,
    metrics_list: &Bound<'py, PyAny>,
    previous_list: Option<&Bound<'py, PyAny>>,
    as_of: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let program = |obj: &Bound<'py, PyAny>, path: &str| -> Result<tiers::TierProgram, Error> {
        if let Ok(p) = obj.cast::<PyTierProgram>() {
            return Ok(p.get().inner.clone());
        }
        tiers::TierProgram::new(decode(Some(obj), path)?)
    };
    let (cur, prop, (m, prev, at)) = (|| {
        Ok::<_, Error>((
            program(current, "current")?,
            program(proposed, "proposed")?,
            inputs(metrics_list, previous_list, as_of)?,
        ))
    })()
    .py_err(py)?;
    let out = py
        .detach(|| tiers::simulate(&cur, &prop, &m, prev.as_deref(), at))
        .py_err(py)?;
    to_py(py, &out)
}

/// Trailing-window metrics per partner from dated events.
#[pyfunction]
fn metrics_from_events<'py>(
    py: Python<'py>,
    events: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    metrics: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (e, at, m) = (|| {
        let e: Vec<tiers::PartnerEvent> = decode(Some(events), "events")?;
        let at: prm_core::domain::Date = decode(Some(as_of), "as_of")?;
        let m: Vec<tiers::EventMetric> = decode(Some(metrics), "metrics")?;
        Ok::<_, Error>((e, at, m))
    })()
    .py_err(py)?;
    let out = py.detach(|| tiers::metrics_from_events(&e, at, &m)).py_err(py)?;
    to_py(py, &out)
}

/// Evaluates a table of partners (Arrow in, Arrow out); see `prm.tiers.evaluate_table`.
#[pyfunction]
#[pyo3(signature = (program, data, partner_col, previous_tier_col=None, failures_col=None, as_of=None, threads=1))]
#[allow(clippy::too_many_arguments)] // the Python signature: keyword arguments
fn _evaluate_arrow(
    py: Python<'_>,
    program: &PyTierProgram,
    data: AnyRecordBatch,
    partner_col: &str,
    previous_tier_col: Option<&str>,
    failures_col: Option<&str>,
    as_of: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<PyTable> {
    let (schema, batches) = arrow::batches(data)?;
    // validated for the signature's sake; the table has no `evaluated_at` column
    let _: Option<Timestamp> = decode(as_of, "as_of").py_err(py)?;
    let inner = &program.inner;
    let parts = py
        .detach(|| {
            let ids = arrow::text_array(&batches, partner_col)?;
            let n = ids.len();
            let cols: Vec<Option<arrow::Numbers>> = inner
                .metric_names()
                .iter()
                .map(|m| {
                    arrow::has(&schema, m)
                        .then(|| arrow::numbers(&batches, m))
                        .transpose()
                })
                .collect::<Result<_, _>>()?;
            let views: Vec<MetricColumn<'_>> = cols
                .iter()
                .map(|c| c.as_ref().map_or(MetricColumn::Missing, arrow::Numbers::view))
                .collect();
            let prev_tiers = previous_tier_col
                .map(|c| arrow::strings(&batches, c))
                .transpose()?;
            let failures = failures_col.map(|c| arrow::counts(&batches, c)).transpose()?;
            let previous: Option<Vec<Option<Previous<'_>>>> = prev_tiers.as_ref().map(|t| {
                t.iter()
                    .enumerate()
                    // a null previous tier: no previous status (a first evaluation)
                    .map(|(i, tier)| {
                        tier.as_deref().map(|t| Previous {
                            tier: Some(t),
                            failures: failures.as_ref().map_or(0, |f| f[i]),
                        })
                    })
                    .collect()
            });
            // one sink per chunk of rows, filled (and made a batch) on its own thread
            let names = Names::new(inner);
            let parts = inner.evaluate_table_with(n, &views, previous.as_deref(), threads, |r| {
                StatusSink::new(&names, ids.slice(r.start, r.len()), partner_col)
            })?;
            parts
                .into_iter()
                .map(|(_, sink)| sink.finish())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| Error::InvalidInput {
                    path: String::new(),
                    message: e.to_string(),
                })
        })
        .py_err(py)?;
    arrow::table(parts)
}

/// What a program change does to a table of partners: `(summary, table)` — the summary as
/// `simulate` gives it without the per-partner statuses, the partners as an Arrow table.
#[pyfunction]
#[pyo3(signature = (current, proposed, data, partner_col, as_of=None))]
fn _simulate_arrow<'py>(
    py: Python<'py>,
    current: &PyTierProgram,
    proposed: &PyTierProgram,
    data: AnyRecordBatch,
    partner_col: &str,
    as_of: Option<&Bound<'py, PyAny>>,
) -> PyResult<(Bound<'py, PyAny>, PyTable)> {
    #[derive(serde::Serialize)]
    struct Summary<'a> {
        up: usize,
        down: usize,
        unchanged: usize,
        tiers: &'a [tiers::TierCount],
        transitions: &'a [tiers::Transition],
        benefit_cost: Option<&'a tiers::BenefitCost>,
    }
    let (schema, batches) = arrow::batches(data)?;
    let at: Option<Timestamp> = decode(as_of, "as_of").py_err(py)?;
    let (cur, prop) = (&current.inner, &proposed.inner);
    let sim = py
        .detach(|| {
            let ids = arrow::strings(&batches, partner_col)?;
            let mut names: Vec<&String> = cur.metric_names().iter().chain(prop.metric_names()).collect();
            names.sort();
            names.dedup();
            let mut bad = Vec::new();
            let mut cols = Vec::new();
            for m in names {
                if arrow::has(&schema, m) {
                    cols.push((m.clone(), arrow::decimals(&batches, m, &mut bad)?));
                }
            }
            if let Some((row, e)) = bad.into_iter().next() {
                return Err(e.at_index(row));
            }
            let metrics: Vec<PartnerMetrics> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| PartnerMetrics {
                    partner_id: id.as_deref().unwrap_or("").into(),
                    values: cols
                        .iter()
                        .filter_map(|(m, v)| v[i].map(|d| (m.clone(), d)))
                        .collect(),
                })
                .collect();
            tiers::simulate(cur, prop, &metrics, None, at)
        })
        .py_err(py)?;
    let summary = to_py(
        py,
        &Summary {
            up: sim.up,
            down: sim.down,
            unchanged: sim.unchanged,
            tiers: &sim.tiers,
            transitions: &sim.transitions,
            benefit_cost: sim.benefit_cost.as_ref(),
        },
    )?;
    let ps = &sim.partners;
    let mut out = arrow::Out::default();
    out.text("partner_id", ps.iter().map(|p| Some(p.partner_id.as_str())));
    out.text("current_tier", ps.iter().map(|p| p.current.tier.as_deref()));
    out.text("proposed_tier", ps.iter().map(|p| p.proposed.tier.as_deref()));
    out.text("movement", ps.iter().map(|p| Some(p.movement.as_str())));
    out.text(
        "current_change",
        ps.iter().map(|p| Some(p.current.change.as_str())),
    );
    out.text(
        "proposed_change",
        ps.iter().map(|p| Some(p.proposed.change.as_str())),
    );
    Ok((summary, out.finish()?))
}

/// `gaps_to_next` as a list of `{metric, op, required, actual, short_by}` structs per row.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTierProgram>()?;
    m.add_function(wrap_pyfunction!(metrics_from_events, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(_evaluate_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_simulate_arrow, m)?)?;
    Ok(())
}
