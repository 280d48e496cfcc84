//! `Router::explain`: the decision `route` would make, and for every rule it tried, every partner
//! that was not a candidate with the first reason — for `eligible`, the path of the first
//! condition that was false. A separate call so that decisions keep SPEC §2's shape and routing
//! stays lean; a portal asks "why not partner X?" for one lead at a time.

use super::compile::{CCond, Scope, compile, eval};
use super::model::{Lead, Outcome, Partner, RoutingDecision, RoutingState, Strategy};
use super::router::Router;
use crate::domain::PartnerId;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Why a partner was not a candidate of a rule, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// The partner is not active.
    Inactive,
    /// The rule's `eligible` condition is false for it (`condition` says which part).
    Eligible,
    /// It has no spare capacity (`open_leads >= capacity`).
    Capacity,
    /// `weighted` rule: its weight is 0.
    WeightZero,
    /// `nearest` rule: the partner — or the lead — has no location.
    NoLocation,
}

/// A partner that was not a candidate of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// The partner.
    pub partner_id: PartnerId,
    /// The first reason, in [`ExclusionReason`]'s order.
    pub reason: ExclusionReason,
    /// For [`ExclusionReason::Eligible`], the path of the first false condition in the policy:
    /// a leaf (`rules[0].eligible.all[1]`), an `any` none of whose children held, or a `not`
    /// whose child held. Otherwise null.
    pub condition: Option<String>,
}

/// One tried rule, with the partners it excluded (none when its `when` was false: no partner
/// was considered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleExplanation {
    /// The rule's name.
    pub rule: Arc<str>,
    /// What it did (as in the decision's trace).
    pub outcome: Outcome,
    /// Every partner that was not a candidate, in the order the partners were given.
    pub excluded: Vec<Exclusion>,
}

/// A decision with the reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The decision `route` makes for the lead in this state.
    pub decision: RoutingDecision,
    /// The rules tried, in order, with their exclusions.
    pub rules: Vec<RuleExplanation>,
}

/// The path of the first condition of `c` that is false, or `None` when `c` holds.
fn first_false(c: &CCond, path: &str, lead: &Lead, partner: &Partner) -> Option<String> {
    let open = partner.open_leads;
    match c {
        CCond::All(xs) => xs
            .iter()
            .enumerate()
            .find_map(|(i, x)| first_false(x, &format!("{path}.all[{i}]"), lead, partner)),
        CCond::Any(_) | CCond::Not(_) | CCond::Leaf(_) => {
            (!eval(c, lead, Some(partner), open)).then(|| path.to_owned())
        }
    }
}

impl Router {
    /// The decision [`route`](Self::route) makes for `lead` in `state` (which is not changed),
    /// and for every rule it tried, every partner that was not a candidate and why: inactive,
    /// the first false condition of `eligible` (its path), no spare capacity, weight 0 under
    /// `weighted`, no location under `nearest`.
    ///
    /// ```
    /// use prm_core::routing::{ExclusionReason, Router, RoutingState};
    /// let router = Router::from_json(r#"{"rules": [{"name": "dach",
    ///     "eligible": "partner.countries contains lead.country and partner.tier == \"gold\"",
    ///     "strategy": {"type": "first"}}]}"#,
    ///   r#"[{"id": "P1", "countries": ["FR"], "tier": "gold"}, {"id": "P2", "countries": ["DE"], "tier": "silver"},
    ///       {"id": "P3", "countries": ["DE"], "tier": "gold", "capacity": 1, "open_leads": 1},
    ///       {"id": "P4", "countries": ["DE"], "tier": "gold"}]"#)?;
    /// let lead = serde_json::from_str(r#"{"id": "L1", "country": "DE"}"#).unwrap();
    /// let why = router.explain(&lead, &RoutingState::default());
    /// assert_eq!(why.decision.partner_id.unwrap().as_str(), "P4");
    /// let excluded: Vec<_> = why.rules[0].excluded.iter()
    ///     .map(|e| (e.partner_id.as_str(), e.reason, e.condition.as_deref())).collect();
    /// assert_eq!(excluded, [
    ///     ("P1", ExclusionReason::Eligible, Some("rules[0].eligible.all[0]")),
    ///     ("P2", ExclusionReason::Eligible, Some("rules[0].eligible.all[1]")),
    ///     ("P3", ExclusionReason::Capacity, None)]);
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn explain(&self, lead: &Lead, state: &RoutingState) -> Explanation {
        let decision = self.route(lead, &mut state.clone());
        let rules = decision
            .trace
            .iter()
            .enumerate()
            .map(|(r, t)| RuleExplanation {
                rule: t.rule.clone(),
                outcome: t.outcome,
                excluded: if t.outcome == Outcome::WhenFalse {
                    Vec::new()
                } else {
                    self.exclusions(r, lead)
                },
            })
            .collect();
        Explanation { decision, rules }
    }

    fn exclusions(&self, r: usize, lead: &Lead) -> Vec<Exclusion> {
        let rule = &self.policy().rules[r];
        let at = format!("rules[{r}].eligible");
        // compiled again with its tree intact (the router keeps it split into conjuncts); it
        // compiled once already, so it compiles now
        let eligible = rule
            .eligible
            .as_ref()
            .and_then(|c| compile(c, &at, Scope::Both).ok());
        self.partners()
            .iter()
            .filter_map(|p| {
                let (reason, condition) = if !p.active {
                    (ExclusionReason::Inactive, None)
                } else if let Some(path) = eligible.as_ref().and_then(|c| first_false(c, &at, lead, p)) {
                    (ExclusionReason::Eligible, Some(path))
                } else if p.capacity.is_some_and(|c| p.open_leads >= c) {
                    (ExclusionReason::Capacity, None)
                } else if rule.strategy == Strategy::Weighted && p.weight == Some(0) {
                    (ExclusionReason::WeightZero, None)
                } else if rule.strategy == Strategy::Nearest
                    && (p.location.is_none() || lead.location.is_none())
                {
                    (ExclusionReason::NoLocation, None)
                } else {
                    return None;
                };
                Some(Exclusion {
                    partner_id: p.id.clone(),
                    reason,
                    condition,
                })
            })
            .collect()
    }
}
