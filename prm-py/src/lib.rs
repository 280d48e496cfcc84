//! Python bindings of prm: conversion and delegation only; every decision is made in
//! `prm-core`. The Python package `prm` (in `python/prm`) wraps this extension module `prm._prm`.

#![forbid(unsafe_code)]

mod arrow;
mod attribution;
mod conflicts;
mod convert;
mod errors;
mod pickle;
mod ropi;
mod routing;
mod tier_table;
mod tiers;

use pyo3::prelude::*;

/// mimalloc keeps freed pages for the next call: batch outputs (megabytes of Arrow buffers per
/// call) otherwise come back from glibc as fresh pages whose faults cost up to a third of a
/// call, depending on glibc's adaptive mmap threshold.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The extension module `prm._prm`; each engine is a submodule.
#[pymodule]
fn _prm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ERROR_CODES", prm_core::Error::CODES.to_vec())?;
    let limits = pyo3::types::PyDict::new(py);
    for (name, limit) in prm_core::limits::ALL {
        match *limit {
            prm_core::limits::Limit::Count(n) => limits.set_item(name, n)?,
            prm_core::limits::Limit::Rate(r) => limits.set_item(name, r)?,
        }
    }
    m.add("LIMITS", limits)?;
    pickle::register(m)?;
    let ropi = PyModule::new(py, "ropi")?;
    ropi::register(&ropi)?;
    m.add_submodule(&ropi)?;
    let attribution = PyModule::new(py, "attribution")?;
    attribution::register(&attribution)?;
    m.add_submodule(&attribution)?;
    let routing = PyModule::new(py, "routing")?;
    routing::register(&routing)?;
    m.add_submodule(&routing)?;
    let conflicts = PyModule::new(py, "conflicts")?;
    conflicts::register(&conflicts)?;
    m.add_submodule(&conflicts)?;
    let tiers = PyModule::new(py, "tiers")?;
    tiers::register(&tiers)?;
    m.add_submodule(&tiers)?;
    Ok(())
}
