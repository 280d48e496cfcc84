//! `prm.tiers`: conversion and delegation to `prm_core::tiers`.

use crate::convert::{decode, to_py};
use crate::errors::IntoPyResult;
use crate::pickle;
use prm_core::Error;
use prm_core::domain::Timestamp;
use prm_core::tiers::{self, PartnerMetrics, TierProgramSpec, TierStatus};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

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
        &self,
        py: Python<'py>,
        metrics_list: &Bound<'py, PyAny>,
        previous_list: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (m, prev, at) = inputs(metrics_list, previous_list, as_of).py_err(py)?;
        let out = py
            .detach(|| self.inner.evaluate_many(&m, prev.as_deref(), at))
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTierProgram>()?;
    m.add_function(wrap_pyfunction!(metrics_from_events, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    Ok(())
}
