//! Influence attribution for JavaScript: `split`, `splitMany`, `partnerTotals`, `markov`,
//! `shapley`, `heuristics`, the mergeable Markov counts and a reusable `Journeys`.

use crate::convert::{IntoJsResult, decode, encode, numbers};
use prm_core::Error;
use prm_core::attribution::{self, Deal, Journey, JourneyPath, Journeys, MarkovCounts, Model, ValueMode};
use prm_core::domain::Currency;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export interface Touch { partner_id: string; at: TimeString; touch_type: string; weight?: DecimalInput | null; }
export interface Deal { id: string; amount: Money; closed_at: TimeString; touches?: Touch[]; }
export type ModelName = "first_touch" | "last_touch" | "linear" | "time_decay" | "position_based" | "w_shaped" | "custom" | "partner_even";
export type Model = ModelName | ({ lookback_days?: DecimalInput | null } & (
  | { type: "first_touch" | "last_touch" | "linear" | "partner_even" }
  | { type: "time_decay"; half_life_days?: DecimalInput }
  | { type: "position_based"; first?: DecimalInput; last?: DecimalInput }
  | { type: "w_shaped"; first?: DecimalInput; middle?: DecimalInput; last?: DecimalInput }
  | { type: "custom"; type_weights?: Record<string, DecimalInput> }));
export interface Share { partner_id: string; amount: { amount: string; currency: string }; credit: string; sourced: boolean; touches: number; }
export interface Attribution {
  deal_id: string; model: ModelName; amount: { amount: string; currency: string }; shares: Share[];
  counted: { index: number; partner_id: string; at: TimeString; touch_type: string; weight: string }[];
  dropped: { index: number; partner_id: string; at: TimeString; reason: "after_close" | "before_lookback" }[];
  unattributed: "no_counted_touches" | "zero_total_weight" | null;
}
export interface PartnerTotal {
  partner_id: string; currency: string; sourced_revenue: string; influenced_revenue: string; total_revenue: string;
  deals: number; sourced_deals: number;
}
export interface JourneyRow { path: string | string[]; conversions?: number; value?: number; nulls?: number; }
export type ValueMode = "channelattribution" | "proportional";
export interface MarkovResult {
  p_conversion: number; removal_effect_conversion: Record<string, number>; removal_effect_value: Record<string, number>;
  attributed_conversions: Record<string, number>; attributed_value: Record<string, number>;
  transition_probabilities: Record<string, Record<string, number>>; total_conversions: number; total_value: number; value_mode: ValueMode;
}
export interface MarkovCounts {
  channels: string[]; start: number[]; transitions: number[]; conversions: number[]; nulls: number[];
  conversion_value: number[]; total_conversions: number; total_value: number;
}
export interface ShapleyResult {
  attributed_conversions: Record<string, number>; attributed_value: Record<string, number>;
  ordered_conversions?: Record<string, number[]>; ordered_value?: Record<string, number[]>;
  total_conversions: number; total_value: number;
}
export interface HeuristicCredit { conversions: Record<string, number>; value: Record<string, number>; }
export interface Heuristics { first_touch: HeuristicCredit; last_touch: HeuristicCredit; linear: HeuristicCredit; }
"#;

/// Journeys parsed once, for several models over a large set.
#[wasm_bindgen(js_name = Journeys)]
pub struct JsJourneys {
    inner: Journeys,
}

#[wasm_bindgen(js_class = Journeys)]
impl JsJourneys {
    /// From rows `{path, conversions, value, nulls}`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "JourneyRow[]")] rows: JsValue,
    ) -> Result<JsJourneys, JsValue> {
        Ok(Self {
            inner: rows_journeys(rows).js()?,
        })
    }

    /// From columns: paths (`"A>B"` strings or id arrays) and numbers (arrays or
    /// `Float64Array`s); `values` and `nulls` may be omitted.
    #[wasm_bindgen(js_name = fromColumns)]
    pub fn from_columns(
        #[wasm_bindgen(unchecked_param_type = "(string | string[])[]")] paths: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] conversions: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array | null | undefined")] values: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array | null | undefined")] nulls: JsValue,
    ) -> Result<JsJourneys, JsValue> {
        let build = || -> Result<Journeys, Error> {
            let paths: Vec<JourneyPath> = decode(paths, "paths")?;
            let n = paths.len();
            let column = |v: JsValue, name: &str| -> Result<Vec<f64>, Error> {
                if v.is_null() || v.is_undefined() {
                    return Ok(vec![0.0; n]);
                }
                let xs = numbers(v, name)?;
                if xs.len() == n {
                    Ok(xs)
                } else {
                    Err(Error::InvalidInput {
                        path: name.to_owned(),
                        message: format!("expected {n} numbers, got {}", xs.len()),
                    })
                }
            };
            let (c, v, u) = (
                column(conversions, "conversions")?,
                column(values, "value")?,
                column(nulls, "nulls")?,
            );
            let mut j = Journeys::new();
            for (i, p) in paths.iter().enumerate() {
                match p {
                    JourneyPath::Text(s) => j.push_text(s, c[i], v[i], u[i], i)?,
                    JourneyPath::Steps(s) => {
                        j.push_steps(s.iter().map(String::as_str), c[i], v[i], u[i], i)?;
                    }
                }
            }
            Ok(j)
        };
        Ok(Self {
            inner: build().map_err(|e| e.under("journeys")).js()?,
        })
    }

    /// Rows kept.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// Partner ids in order of first appearance.
    #[wasm_bindgen(getter)]
    pub fn channels(&self) -> Vec<String> {
        self.inner.channels().to_vec()
    }

    /// `markov` over these journeys.
    #[wasm_bindgen(unchecked_return_type = "MarkovResult")]
    pub fn markov(
        &self,
        #[wasm_bindgen(js_name = valueMode, unchecked_param_type = "ValueMode | null | undefined")]
        value_mode: JsValue,
    ) -> Result<JsValue, JsValue> {
        let out = mode(value_mode)
            .and_then(|m| attribution::markov(&self.inner, m))
            .js()?;
        encode(&out)
    }

    /// `markovCounts` of these journeys.
    #[wasm_bindgen(js_name = markovCounts, unchecked_return_type = "MarkovCounts")]
    pub fn markov_counts(&self) -> Result<JsValue, JsValue> {
        encode(&MarkovCounts::from_journeys(&self.inner))
    }

    /// `shapley` over these journeys.
    #[wasm_bindgen(unchecked_return_type = "ShapleyResult")]
    pub fn shapley(
        &self,
        #[wasm_bindgen(unchecked_param_type = "boolean | null | undefined")] ordered: JsValue,
    ) -> Result<JsValue, JsValue> {
        encode(&attribution::shapley(
            &self.inner,
            ordered.as_bool().unwrap_or(false),
        ))
    }

    /// `heuristics` over these journeys.
    #[wasm_bindgen(unchecked_return_type = "Heuristics")]
    pub fn heuristics(&self) -> Result<JsValue, JsValue> {
        encode(&attribution::heuristics(&self.inner))
    }
}

fn rows_journeys(rows: JsValue) -> Result<Journeys, Error> {
    let rows: Vec<Journey> = decode(rows, "journeys")?;
    Journeys::from_rows(&rows).map_err(|e| e.under("journeys"))
}

fn with_journeys<T>(journeys: JsValue, f: impl FnOnce(&Journeys) -> Result<T, Error>) -> Result<T, Error> {
    f(&rows_journeys(journeys)?)
}

/// Splits one deal under a model (a name or an object).
#[wasm_bindgen(unchecked_return_type = "Attribution")]
pub fn split(
    #[wasm_bindgen(unchecked_param_type = "Deal")] deal: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
) -> Result<JsValue, JsValue> {
    let out = (|| {
        let d: Deal = decode(deal, "deal")?;
        let m: Model = decode(model, "model")?;
        attribution::split(&d, &m)
    })()
    .js()?;
    encode(&out)
}

/// Splits many deals under one model.
#[wasm_bindgen(js_name = splitMany, unchecked_return_type = "Attribution[]")]
pub fn split_many(
    #[wasm_bindgen(unchecked_param_type = "Deal[]")] deals: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
) -> Result<JsValue, JsValue> {
    let out = (|| {
        let d: Vec<Deal> = decode(deals, "deals")?;
        let m: Model = decode(model, "model")?;
        attribution::split_many(&d, &m)
    })()
    .js()?;
    encode(&out)
}

/// Sourced vs influenced revenue per partner and currency over a book of deals.
#[wasm_bindgen(js_name = partnerTotals, unchecked_return_type = "PartnerTotal[]")]
pub fn partner_totals(
    #[wasm_bindgen(unchecked_param_type = "Deal[]")] deals: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model")] model: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] currency: JsValue,
) -> Result<JsValue, JsValue> {
    let out = (|| {
        let d: Vec<Deal> = decode(deals, "deals")?;
        let m: Model = decode(model, "model")?;
        let c: Option<Currency> = decode(currency, "currency")?;
        let splits = attribution::split_many(&d, &m)?;
        attribution::partner_totals(&splits, c.as_ref()).map_err(|e| e.under("deals"))
    })()
    .js()?;
    encode(&out)
}

fn mode(value_mode: JsValue) -> Result<ValueMode, Error> {
    if value_mode.is_undefined() || value_mode.is_null() {
        return Ok(ValueMode::default());
    }
    decode(value_mode, "value_mode")
}

/// Exact order-1 Markov attribution of journey rows (or `new Journeys(rows).markov()`).
#[wasm_bindgen(unchecked_return_type = "MarkovResult")]
pub fn markov(
    #[wasm_bindgen(unchecked_param_type = "JourneyRow[]")] journeys: JsValue,
    #[wasm_bindgen(js_name = valueMode, unchecked_param_type = "ValueMode | null | undefined")]
    value_mode: JsValue,
) -> Result<JsValue, JsValue> {
    let out = (|| {
        let m = mode(value_mode)?;
        with_journeys(journeys, |j| attribution::markov(j, m))
    })()
    .js()?;
    encode(&out)
}

/// Transition counts of a batch (merge with `mergeMarkovCounts`, solve with `markovFromCounts`).
#[wasm_bindgen(js_name = markovCounts, unchecked_return_type = "MarkovCounts")]
pub fn markov_counts(
    #[wasm_bindgen(unchecked_param_type = "JourneyRow[]")] journeys: JsValue,
) -> Result<JsValue, JsValue> {
    let out = with_journeys(journeys, |j| Ok(MarkovCounts::from_journeys(j))).js()?;
    encode(&out)
}

/// Sums the counts of several batches.
#[wasm_bindgen(js_name = mergeMarkovCounts, unchecked_return_type = "MarkovCounts")]
pub fn merge_markov_counts(
    #[wasm_bindgen(unchecked_param_type = "MarkovCounts[]")] counts: JsValue,
) -> Result<JsValue, JsValue> {
    let all: Vec<MarkovCounts> = decode(counts, "counts").js()?;
    let mut acc = MarkovCounts::default();
    for c in &all {
        acc.merge(c);
    }
    encode(&acc)
}

/// Solves the exact Markov model from (merged) counts.
#[wasm_bindgen(js_name = markovFromCounts, unchecked_return_type = "MarkovResult")]
pub fn markov_from_counts(
    #[wasm_bindgen(unchecked_param_type = "MarkovCounts")] counts: JsValue,
    #[wasm_bindgen(js_name = valueMode, unchecked_param_type = "ValueMode | null | undefined")]
    value_mode: JsValue,
) -> Result<JsValue, JsValue> {
    let out = (|| {
        let c: MarkovCounts = decode(counts, "counts")?;
        c.solve(mode(value_mode)?)
    })()
    .js()?;
    encode(&out)
}

/// Simplified (and, with `ordered`, per-position) Shapley attribution.
#[wasm_bindgen(unchecked_return_type = "ShapleyResult")]
pub fn shapley(
    #[wasm_bindgen(unchecked_param_type = "JourneyRow[]")] journeys: JsValue,
    #[wasm_bindgen(unchecked_param_type = "boolean | null | undefined")] ordered: JsValue,
) -> Result<JsValue, JsValue> {
    let ordered = ordered.as_bool().unwrap_or(false);
    let out = with_journeys(journeys, |j| Ok(attribution::shapley(j, ordered))).js()?;
    encode(&out)
}

/// First-touch, last-touch and linear credit as ChannelAttribution computes them.
#[wasm_bindgen(unchecked_return_type = "Heuristics")]
pub fn heuristics(
    #[wasm_bindgen(unchecked_param_type = "JourneyRow[]")] journeys: JsValue,
) -> Result<JsValue, JsValue> {
    let out = with_journeys(journeys, |j| Ok(attribution::heuristics(j))).js()?;
    encode(&out)
}
