//! An index over the rules' `when`: for a lead, the rules whose `when` can hold, so the others
//! are skipped without evaluating them.
//!
//! A rule whose `when` has a top-level conjunct `lead.F in [texts]` or `lead.F == "text"` (F one
//! of the lead's text fields) can only hold when the lead's F is one of those texts. For each
//! such field the index keeps, per value, the set of rules that can hold (a bitset); rules
//! without a conjunct on F are in every set. A lead's possible rules are the intersection over
//! the indexed fields. The rules in the set are still evaluated in full, so the index only ever
//! skips rules whose `when` is false.

use super::compile::{CCond, Lit, Rhs};
use super::expr::Op;
use super::fields::{Field, Val, read};
use super::model::Lead;
use crate::hash::FnvMap;

/// The possible rules per value of one lead field.
#[derive(Debug, Clone)]
struct FieldIndex {
    field: Field,
    /// Rules that can hold when the field has this value.
    by_value: FnvMap<Box<str>, Vec<u64>>,
    /// Rules without a conjunct on the field: all that can hold for any other value or none.
    free: Vec<u64>,
}

/// The `when` index of a compiled policy.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleIndex {
    fields: Vec<FieldIndex>,
    words: usize,
}

/// The texts a conjunct allows for an indexable field, if it is `F in [texts]` or `F == text`.
fn allowed(c: &CCond) -> Option<(&Field, Vec<&str>)> {
    let CCond::Leaf(l) = c else { return None };
    if !matches!(
        l.field,
        Field::LeadCountry | Field::LeadRegion | Field::LeadPostal | Field::LeadIndustry
    ) {
        return None;
    }
    match (&l.op, &l.rhs, &l.sorted) {
        (Op::In, _, Some(texts)) => Some((&l.field, texts.iter().map(|t| &**t).collect())),
        (Op::Eq, Rhs::Lit(Lit::Str(t)), _) => Some((&l.field, vec![t.as_str()])),
        _ => None,
    }
}

fn conjuncts(c: &CCond) -> &[CCond] {
    match c {
        CCond::All(xs) => xs,
        other => std::slice::from_ref(other),
    }
}

impl RuleIndex {
    /// Builds the index over the rules' `when` conditions (in rule order).
    pub(crate) fn new(whens: &[Option<&CCond>]) -> Self {
        let n = whens.len();
        let words = n.div_ceil(64).max(1);
        let mut per_field: Vec<(Field, Vec<Option<Vec<&str>>>)> = Vec::new();
        for (r, w) in whens.iter().enumerate() {
            let Some(w) = w else { continue };
            for c in conjuncts(w) {
                if let Some((field, texts)) = allowed(c) {
                    let k = if let Some(k) = per_field.iter().position(|(f, _)| f == field) {
                        k
                    } else {
                        per_field.push((field.clone(), vec![None; n]));
                        per_field.len() - 1
                    };
                    // the first conjunct on a field counts; later ones are still evaluated
                    per_field[k].1[r].get_or_insert(texts);
                }
            }
        }
        let fields = per_field
            .into_iter()
            .map(|(field, lists)| {
                let mut free = vec![0u64; words];
                for (r, list) in lists.iter().enumerate() {
                    if list.is_none() {
                        free[r / 64] |= 1 << (r % 64);
                    }
                }
                let mut by_value: FnvMap<Box<str>, Vec<u64>> = FnvMap::default();
                for (r, list) in lists.iter().enumerate() {
                    for t in list.iter().flatten() {
                        let bits = by_value.entry(Box::from(*t)).or_insert_with(|| free.clone());
                        bits[r / 64] |= 1 << (r % 64);
                    }
                }
                FieldIndex {
                    field,
                    by_value,
                    free,
                }
            })
            .collect();
        Self { fields, words }
    }

    /// The rules whose `when` can hold for `lead`, as a bitset over rule positions.
    pub(crate) fn possible(&self, lead: &Lead) -> Vec<u64> {
        let mut out = vec![u64::MAX; self.words];
        for f in &self.fields {
            let bits = match read(&f.field, lead, None, 0) {
                Val::Str(s) => f.by_value.get(s).unwrap_or(&f.free),
                Val::Null => &f.free,
                _ => continue,
            };
            for (o, b) in out.iter_mut().zip(bits) {
                *o &= b;
            }
        }
        out
    }
}

/// Whether rule `r` is in a bitset from [`RuleIndex::possible`].
pub(crate) fn contains(bits: &[u64], r: usize) -> bool {
    bits.get(r / 64).is_some_and(|w| w & (1 << (r % 64)) != 0)
}
