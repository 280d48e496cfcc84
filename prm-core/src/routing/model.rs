//! Leads, partners, policies, state and decisions: the JSON shapes of SPEC §2.

use super::expr::Condition;
use crate::domain::{LeadId, PartnerId, Timestamp, serde_decimal};
use crate::json::buffered;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A caller-defined attribute value: a scalar or a list of scalars.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum AttrValue {
    /// `true`.
    Bool(bool),
    /// `"enterprise"` (strings stay strings, even when they look like numbers).
    Str(String),
    /// `42`, `0.5`.
    Num(#[serde(serialize_with = "serde_decimal::serialize")] Decimal),
    /// `["a", "b"]`.
    List(Vec<AttrValue>),
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        AttrValue::from_json(buffered::value(d)?).ok_or_else(|| buffered::no_variant("AttrValue"))
    }
}

impl AttrValue {
    /// The first variant that takes the value, in declaration order (an untagged enum).
    fn from_json(v: Value) -> Option<AttrValue> {
        Some(match v {
            Value::Bool(b) => AttrValue::Bool(b),
            Value::String(s) => AttrValue::Str(s),
            Value::Number(_) => AttrValue::Num(buffered::part(v).ok()?),
            Value::Array(xs) => {
                AttrValue::List(xs.into_iter().map(AttrValue::from_json).collect::<Option<_>>()?)
            }
            Value::Null | Value::Object(_) => return None,
        })
    }
}

/// A point on Earth, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// A lead to route.
///
/// ```
/// let lead: prm_core::routing::Lead = serde_json::from_str(
///     r#"{"id": "L1", "country": "DE", "amount": "75000", "products": ["security"]}"#).unwrap();
/// assert_eq!(lead.amount, Some(75000.into()));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lead {
    /// The lead's id (also the input of the `weighted` strategy's hash).
    pub id: LeadId,
    /// ISO country code, as the caller normalises it.
    #[serde(default)]
    pub country: Option<String>,
    /// Sales region.
    #[serde(default)]
    pub region: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub postal_code: Option<String>,
    /// Industry.
    #[serde(default)]
    pub industry: Option<String>,
    /// Products of interest.
    #[serde(default)]
    pub products: Vec<String>,
    /// Employees.
    #[serde(default)]
    pub employees: Option<Decimal>,
    /// Deal size (no currency needed for rules).
    #[serde(default)]
    pub amount: Option<Decimal>,
    /// When the lead came in.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// Where it is (for `nearest`).
    #[serde(default)]
    pub location: Option<Location>,
    /// Caller-defined values: `lead.attributes.<key>`.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttrValue>,
}

/// A partner's recent performance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Performance {
    /// Share of leads converted.
    #[serde(default)]
    pub conversion_rate: Option<Decimal>,
    /// Median hours to first response.
    #[serde(default)]
    pub response_hours: Option<Decimal>,
}

fn yes() -> bool {
    true
}

/// A partner that can receive leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The partner's id.
    pub id: PartnerId,
    /// Inactive partners are never candidates (default true).
    #[serde(default = "yes")]
    pub active: bool,
    /// Program tier.
    #[serde(default)]
    pub tier: Option<String>,
    /// Countries covered.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Regions covered.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Industries served.
    #[serde(default)]
    pub industries: Vec<String>,
    /// Products sold.
    #[serde(default)]
    pub products: Vec<String>,
    /// Certifications held.
    #[serde(default)]
    pub certifications: Vec<String>,
    /// Most open leads at once (absent: unlimited).
    #[serde(default)]
    pub capacity: Option<u64>,
    /// Leads open now.
    #[serde(default)]
    pub open_leads: u64,
    /// Weight for the `weighted` strategy (absent: 1; 0: never chosen by it).
    #[serde(default)]
    pub weight: Option<u64>,
    /// Where it is (for `nearest`).
    #[serde(default)]
    pub location: Option<Location>,
    /// Recent performance.
    #[serde(default)]
    pub performance: Option<Performance>,
    /// Caller-defined values: `partner.attributes.<key>`.
    #[serde(default)]
    pub attributes: BTreeMap<String, AttrValue>,
}

/// How a rule chooses among its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Strategy {
    /// The first candidate in the order the partners were given.
    First,
    /// The next id after the rule's last choice (ids in byte order), wrapping.
    RoundRobin,
    /// A stable FNV-1a point of (seed, lead id) over the candidates' weights.
    Weighted,
    /// The highest `scoring` total; ties by fewer open leads, then smaller id.
    BestScore,
    /// The smallest great-circle distance to the lead; ties by smaller id.
    Nearest,
}

impl Strategy {
    const NAMES: &[&str] = &["first", "round_robin", "weighted", "best_score", "nearest"];
}

impl<'de> Deserialize<'de> for Strategy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // unit variants: other fields are ignored
        Ok(match buffered::tagged(d, "Strategy", Strategy::NAMES)?.variant {
            0 => Strategy::First,
            1 => Strategy::RoundRobin,
            2 => Strategy::Weighted,
            3 => Strategy::BestScore,
            _ => Strategy::Nearest,
        })
    }
}

/// One term of a `best_score` rule.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum ScoringTerm {
    /// Adds `points` when the condition holds.
    When {
        /// On the lead and the partner.
        when: Condition,
        /// Points added.
        #[serde(serialize_with = "serde_decimal::serialize")]
        points: Decimal,
    },
    /// Adds `weight` × the numeric field (0 when missing).
    Field {
        /// A numeric field path (`partner.performance.conversion_rate`).
        field: String,
        /// Its weight.
        #[serde(serialize_with = "serde_decimal::serialize")]
        weight: Decimal,
    },
}

/// `ScoringTerm::When`'s fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WhenTerm {
    when: Condition,
    points: Decimal,
}

/// `ScoringTerm::Field`'s fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldTerm {
    field: String,
    weight: Decimal,
}

impl<'de> Deserialize<'de> for ScoringTerm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // an untagged enum: the first variant that takes the object
        let v = buffered::value(d)?;
        if !v.is_object() {
            return Err(buffered::no_variant("ScoringTerm"));
        }
        if let Ok(WhenTerm { when, points }) = buffered::part(v.clone()) {
            return Ok(ScoringTerm::When { when, points });
        }
        match buffered::part(v) {
            Ok(FieldTerm { field, weight }) => Ok(ScoringTerm::Field { field, weight }),
            Err(_) => Err(buffered::no_variant("ScoringTerm")),
        }
    }
}

/// One routing rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Unique within the policy; named in decisions and traces.
    pub name: String,
    /// Condition on the lead (absent: always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Condition on the partner, may reference the lead (absent: every active partner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible: Option<Condition>,
    /// How to choose.
    pub strategy: Strategy,
    /// Scoring terms (`best_score` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scoring: Vec<ScoringTerm>,
}

/// What happens to a lead no rule routes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fallback {
    /// The vendor handles it directly.
    #[default]
    Direct,
    /// It waits in a named queue.
    Queue {
        /// The queue.
        name: String,
    },
}

/// `Fallback::Queue`'s fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueueFields {
    name: String,
}

impl<'de> Deserialize<'de> for Fallback {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tagged = buffered::tagged(d, "Fallback", &["direct", "queue"])?;
        if tagged.variant == 0 {
            // a unit variant: other fields are ignored
            return Ok(Fallback::Direct);
        }
        let QueueFields { name } = buffered::part_or(Value::Object(tagged.rest))?;
        Ok(Fallback::Queue { name })
    }
}

/// A routing policy: rules tried in order, a fallback and the seed of `weighted`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingPolicy {
    /// Tried in order; the first whose `when` holds and that has a candidate decides.
    pub rules: Vec<Rule>,
    /// When no rule decides.
    #[serde(default)]
    pub fallback: Fallback,
    /// The seed of the `weighted` strategy's hash.
    #[serde(default)]
    pub seed: u64,
}

/// Round-robin memory: per rule name, the id of the partner it chose last. Passed in and
/// returned, never hidden.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingState {
    /// Rule name → last chosen partner id.
    #[serde(default)]
    pub last: BTreeMap<String, PartnerId>,
}

/// A candidate of the deciding rule, in the strategy's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The partner.
    pub partner_id: PartnerId,
    /// Its score (`best_score`) or distance in km (`nearest`).
    #[serde(serialize_with = "serde_decimal::option::serialize")]
    pub score: Option<Decimal>,
}

/// What a tried rule did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Its `when` did not hold.
    WhenFalse,
    /// No partner was a candidate.
    NoCandidates,
    /// It chose the partner.
    Decided,
}

/// One tried rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceEntry {
    /// The rule's name (shared with the policy: a clone is a reference count).
    pub rule: Arc<str>,
    /// What it did.
    pub outcome: Outcome,
}

/// Where a lead goes, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutingDecision {
    /// The lead.
    pub lead_id: LeadId,
    /// The chosen partner (null on fallback).
    pub partner_id: Option<PartnerId>,
    /// The deciding rule (null on fallback).
    pub rule: Option<Arc<str>>,
    /// The fallback applied, if any.
    pub fallback: Option<Fallback>,
    /// The winner's score (`best_score`) or distance in km (`nearest`).
    #[serde(serialize_with = "serde_decimal::option::serialize")]
    pub score: Option<Decimal>,
    /// The deciding rule's candidates in the strategy's order.
    pub candidates: Vec<Candidate>,
    /// Every rule tried, in order, and its outcome.
    pub trace: Vec<TraceEntry>,
}
