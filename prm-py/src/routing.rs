//! `prm.routing`: conversion and delegation to `prm_core::routing`.

use crate::arrow;
use crate::convert::{decode, to_py};
use crate::errors::IntoPyResult;
use crate::pickle;
use prm_core::Error;
use prm_core::domain::PartnerId;
use prm_core::routing::{self, Condition, Lead, Partner, RoutingPolicy, RoutingState};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;

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
        slf: &Bound<'py, Self>,
        py: Python<'py>,
        leads: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        // a table (pandas, polars, pyarrow) goes the columnar way: `(table, state)`, the table
        // in the caller's library
        if !leads.is_instance_of::<pyo3::types::PyList>() && leads.hasattr("__arrow_c_stream__")? {
            return py
                .import("prm.routing")?
                .getattr("_route_batch_table")?
                .call1((slf, leads, state))?
                .cast_into::<PyTuple>()
                .map_err(Into::into);
        }
        let (l, mut s) =
            (|| Ok::<_, Error>((decode::<Vec<Lead>>(Some(leads), "leads")?, self::state(state)?)))()
                .py_err(py)?;
        let inner = &slf.get().inner;
        let d = py.detach(|| inner.route_batch(&l, &mut s));
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

    /// The decision `route` makes (state unchanged) with, per rule tried, every partner that was
    /// not a candidate and the first reason: `{decision, rules: [{rule, outcome, excluded}]}`.
    #[pyo3(signature = (lead, state=None))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        lead: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (l, s) =
            (|| Ok::<_, Error>((decode::<Lead>(Some(lead), "lead")?, self::state(state)?)))().py_err(py)?;
        to_py(py, &self.inner.explain(&l, &s))
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

/// Lead columns with a meaning of their own; every other column is an attribute.
const LEAD_COLUMNS: [&str; 10] = [
    "country",
    "region",
    "postal_code",
    "industry",
    "products",
    "employees",
    "amount",
    "created_at",
    "lat",
    "lon",
];

/// An attribute column: its name and value per row.
type Attribute = (String, Vec<Option<prm_core::routing::AttrValue>>);

/// Every column that is not the id or a lead field, as attribute values per row.
fn table_attributes(
    schema: &arrow_schema::Schema,
    batches: &[arrow_array::RecordBatch],
    id_col: &str,
    bad: &mut Vec<(usize, Error)>,
) -> Result<Vec<Attribute>, Error> {
    use prm_core::routing::AttrValue;
    let mut attrs: Vec<Attribute> = Vec::new();
    for f in schema.fields() {
        let name = f.name().as_str();
        if name == id_col || LEAD_COLUMNS.contains(&name) {
            continue;
        }
        let values: Vec<Option<AttrValue>> = match f.data_type() {
            arrow_schema::DataType::Boolean => arrow::decimals(batches, name, bad)?
                .into_iter()
                .map(|v| v.map(|d| AttrValue::Bool(!d.is_zero())))
                .collect(),
            t if t.is_numeric() => arrow::decimals(batches, name, bad)?
                .into_iter()
                .map(|v| v.map(AttrValue::Num))
                .collect(),
            arrow_schema::DataType::List(_) | arrow_schema::DataType::LargeList(_) => {
                arrow::string_lists(batches, name)?
                    .into_iter()
                    .map(|l| Some(AttrValue::List(l.into_iter().map(AttrValue::Str).collect())))
                    .collect()
            }
            _ => arrow::strings(batches, name)?
                .into_iter()
                .map(|v| v.map(AttrValue::Str))
                .collect(),
        };
        attrs.push((name.to_owned(), values));
    }
    Ok(attrs)
}

/// Leads from a table: `id_col`, the lead fields by name, `lat`/`lon`, other columns as attributes.
fn table_leads(
    schema: &arrow_schema::Schema,
    batches: &[arrow_array::RecordBatch],
    id_col: &str,
    bad: &mut Vec<(usize, Error)>,
) -> Result<Vec<Lead>, Error> {
    use prm_core::routing::Location;
    let ids = arrow::strings(batches, id_col)?;
    let n = ids.len();
    let text = |name: &str| arrow::strings_or_nulls(schema, batches, name, n);
    let (country, region, postal, industry) = (
        text("country")?,
        text("region")?,
        text("postal_code")?,
        text("industry")?,
    );
    let products = arrow::string_lists_or_empty(schema, batches, "products", n)?;
    let dec =
        |name: &str, bad: &mut Vec<(usize, Error)>| -> Result<Vec<Option<rust_decimal::Decimal>>, Error> {
            if arrow::has(schema, name) {
                arrow::decimals(batches, name, bad)
            } else {
                Ok(vec![None; n])
            }
        };
    let employees = dec("employees", bad)?;
    let amount = dec("amount", bad)?;
    let created = arrow::timestamps_or_nulls(schema, batches, "created_at", n)?;
    let (lat, lon) = if arrow::has(schema, "lat") && arrow::has(schema, "lon") {
        (arrow::floats(batches, "lat")?, arrow::floats(batches, "lon")?)
    } else {
        (vec![None; n], vec![None; n])
    };
    let mut attrs = table_attributes(schema, batches, id_col, bad)?;
    let mut leads = Vec::with_capacity(n);
    let mut fields = country
        .into_iter()
        .zip(region)
        .zip(postal)
        .zip(industry)
        .zip(products);
    for i in 0..n {
        if ids[i].is_none() {
            bad.push((
                i,
                Error::InvalidInput {
                    path: id_col.to_owned(),
                    message: "no lead id".into(),
                },
            ));
        }
        let ((((country, region), postal_code), industry), products) = fields.next().unwrap_or_default();
        leads.push(Lead {
            id: ids[i].as_deref().unwrap_or("").into(),
            country,
            region,
            postal_code,
            industry,
            products,
            employees: employees[i],
            amount: amount[i],
            created_at: created[i],
            location: lat[i].zip(lon[i]).map(|(lat, lon)| Location { lat, lon }),
            attributes: attrs
                .iter_mut()
                .filter_map(|(k, v)| v[i].take().map(|v| (k.clone(), v)))
                .collect(),
        });
    }
    Ok(leads)
}

/// Routes a table of leads in order (Arrow in, Arrow out): `(table, state)`.
#[pyfunction]
#[pyo3(signature = (router, data, id_col="id", state=None, threads=1))]
fn _route_arrow<'py>(
    py: Python<'py>,
    router: &PyRouter,
    data: AnyRecordBatch,
    id_col: &str,
    state: Option<&Bound<'py, PyAny>>,
    threads: usize,
) -> PyResult<(PyTable, Bound<'py, PyAny>)> {
    let (schema, batches) = arrow::batches(data)?;
    let mut s = self::state(state).py_err(py)?;
    let mut bad: Vec<(usize, Error)> = Vec::new();
    let decisions = py
        .detach(|| {
            let leads = table_leads(&schema, &batches, id_col, &mut bad)?;
            // rows without an id are not routed (they must not take capacity)
            let mut skip = vec![false; leads.len()];
            for (i, _) in &bad {
                skip[*i] = true;
            }
            let ok: Vec<Lead> = leads
                .into_iter()
                .zip(&skip)
                .filter(|(_, s)| !**s)
                .map(|(l, _)| l)
                .collect();
            let mut routed = router
                .inner
                .route_batch_lean_threads(&ok, &mut s, threads)
                .into_iter();
            Ok::<_, Error>(
                skip.iter()
                    .map(|&s| if s { None } else { routed.next() })
                    .collect::<Vec<_>>(),
            )
        })
        .py_err(py)?;
    let mut out = arrow::Out::default();
    let n = decisions.len();
    out.text(
        "lead_id",
        decisions.iter().map(|d| d.as_ref().map(|d| d.lead_id.as_str())),
    );
    out.text(
        "partner_id",
        decisions
            .iter()
            .map(|d| d.as_ref().and_then(|d| d.partner_id.as_deref())),
    );
    out.text(
        "rule",
        decisions
            .iter()
            .map(|d| d.as_ref().and_then(|d| d.rule.as_deref())),
    );
    out.float(
        "score",
        decisions
            .iter()
            .map(|d| d.as_ref().and_then(|d| d.score.map(arrow::f64_of))),
    );
    let fallback: Vec<Option<String>> = decisions
        .iter()
        .map(|d| {
            d.as_ref().and_then(|d| d.fallback.as_ref()).map(|f| match f {
                routing::Fallback::Direct => "direct".to_owned(),
                routing::Fallback::Queue { name } => format!("queue:{name}"),
            })
        })
        .collect();
    out.text("fallback", fallback.iter().map(Option::as_deref));
    bad.sort_by_key(|(i, _)| *i);
    out.errors(n, &bad);
    Ok((out.finish()?, to_py(py, &s)?))
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
    m.add_function(wrap_pyfunction!(_route_arrow, m)?)?;
    Ok(())
}
