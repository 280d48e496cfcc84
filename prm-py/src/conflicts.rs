//! `prm.conflicts`: conversion and delegation to `prm_core::conflicts`.

use crate::arrow;
use crate::convert::{decode, to_py};
use crate::errors::IntoPyResult;
use crate::pickle;
use prm_core::Error;
use prm_core::conflicts::{self, ConflictPolicy, Customer, DirectOpportunity, Partner, Record, Registration};
use prm_core::domain::Timestamp;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;
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
    let (r, o, ps, p) = book(registrations, opportunities, partners, policy).py_err(py)?;
    let found = py
        .detach(|| conflicts::detect_all_threads(&r, &o, &ps, &p, threads))
        .py_err(py)?;
    to_py(py, &found)
}

fn partners_and_policy(
    partners: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
) -> Result<(Vec<Partner>, ConflictPolicy), Error> {
    Ok((
        decode::<Option<Vec<Partner>>>(partners, "partners")?.unwrap_or_default(),
        self::policy(policy)?,
    ))
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
    let r = decode::<Vec<Registration>>(Some(registrations), "registrations")?;
    let o = decode::<Option<Vec<DirectOpportunity>>>(opportunities, "opportunities")?.unwrap_or_default();
    let (ps, p) = partners_and_policy(partners, policy)?;
    Ok((r, o, ps, p))
}

/// Every pair of records about the same customer: `[(id_a, id_b, evidence)]`, `id_a < id_b`.
#[pyfunction]
#[pyo3(signature = (registrations, opportunities=None, partners=None, policy=None, threads=1))]
fn same_customer_pairs<'py>(
    py: Python<'py>,
    registrations: &Bound<'py, PyAny>,
    opportunities: Option<&Bound<'py, PyAny>>,
    partners: Option<&Bound<'py, PyAny>>,
    policy: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (r, o, ps, p) = book(registrations, opportunities, partners, policy).py_err(py)?;
    let pairs = py
        .detach(|| conflicts::same_customer_pairs(&r, &o, &ps, &p, threads))
        .py_err(py)?;
    to_py(py, &pairs)
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

/// `{prefix}_name`, `_website`, `_email`, `_country`, `_city` columns as customers.
fn table_customers(
    schema: &arrow_schema::Schema,
    batches: &[arrow_array::RecordBatch],
    prefix: &str,
    n: usize,
) -> Result<Vec<Customer>, Error> {
    let col = |f: &str| arrow::strings_or_nulls(schema, batches, &format!("{prefix}_{f}"), n);
    let name = arrow::strings(batches, &format!("{prefix}_name"))?;
    let (website, email, country, city) = (col("website")?, col("email")?, col("country")?, col("city")?);
    Ok(name
        .into_iter()
        .zip(website)
        .zip(email)
        .zip(country)
        .zip(city)
        .map(|((((name, website), email), country), city)| Customer {
            name: name.unwrap_or_default(),
            website,
            email,
            country,
            city,
        })
        .collect())
}

/// Registrations from a flat table (the columns of `prm._frames`).
fn table_registrations(data: AnyRecordBatch) -> PyResult<Result<Vec<Registration>, Error>> {
    let (schema, batches) = arrow::batches(data)?;
    Ok((|| {
        let ids = arrow::strings(&batches, "id")?;
        let n = ids.len();
        let partners = arrow::strings(&batches, "partner_id")?;
        let customers = table_customers(&schema, &batches, "customer", n)?;
        let products = arrow::string_lists_or_empty(&schema, &batches, "products", n)?;
        let t = |f: &str| arrow::timestamps_or_nulls(&schema, &batches, f, n);
        let (sub, appr, rej, exp, closed) = (
            t("submitted_at")?,
            t("approved_at")?,
            t("rejected_at")?,
            t("expires_at")?,
            t("closed_at")?,
        );
        let status = arrow::strings_or_nulls(&schema, &batches, "status", n)?;
        let mut out = Vec::with_capacity(n);
        for (i, (((id, partner), customer), products)) in ids
            .into_iter()
            .zip(partners)
            .zip(customers)
            .zip(products)
            .enumerate()
        {
            let status = status[i]
                .as_ref()
                .map(|s| {
                    prm_core::json::from_value(serde_json::Value::String(s.clone()))
                        .map_err(|e| e.under("status").at_index(i))
                })
                .transpose()?;
            out.push(Registration {
                id: id.unwrap_or_default().into(),
                partner_id: partner.unwrap_or_default().into(),
                customer,
                products,
                amount: None,
                submitted_at: sub[i],
                approved_at: appr[i],
                rejected_at: rej[i],
                expires_at: exp[i],
                closed_at: closed[i],
                status,
            });
        }
        Ok(out)
    })())
}

/// Direct opportunities from a flat table (the columns of `prm._frames`).
fn table_opportunities(data: AnyRecordBatch) -> PyResult<Result<Vec<DirectOpportunity>, Error>> {
    let (schema, batches) = arrow::batches(data)?;
    Ok((|| {
        let ids = arrow::strings(&batches, "id")?;
        let n = ids.len();
        let owners = arrow::strings(&batches, "owner_id")?;
        let accounts = table_customers(&schema, &batches, "account", n)?;
        let products = arrow::string_lists_or_empty(&schema, &batches, "products", n)?;
        let created = arrow::timestamps(&batches, "created_at")?;
        let closed = arrow::timestamps_or_nulls(&schema, &batches, "closed_at", n)?;
        let mut out = Vec::with_capacity(n);
        for (i, (((id, owner), account), products)) in ids
            .into_iter()
            .zip(owners)
            .zip(accounts)
            .zip(products)
            .enumerate()
        {
            let created_at = created[i].ok_or_else(|| Error::InvalidInput {
                path: format!("[{i}].created_at"),
                message: "a direct opportunity needs created_at".into(),
            })?;
            out.push(DirectOpportunity {
                id: id.unwrap_or_default().into(),
                owner_id: owner.unwrap_or_default(),
                account,
                products,
                amount: None,
                created_at,
                closed_at: closed[i],
            });
        }
        Ok(out)
    })())
}

/// One `(record, block)` row per blocking key, with the record's kind, index and id.
#[pyfunction]
#[pyo3(signature = (registrations=None, opportunities=None, partners=None, policy=None, threads=1))]
fn _blocking_keys_arrow(
    py: Python<'_>,
    registrations: Option<AnyRecordBatch>,
    opportunities: Option<AnyRecordBatch>,
    partners: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<PyTable> {
    let r = registrations
        .map(table_registrations)
        .transpose()?
        .transpose()
        .py_err(py)?
        .unwrap_or_default();
    let o = opportunities
        .map(table_opportunities)
        .transpose()?
        .transpose()
        .py_err(py)?
        .unwrap_or_default();
    let (ps, p) = partners_and_policy(partners, policy).py_err(py)?;
    let keys = py
        .detach(|| conflicts::blocking_keys_each(&r, &o, &ps, &p, threads))
        .py_err(py)?;
    // a row per key; a record that cannot be read is one row without a block, with its error
    let (mut kind, mut row, mut id, mut block) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut code, mut path) = (Vec::new(), Vec::new());
    for (i, ks) in keys.iter().enumerate() {
        let (k, j, rid) = if i < r.len() {
            ("registration", i, r[i].id.as_str())
        } else {
            ("opportunity", i - r.len(), o[i - r.len()].id.as_str())
        };
        let rows: Vec<(Option<i64>, Option<&Error>)> = match ks {
            Ok(ks) => ks.iter().map(|&b| (Some(b), None)).collect(),
            Err(e) => vec![(None, Some(e))],
        };
        for (b, e) in rows {
            kind.push(k);
            row.push(u32::try_from(j).unwrap_or(u32::MAX));
            id.push(rid);
            block.push(b);
            code.push(e.map(Error::code));
            path.push(e.map(Error::path));
        }
    }
    let mut out = arrow::Out::default();
    out.text("kind", kind.into_iter().map(Some));
    out.count("row", row.into_iter().map(Some));
    out.text("id", id.into_iter().map(Some));
    out.push("block", std::sync::Arc::new(arrow_array::Int64Array::from(block)));
    out.text("error_code", code.into_iter());
    out.text("error_path", path.into_iter());
    out.finish()
}

/// Conflicts among flat record tables that carry a `block` column.
#[pyfunction]
#[pyo3(signature = (registrations=None, opportunities=None, partners=None, policy=None, threads=1))]
fn _detect_in_blocks_arrow(
    py: Python<'_>,
    registrations: Option<AnyRecordBatch>,
    opportunities: Option<AnyRecordBatch>,
    partners: Option<&Bound<'_, PyAny>>,
    policy: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<PyTable> {
    let blocks_of = |data: AnyRecordBatch| -> PyResult<(arrow_array::RecordBatch, Vec<i64>)> {
        let (schema, batches) = arrow::batches(data)?;
        let one = arrow_select_concat(&schema, &batches)?;
        let blocks = arrow::decimals(&batches, "block", &mut Vec::new())
            .py_err(py)?
            .into_iter()
            .map(|d| d.and_then(|d| i64::try_from(d).ok()).unwrap_or_default())
            .collect();
        Ok((one, blocks))
    };
    let (r, rb) = match registrations {
        Some(t) => {
            let (batch, blocks) = blocks_of(t)?;
            (
                table_registrations(AnyRecordBatch::RecordBatch(batch.into()))?.py_err(py)?,
                blocks,
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let (o, ob) = match opportunities {
        Some(t) => {
            let (batch, blocks) = blocks_of(t)?;
            (
                table_opportunities(AnyRecordBatch::RecordBatch(batch.into()))?.py_err(py)?,
                blocks,
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let (ps, p) = partners_and_policy(partners, policy).py_err(py)?;
    let (found, bad) = py
        .detach(|| conflicts::detect_in_blocks_each(&r, &rb, &o, &ob, &ps, &p, threads))
        .py_err(py)?;
    conflicts_table(&found, &bad)
}

/// The batches of a table as one batch.
fn arrow_select_concat(
    schema: &std::sync::Arc<arrow_schema::Schema>,
    batches: &[arrow_array::RecordBatch],
) -> PyResult<arrow_array::RecordBatch> {
    arrow_select::concat::concat_batches(schema, batches)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// The matcher's evidence for each row's pair `left_*` / `right_*` (customer columns).
#[pyfunction]
#[pyo3(signature = (data, policy=None, threads=1))]
fn _score_pairs_arrow(
    py: Python<'_>,
    data: AnyRecordBatch,
    policy: Option<&Bound<'_, PyAny>>,
    threads: usize,
) -> PyResult<PyTable> {
    let (schema, batches) = arrow::batches(data)?;
    let p = self::policy(policy).py_err(py)?;
    let evidence = py
        .detach(|| {
            let n = arrow::strings(&batches, "left_name")?.len();
            let left = table_customers(&schema, &batches, "left", n)?;
            let right = table_customers(&schema, &batches, "right", n)?;
            conflicts::score_pairs(&left, &right, &p.matching, threads)
        })
        .py_err(py)?;
    let mut out = arrow::Out::default();
    out.push(
        "same_customer",
        std::sync::Arc::new(arrow_array::BooleanArray::from(
            evidence.iter().map(|e| e.same_customer).collect::<Vec<_>>(),
        )),
    );
    out.float("score", evidence.iter().map(|e| Some(e.score)));
    out.float(
        "name_similarity",
        evidence.iter().map(|e| Some(e.name_similarity)),
    );
    out.text("domain", evidence.iter().map(|e| Some(e.domain.as_str())));
    out.text(
        "left_normalized",
        evidence.iter().map(|e| Some(e.normalized_names[0].as_str())),
    );
    out.text(
        "right_normalized",
        evidence.iter().map(|e| Some(e.normalized_names[1].as_str())),
    );
    out.push("reasons", list(evidence.iter().map(|e| e.reasons.iter())));
    out.finish()
}

/// A list-of-text column.
fn list<S: AsRef<str>>(items: impl Iterator<Item = impl IntoIterator<Item = S>>) -> arrow_array::ArrayRef {
    let mut b = arrow_array::builder::ListBuilder::new(arrow_array::builder::StringBuilder::new());
    for xs in items {
        for x in xs {
            b.values().append_value(x);
        }
        b.append(true);
    }
    std::sync::Arc::new(b.finish())
}

/// Conflicts as a flat table (the columns of `prm._frames.CONFLICT_COLUMNS`), followed by one
/// row per record that could not be read: nulls (empty lists), and `error_code`, `error_path`
/// (`registrations[3].approved_at`: the table and row), null on conflict rows.
fn conflicts_table(found: &[conflicts::Conflict], bad: &[Error]) -> PyResult<PyTable> {
    use std::iter::repeat_n;
    let (n, m) = (found.len(), bad.len());
    let text =
        |f: fn(&conflicts::Conflict) -> &str| found.iter().map(move |c| Some(f(c))).chain(repeat_n(None, m));
    let mut out = arrow::Out::default();
    out.text("earlier_id", text(|c| c.earlier_id.as_str()));
    out.text("later_id", text(|c| c.later_id.as_str()));
    out.text("kind", text(|c| c.kind.as_str()));
    out.text("winner_id", text(|c| c.resolution.winner_id.as_str()));
    out.text("rule", text(|c| c.resolution.rule.as_str()));
    out.float(
        "score",
        found
            .iter()
            .map(|c| Some(c.evidence.score))
            .chain(repeat_n(None, m)),
    );
    out.float(
        "name_similarity",
        found
            .iter()
            .map(|c| Some(c.evidence.name_similarity))
            .chain(repeat_n(None, m)),
    );
    out.text("domain", text(|c| c.evidence.domain.as_str()));
    out.push(
        "overlapping_products",
        list(
            found
                .iter()
                .map(|c| c.overlapping_products.iter())
                .chain(repeat_n(std::slice::Iter::default(), m)),
        ),
    );
    out.push(
        "reasons",
        list(
            found
                .iter()
                .map(|c| c.evidence.reasons.iter())
                .chain(repeat_n(std::slice::Iter::default(), m)),
        ),
    );
    out.text(
        "error_code",
        repeat_n(None, n).chain(bad.iter().map(|e| Some(e.code()))),
    );
    out.text(
        "error_path",
        repeat_n(None, n).chain(bad.iter().map(|e| Some(e.path()))),
    );
    out.finish()
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
    m.add_function(wrap_pyfunction!(same_customer_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(_blocking_keys_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_detect_in_blocks_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(_score_pairs_arrow, m)?)?;
    Ok(())
}
