//! Lead routing for JavaScript: `new Router(policy, partners)`, `.route`, `.routeBatch`,
//! `.reroute`, `parseCondition`, `formatCondition`.

use crate::convert::{IntoJsResult, decode, encode};
use prm_core::Error;
use prm_core::domain::PartnerId;
use prm_core::routing::{self, Condition, Lead, Partner, RoutingDecision, RoutingPolicy, RoutingState};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type Condition =
  | string
  | { all: Condition[] } | { any: Condition[] } | { not: Condition }
  | { field: string; op: "eq" | "ne" | "lt" | "lte" | "gt" | "gte" | "in" | "not_in" | "contains" | "contains_any" | "contains_all" | "starts_with" | "exists" | "between";
      value?: unknown; field_ref?: string };
export interface RoutingRule {
  name: string; when?: Condition; eligible?: Condition;
  strategy: { type: "first" | "round_robin" | "weighted" | "best_score" | "nearest" };
  scoring?: ({ when: Condition; points: DecimalInput } | { field: string; weight: DecimalInput })[];
}
export type Fallback = { type: "direct" } | { type: "queue"; name: string };
export interface RoutingPolicy { rules: RoutingRule[]; fallback?: Fallback; seed?: number; }
export type AttrValue = string | number | boolean | AttrValue[];
export interface Lead {
  id: string; country?: string; region?: string; postal_code?: string; industry?: string; products?: string[];
  employees?: DecimalInput; amount?: DecimalInput; created_at?: string; location?: { lat: number; lon: number };
  attributes?: Record<string, AttrValue>;
}
export interface RoutingPartner {
  id: string; active?: boolean; tier?: string; countries?: string[]; regions?: string[]; industries?: string[];
  products?: string[]; certifications?: string[]; capacity?: number; open_leads?: number; weight?: number;
  location?: { lat: number; lon: number }; performance?: { conversion_rate?: DecimalInput; response_hours?: DecimalInput };
  attributes?: Record<string, AttrValue>;
}
export interface RoutingState { last?: Record<string, string>; }
export interface RoutingDecision {
  lead_id: string; partner_id: string | null; rule: string | null; fallback: Fallback | null; score: string | null;
  candidates: { partner_id: string; score: string | null }[];
  trace: { rule: string; outcome: "when_false" | "no_candidates" | "decided" }[];
}
export interface Exclusion {
  partner_id: string; reason: "inactive" | "eligible" | "capacity" | "weight_zero" | "no_location";
  condition: string | null;
}
export interface Explanation {
  decision: RoutingDecision;
  rules: { rule: string; outcome: "when_false" | "no_candidates" | "decided"; excluded: Exclusion[] }[];
}
"#;

/// A compiled routing policy over partners.
#[wasm_bindgen(js_name = Router)]
pub struct JsRouter {
    inner: routing::Router,
}

#[derive(Serialize)]
struct Routed<'a> {
    decision: &'a RoutingDecision,
    state: &'a RoutingState,
}

#[derive(Serialize)]
struct RoutedBatch<'a> {
    decisions: &'a [RoutingDecision],
    state: &'a RoutingState,
}

fn state(value: JsValue) -> Result<RoutingState, Error> {
    Ok(decode::<Option<RoutingState>>(value, "state")?.unwrap_or_default())
}

#[wasm_bindgen(js_class = Router)]
impl JsRouter {
    /// Validates and compiles a policy; throws `InvalidCondition`, `InvalidPolicy`, ... with the
    /// offending node's path.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "RoutingPolicy")] policy: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RoutingPartner[]")] partners: JsValue,
    ) -> Result<JsRouter, JsValue> {
        let inner = (|| {
            let p: RoutingPolicy = decode(policy, "")?;
            let ps: Vec<Partner> = decode(partners, "partners")?;
            routing::Router::new(p, ps)
        })()
        .js()?;
        Ok(Self { inner })
    }

    /// Routes one lead: `{decision, state}`.
    #[wasm_bindgen(unchecked_return_type = "{ decision: RoutingDecision; state: RoutingState }")]
    pub fn route(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Lead")] lead: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RoutingState | null | undefined")] state: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (l, mut s) = (|| Ok::<_, Error>((decode::<Lead>(lead, "lead")?, self::state(state)?)))().js()?;
        let d = self.inner.route(&l, &mut s);
        encode(&Routed {
            decision: &d,
            state: &s,
        })
    }

    /// The decision `route` makes (state unchanged) with, per rule tried, every partner that was
    /// not a candidate and the first reason.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Lead")] lead: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RoutingState | null | undefined")] state: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (l, s) = (|| Ok::<_, Error>((decode::<Lead>(lead, "lead")?, self::state(state)?)))().js()?;
        encode(&self.inner.explain(&l, &s))
    }

    /// Routes leads in order, capacity counted across the batch: `{decisions, state}`.
    #[wasm_bindgen(js_name = routeBatch, unchecked_return_type = "{ decisions: RoutingDecision[]; state: RoutingState }")]
    pub fn route_batch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Lead[]")] leads: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RoutingState | null | undefined")] state: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (l, mut s) =
            (|| Ok::<_, Error>((decode::<Vec<Lead>>(leads, "leads")?, self::state(state)?)))().js()?;
        let d = self.inner.route_batch(&l, &mut s);
        encode(&RoutedBatch {
            decisions: &d,
            state: &s,
        })
    }

    /// Routes a lead again without the partners that declined it: `{decision, state}`.
    #[wasm_bindgen(unchecked_return_type = "{ decision: RoutingDecision; state: RoutingState }")]
    pub fn reroute(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Lead")] lead: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] declined: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RoutingState | null | undefined")] state: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (l, dec, mut s) = (|| {
            Ok::<_, Error>((
                decode::<Lead>(lead, "lead")?,
                decode::<Vec<PartnerId>>(declined, "declined")?,
                self::state(state)?,
            ))
        })()
        .js()?;
        let d = self.inner.reroute(&l, &dec, &mut s);
        encode(&Routed {
            decision: &d,
            state: &s,
        })
    }
}

#[wasm_bindgen(js_class = Router)]
impl JsRouter {
    /// Assigns leads exactly: as many as capacity allows, then the highest total score.
    #[wasm_bindgen(js_name = assignOptimal, unchecked_return_type = "RoutingDecision[]")]
    pub fn assign_optimal(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Lead[]")] leads: JsValue,
    ) -> Result<JsValue, JsValue> {
        let l: Vec<Lead> = decode(leads, "leads").js()?;
        encode(&self.inner.assign_optimal(&l))
    }
}

/// Parses the text form of a condition into its JSON tree.
#[wasm_bindgen(js_name = parseCondition, unchecked_return_type = "Condition")]
pub fn parse_condition(text: &str) -> Result<JsValue, JsValue> {
    let c = routing::parse_condition(text).js()?;
    encode(&c)
}

/// Prints a condition (a tree or text) in its text form.
#[wasm_bindgen(js_name = formatCondition)]
pub fn format_condition(
    #[wasm_bindgen(unchecked_param_type = "Condition")] condition: JsValue,
) -> Result<String, JsValue> {
    let c: Condition = decode(condition, "condition").js()?;
    Ok(routing::format_condition(&c))
}
