//! prm errors → the `prm.PrmError` hierarchy (defined in `prm/_errors.py`, one class per code,
//! each also a `ValueError`), carrying `code` and `path`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// Converts a core error to the matching Python exception.
pub(crate) fn to_pyerr(py: Python<'_>, err: &prm_core::Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = ERRORS
            .get_or_try_init(py, || py.import("prm._errors").map(Bound::unbind))?
            .bind(py);
        let class = module
            .getattr(err.code())
            .or_else(|_| module.getattr("PrmError"))?;
        let instance = class.call1((err.to_string(), err.code(), err.path()))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}

/// `Result<T, prm_core::Error>` → `PyResult<T>`.
pub(crate) trait IntoPyResult<T> {
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, prm_core::Error> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, &e))
    }
}
