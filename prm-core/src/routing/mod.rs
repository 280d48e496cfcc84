//! Rules-based lead routing (SPEC §2).
//!
//! A [`RoutingPolicy`] — ordered rules, each a `when` on the lead, an `eligible` on the partner
//! (which may reference the lead), a [`Strategy`] and optional scoring — is compiled once with
//! the partners into a [`Router`]: every field path and op/type pair is validated with the path
//! of the offending node, conditions that only read the partner are evaluated once, and
//! lead-to-partner matches (`partner.countries contains lead.country`) are indexed so a lead is
//! not compared against every partner. Then [`Router::route`], [`Router::route_batch`]
//! (capacity counted across the batch) and [`Router::reroute`] (after a partner declines) decide
//! leads, each decision explained by its trace; [`Router::explain`] adds, per rule tried, every
//! partner that was not a candidate and the first reason (for `eligible`, the path of the first
//! false condition).
//!
//! Conditions are JSON trees or their text form ([`parse_condition`], [`format_condition`]).
//!
//! Choices where the spec is silent:
//! * comparisons between different types (a string attribute against a number) are false
//!   (`ne`: true); strings are never parsed as numbers;
//! * `exists` without a value means `exists true`;
//! * partner ids must be unique (`InvalidPolicy`), and `scoring` on a rule other than
//!   `best_score` is an error rather than ignored;
//! * the `nearest` score is the distance in km as a decimal;
//! * `reroute` excludes the decliners and otherwise routes as `route` does.

mod compile;
mod error;
mod explain;
mod expr;
mod fields;
mod flow;
mod model;
mod router;
mod rule_index;
mod text;

pub use compile::MAX_FIELD_PATH_LEN;
pub use error::{RoutingError, RoutingErrorKind};
pub use explain::{Exclusion, ExclusionReason, Explanation, RuleExplanation};
pub use expr::{Condition, Leaf, Literal, Op};
pub use model::{
    AttrValue, Candidate, Fallback, Lead, Location, Outcome, Partner, Performance, RoutingDecision,
    RoutingPolicy, RoutingState, Rule, ScoringTerm, Strategy, TraceEntry,
};
pub use router::{MAX_PARTNERS, MAX_RULES, Router};
pub use text::{MAX_CONDITION_DEPTH, MAX_CONDITION_TEXT};

use crate::Error;

/// Parses the text form of a condition into its JSON tree; errors give line and column.
///
/// ```
/// use prm_core::routing::{parse_condition, format_condition};
/// let c = parse_condition(r#"lead.country in ["DE","AT"] and lead.amount >= 50000 and not partner.tier == "registered""#)?;
/// assert_eq!(format_condition(&c), r#"lead.country in ["DE", "AT"] and lead.amount >= 50000 and not partner.tier == "registered""#);
/// let err = parse_condition("lead.amount >=").unwrap_err();
/// assert_eq!(err.to_string(), "ParseError at ``: line 1, column 15: expected a value (number, string, true, false or a list), found the end of the text");
/// # Ok::<(), prm_core::Error>(())
/// ```
///
/// ```
/// let c = prm_core::routing::parse_condition("lead.amount between [10000, 50000] or lead.products contains \"security\"")?;
/// assert_eq!(serde_json::to_value(&c).unwrap(), serde_json::json!({"any": [
///     {"field": "lead.amount", "op": "between", "value": [10000, 50000]},
///     {"field": "lead.products", "op": "contains", "value": "security"}]}));
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn parse_condition(text: &str) -> Result<Condition, Error> {
    text::parse(text)
}

/// Prints a condition in its text form (`parse_condition` reads it back to the same tree,
/// one-child groups unwrapped: see [`Condition::normalized`]).
pub fn format_condition(condition: &Condition) -> String {
    text::format(condition)
}

/// The fuzz target's and corpus tests' entry: decodes `{"policy", "partners", "leads"}` or a
/// condition text and runs everything, ignoring errors. Not part of the stable API.
#[doc(hidden)]
pub fn fuzz_entry(text: &str) {
    #[derive(serde::Deserialize)]
    struct Input {
        policy: RoutingPolicy,
        #[serde(default)]
        partners: Vec<Partner>,
        #[serde(default)]
        leads: Vec<Lead>,
    }
    if let Ok(c) = parse_condition(text) {
        // a parsed tree prints and parses back to itself
        let again = parse_condition(&format_condition(&c));
        assert_eq!(again.as_ref().ok(), Some(&c), "text round trip of {text:?}");
    }
    let Ok(input) = crate::json::from_str::<Input>(text) else {
        return;
    };
    if let Ok(router) = Router::new(input.policy, input.partners) {
        let mut state = RoutingState::default();
        let _ = router.route_batch(&input.leads, &mut state);
    }
}
