//! The records, policy and results of the conflicts engine (SPEC §5), as serde types.

use crate::domain::{Money, PartnerId, RecordId, Timestamp};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A customer as a registration or opportunity names it.
///
/// ```
/// let c: prm_core::conflicts::Customer = serde_json::from_str(
///     r#"{"name": "Acme GmbH", "website": "https://www.acme.de", "country": "DE"}"#).unwrap();
/// assert_eq!(c.email, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The company name as typed.
    pub name: String,
    /// A website URL or bare domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// A contact e-mail address (its domain is evidence unless free-mail or the partner's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// ISO 3166 country code (compared case-insensitively).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// City (compared after folding accents and case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
}

/// The status of a registration as the vendor's system last recorded it. Informational except
/// `closed_won`, which makes the partner the partner of record on the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Submitted, undecided.
    Pending,
    /// Approved and protected.
    Approved,
    /// Rejected.
    Rejected,
    /// Protection ran out.
    Expired,
    /// The deal was won.
    ClosedWon,
    /// The deal was lost.
    ClosedLost,
}

/// A partner's deal registration.
///
/// ```
/// let r: prm_core::conflicts::Registration = serde_json::from_str(r#"{
///     "id": "R1", "partner_id": "P1", "customer": {"name": "Acme"},
///     "products": ["security"], "submitted_at": "2026-01-05T10:00:00Z"}"#).unwrap();
/// assert!(r.approved_at.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The registration's id (unique among registrations and opportunities).
    pub id: RecordId,
    /// The registering partner.
    pub partner_id: PartnerId,
    /// The customer.
    pub customer: Customer,
    /// Product lines registered.
    #[serde(default)]
    pub products: Vec<String>,
    /// The deal amount (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// When it was submitted. Required in an index and in `detect_all`; a registration being
    /// checked before submission may leave it out (`check` then uses its `as_of`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Timestamp>,
    /// When it was approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_at: Option<Timestamp>,
    /// When it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected_at: Option<Timestamp>,
    /// When its protection ends (default: `approved_at` + the policy's `protection_days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// When the deal closed (won or lost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
    /// The recorded status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RegistrationStatus>,
}

/// A vendor's own (direct) opportunity.
///
/// ```
/// let o: prm_core::conflicts::DirectOpportunity = serde_json::from_str(r#"{
///     "id": "O1", "owner_id": "U7", "account": {"name": "Acme"},
///     "products": ["security"], "created_at": "2026-01-02T00:00:00Z"}"#).unwrap();
/// assert!(o.closed_at.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DirectOpportunity {
    /// The opportunity's id (unique among registrations and opportunities).
    pub id: RecordId,
    /// The vendor's account owner.
    pub owner_id: String,
    /// The customer account.
    pub account: Customer,
    /// Product lines.
    #[serde(default)]
    pub products: Vec<String>,
    /// The amount (informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<Timestamp>,
}

/// A partner, as the conflicts engine needs it.
///
/// ```
/// let p: prm_core::conflicts::Partner = serde_json::from_str(
///     r#"{"id": "P1", "domain": "reseller.de", "tier": "gold", "territories": ["DE", "AT"]}"#).unwrap();
/// assert_eq!(p.territories.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The partner's id.
    pub id: PartnerId,
    /// The partner's own web/e-mail domain: never evidence of a customer's identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Its tier name (ranked by the policy's `tier_order`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Countries it owns (ISO codes).
    #[serde(default)]
    pub territories: Vec<String>,
}

/// A record of an index: a registration or a direct opportunity. In JSON it is the bare record;
/// an object with `owner_id` or `account` is an opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Record {
    /// A partner's registration.
    Registration(Registration),
    /// A direct opportunity.
    Opportunity(DirectOpportunity),
}

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let opp = value
            .as_object()
            .is_some_and(|o| o.contains_key("owner_id") || o.contains_key("account"));
        if opp {
            crate::json::buffered::part_or(value).map(Record::Opportunity)
        } else {
            crate::json::buffered::part_or(value).map(Record::Registration)
        }
    }
}

/// How a pair of conflicting records is resolved: the first rule of the policy that separates
/// the two decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionRule {
    /// The vendor's direct opportunity wins over a registration.
    DirectWins,
    /// The incumbent wins: the partner that already won a deal with this customer (a
    /// `closed_won` registration of the same customer closed before the later record's t0).
    PartnerOfRecord,
    /// The record approved first wins (an approved record beats an unapproved one).
    FirstApproved,
    /// The record submitted (created) first wins; always separates, so it is the last resort.
    FirstSubmitted,
    /// The partner with the higher tier (by the policy's `tier_order`) wins.
    HigherTier,
    /// The partner whose territories contain its customer's country wins.
    TerritoryOwner,
}

impl ResolutionRule {
    /// The name as in JSON.
    ///
    /// ```
    /// assert_eq!(prm_core::conflicts::ResolutionRule::FirstSubmitted.as_str(), "first_submitted");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ResolutionRule::DirectWins => "direct_wins",
            ResolutionRule::PartnerOfRecord => "partner_of_record",
            ResolutionRule::FirstApproved => "first_approved",
            ResolutionRule::FirstSubmitted => "first_submitted",
            ResolutionRule::HigherTier => "higher_tier",
            ResolutionRule::TerritoryOwner => "territory_owner",
        }
    }
}

/// Thresholds and weights of the customer matcher.
///
/// The score starts at the name similarity (1 for equal normalised names, `1 − edits/length`
/// otherwise); a shared registrable domain lifts it to `0.6 + 0.4 × max(name similarity,
/// acronym 1.0, dropped descriptor 0.9)`; different domains, countries and cities subtract
/// their penalties. Records are the same customer when the score reaches `threshold`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct MatchPolicy {
    /// The score at which two customers are the same (default 0.8).
    pub threshold: f64,
    /// Subtracted when both sides have organisation domains and they are unrelated (0.3).
    pub different_domain_penalty: f64,
    /// Subtracted when the domains are one edit apart but not equal (0.1).
    pub near_domain_penalty: f64,
    /// Subtracted when both countries are known and differ and the domains are not equal (0.05).
    pub different_country_penalty: f64,
    /// Subtracted when both cities are known and differ (0.05).
    pub different_city_penalty: f64,
}

impl Default for MatchPolicy {
    fn default() -> Self {
        Self {
            threshold: 0.8,
            different_domain_penalty: 0.3,
            near_domain_penalty: 0.1,
            different_country_penalty: 0.05,
            different_city_penalty: 0.05,
        }
    }
}

/// The conflicts policy: protection window, matcher thresholds, resolution rules, tier order.
///
/// ```
/// let p: prm_core::conflicts::ConflictPolicy = serde_json::from_str(
///     r#"{"protection_days": 60, "resolution": ["direct_wins", "higher_tier"]}"#).unwrap();
/// assert_eq!(p.matching.threshold, 0.8);
/// assert_eq!(p.tier_order, ["registered", "silver", "gold", "platinum"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ConflictPolicy {
    /// Days an approved registration is protected when it has no `expires_at` (default 90).
    pub protection_days: u32,
    /// The customer matcher's thresholds.
    pub matching: MatchPolicy,
    /// Resolution rules in order (default `["direct_wins", "first_submitted"]`);
    /// `first_submitted` is appended when absent, as the last resort.
    pub resolution: Vec<ResolutionRule>,
    /// Tier names lowest first, for `higher_tier` (a partner without a known tier ranks below
    /// every listed tier).
    pub tier_order: Vec<String>,
}

impl Default for ConflictPolicy {
    fn default() -> Self {
        Self {
            protection_days: 90,
            matching: MatchPolicy::default(),
            resolution: vec![ResolutionRule::DirectWins, ResolutionRule::FirstSubmitted],
            tier_order: ["registered", "silver", "gold", "platinum"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// How the two sides' domains compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DomainMatch {
    /// They share a registrable domain (or its name under another public suffix).
    Equal,
    /// Both have organisation domains and none is shared.
    Different,
    /// At least one side has no usable domain.
    Unknown,
}

impl DomainMatch {
    /// The name as in JSON.
    ///
    /// ```
    /// assert_eq!(prm_core::conflicts::DomainMatch::Equal.as_str(), "equal");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            DomainMatch::Equal => "equal",
            DomainMatch::Different => "different",
            DomainMatch::Unknown => "unknown",
        }
    }
}

/// Why two customers are (not) the same: the matcher's explanation.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MatchEvidence {
    /// The decision: the score reached the policy's threshold.
    pub same_customer: bool,
    /// The combined score in [0, 1].
    pub score: f64,
    /// The similarity of the normalised names in [0, 1].
    pub name_similarity: f64,
    /// The two normalised names.
    pub normalized_names: [String; 2],
    /// How the domains compare.
    pub domain: DomainMatch,
    /// Machine-readable reasons, `code` or `code:detail` (`domain_equal:acme.de`,
    /// `country_different:DE/AT`, `free_mail_ignored:gmail.com`, ...). Countries appear folded
    /// with their ASCII letters upper-cased (`DE`, `OSTERREICH`); other scripts as folded.
    pub reasons: Vec<String>,
}

/// The kind of a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Two registrations of the same partner.
    Duplicate,
    /// Registrations of different partners.
    ChannelConflict,
    /// A registration and a direct opportunity.
    DirectConflict,
}

impl ConflictKind {
    /// The name as in JSON.
    ///
    /// ```
    /// assert_eq!(prm_core::conflicts::ConflictKind::DirectConflict.as_str(), "direct_conflict");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Duplicate => "duplicate",
            ConflictKind::ChannelConflict => "channel_conflict",
            ConflictKind::DirectConflict => "direct_conflict",
        }
    }
}

/// Who wins a conflict and by which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Resolution {
    /// The winning record's id.
    pub winner_id: RecordId,
    /// The rule that separated the two.
    pub rule: ResolutionRule,
}

/// A conflict between an earlier and a later record.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Conflict {
    /// The earlier record (by `(t0, id)`).
    pub earlier_id: RecordId,
    /// The later record.
    pub later_id: RecordId,
    /// Its kind.
    pub kind: ConflictKind,
    /// Products both records name, sorted.
    pub overlapping_products: Vec<Arc<str>>,
    /// Why the customers are the same.
    pub evidence: MatchEvidence,
    /// Who wins.
    pub resolution: Resolution,
}
