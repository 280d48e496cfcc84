//! `prm.ropi`: conversion and delegation to `prm_core::ropi`.

use crate::convert::{date_list, f64_arg, f64_list, opt_f64, to_json, to_py};
use crate::errors::{IntoPyResult, to_pyerr};
use prm_core::{Error, json, ropi};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

fn run<T>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error>) -> PyResult<T> {
    f().py_err(py)
}

#[pyfunction]
fn npv(py: Python<'_>, rate: &Bound<'_, PyAny>, flows: &Bound<'_, PyAny>) -> PyResult<f64> {
    run(py, || {
        ropi::npv(f64_arg(rate, "rate")?, &f64_list(flows, "flows")?)
    })
}

#[pyfunction]
fn npv_excel(py: Python<'_>, rate: &Bound<'_, PyAny>, flows: &Bound<'_, PyAny>) -> PyResult<f64> {
    run(py, || {
        ropi::npv_excel(f64_arg(rate, "rate")?, &f64_list(flows, "flows")?)
    })
}

#[pyfunction]
fn xnpv(
    py: Python<'_>,
    rate: &Bound<'_, PyAny>,
    dates: &Bound<'_, PyAny>,
    amounts: &Bound<'_, PyAny>,
) -> PyResult<f64> {
    run(py, || {
        ropi::xnpv(
            f64_arg(rate, "rate")?,
            &date_list(dates, "dates")?,
            &f64_list(amounts, "amounts")?,
        )
    })
}

#[pyfunction]
fn xnpv_excel(
    py: Python<'_>,
    rate: &Bound<'_, PyAny>,
    dates: &Bound<'_, PyAny>,
    amounts: &Bound<'_, PyAny>,
) -> PyResult<f64> {
    run(py, || {
        ropi::xnpv_excel(
            f64_arg(rate, "rate")?,
            &date_list(dates, "dates")?,
            &f64_list(amounts, "amounts")?,
        )
    })
}

#[pyfunction]
#[pyo3(signature = (flows, guess=None))]
fn irr(py: Python<'_>, flows: &Bound<'_, PyAny>, guess: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
    run(py, || {
        ropi::irr(&f64_list(flows, "flows")?, opt_f64(guess, "guess")?)
    })
}

#[pyfunction]
fn irr_roots(py: Python<'_>, flows: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    run(py, || ropi::irr_roots(&f64_list(flows, "flows")?))
}

#[pyfunction]
#[pyo3(signature = (dates, amounts, guess=None))]
fn xirr(
    py: Python<'_>,
    dates: &Bound<'_, PyAny>,
    amounts: &Bound<'_, PyAny>,
    guess: Option<&Bound<'_, PyAny>>,
) -> PyResult<f64> {
    run(py, || {
        ropi::xirr(
            &date_list(dates, "dates")?,
            &f64_list(amounts, "amounts")?,
            opt_f64(guess, "guess")?,
        )
    })
}

#[pyfunction]
fn xirr_roots(py: Python<'_>, dates: &Bound<'_, PyAny>, amounts: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    run(py, || {
        ropi::xirr_roots(&date_list(dates, "dates")?, &f64_list(amounts, "amounts")?)
    })
}

#[pyfunction]
fn mirr(
    py: Python<'_>,
    flows: &Bound<'_, PyAny>,
    finance_rate: &Bound<'_, PyAny>,
    reinvest_rate: &Bound<'_, PyAny>,
) -> PyResult<f64> {
    run(py, || {
        ropi::mirr(
            &f64_list(flows, "flows")?,
            f64_arg(finance_rate, "finance_rate")?,
            f64_arg(reinvest_rate, "reinvest_rate")?,
        )
    })
}

#[pyfunction]
fn payback(py: Python<'_>, flows: &Bound<'_, PyAny>) -> PyResult<f64> {
    run(py, || ropi::payback(&f64_list(flows, "flows")?))
}

#[pyfunction]
fn discounted_payback(py: Python<'_>, rate: &Bound<'_, PyAny>, flows: &Bound<'_, PyAny>) -> PyResult<f64> {
    run(py, || {
        ropi::discounted_payback(f64_arg(rate, "rate")?, &f64_list(flows, "flows")?)
    })
}

/// The decimal functions: a dict shaped like the JSON input in, a dict with `Decimal`s out.
macro_rules! decimal_fn {
    ($name:ident, $input:ty, $f:path) => {
        #[pyfunction]
        fn $name<'py>(py: Python<'py>, inputs: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
            let out = run(py, || {
                $f(&json::from_value::<$input>(to_json(inputs, "")?)?)
            })?;
            to_py(py, &out)
        }
    };
}

decimal_fn!(
    partner_economics,
    ropi::PartnerEconomicsInput,
    ropi::partner_economics
);
decimal_fn!(mdf_roi, ropi::MdfRoiInput, ropi::mdf_roi);
decimal_fn!(clv, ropi::ClvInput, ropi::clv);
decimal_fn!(
    weighted_pipeline,
    ropi::WeightedPipelineInput,
    ropi::weighted_pipeline
);
decimal_fn!(time_to_revenue, ropi::TimeToRevenueInput, ropi::time_to_revenue);

/// Batch results → a list of `float` or `PrmError` instances (the Python layer raises or
/// coerces, as the caller asked).
fn batch_list<'py>(py: Python<'py>, results: Vec<Result<f64, Error>>) -> PyResult<Bound<'py, PyList>> {
    let items: Vec<Bound<'py, PyAny>> = results
        .into_iter()
        .map(|r| match r {
            Ok(v) => Ok(v.into_pyobject(py)?.into_any()),
            Err(e) => Ok(to_pyerr(py, &e).into_value(py).into_bound(py).into_any()),
        })
        .collect::<PyResult<_>>()?;
    PyList::new(py, items)
}

fn offsets_of(lengths: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut offsets = vec![0];
    for n in lengths {
        offsets.push(offsets.last().copied().unwrap_or(0) + n);
    }
    offsets
}

/// `irr` over a list of flow lists; releases the GIL while solving.
#[pyfunction]
#[pyo3(signature = (series, guess=None, threads=1))]
fn _irr_many<'py>(
    py: Python<'py>,
    series: &Bound<'py, PyAny>,
    guess: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<Bound<'py, PyList>> {
    let (offsets, amounts, guess) = run(py, || {
        let mut lists = Vec::new();
        for (i, s) in series.try_iter().map_err(|e| bad("series", &e))?.enumerate() {
            lists.push(f64_list(
                &s.map_err(|e| bad("series", &e))?,
                &format!("[{i}].flows"),
            )?);
        }
        let offsets = offsets_of(lists.iter().map(Vec::len));
        Ok((offsets, lists.concat(), opt_f64(guess, "guess")?))
    })?;
    let results = py.detach(|| ropi::irr_batch(&offsets, &amounts, guess, threads));
    batch_list(py, results)
}

/// `xirr` over a list of `(dates, amounts)` pairs; releases the GIL while solving.
#[pyfunction]
#[pyo3(signature = (series, guess=None, threads=1))]
fn _xirr_many<'py>(
    py: Python<'py>,
    series: &Bound<'py, PyAny>,
    guess: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<Bound<'py, PyList>> {
    let (offsets, days, amounts, guess) = run(py, || {
        let (mut days, mut amounts, mut lengths) = (Vec::new(), Vec::new(), Vec::new());
        for (i, s) in series.try_iter().map_err(|e| bad("series", &e))?.enumerate() {
            let s = s.map_err(|e| bad("series", &e))?;
            let (d, a) =
                s.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()
                    .map_err(|_| Error::InvalidInput {
                        path: format!("[{i}]"),
                        message: "expected a (dates, amounts) pair".into(),
                    })?;
            let d = date_list(&d, &format!("[{i}].dates"))?;
            let a = f64_list(&a, &format!("[{i}].amounts"))?;
            lengths.push(d.len().min(a.len()));
            if d.len() != a.len() {
                return Err(Error::InvalidInput {
                    path: format!("[{i}].amounts"),
                    message: "dates and amounts differ in length".into(),
                });
            }
            days.extend(d.iter().copied().map(prm_core::domain::day_number));
            amounts.extend(a);
        }
        Ok((
            offsets_of(lengths.into_iter()),
            days,
            amounts,
            opt_f64(guess, "guess")?,
        ))
    })?;
    let results = py.detach(|| ropi::xirr_batch(&offsets, &days, &amounts, guess, threads));
    batch_list(py, results)
}

fn bad(path: &str, e: &PyErr) -> Error {
    Error::InvalidInput {
        path: path.into(),
        message: e.to_string(),
    }
}

fn words<const N: usize, T>(bytes: &[u8], path: &str, from: fn([u8; N]) -> T) -> Result<Vec<T>, Error> {
    if !bytes.len().is_multiple_of(N) {
        return Err(Error::InvalidInput {
            path: path.into(),
            message: format!("length is not a multiple of {N}"),
        });
    }
    Ok(bytes
        .chunks_exact(N)
        .map(|c| from(c.try_into().expect("chunk of N bytes")))
        .collect())
}

fn offsets_from(bytes: &[u8]) -> Result<Vec<usize>, Error> {
    words(bytes, "offsets", i64::from_ne_bytes)?
        .into_iter()
        .map(|o| {
            usize::try_from(o).map_err(|_| Error::InvalidInput {
                path: "offsets".into(),
                message: "negative offset".into(),
            })
        })
        .collect()
}

/// Columnar `irr`: native-endian int64 offsets and float64 amounts (numpy buffers). Returns the
/// float64 rates (NaN where a series failed: internal only) and `(index, PrmError)` pairs.
#[pyfunction]
#[pyo3(signature = (offsets, amounts, guess=None, threads=1))]
fn _irr_columns<'py>(
    py: Python<'py>,
    offsets: &Bound<'py, PyBytes>,
    amounts: &Bound<'py, PyBytes>,
    guess: Option<f64>,
    threads: usize,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>)> {
    let (offsets, amounts) = run(py, || {
        Ok((
            offsets_from(offsets.as_bytes())?,
            words(amounts.as_bytes(), "amounts", f64::from_ne_bytes)?,
        ))
    })?;
    let results = py.detach(|| ropi::irr_batch(&offsets, &amounts, guess, threads));
    columns_out(py, results)
}

/// Columnar `xirr`: int64 offsets, int64 day numbers (e.g. numpy `datetime64[D]`), float64 amounts.
#[pyfunction]
#[pyo3(signature = (offsets, days, amounts, guess=None, threads=1))]
fn _xirr_columns<'py>(
    py: Python<'py>,
    offsets: &Bound<'py, PyBytes>,
    days: &Bound<'py, PyBytes>,
    amounts: &Bound<'py, PyBytes>,
    guess: Option<f64>,
    threads: usize,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyList>)> {
    let (offsets, days, amounts) = run(py, || {
        Ok((
            offsets_from(offsets.as_bytes())?,
            words(days.as_bytes(), "days", i64::from_ne_bytes)?,
            words(amounts.as_bytes(), "amounts", f64::from_ne_bytes)?,
        ))
    })?;
    let results = py.detach(|| ropi::xirr_batch(&offsets, &days, &amounts, guess, threads));
    columns_out(py, results)
}

fn columns_out(
    py: Python<'_>,
    results: Vec<Result<f64, Error>>,
) -> PyResult<(Bound<'_, PyBytes>, Bound<'_, PyList>)> {
    let mut rates = Vec::with_capacity(results.len() * 8);
    let errors = PyList::empty(py);
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) => rates.extend_from_slice(&v.to_ne_bytes()),
            Err(e) => {
                rates.extend_from_slice(&f64::NAN.to_ne_bytes());
                errors.append((i, to_pyerr(py, &e).into_value(py)))?;
            }
        }
    }
    Ok((PyBytes::new(py, &rates), errors))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(npv, m)?)?;
    m.add_function(wrap_pyfunction!(npv_excel, m)?)?;
    m.add_function(wrap_pyfunction!(xnpv, m)?)?;
    m.add_function(wrap_pyfunction!(xnpv_excel, m)?)?;
    m.add_function(wrap_pyfunction!(irr, m)?)?;
    m.add_function(wrap_pyfunction!(irr_roots, m)?)?;
    m.add_function(wrap_pyfunction!(xirr, m)?)?;
    m.add_function(wrap_pyfunction!(xirr_roots, m)?)?;
    m.add_function(wrap_pyfunction!(mirr, m)?)?;
    m.add_function(wrap_pyfunction!(payback, m)?)?;
    m.add_function(wrap_pyfunction!(discounted_payback, m)?)?;
    m.add_function(wrap_pyfunction!(partner_economics, m)?)?;
    m.add_function(wrap_pyfunction!(mdf_roi, m)?)?;
    m.add_function(wrap_pyfunction!(clv, m)?)?;
    m.add_function(wrap_pyfunction!(weighted_pipeline, m)?)?;
    m.add_function(wrap_pyfunction!(time_to_revenue, m)?)?;
    m.add_function(wrap_pyfunction!(_irr_many, m)?)?;
    m.add_function(wrap_pyfunction!(_xirr_many, m)?)?;
    m.add_function(wrap_pyfunction!(_irr_columns, m)?)?;
    m.add_function(wrap_pyfunction!(_xirr_columns, m)?)?;
    Ok(())
}
