//! Python values ⇄ prm's JSON shapes.
//!
//! * In: any Python value → `serde_json::Value` ([`to_json`]): `Decimal` → decimal string,
//!   `date` → `YYYY-MM-DD`, `datetime` → RFC 3339 (naive means UTC), int/float/str/bool/None,
//!   dicts and sequences; prm-core then decodes it with the same defaults and error paths as on
//!   every surface.
//! * Out: any `Serialize` output → Python objects ([`to_py`]), with decimals (tagged by
//!   `prm_core::domain::serde_decimal::MARKER`) as real `decimal.Decimal` and timestamps (tagged
//!   by `serde_timestamp::MARKER`) as timezone-aware `datetime`.

use prm_core::Error;
use prm_core::domain::{Date, parse_date, serde_decimal, serde_timestamp};
use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde::ser::{self, Serialize};
use serde_json::{Map, Number, Value};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

fn invalid(path: &str, message: impl Into<String>) -> Error {
    Error::InvalidInput {
        path: path.to_owned(),
        message: message.into(),
    }
}

fn py_failure(path: &str, e: &PyErr) -> Error {
    invalid(path, e.to_string())
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Decodes `T` from an optional Python value (`None` → JSON null), every error path placed
/// under `path` (the argument's name).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    obj: Option<&Bound<'_, PyAny>>,
    path: &str,
) -> Result<T, Error> {
    let value = match obj {
        Some(o) => to_json(o, "").map_err(|e| e.under(path))?,
        None => Value::Null,
    };
    prm_core::json::from_value(value).map_err(|e| e.under(path))
}

/// Any Python value → JSON, naming `path` in errors. Lists and dicts nested deeper than
/// [`prm_core::json::MAX_NESTING`] (or containing themselves) are `LimitExceeded`.
pub(crate) fn to_json(obj: &Bound<'_, PyAny>, path: &str) -> Result<Value, Error> {
    to_json_in(obj, path, 0)
}

/// [`to_json`] of a value inside `depth` containers.
fn to_json_in(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Value, Error> {
    let py = obj.py();
    let fail = |e: PyErr| py_failure(path, &e);
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.is_truthy().map_err(fail)?));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(int_json(obj));
    }
    if obj.is_instance_of::<PyFloat>() {
        return float_json(obj.extract::<f64>().map_err(fail)?, path);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow().map_err(fail)?.into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        if depth >= prm_core::json::MAX_NESTING {
            return Err(prm_core::json::nesting_error());
        }
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key = k
                .cast::<PyString>()
                .map_err(|_| invalid(path, "dictionary keys must be strings"))?;
            let key = key.to_cow().map_err(fail)?.into_owned();
            let value = to_json_in(&v, &child(path, &key), depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return sequence_json(obj, path, depth);
    }
    let decimal = DECIMAL.import(py, "decimal", "Decimal").map_err(fail)?;
    if obj.is_instance(decimal.as_any()).map_err(fail)? {
        return Ok(Value::String(
            obj.str().map_err(fail)?.to_cow().map_err(fail)?.into_owned(),
        ));
    }
    let datetime = DATETIME.import(py, "datetime", "datetime").map_err(fail)?;
    if obj.is_instance(datetime.as_any()).map_err(fail)? {
        let iso: String = obj
            .call_method0("isoformat")
            .and_then(|s| s.extract())
            .map_err(fail)?;
        let naive = obj.getattr("tzinfo").map_err(fail)?.is_none();
        return Ok(Value::String(if naive { iso + "Z" } else { iso }));
    }
    let date = DATE.import(py, "datetime", "date").map_err(fail)?;
    if obj.is_instance(date.as_any()).map_err(fail)? {
        return Ok(Value::String(
            obj.call_method0("isoformat")
                .and_then(|s| s.extract())
                .map_err(fail)?,
        ));
    }
    // numpy scalars and other numbers: integers through __index__, reals through __float__
    if obj.hasattr("__index__").map_err(fail)? {
        return Ok(int_json(&obj.call_method0("__index__").map_err(fail)?));
    }
    if obj.hasattr("__float__").map_err(fail)? {
        return float_json(obj.extract::<f64>().map_err(fail)?, path);
    }
    // numpy arrays, pandas Series and other iterables
    if obj.hasattr("__len__").map_err(fail)? && obj.hasattr("__iter__").map_err(fail)? {
        return sequence_json(obj, path, depth);
    }
    let type_name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    Err(invalid(path, format!("unsupported type `{type_name}`")))
}

fn int_json(obj: &Bound<'_, PyAny>) -> Value {
    if let Ok(i) = obj.extract::<i64>() {
        Value::Number(i.into())
    } else if let Ok(u) = obj.extract::<u64>() {
        Value::Number(u.into())
    } else {
        // too large for 64 bits: as a decimal string (prm's decimals accept strings)
        Value::String(obj.str().map(|s| s.to_string()).unwrap_or_default())
    }
}

fn float_json(v: f64, path: &str) -> Result<Value, Error> {
    Number::from_f64(v)
        .map(Value::Number)
        .ok_or_else(|| invalid(path, format!("{v} is not a finite number")))
}

fn sequence_json(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> Result<Value, Error> {
    if depth >= prm_core::json::MAX_NESTING {
        return Err(prm_core::json::nesting_error());
    }
    let fail = |e: PyErr| py_failure(path, &e);
    let mut items = Vec::new();
    for (i, item) in obj.try_iter().map_err(fail)?.enumerate() {
        items.push(to_json_in(
            &item.map_err(fail)?,
            &format!("{path}[{i}]"),
            depth + 1,
        )?);
    }
    Ok(Value::Array(items))
}

/// Converts every item of a list (fast path), tuple, numpy array or other iterable with `item`,
/// which gets the list's path and the item's index (so no path is formatted unless it fails).
fn list_of<T>(
    obj: &Bound<'_, PyAny>,
    path: &str,
    what: &str,
    item: impl Fn(&Bound<'_, PyAny>, &str, usize) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    if let Ok(list) = obj.cast::<PyList>() {
        return list.iter().enumerate().map(|(i, x)| item(&x, path, i)).collect();
    }
    if obj.is_instance_of::<PyString>() {
        return Err(invalid(
            path,
            format!("expected a sequence of {what}, not a string"),
        ));
    }
    let iter = obj
        .try_iter()
        .map_err(|_| invalid(path, format!("expected a sequence of {what}")))?;
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for (i, x) in iter.enumerate() {
        out.push(item(&x.map_err(|e| py_failure(path, &e))?, path, i)?);
    }
    Ok(out)
}

/// A list of numbers (list, tuple, numpy array, any iterable of reals, `Decimal`s included).
pub(crate) fn f64_list(obj: &Bound<'_, PyAny>, path: &str) -> Result<Vec<f64>, Error> {
    list_of(obj, path, "numbers", f64_item)
}

fn f64_item(item: &Bound<'_, PyAny>, path: &str, i: usize) -> Result<f64, Error> {
    if let Ok(f) = item.cast::<PyFloat>() {
        return Ok(f.value());
    }
    f64_arg(item, &format!("{path}[{i}]"))
}

/// One real number (float, int, `Decimal`, numpy scalar); bools and strings are refused.
pub(crate) fn f64_arg(obj: &Bound<'_, PyAny>, path: &str) -> Result<f64, Error> {
    if obj.is_instance_of::<PyBool>() || obj.is_instance_of::<PyString>() {
        return Err(invalid(path, "expected a number"));
    }
    obj.extract::<f64>()
        .map_err(|_| invalid(path, "expected a number"))
}

/// An optional real number.
pub(crate) fn opt_f64(obj: Option<&Bound<'_, PyAny>>, path: &str) -> Result<Option<f64>, Error> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => f64_arg(o, path).map(Some),
    }
}

/// A list of dates: `date`/`datetime` objects (pandas `Timestamp`s too) or `YYYY-MM-DD` strings.
pub(crate) fn date_list(obj: &Bound<'_, PyAny>, path: &str) -> Result<Vec<Date>, Error> {
    list_of(obj, path, "dates", date_item)
}

fn date_item(item: &Bound<'_, PyAny>, path: &str, i: usize) -> Result<Date, Error> {
    // date and datetime (pandas Timestamp included): read through the datetime C API
    if let Ok(date) = item.extract::<Date>() {
        return Ok(date);
    }
    let at = || format!("{path}[{i}]");
    if let Ok(s) = item.cast::<PyString>() {
        return parse_date(&s.to_cow().map_err(|e| py_failure(&at(), &e))?, &at());
    }
    // other date-likes: `toordinal()` is the proleptic day number chrono counts from too
    let ordinal = item
        .call_method0(pyo3::intern!(item.py(), "toordinal"))
        .and_then(|o| o.extract::<i32>())
        .map_err(|_| invalid(&at(), "expected a date or a YYYY-MM-DD string"))?;
    Date::from_num_days_from_ce_opt(ordinal).ok_or_else(|| invalid(&at(), "date out of range"))
}

/// Any `Serialize` output → Python objects (decimals as `decimal.Decimal`).
pub(crate) fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySer { py }).map_err(|e| e.0)
}

/// A serde error carrying a Python exception.
#[derive(Debug)]
pub(crate) struct SerError(PyErr);

impl std::fmt::Display for SerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        SerError(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for SerError {
    fn from(e: PyErr) -> Self {
        SerError(e)
    }
}

#[derive(Clone, Copy)]
struct PySer<'py> {
    py: Python<'py>,
}

type Out<'py> = Result<Bound<'py, PyAny>, SerError>;

impl<'py> PySer<'py> {
    fn obj<T: IntoPyObject<'py>>(self, v: T) -> Out<'py>
    where
        T::Error: Into<PyErr>,
    {
        Ok(v.into_pyobject(self.py)
            .map_err(Into::into)?
            .into_any()
            .into_bound())
    }
}

/// Collects a sequence into a Python list.
struct SeqSer<'py> {
    ser: PySer<'py>,
    items: Vec<Bound<'py, PyAny>>,
}

/// Collects a map or struct into a Python dict (and, for struct variants, wraps it).
struct MapSer<'py> {
    ser: PySer<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> MapSer<'py> {
    fn finish(self) -> Out<'py> {
        match self.variant {
            None => Ok(self.dict.into_any()),
            Some(v) => {
                let outer = PyDict::new(self.ser.py);
                outer.set_item(v, self.dict)?;
                Ok(outer.into_any())
            }
        }
    }
}

impl<'py> ser::Serializer for PySer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    type SerializeSeq = SeqSer<'py>;
    type SerializeTuple = SeqSer<'py>;
    type SerializeTupleStruct = SeqSer<'py>;
    type SerializeTupleVariant = SeqSer<'py>;
    type SerializeMap = MapSer<'py>;
    type SerializeStruct = MapSer<'py>;
    type SerializeStructVariant = MapSer<'py>;

    fn serialize_bool(self, v: bool) -> Out<'py> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u8(self, v: u8) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_f32(self, v: f32) -> Out<'py> {
        self.obj(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_char(self, v: char) -> Out<'py> {
        self.obj(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Out<'py> {
        self.obj(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Out<'py> {
        Ok(pyo3::types::PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> Out<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Out<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Out<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Out<'py> {
        Ok(static_str(self.py, variant).into_any())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, name: &'static str, value: &T) -> Out<'py> {
        let inner = value.serialize(self)?;
        if name == serde_decimal::MARKER {
            let decimal = DECIMAL.import(self.py, "decimal", "Decimal")?;
            return Ok(decimal.call1((inner,))?);
        }
        if name == serde_timestamp::MARKER {
            // RFC 3339 with `Z`: fromisoformat reads it from Python 3.11; earlier, as +00:00
            let text: String = inner.extract()?;
            let datetime = DATETIME.import(self.py, "datetime", "datetime")?;
            return Ok(datetime.call_method1("fromisoformat", (text.replacen('Z', "+00:00", 1),))?);
        }
        Ok(inner)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Out<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(variant, value.serialize(self)?)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer<'py>, SerError> {
        Ok(SeqSer {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqSer<'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<SeqSer<'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapSer<'py>, SerError> {
        Ok(MapSer {
            ser: self,
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MapSer<'py>, SerError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<MapSer<'py>, SerError> {
        Ok(MapSer {
            ser: self,
            dict: PyDict::new(self.py),
            key: None,
            variant: Some(variant),
        })
    }
}

impl<'py> ser::SerializeSeq for SeqSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }
    fn end(self) -> Out<'py> {
        Ok(PyList::new(self.ser.py, self.items)?.into_any())
    }
}

macro_rules! seq_like {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<'py> ser::$trait for SeqSer<'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = SerError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
                ser::SerializeSeq::serialize_element(self, value)
            }
            fn end(self) -> Out<'py> {
                ser::SerializeSeq::end(self)
            }
        }
    )*};
}
seq_like!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl<'py> ser::SerializeMap for MapSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), SerError> {
        self.key = Some(key.serialize(self.ser)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), SerError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <SerError as ser::Error>::custom("value before key"))?;
        self.dict.set_item(key, value.serialize(self.ser)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

thread_local! {
    /// Python strings for the `&'static str`s of outputs (field names, enum variants), keyed by
    /// address: a result with thousands of `{"rule": ..., "outcome": "when_false"}` entries
    /// shares one key object instead of building it each time.
    static STATIC_STRS: std::cell::RefCell<std::collections::HashMap<(usize, usize), Py<PyString>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The (cached) Python string of a static string.
fn static_str<'py>(py: Python<'py>, s: &'static str) -> Bound<'py, PyString> {
    let key = (s.as_ptr() as usize, s.len());
    STATIC_STRS.with(|m| {
        m.borrow_mut()
            .entry(key)
            .or_insert_with(|| PyString::intern(py, s).unbind())
            .bind(py)
            .clone()
    })
}

impl<'py> ser::SerializeStruct for MapSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.dict
            .set_item(static_str(self.ser.py, key), value.serialize(self.ser)?)?;
        Ok(())
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeStructVariant for MapSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Out<'py> {
        self.finish()
    }
}
