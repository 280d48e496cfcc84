//! `prm.routing`: conversion and delegation to `prm_core::routing`.

use crate::convert::{decode, to_py};
use crate::errors::IntoPyResult;
use crate::pickle;
use prm_core::Error;
use prm_core::domain::PartnerId;
use prm_core::routing::{self, Condition, Lead, Partner, RoutingPolicy, RoutingState};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// A compiled routing policy over partners (`prm.routing.Router`).
#[pyclass(frozen, name = "Router", module = "prm.routing")]
pub(crate) struct PyRouter {
    inner: routing::Router,
}

fn state(obj: Option<&Bound<'_, PyAny>>) -> Result<RoutingState, Error> {
    Ok(decode::<Option<RoutingState>>(obj, "state")?.unwrap_or_default())
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Spec<P, Ps> {
    policy: P,
    partners: Ps,
}

impl PyRouter {
    fn spec_json(&self, py: Python<'_>) -> PyResult<String> {
        pickle::json(
            py,
            &Spec {
                policy: self.inner.policy(),
                partners: self.inner.partners(),
            },
        )
    }

    pub(crate) fn from_json(py: Python<'_>, data: &str) -> PyResult<Self> {
        let s: Spec<RoutingPolicy, Vec<Partner>> = prm_core::json::from_str(data).py_err(py)?;
        Ok(Self {
            inner: routing::Router::new(s.policy, s.partners).py_err(py)?,
        })
    }
}

#[pymethods]
impl PyRouter {
    #[new]
    fn new(py: Python<'_>, policy: &Bound<'_, PyAny>, partners: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (p, ps) = (|| {
            let p: RoutingPolicy = decode(Some(policy), "")?;
            let ps: Vec<Partner> = decode(Some(partners), "partners")?;
            Ok::<_, Error>((p, ps))
        })()
        .py_err(py)?;
        Ok(Self {
            inner: py.detach(|| routing::Router::new(p, ps)).py_err(py)?,
        })
    }

    /// Routes one lead: returns `(decision, state)`.
    #[pyo3(signature = (lead, state=None))]
    fn route<'py>(
        &self,
        py: Python<'py>,
        lead: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let (l, mut s) =
            (|| Ok::<_, Error>((decode::<Lead>(Some(lead), "lead")?, self::state(state)?)))().py_err(py)?;
        let d = self.inner.route(&l, &mut s);
        PyTuple::new(py, [to_py(py, &d)?, to_py(py, &s)?])
    }

    /// Routes leads in order (capacity counted across the batch): `(decisions, state)`.
    #[pyo3(signature = (leads, state=None))]
    fn route_batch<'py>(
        &self,
        py: Python<'py>,
        leads: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let (l, mut s) =
            (|| Ok::<_, Error>((decode::<Vec<Lead>>(Some(leads), "leads")?, self::state(state)?)))()
                .py_err(py)?;
        let d = py.detach(|| self.inner.route_batch(&l, &mut s));
        PyTuple::new(py, [to_py(py, &d)?, to_py(py, &s)?])
    }

    /// Routes a lead again, excluding partners that declined it: `(decision, state)`.
    #[pyo3(signature = (lead, declined, state=None))]
    fn reroute<'py>(
        &self,
        py: Python<'py>,
        lead: &Bound<'py, PyAny>,
        declined: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let (l, dec, mut s) = (|| {
            Ok::<_, Error>((
                decode::<Lead>(Some(lead), "lead")?,
                decode::<Vec<PartnerId>>(Some(declined), "declined")?,
                self::state(state)?,
            ))
        })()
        .py_err(py)?;
        let d = self.inner.reroute(&l, &dec, &mut s);
        PyTuple::new(py, [to_py(py, &d)?, to_py(py, &s)?])
    }

    /// Assigns leads exactly: as many as capacity allows, then the highest total score.
    fn assign_optimal<'py>(&self, py: Python<'py>, leads: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let l: Vec<Lead> = decode(Some(leads), "leads").py_err(py)?;
        let d = py.detach(|| self.inner.assign_optimal(&l));
        to_py(py, &d)
    }

    /// The policy as given (a dict).
    fn policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.policy())
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        pickle::reduce(py, "Router", self.spec_json(py)?)
    }

    fn __dask_tokenize__(&self, py: Python<'_>) -> PyResult<(String, u32, String)> {
        Ok(pickle::token("Router", self.spec_json(py)?))
    }

    fn __repr__(&self) -> String {
        format!(
            "Router(rules={}, partners={})",
            self.inner.policy().rules.len(),
            self.inner.partners().len()
        )
    }
}

/// Parses the text form of a condition into its JSON tree (a dict).
#[pyfunction]
fn parse_condition<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let c = routing::parse_condition(text).py_err(py)?;
    to_py(py, &c)
}

/// Prints a condition (a dict or text) in its text form.
#[pyfunction]
fn format_condition(py: Python<'_>, condition: &Bound<'_, PyAny>) -> PyResult<String> {
    let c: Condition = decode(Some(condition), "condition").py_err(py)?;
    Ok(routing::format_condition(&c))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRouter>()?;
    m.add_function(wrap_pyfunction!(parse_condition, m)?)?;
    m.add_function(wrap_pyfunction!(format_condition, m)?)?;
    Ok(())
}
