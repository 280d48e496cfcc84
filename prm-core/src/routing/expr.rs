//! The condition language: a JSON tree (`all`, `any`, `not`, leaves comparing a field with a
//! value or with another field). In JSON a condition may also be given in its text form, a
//! string (`"lead.country in [\"DE\"] and lead.amount >= 50000"`).

use super::text;
use crate::json::buffered;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// The field's value is in the list.
    In,
    /// The field's value is not in the list.
    NotIn,
    /// A list field contains the value; a string field contains it as a substring.
    Contains,
    /// A list field shares a value with the list.
    ContainsAny,
    /// A list field contains every value of the list.
    ContainsAll,
    /// A string field starts with the value.
    StartsWith,
    /// The field is present and not null (`value: true`), or absent or null (`value: false`).
    Exists,
    /// `lo ≤ field ≤ hi` for `value: [lo, hi]`.
    Between,
}

impl Op {
    /// The op's JSON name (`"not_in"`).
    pub fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::Contains => "contains",
            Op::ContainsAny => "contains_any",
            Op::ContainsAll => "contains_all",
            Op::StartsWith => "starts_with",
            Op::Exists => "exists",
            Op::Between => "between",
        }
    }
}

/// A literal value in a condition.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Literal {
    /// `true` / `false`.
    Bool(bool),
    /// A string (compared with a numeric field, it must be a decimal: `"45000.50"`).
    Str(String),
    /// A number (compared as a decimal).
    Num(#[schemars(with = "f64")] Decimal),
    /// A list of literals.
    List(Vec<Literal>),
}

impl<'de> Deserialize<'de> for Literal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Literal::from_json(buffered::value(d)?).ok_or_else(|| buffered::no_variant("Literal"))
    }
}

impl Literal {
    /// The first variant that takes the value, in declaration order (an untagged enum).
    fn from_json(v: Value) -> Option<Literal> {
        Some(match v {
            Value::Bool(b) => Literal::Bool(b),
            Value::String(s) => Literal::Str(s),
            Value::Number(_) => Literal::Num(buffered::part(v).ok()?),
            Value::Array(xs) => Literal::List(xs.into_iter().map(Literal::from_json).collect::<Option<_>>()?),
            Value::Null | Value::Object(_) => return None,
        })
    }

    fn num_ser<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // numbers stay JSON numbers in a condition (a string would read back as a string)
            Literal::Num(d) => {
                let f: serde_json::Number = d.to_string().parse().map_err(serde::ser::Error::custom)?;
                f.serialize(s)
            }
            Literal::Bool(b) => b.serialize(s),
            Literal::Str(t) => t.serialize(s),
            Literal::List(l) => {
                use serde::ser::SerializeSeq;
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for x in l {
                    seq.serialize_element(&LitSer(x))?;
                }
                seq.end()
            }
        }
    }
}

struct LitSer<'a>(&'a Literal);

impl Serialize for LitSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.num_ser(s)
    }
}

/// A leaf: `field op value` or `field op field_ref`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Leaf {
    /// A field path: `lead.country`, `partner.attributes.segment`.
    pub field: String,
    /// The comparison.
    pub op: Op,
    /// The value compared with (not with `field_ref`).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "ser_lit")]
    pub value: Option<Literal>,
    /// Another field compared with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_ref: Option<String>,
}

#[allow(clippy::ref_option)]
fn ser_lit<S: Serializer>(v: &Option<Literal>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(l) => l.num_ser(s),
        None => s.serialize_none(),
    }
}

/// A condition tree.
///
/// ```
/// use prm_core::routing::Condition;
/// let c: Condition = serde_json::from_str(
///     r#"{"all": [{"field": "lead.country", "op": "in", "value": ["DE", "AT"]},
///                 {"field": "lead.amount", "op": "gte", "value": 50000}]}"#).unwrap();
/// assert_eq!(c.to_string(), r#"lead.country in ["DE", "AT"] and lead.amount >= 50000"#);
/// // the text form is accepted wherever a condition is
/// let t: Condition = serde_json::from_str(r#""lead.country in [\"DE\", \"AT\"] and lead.amount >= 50000""#).unwrap();
/// assert_eq!(t, c);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every child holds (`true` when empty).
    All(Vec<Condition>),
    /// Some child holds (`false` when empty).
    Any(Vec<Condition>),
    /// The child does not hold.
    Not(Box<Condition>),
    /// A comparison.
    Leaf(Leaf),
}

impl Condition {
    /// The same condition with one-child groups unwrapped (`{"all": [x]}` → `x`) and the implicit
    /// `true` of a bare `exists` written out: the form the text syntax round-trips exactly
    /// (`parse(format(c)) == c.normalized()`).
    ///
    /// ```
    /// use prm_core::routing::{Condition, format_condition, parse_condition};
    /// let c: Condition = serde_json::from_value(serde_json::json!(
    ///     {"any": [{"field": "lead.industry", "op": "exists"}]})).unwrap();
    /// assert_eq!(parse_condition(&format_condition(&c)).unwrap(), c.normalized());
    /// ```
    #[must_use]
    pub fn normalized(&self) -> Condition {
        match self {
            Condition::All(c) | Condition::Any(c) if c.len() == 1 => c[0].normalized(),
            Condition::All(c) => Condition::All(c.iter().map(Condition::normalized).collect()),
            Condition::Any(c) => Condition::Any(c.iter().map(Condition::normalized).collect()),
            Condition::Not(c) => Condition::Not(Box::new(c.normalized())),
            Condition::Leaf(l) if l.op == Op::Exists && l.value.is_none() && l.field_ref.is_none() => {
                Condition::Leaf(Leaf {
                    value: Some(Literal::Bool(true)),
                    ..l.clone()
                })
            }
            Condition::Leaf(l) => Condition::Leaf(l.clone()),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text::format(self))
    }
}

// The JSON forms of a condition, for its schema (decoded by `Condition::from_json`).
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum Repr {
    Text(String),
    All { all: Vec<Condition> },
    Any { any: Vec<Condition> },
    Not { not: Box<Condition> },
    Leaf(Leaf),
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = match self {
            Condition::Leaf(l) => return l.serialize(s),
            _ => s.serialize_map(Some(1))?,
        };
        match self {
            Condition::All(c) => m.serialize_entry("all", c)?,
            Condition::Any(c) => m.serialize_entry("any", c)?,
            Condition::Not(c) => m.serialize_entry("not", c)?,
            Condition::Leaf(_) => {}
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Condition::from_json(&buffered::value(d)?) {
            Some(Ok(c)) => Ok(c),
            Some(Err(e)) => Err(serde::de::Error::custom(e)),
            None => Err(buffered::no_variant("Repr")),
        }
    }
}

impl Condition {
    /// The first form that takes the value, in `Repr`'s order: text (whose syntax errors are
    /// the condition's), `all`, `any`, `not` (other fields ignored), a leaf. `None` when no
    /// form takes it.
    fn from_json(v: &Value) -> Option<Result<Condition, crate::Error>> {
        let m = match v {
            Value::String(t) => return Some(text::parse(t)),
            Value::Object(m) => m,
            _ => return None,
        };
        let children = |v: Option<&Value>| match v {
            Some(Value::Array(xs)) => xs
                .iter()
                .map(|x| Condition::from_json(x)?.ok())
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        if let Some(c) = children(m.get("all")) {
            return Some(Ok(Condition::All(c)));
        }
        if let Some(c) = children(m.get("any")) {
            return Some(Ok(Condition::Any(c)));
        }
        if let Some(Some(Ok(c))) = m.get("not").map(Condition::from_json) {
            return Some(Ok(Condition::Not(Box::new(c))));
        }
        // a leaf needs its field and op (the object is copied only then)
        if !(m.contains_key("field") && m.contains_key("op")) {
            return None;
        }
        buffered::part(v.clone()).ok().map(|l| Ok(Condition::Leaf(l)))
    }
}

impl schemars::JsonSchema for Condition {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Condition".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Repr::json_schema(generator)
    }
}
