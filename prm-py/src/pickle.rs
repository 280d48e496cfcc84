//! Pickling of the compiled objects: each `__reduce__`s to `prm._pickle.restore(kind, FORMAT,
//! json)`, where `json` is the object's spec as prm's JSON; [`restore`] rebuilds (and
//! re-validates) it. The same string is the object's `__dask_tokenize__`, so equal specs hash
//! equal on every worker.

use crate::errors::IntoPyResult;
use prm_core::Error;
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::Serialize;

/// The pickle format version this build writes and reads.
pub(crate) const FORMAT: u32 = 1;

/// `value` as prm's JSON text (its `Serialize` is infallible for prm's types).
pub(crate) fn json<T: Serialize>(py: Python<'_>, value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::InvalidInput {
            path: String::new(),
            message: e.to_string(),
        })
        .py_err(py)
}

/// `(prm._pickle.restore, (kind, FORMAT, json))`, the value of `__reduce__`.
pub(crate) fn reduce<'py>(py: Python<'py>, kind: &str, json: String) -> PyResult<Bound<'py, PyTuple>> {
    let restore = py.import("prm._pickle")?.getattr("restore")?;
    (restore, (kind, FORMAT, json)).into_pyobject(py)
}

/// `(kind, FORMAT, json)`, the value of `__dask_tokenize__`.
pub(crate) fn token(kind: &str, json: String) -> (String, u32, String) {
    (kind.to_owned(), FORMAT, json)
}

/// Rebuilds a pickled object (called by `prm._pickle.restore`).
#[pyfunction]
fn _restore(py: Python<'_>, kind: &str, version: u32, data: &str) -> PyResult<Py<PyAny>> {
    if version != FORMAT {
        return Err(Error::InvalidInput {
            path: String::new(),
            message: format!(
                "this pickle of a prm {kind} has format {version}; this prm reads format {FORMAT}"
            ),
        })
        .py_err(py);
    }
    match kind {
        "Router" => crate::routing::PyRouter::from_json(py, data)?.into_py_any(py),
        "TierProgram" => crate::tiers::PyTierProgram::from_json(py, data)?.into_py_any(py),
        "ConflictIndex" => crate::conflicts::PyConflictIndex::from_json(py, data)?.into_py_any(py),
        "Journeys" => crate::attribution::PyJourneys::from_json(py, data)?.into_py_any(py),
        _ => Err(Error::InvalidInput {
            path: String::new(),
            message: format!("`{kind}` is not a prm class that pickles"),
        })
        .py_err(py),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_restore, m)?)
}
