//! Conditions compiled once: paths resolved, ops checked against field and value types (with
//! the path of the offending node), literals typed; then evaluated many times.

use super::error::{RoutingErrorKind as K, err};
use super::expr::{Condition, Leaf, Literal, Op};
use super::fields::{Field, Ty, Val, read};
use super::model::{AttrValue, Lead, Partner};
use super::text::MAX_CONDITION_DEPTH;
use crate::Error;
use crate::domain::{Timestamp, parse_timestamp};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// A typed literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    Num(Decimal),
    Bool(bool),
    Time(Timestamp),
    List(Vec<Lit>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rhs {
    Lit(Lit),
    Field(Field),
    Exists(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CLeaf {
    pub(crate) field: Field,
    pub(crate) op: Op,
    pub(crate) rhs: Rhs,
    /// For `in` / `not_in` a literal list: its text items sorted by bytes, so a text value is
    /// looked up by binary search instead of compared with every item.
    pub(crate) sorted: Option<Box<[Box<str>]>>,
}

/// A compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CCond {
    All(Vec<CCond>),
    Any(Vec<CCond>),
    Not(Box<CCond>),
    Leaf(CLeaf),
}

/// Where a condition may look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// `when`: the lead only.
    Lead,
    /// `eligible` and scoring: the lead and the partner.
    Both,
}

fn invalid(path: &str, message: impl Into<String>) -> Error {
    err(K::InvalidCondition, path, message)
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The longest field path a condition may name, in bytes (`lead.attributes.<key>`; longer is a
/// `LimitExceeded` error at the condition's `field`).
pub const MAX_FIELD_PATH_LEN: usize = 256;

pub(crate) fn resolve(path: &str, at: &str, scope: Scope) -> Result<(Field, Ty), Error> {
    if path.len() > MAX_FIELD_PATH_LEN {
        return Err(Error::LimitExceeded {
            path: at.to_owned(),
            message: format!(
                "a field path of {} bytes; at most {MAX_FIELD_PATH_LEN}",
                path.len()
            ),
        });
    }
    let (f, ty) = Field::parse(path).ok_or_else(|| invalid(at, format!("unknown field `{path}`")))?;
    if scope == Scope::Lead && f.is_partner() {
        return Err(invalid(
            at,
            format!("`{path}`: a rule's `when` can only look at the lead"),
        ));
    }
    Ok((f, ty))
}

fn scalar(ty: Ty, lit: &Literal, at: &str) -> Result<Lit, Error> {
    let mismatch = |what: &str| invalid(at, format!("a {what} value does not compare with a {ty:?} field"));
    Ok(match (ty, lit) {
        (Ty::Str | Ty::Any, Literal::Str(s)) => Lit::Str(s.clone()),
        (Ty::Num | Ty::Any, Literal::Num(n)) => Lit::Num(*n),
        // decimals may be given as strings, as everywhere in prm
        (Ty::Num, Literal::Str(s)) => Lit::Num(
            s.trim()
                .parse::<Decimal>()
                .or_else(|_| Decimal::from_scientific(s.trim()))
                .map_err(|_| invalid(at, format!("`{s}` is not a number")))?,
        ),
        (Ty::Bool | Ty::Any, Literal::Bool(b)) => Lit::Bool(*b),
        (Ty::Time, Literal::Str(s)) => Lit::Time(parse_timestamp(s, at)?),
        (_, Literal::List(_)) => return Err(mismatch("list")),
        (_, Literal::Str(_)) => return Err(mismatch("string")),
        (_, Literal::Num(_)) => return Err(mismatch("number")),
        (_, Literal::Bool(_)) => return Err(mismatch("boolean")),
    })
}

fn list(ty: Ty, lit: &Literal, at: &str) -> Result<Vec<Lit>, Error> {
    match lit {
        Literal::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| scalar(ty, x, &format!("{at}[{i}]")))
            .collect(),
        _ => Err(invalid(at, "expected a list")),
    }
}

fn ordered(ty: Ty) -> bool {
    matches!(ty, Ty::Num | Ty::Str | Ty::Time | Ty::Any)
}

fn compile_leaf(leaf: &Leaf, path: &str, scope: Scope) -> Result<CLeaf, Error> {
    let fpath = child(path, "field");
    let (field, ty) = resolve(&leaf.field, &fpath, scope)?;
    let vpath = child(path, "value");
    let op = leaf.op;
    let bad_op = || {
        invalid(
            path,
            format!("`{}` does not apply to `{}` ({ty:?})", op.name(), leaf.field),
        )
    };
    if op == Op::Exists {
        if leaf.field_ref.is_some() {
            return Err(invalid(&child(path, "field_ref"), "`exists` takes no field_ref"));
        }
        let want = match &leaf.value {
            None => true,
            Some(Literal::Bool(b)) => *b,
            Some(_) => return Err(invalid(&vpath, "`exists` takes true or false")),
        };
        return Ok(CLeaf {
            field,
            op,
            rhs: Rhs::Exists(want),
            sorted: None,
        });
    }
    // the kinds of field each op applies to
    let applies = match op {
        Op::Eq | Op::Ne | Op::In | Op::NotIn => {
            matches!(ty, Ty::Str | Ty::Num | Ty::Bool | Ty::Time | Ty::Any)
        }
        Op::Lt | Op::Lte | Op::Gt | Op::Gte | Op::Between => ordered(ty),
        Op::Contains => matches!(ty, Ty::List | Ty::Str | Ty::Any),
        Op::ContainsAny | Op::ContainsAll => matches!(ty, Ty::List | Ty::Any),
        Op::StartsWith => matches!(ty, Ty::Str | Ty::Any),
        Op::Exists => true,
    };
    if !applies {
        return Err(bad_op());
    }
    match (&leaf.value, &leaf.field_ref) {
        (Some(_), Some(_)) => Err(invalid(path, "give `value` or `field_ref`, not both")),
        (None, None) => Err(invalid(path, "missing `value` (or `field_ref`)")),
        (None, Some(r)) => {
            let rpath = child(path, "field_ref");
            let (rf, rty) = resolve(r, &rpath, scope)?;
            let ok = match op {
                Op::In | Op::NotIn => matches!(rty, Ty::List | Ty::Any),
                Op::Contains => matches!(rty, Ty::Str | Ty::Num | Ty::Bool | Ty::Any),
                Op::ContainsAny | Op::ContainsAll => matches!(rty, Ty::List | Ty::Any),
                Op::Between => false,
                _ => rty == ty || rty == Ty::Any || ty == Ty::Any,
            };
            if !ok || matches!(rty, Ty::Loc) {
                return Err(invalid(
                    &rpath,
                    format!("`{}` cannot compare `{}` with `{r}`", op.name(), leaf.field),
                ));
            }
            Ok(CLeaf {
                field,
                op,
                rhs: Rhs::Field(rf),
                sorted: None,
            })
        }
        (Some(v), None) => {
            let lit = literal_rhs(op, ty, v, &vpath)?;
            let sorted = match (&lit, op) {
                (Lit::List(items), Op::In | Op::NotIn) => {
                    let mut texts: Vec<Box<str>> = items
                        .iter()
                        .filter_map(|x| match x {
                            Lit::Str(s) => Some(Box::from(&**s)),
                            _ => None,
                        })
                        .collect();
                    crate::sort::by(&mut texts, |a, b| a.as_bytes().cmp(b.as_bytes()));
                    Some(texts.into_boxed_slice())
                }
                _ => None,
            };
            Ok(CLeaf {
                field,
                op,
                rhs: Rhs::Lit(lit),
                sorted,
            })
        }
    }
}

/// The typed literal of a leaf compared with a value.
fn literal_rhs(op: Op, ty: Ty, v: &Literal, vpath: &str) -> Result<Lit, Error> {
    Ok(match op {
        Op::Eq | Op::Ne | Op::Lt | Op::Lte | Op::Gt | Op::Gte | Op::StartsWith => {
            let l = scalar(ty, v, vpath)?;
            if op == Op::StartsWith && !matches!(l, Lit::Str(_)) {
                return Err(invalid(vpath, "`starts_with` takes a string"));
            }
            if matches!(op, Op::Lt | Op::Lte | Op::Gt | Op::Gte) && matches!(l, Lit::Bool(_)) {
                return Err(invalid(vpath, "booleans are not ordered"));
            }
            l
        }
        Op::Contains => {
            let elem = if ty == Ty::List { Ty::Str } else { ty };
            scalar(elem, v, vpath)?
        }
        Op::In | Op::NotIn => Lit::List(list(ty, v, vpath)?),
        Op::ContainsAny | Op::ContainsAll => {
            let elem = if ty == Ty::List { Ty::Str } else { Ty::Any };
            Lit::List(list(elem, v, vpath)?)
        }
        Op::Between => {
            let items = list(ty, v, vpath)?;
            if items.len() != 2 {
                return Err(invalid(vpath, "`between` takes [lo, hi]"));
            }
            match cmp_lit(&items[0], &items[1]) {
                Some(Ordering::Less | Ordering::Equal) => {}
                Some(Ordering::Greater) => return Err(invalid(vpath, "`between` needs lo ≤ hi")),
                None => return Err(invalid(vpath, "`between` bounds must be of one ordered type")),
            }
            Lit::List(items)
        }
        Op::Exists => unreachable_exists(),
    })
}

// `exists` returns earlier; kept as a function so the match stays exhaustive without a panic.
fn unreachable_exists() -> Lit {
    Lit::Bool(true)
}

fn cmp_lit(a: &Lit, b: &Lit) -> Option<Ordering> {
    match (a, b) {
        (Lit::Num(x), Lit::Num(y)) => Some(x.cmp(y)),
        (Lit::Str(x), Lit::Str(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Lit::Time(x), Lit::Time(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Compiles a condition; `path` names it in errors (`rules[2].eligible`).
pub(crate) fn compile(c: &Condition, path: &str, scope: Scope) -> Result<CCond, Error> {
    compile_at(c, path, scope, 0)
}

fn compile_at(c: &Condition, path: &str, scope: Scope, depth: usize) -> Result<CCond, Error> {
    if depth > MAX_CONDITION_DEPTH {
        return Err(Error::LimitExceeded {
            path: path.to_owned(),
            message: format!("conditions nest at most {MAX_CONDITION_DEPTH} deep"),
        });
    }
    let group = |items: &[Condition], key: &str| -> Result<Vec<CCond>, Error> {
        items
            .iter()
            .enumerate()
            .map(|(i, x)| compile_at(x, &format!("{}[{i}]", child(path, key)), scope, depth + 1))
            .collect()
    };
    Ok(match c {
        Condition::All(items) => CCond::All(group(items, "all")?),
        Condition::Any(items) => CCond::Any(group(items, "any")?),
        Condition::Not(x) => CCond::Not(Box::new(compile_at(x, &child(path, "not"), scope, depth + 1)?)),
        Condition::Leaf(l) => CCond::Leaf(compile_leaf(l, path, scope)?),
    })
}

fn lit_val(l: &Lit) -> Val<'_> {
    match l {
        Lit::Str(s) => Val::Str(s),
        Lit::Num(n) => Val::Num(*n),
        Lit::Bool(b) => Val::Bool(*b),
        Lit::Time(t) => Val::Time(*t),
        Lit::List(_) => Val::Null,
    }
}

fn attr_val(a: &AttrValue) -> Val<'_> {
    match a {
        AttrValue::Bool(b) => Val::Bool(*b),
        AttrValue::Str(s) => Val::Str(s),
        AttrValue::Num(n) => Val::Num(*n),
        AttrValue::List(_) => Val::Null,
    }
}

fn cmp(a: Val<'_>, b: Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => Some(x.cmp(&y)),
        (Val::Str(x), Val::Str(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
        (Val::Time(x), Val::Time(y)) => Some(x.cmp(&y)),
        (Val::Bool(x), Val::Bool(y)) if x == y => Some(Ordering::Equal),
        _ => None,
    }
}

fn equal(a: Val<'_>, b: Val<'_>) -> bool {
    cmp(a, b) == Some(Ordering::Equal)
}

/// Whether some item of a list value satisfies `f` (`None` when it is not a list).
fn any_item<'a>(v: Val<'a>, lits: Option<&'a [Lit]>, mut f: impl FnMut(Val<'a>) -> bool) -> Option<bool> {
    if let Some(l) = lits {
        return Some(l.iter().any(|x| f(lit_val(x))));
    }
    match v {
        Val::Strs(s) => Some(s.iter().any(|x| f(Val::Str(x)))),
        Val::Attrs(a) => Some(a.iter().any(|x| f(attr_val(x)))),
        _ => None,
    }
}

fn is_list(v: Val<'_>) -> bool {
    matches!(v, Val::Strs(_) | Val::Attrs(_))
}

fn is_null(v: Val<'_>) -> bool {
    matches!(v, Val::Null)
}

/// Evaluates a compiled condition; `open` is the partner's open leads so far.
pub(crate) fn eval(c: &CCond, lead: &Lead, partner: Option<&Partner>, open: u64) -> bool {
    match c {
        CCond::All(xs) => xs.iter().all(|x| eval(x, lead, partner, open)),
        CCond::Any(xs) => xs.iter().any(|x| eval(x, lead, partner, open)),
        CCond::Not(x) => !eval(x, lead, partner, open),
        CCond::Leaf(l) => leaf(l, lead, partner, open),
    }
}

fn leaf(l: &CLeaf, lead: &Lead, partner: Option<&Partner>, open: u64) -> bool {
    let left = read(&l.field, lead, partner, open);
    if let Rhs::Exists(want) = l.rhs {
        return is_null(left) != want;
    }
    if is_null(left) {
        return false;
    }
    let (right, lits): (Val<'_>, Option<&[Lit]>) = match &l.rhs {
        Rhs::Lit(Lit::List(items)) => (Val::Null, Some(items.as_slice())),
        Rhs::Lit(x) => (lit_val(x), None),
        Rhs::Field(f) => (read(f, lead, partner, open), None),
        Rhs::Exists(_) => return false,
    };
    if lits.is_none() && is_null(right) {
        return false;
    }
    match l.op {
        Op::Eq => equal(left, right),
        Op::Ne => cmp(left, right) != Some(Ordering::Equal),
        Op::Lt => cmp(left, right) == Some(Ordering::Less),
        Op::Lte => matches!(cmp(left, right), Some(Ordering::Less | Ordering::Equal)),
        Op::Gt => cmp(left, right) == Some(Ordering::Greater),
        Op::Gte => matches!(cmp(left, right), Some(Ordering::Greater | Ordering::Equal)),
        Op::In | Op::NotIn => {
            // a text among literal items: only the text items can equal it
            if let (Some(sorted), Val::Str(s)) = (&l.sorted, left) {
                let found = sorted
                    .binary_search_by(|x| x.as_bytes().cmp(s.as_bytes()))
                    .is_ok();
                return found == (l.op == Op::In);
            }
            any_item(right, lits, |x| equal(left, x)) == Some(l.op == Op::In)
        }
        Op::Contains => match (left, right) {
            (Val::Str(s), Val::Str(sub)) => s.contains(sub),
            (list, x) => any_item(list, None, |y| equal(y, x)) == Some(true),
        },
        Op::ContainsAny => {
            is_list(left)
                && any_item(right, lits, |w| {
                    any_item(left, None, |h| equal(h, w)) == Some(true)
                }) == Some(true)
        }
        Op::ContainsAll => {
            is_list(left)
                && any_item(right, lits, |w| {
                    any_item(left, None, |h| equal(h, w)) != Some(true)
                }) == Some(false)
        }
        Op::StartsWith => matches!((left, right), (Val::Str(s), Val::Str(p)) if s.starts_with(p)),
        Op::Between => match lits {
            Some([lo, hi]) => {
                matches!(cmp(left, lit_val(lo)), Some(Ordering::Greater | Ordering::Equal))
                    && matches!(cmp(left, lit_val(hi)), Some(Ordering::Less | Ordering::Equal))
            }
            _ => false,
        },
        Op::Exists => false,
    }
}

/// Whether a compiled condition reads the partner's open-lead count (which changes during a
/// batch).
pub(crate) fn reads_open(c: &CCond) -> bool {
    match c {
        CCond::All(xs) | CCond::Any(xs) => xs.iter().any(reads_open),
        CCond::Not(x) => reads_open(x),
        CCond::Leaf(l) => {
            l.field == Field::PartnerOpen || matches!(&l.rhs, Rhs::Field(f) if *f == Field::PartnerOpen)
        }
    }
}

/// Whether a compiled condition reads anything of the lead (or the partner's open-lead count,
/// which changes during a batch).
pub(crate) fn dynamic(c: &CCond) -> bool {
    let field_dynamic = |f: &Field| !f.is_partner() || *f == Field::PartnerOpen;
    match c {
        CCond::All(xs) | CCond::Any(xs) => xs.iter().any(dynamic),
        CCond::Not(x) => dynamic(x),
        CCond::Leaf(l) => field_dynamic(&l.field) || matches!(&l.rhs, Rhs::Field(f) if field_dynamic(f)),
    }
}
