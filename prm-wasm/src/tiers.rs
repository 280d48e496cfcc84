//! Partner tiers for JavaScript: `new TierProgram(program)`, `.evaluate`, `.evaluateMany`,
//! `simulate`.

use crate::convert::{IntoJsResult, decode, encode};
use prm_core::domain::Timestamp;
use prm_core::tiers::{self, PartnerMetrics, TierProgramSpec, TierStatus};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type Requirement =
  | { metric: string; op: "gte" | "gt" | "lte" | "lt" | "eq" | "ne"; value: DecimalInput }
  | { all: Requirement[] }
  | { any: Requirement[] }
  | { at_least: number; of: Requirement[] }
  | { points: { metric: string; per: DecimalInput; points: DecimalInput; cap?: DecimalInput | null }[]; min: DecimalInput };
export interface TierSpec { name: string; requirements?: Requirement | null; benefits?: Record<string, unknown>; }
export interface TierProgramSpec { tiers: TierSpec[]; grace_periods?: number; }
export interface PartnerMetrics { partner_id: string; values: Record<string, DecimalInput>; }
export interface Gap { metric: string; op: "gte" | "gt" | "lte" | "lt" | "eq" | "ne"; required: string; actual: string | null; short_by: string | null; }
export interface TierStatus {
  partner_id: string; tier: string | null; qualified_tier: string | null;
  change: "new" | "promoted" | "retained" | "probation" | "demoted";
  failures: number; probation_remaining: number | null; gaps_to_next: Gap[]; evaluated_at: string | null;
}
export interface PartnerEvent { partner_id: string; kind: string; at: DateString; amount?: DecimalInput | null; person?: string | null; expires_at?: DateString | null; }
export interface EventMetric { name: string; kind: string; aggregate: "sum" | "count" | "count_distinct"; window_months?: number | null; }
export interface Simulation {
  partners: { partner_id: string; current: TierStatus; proposed: TierStatus; movement: "up" | "down" | "unchanged" }[];
  up: number; down: number; unchanged: number;
  tiers: { tier: string | null; current: number; proposed: number; gained: number; lost: number }[];
  transitions: { from: string | null; to: string | null; count: number }[];
  benefit_cost: { current: string; proposed: string; change: string } | null;
}
"#;

/// A compiled tier program.
#[wasm_bindgen(js_name = TierProgram)]
pub struct JsTierProgram {
    inner: tiers::TierProgram,
}

#[wasm_bindgen(js_class = TierProgram)]
impl JsTierProgram {
    /// Validates and compiles a program; throws `InvalidProgram` with the offending node's path.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "TierProgramSpec")] program: JsValue,
    ) -> Result<JsTierProgram, JsValue> {
        let spec: TierProgramSpec = decode(program, "").js()?;
        Ok(Self {
            inner: tiers::TierProgram::new(spec).js()?,
        })
    }

    /// Evaluates one partner; `previous` is its last status, `asOf` an ISO instant.
    #[wasm_bindgen(unchecked_return_type = "TierStatus")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PartnerMetrics")] metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TierStatus | null | undefined")] previous: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string | null | undefined")] as_of: JsValue,
    ) -> Result<JsValue, JsValue> {
        let status = (|| {
            let m: PartnerMetrics = decode(metrics, "metrics")?;
            let prev: Option<TierStatus> = decode(previous, "previous")?;
            let at: Option<Timestamp> = decode(as_of, "as_of")?;
            self.inner.evaluate(&m, prev.as_ref(), at)
        })()
        .js()?;
        encode(&status)
    }

    /// Evaluates many partners in one call.
    #[wasm_bindgen(js_name = evaluateMany, unchecked_return_type = "TierStatus[]")]
    pub fn evaluate_many(
        &self,
        #[wasm_bindgen(js_name = metricsList, unchecked_param_type = "PartnerMetrics[]")]
        metrics_list: JsValue,
        #[wasm_bindgen(js_name = previousList, unchecked_param_type = "(TierStatus | null)[] | null | undefined")]
        previous_list: JsValue,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string | null | undefined")] as_of: JsValue,
    ) -> Result<JsValue, JsValue> {
        let out = (|| {
            let m: Vec<PartnerMetrics> = decode(metrics_list, "metrics_list")?;
            let prev: Option<Vec<Option<TierStatus>>> = decode(previous_list, "previous_list")?;
            let at: Option<Timestamp> = decode(as_of, "as_of")?;
            self.inner.evaluate_many(&m, prev.as_deref(), at)
        })()
        .js()?;
        encode(&out)
    }

    /// The cheapest ways up: lists of gaps, each list enough to reach the next tier.
    #[wasm_bindgen(js_name = pathsToNext, unchecked_return_type = "Gap[][]")]
    pub fn paths_to_next(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PartnerMetrics")] metrics: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TierStatus | null | undefined")] status: JsValue,
    ) -> Result<JsValue, JsValue> {
        let paths = (|| {
            let m: PartnerMetrics = decode(metrics, "metrics")?;
            let s: Option<TierStatus> = decode(status, "status")?;
            self.inner.paths_to_next(&m, s.as_ref())
        })()
        .js()?;
        encode(&paths)
    }

    /// The program as given.
    #[wasm_bindgen(unchecked_return_type = "TierProgramSpec")]
    pub fn spec(&self) -> Result<JsValue, JsValue> {
        encode(self.inner.spec())
    }
}

/// What a program change does to every partner (programs as `TierProgram`s' specs or objects).
#[wasm_bindgen(unchecked_return_type = "Simulation")]
pub fn simulate(
    #[wasm_bindgen(unchecked_param_type = "TierProgramSpec")] current: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TierProgramSpec")] proposed: JsValue,
    #[wasm_bindgen(js_name = metricsList, unchecked_param_type = "PartnerMetrics[]")] metrics_list: JsValue,
    #[wasm_bindgen(js_name = previousList, unchecked_param_type = "(TierStatus | null)[] | null | undefined")]
    previous_list: JsValue,
    #[wasm_bindgen(js_name = asOf, unchecked_param_type = "string | null | undefined")] as_of: JsValue,
) -> Result<JsValue, JsValue> {
    let out = (|| {
        let cur = tiers::TierProgram::new(decode(current, "current")?)?;
        let prop = tiers::TierProgram::new(decode(proposed, "proposed")?)?;
        let m: Vec<PartnerMetrics> = decode(metrics_list, "metrics_list")?;
        let prev: Option<Vec<Option<TierStatus>>> = decode(previous_list, "previous_list")?;
        let at: Option<Timestamp> = decode(as_of, "as_of")?;
        tiers::simulate(&cur, &prop, &m, prev.as_deref(), at)
    })()
    .js()?;
    encode(&out)
}

/// Trailing-window metrics per partner from dated events.
#[wasm_bindgen(js_name = metricsFromEvents, unchecked_return_type = "PartnerMetrics[]")]
pub fn metrics_from_events(
    #[wasm_bindgen(unchecked_param_type = "PartnerEvent[]")] events: JsValue,
    #[wasm_bindgen(js_name = asOf, unchecked_param_type = "DateString")] as_of: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EventMetric[]")] metrics: JsValue,
) -> Result<JsValue, JsValue> {
    let out = (|| {
        let e: Vec<tiers::PartnerEvent> = decode(events, "events")?;
        let at: prm_core::domain::Date = decode(as_of, "as_of")?;
        let m: Vec<tiers::EventMetric> = decode(metrics, "metrics")?;
        tiers::metrics_from_events(&e, at, &m)
    })()
    .js()?;
    encode(&out)
}
