//! `prm.conflicts`: conversion and delegation to `prm_core::conflicts`.

use crate::convert::{decode, to_py};
use crate::errors::IntoPyResult;
use crate::pickle;
use prm_core::Error;
use prm_core::conflicts::{self, ConflictPolicy, Customer, DirectOpportunity, Partner, Record, Registration};
use prm_core::domain::Timestamp;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use std::sync::Mutex;

fn policy(obj: Option<&Bound<'_, PyAny>>) -> Result<ConflictPolicy, Error> {
    Ok(decode::<Option<ConflictPolicy>>(obj, "policy")?.unwrap_or_default())
}

/// The normal form of a company name: `{normalized, key, tokens, legal_forms, removed}`.
#[pyfunction]
fn normalize_company_name<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &conflicts::normalize_company_name(name))
}

/// The registrable domain of a website or e-mail (`{domain, label, kind}`), or None.
#[pyfunction]
fn extract_domain<'py>(py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &conflicts::extract_domain(value))
}

/// Whether two customers are the same: the matcher's evidence.
#[pyfunction]
#[pyo3(signature = (a, b, policy=None))]
fn match_customers<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (a, b, p) = (|| {
        Ok::<_, Error>((
            decode::<Customer>(Some(a), "a")?,
            decode::<Customer>(Some(b), "b")?,
            self::policy(policy)?,
        ))
    })()
    .py_err(py)?;
    to_py(py, &conflicts::match_customers(&a, &b, &p.matching))
}

/// Every conflict in a data set, sorted by (later t0, later id, earlier id).
#[pyfunction]
#[pyo3(signature = (registrations, opportunities=None, partners=None, policy=None, threads=1))]
fn detect_all<'py>(
    py: Python<'py>,
    registrations: &Bound<'py, PyAny>,
    opportunities: Option<&Bound<'py, PyAny>>,
    partners: Option<&Bound<'py, PyAny>>,
    policy: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (r, o, ps, p) = (|| {
        Ok::<_, Error>((
            decode::<Vec<Registration>>(Some(registrations), "registrations")?,
            decode::<Option<Vec<DirectOpportunity>>>(opportunities, "opportunities")?.unwrap_or_default(),
            decode::<Option<Vec<Partner>>>(partners, "partners")?.unwrap_or_default(),
            self::policy(policy)?,
        ))
    })()
    .py_err(py)?;
    let found = py
        .detach(|| conflicts::detect_all_threads(&r, &o, &ps, &p, threads))
        .py_err(py)?;
    to_py(py, &found)
}

type Book = (
    Vec<Registration>,
    Vec<DirectOpportunity>,
    Vec<Partner>,
    ConflictPolicy,
);

fn book(
    registrations: &Bound<'_, PyAny>,
    opportunities: Option<&Bound<'_, PyAny>>,
    partners: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
) -> Result<Book, Error> {
    Ok((
        decode::<Vec<Registration>>(Some(registrations), "registrations")?,
        decode::<Option<Vec<DirectOpportunity>>>(opportunities, "opportunities")?.unwrap_or_default(),
        decode::<Option<Vec<Partner>>>(partners, "partners")?.unwrap_or_default(),
        self::policy(policy)?,
    ))
}

/// The blocking keys of each record (registrations, then opportunities): lists of ints.
#[pyfunction]
#[pyo3(signature = (registrations, opportunities=None, partners=None, policy=None, threads=1))]
fn blocking_keys(
    py: Python<'_>,
    registrations: &Bound<'_, PyAny>,
    opportunities: Option<&Bound<'_, PyAny>>,
    partners: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<Vec<Vec<i64>>> {
    let (r, o, ps, p) = book(registrations, opportunities, partners, policy).py_err(py)?;
    py.detach(|| conflicts::blocking_keys(&r, &o, &ps, &p, threads))
        .py_err(py)
}

/// The conflicts among records sharing a block (one block id per record), deduplicated.
#[pyfunction]
#[pyo3(signature = (registrations, registration_blocks, opportunities=None, opportunity_blocks=None,
                    partners=None, policy=None, threads=1))]
#[allow(clippy::too_many_arguments)] // the Python signature: keyword arguments
fn detect_in_blocks<'py>(
    py: Python<'py>,
    registrations: &Bound<'py, PyAny>,
    registration_blocks: Vec<i64>,
    opportunities: Option<&Bound<'py, PyAny>>,
    opportunity_blocks: Option<Vec<i64>>,
    partners: Option<&Bound<'py, PyAny>>,
    policy: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (r, o, ps, p) = book(registrations, opportunities, partners, policy).py_err(py)?;
    let ob = opportunity_blocks.unwrap_or_default();
    let found = py
        .detach(|| conflicts::detect_in_blocks(&r, &registration_blocks, &o, &ob, &ps, &p, threads))
        .py_err(py)?;
    to_py(py, &found)
}

/// The matcher's evidence for each pair `(left[i], right[i])`.
#[pyfunction]
#[pyo3(signature = (left, right, policy=None, threads=1))]
fn score_pairs<'py>(
    py: Python<'py>,
    left: &Bound<'py, PyAny>,
    right: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (a, b, p) = (|| {
        Ok::<_, Error>((
            decode::<Vec<Customer>>(Some(left), "left")?,
            decode::<Vec<Customer>>(Some(right), "right")?,
            self::policy(policy)?,
        ))
    })()
    .py_err(py)?;
    let ev = py
        .detach(|| conflicts::score_pairs(&a, &b, &p.matching, threads))
        .py_err(py)?;
    to_py(py, &ev)
}

/// An index of existing records for the deal-registration form's check.
#[pyclass(name = "ConflictIndex", module = "prm.conflicts")]
pub(crate) struct PyConflictIndex {
    inner: Mutex<conflicts::ConflictIndex>,
}

impl PyConflictIndex {
    pub(crate) fn from_json(py: Python<'_>, data: &str) -> PyResult<Self> {
        let s: conflicts::IndexSnapshot = prm_core::json::from_str(data).py_err(py)?;
        Ok(Self {
            inner: Mutex::new(conflicts::ConflictIndex::from_snapshot(s).py_err(py)?),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, conflicts::ConflictIndex> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl PyConflictIndex {
    #[new]
    #[pyo3(signature = (policy=None, partners=None))]
    fn new(
        py: Python<'_>,
        policy: Option<&Bound<'_, PyAny>>,
        partners: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let index = (|| {
            let p = self::policy(policy)?;
            let ps = decode::<Option<Vec<Partner>>>(partners, "partners")?.unwrap_or_default();
            conflicts::ConflictIndex::new(p, &ps)
        })()
        .py_err(py)?;
        Ok(Self {
            inner: Mutex::new(index),
        })
    }

    /// Adds a registration or a direct opportunity (a dict with `owner_id`/`account`).
    fn insert(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<()> {
        let r = decode::<Record>(Some(record), "record").py_err(py)?;
        self.lock().insert(&r).py_err(py)
    }

    /// Removes a record by id; returns whether it was there.
    fn remove(&self, id: &str) -> bool {
        self.lock().remove(id)
    }

    /// Removes records that can no longer be active at or after `as_of`; returns how many.
    fn expire(&self, py: Python<'_>, as_of: &Bound<'_, PyAny>) -> PyResult<usize> {
        let t = decode::<Timestamp>(Some(as_of), "as_of").py_err(py)?;
        Ok(self.lock().expire(t))
    }

    /// The conflicts of one registration with the indexed records known at `as_of`.
    fn check<'py>(
        &self,
        py: Python<'py>,
        registration: &Bound<'py, PyAny>,
        as_of: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (r, t) = (|| {
            Ok::<_, Error>((
                decode::<Registration>(Some(registration), "registration")?,
                decode::<Timestamp>(Some(as_of), "as_of")?,
            ))
        })()
        .py_err(py)?;
        let found = self.lock().check(&r, t).py_err(py)?;
        to_py(py, &found)
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }

    /// The index as data: `{"policy", "partners", "records"}` (records sorted by id).
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.lock().snapshot();
        to_py(py, &s)
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let s = self.lock().snapshot();
        pickle::reduce(py, "ConflictIndex", pickle::json(py, &s)?)
    }

    fn __dask_tokenize__(&self, py: Python<'_>) -> PyResult<(String, u32, String)> {
        let s = self.lock().snapshot();
        Ok(pickle::token("ConflictIndex", pickle::json(py, &s)?))
    }

    fn __repr__(&self) -> String {
        format!("ConflictIndex(records={})", self.lock().len())
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyConflictIndex>()?;
    m.add_function(wrap_pyfunction!(normalize_company_name, m)?)?;
    m.add_function(wrap_pyfunction!(extract_domain, m)?)?;
    m.add_function(wrap_pyfunction!(match_customers, m)?)?;
    m.add_function(wrap_pyfunction!(detect_all, m)?)?;
    m.add_function(wrap_pyfunction!(blocking_keys, m)?)?;
    m.add_function(wrap_pyfunction!(detect_in_blocks, m)?)?;
    m.add_function(wrap_pyfunction!(score_pairs, m)?)?;
    Ok(())
}
