//! The JSON shapes of tier programs, metrics and statuses (SPEC §3).

use crate::domain::{PartnerId, Timestamp, serde_decimal};
use crate::json::buffered;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A partner program: tiers from lowest to highest.
///
/// ```
/// let program: prm_core::tiers::TierProgramSpec = serde_json::from_str(r#"{
///   "tiers": [
///     {"name": "registered"},
///     {"name": "silver", "requirements": {"metric": "revenue", "op": "gte", "value": "100000"}},
///     {"name": "gold", "requirements": {"all": [
///        {"metric": "revenue", "op": "gte", "value": "500000"},
///        {"at_least": 1, "of": [{"metric": "certified", "op": "gte", "value": 3},
///                               {"metric": "csat", "op": "gt", "value": "4.5"}]}]}}
///   ],
///   "grace_periods": 1
/// }"#).unwrap();
/// assert_eq!(program.tiers.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierProgramSpec {
    /// Tiers, lowest first.
    pub tiers: Vec<TierSpec>,
    /// Consecutive failed evaluations tolerated (on probation) before a demotion (default 0).
    #[serde(default)]
    pub grace_periods: u32,
}

/// One tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// Unique name.
    pub name: String,
    /// What a partner must meet; absent means always met.
    #[serde(default)]
    pub requirements: Option<Requirement>,
    /// Caller-defined benefits (discount rates, MDF budgets, ...), carried through untouched.
    #[serde(default)]
    pub benefits: BTreeMap<String, serde_json::Value>,
}

/// A requirement tree.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Requirement {
    /// `{"metric": M, "op": OP, "value": D}`.
    Leaf {
        /// The metric's name.
        metric: String,
        /// The comparison.
        op: Op,
        /// The threshold.
        value: Decimal,
    },
    /// Every child holds (an empty list holds).
    All {
        /// The children.
        all: Vec<Requirement>,
    },
    /// Some child holds (an empty list does not).
    Any {
        /// The children.
        any: Vec<Requirement>,
    },
    /// At least `n` children hold.
    AtLeast {
        /// How many.
        at_least: u32,
        /// The children.
        of: Vec<Requirement>,
    },
    /// Points: each term earns `floor(value / per) × points`, capped at `cap`; holds when the sum
    /// is at least `min`.
    Points {
        /// The scoring terms.
        points: Vec<PointsTerm>,
        /// The minimum total.
        min: Decimal,
    },
}

/// `Requirement::Leaf`'s fields.
#[derive(Deserialize)]
struct LeafFields {
    metric: String,
    op: Op,
    value: Decimal,
}

/// `Requirement::Points`'s fields.
#[derive(Deserialize)]
struct PointsFields {
    points: Vec<PointsTerm>,
    min: Decimal,
}

impl<'de> Deserialize<'de> for Requirement {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Requirement::from_json(&buffered::value(d)?).ok_or_else(|| buffered::no_variant("Requirement"))
    }
}

impl Requirement {
    /// The first variant that takes the object, in declaration order (an untagged enum whose
    /// variants ignore fields they do not have).
    fn from_json(v: &Value) -> Option<Requirement> {
        let Value::Object(m) = v else { return None };
        let has = |keys: &[&str]| keys.iter().all(|k| m.contains_key(*k));
        let children = |key: &str| match m.get(key) {
            Some(Value::Array(xs)) => xs.iter().map(Requirement::from_json).collect::<Option<Vec<_>>>(),
            _ => None,
        };
        // (a variant's fields are decoded from a copy of the object only when all are there)
        if has(&["metric", "op", "value"])
            && let Ok(LeafFields { metric, op, value }) = buffered::part(v.clone())
        {
            return Some(Requirement::Leaf { metric, op, value });
        }
        if let Some(all) = children("all") {
            return Some(Requirement::All { all });
        }
        if let Some(any) = children("any") {
            return Some(Requirement::Any { any });
        }
        let at_least = m
            .get("at_least")
            .and_then(|n| buffered::part::<u32>(n.clone()).ok());
        if let (Some(at_least), Some(of)) = (at_least, children("of")) {
            return Some(Requirement::AtLeast { at_least, of });
        }
        if !has(&["points", "min"]) {
            return None;
        }
        let PointsFields { points, min } = buffered::part(v.clone()).ok()?;
        Some(Requirement::Points { points, min })
    }
}

/// A comparison of a metric with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// `≥`
    Gte,
    /// `>`
    Gt,
    /// `≤`
    Lte,
    /// `<`
    Lt,
    /// `=`
    Eq,
    /// `≠`
    Ne,
}

impl Op {
    /// The op's name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Gte => "gte",
            Op::Gt => "gt",
            Op::Lte => "lte",
            Op::Lt => "lt",
            Op::Eq => "eq",
            Op::Ne => "ne",
        }
    }

    /// `actual OP required`.
    pub fn holds(self, actual: Decimal, required: Decimal) -> bool {
        match self {
            Op::Gte => actual >= required,
            Op::Gt => actual > required,
            Op::Lte => actual <= required,
            Op::Lt => actual < required,
            Op::Eq => actual == required,
            Op::Ne => actual != required,
        }
    }
}

/// A term of a points requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PointsTerm {
    /// The metric.
    pub metric: String,
    /// Units of the metric per award (> 0).
    pub per: Decimal,
    /// Points per award.
    pub points: Decimal,
    /// Most points this term can earn.
    #[serde(default)]
    pub cap: Option<Decimal>,
}

/// A partner's metrics for one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerMetrics {
    /// The partner.
    pub partner_id: PartnerId,
    /// Metric name → value; a metric absent here is *missing*, never zero.
    #[serde(default, serialize_with = "serde_decimal::map::serialize")]
    pub values: BTreeMap<String, Decimal>,
}

/// What happened to a partner's tier in an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// First evaluation (no previous status).
    New,
    /// Qualified above the previous tier.
    Promoted,
    /// Qualified for the previous tier.
    Retained,
    /// Qualified below the previous tier, within the grace periods: the tier is kept.
    Probation,
    /// Qualified below the previous tier after the grace periods: dropped to the qualified tier.
    Demoted,
}

impl Change {
    /// The change's name as in JSON.
    ///
    /// ```
    /// assert_eq!(prm_core::tiers::Change::Probation.as_str(), "probation");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Promoted => "promoted",
            Change::Retained => "retained",
            Change::Probation => "probation",
            Change::Demoted => "demoted",
        }
    }
}

/// An unmet requirement of the next tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Gap {
    /// The metric (`"points"` for a points requirement).
    pub metric: String,
    /// The comparison (`gte` for points).
    pub op: Op,
    /// The threshold (the minimum for points).
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub required: Decimal,
    /// The partner's value (the points total for points); null when the metric is missing.
    #[serde(serialize_with = "serde_decimal::option::serialize")]
    pub actual: Option<Decimal>,
    /// How far from the threshold: `required − actual` for gte/gt, `actual − required` for
    /// lte/lt; null for eq/ne and missing metrics.
    #[serde(serialize_with = "serde_decimal::option::serialize")]
    pub short_by: Option<Decimal>,
}

/// A partner's tier after an evaluation; pass it back as `previous` next period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TierStatus {
    /// The partner.
    pub partner_id: PartnerId,
    /// The tier held (null: none).
    pub tier: Option<String>,
    /// The highest tier whose requirements hold now (null: none).
    pub qualified_tier: Option<String>,
    /// What happened.
    pub change: Change,
    /// Consecutive failed evaluations (non-zero only on probation).
    #[serde(default)]
    pub failures: u32,
    /// Evaluations left before a demotion (null unless on probation).
    #[serde(default)]
    pub probation_remaining: Option<u32>,
    /// The unmet requirements of the tier above `tier`, in document order.
    #[serde(default)]
    pub gaps_to_next: Vec<Gap>,
    /// The `as_of` of the evaluation.
    #[serde(default, serialize_with = "crate::domain::serde_timestamp::option::serialize")]
    pub evaluated_at: Option<Timestamp>,
}
