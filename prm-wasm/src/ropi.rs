//! ROPI and cash-flow math for JavaScript: `npv`, `irr`, `xirr`, `partnerEconomics`, ...

use crate::convert::{IntoJsResult, decode, encode, js_error, to_js};
use prm_core::domain::Date;
use prm_core::{Error, ropi};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export interface Costs {
  mdf?: DecimalInput; rebates?: DecimalInput; spiffs?: DecimalInput; other_incentives?: DecimalInput;
  discounts?: DecimalInput; enablement?: DecimalInput; support?: DecimalInput;
  partner_manager_hours?: DecimalInput; partner_manager_hourly_rate?: DecimalInput; program_overhead?: DecimalInput;
}
export interface PartnerEconomicsInput {
  sourced_revenue: DecimalInput; influenced_revenue?: DecimalInput; influence_weight?: DecimalInput;
  margin_rate: DecimalInput; revenue_is_net_of_discounts?: boolean; costs?: Costs;
}
export interface PartnerEconomics {
  attributed_revenue: string; gross_margin: string; variable_partner_cost: string; total_investment: string;
  contribution_margin: string; contribution_margin_pct: string; ropi_margin: string; ropi_revenue: string;
  return_multiple: string;
}
export interface MdfRoiInput { mdf_spend: DecimalInput; mdf_allocated: DecimalInput; attributed_revenue: DecimalInput; margin_rate: DecimalInput; }
export interface MdfRoi { mdf_roi_revenue: string; mdf_roi_margin: string; revenue_per_mdf_dollar: string; utilization: string; }
export interface ClvInput {
  arpa: DecimalInput; margin_rate: DecimalInput; retention: DecimalInput; discount_rate?: DecimalInput;
  timing?: "end" | "start"; horizon_periods?: number | null; acquisition_cost?: DecimalInput | null;
}
export interface Clv { clv: string; ltv_simple: string; net_clv: string; ltv_to_cac: string | null; }
export interface PipelineDeal { amount: DecimalInput; probability: DecimalInput; partner_share?: DecimalInput; }
export interface WeightedPipelineInput { deals: PipelineDeal[]; quota?: DecimalInput | null; }
export interface WeightedPipeline { weighted_pipeline: string; unweighted_pipeline: string; variance: string; coverage: string | null; }
export interface PartnerActivation { activation_date: DateString; first_revenue_date?: DateString | null; }
export interface TimeToRevenueInput { partners: PartnerActivation[]; within_days?: number | null; }
export interface TimeToRevenue { per_partner_days: (number | null)[]; median_days: string; mean_days: string; activated_within_share: string | null; }
/** Options of the batch functions: `errors: "raise"` (default) throws the first failure; `"coerce"` puts null. */
export interface BatchOptions { guess?: number | null; errors?: "raise" | "coerce"; }
"#;

fn num(v: JsValue, path: &str) -> Result<f64, Error> {
    v.as_f64().map_or_else(|| decode(v, path), Ok)
}

fn nums(v: JsValue, path: &str) -> Result<Vec<f64>, Error> {
    crate::convert::numbers(v, path)
}

/// Dated flows as `(dates, buffer, from)`, the amounts being `buffer[from..]`: in one copy from
/// JS when both lists are well-formed, else each on its own, with its errors (as `xirr`).
fn dated(dates: JsValue, amounts: JsValue) -> Result<(Vec<Date>, Vec<f64>, usize), Error> {
    let (days, buffer, from) = crate::convert::dated_flows(dates, amounts)?;
    Ok((crate::convert::dates_of_days(&days, "dates")?, buffer, from))
}

fn opt_num(v: JsValue, path: &str) -> Result<Option<f64>, Error> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        num(v, path).map(Some)
    }
}

/// Net present value, first flow at t = 0 undiscounted (as numpy-financial).
#[wasm_bindgen]
pub fn npv(
    #[wasm_bindgen(unchecked_param_type = "number")] rate: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] flows: JsValue,
) -> Result<f64, JsValue> {
    (|| ropi::npv(num(rate, "rate")?, &nums(flows, "flows")?))().js()
}

/// Spreadsheet NPV: every flow discounted (`npv / (1 + rate)`).
#[wasm_bindgen(js_name = npvExcel)]
pub fn npv_excel(
    #[wasm_bindgen(unchecked_param_type = "number")] rate: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] flows: JsValue,
) -> Result<f64, JsValue> {
    (|| ropi::npv_excel(num(rate, "rate")?, &nums(flows, "flows")?))().js()
}

/// Dated NPV, actual/365 from the earliest date.
#[wasm_bindgen]
pub fn xnpv(
    #[wasm_bindgen(unchecked_param_type = "number")] rate: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DateString[]")] dates_: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] amounts: JsValue,
) -> Result<f64, JsValue> {
    (|| {
        let rate = num(rate, "rate")?;
        let (dates, amounts, from) = dated(dates_, amounts)?;
        ropi::xnpv(rate, &dates, &amounts[from..])
    })()
    .js()
}

/// Spreadsheet XNPV: based on the first date; an earlier date throws `DateBeforeStart`.
#[wasm_bindgen(js_name = xnpvExcel)]
pub fn xnpv_excel(
    #[wasm_bindgen(unchecked_param_type = "number")] rate: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DateString[]")] dates_: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] amounts: JsValue,
) -> Result<f64, JsValue> {
    (|| {
        let rate = num(rate, "rate")?;
        let (dates, amounts, from) = dated(dates_, amounts)?;
        ropi::xnpv_excel(rate, &dates, &amounts[from..])
    })()
    .js()
}

/// The IRR closest to 0 (or to `guess`).
#[wasm_bindgen]
pub fn irr(
    #[wasm_bindgen(unchecked_param_type = "number[]")] flows: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | null")] guess: JsValue,
) -> Result<f64, JsValue> {
    (|| ropi::irr(&nums(flows, "flows")?, opt_num(guess, "guess")?))().js()
}

/// Every IRR, ascending.
#[wasm_bindgen(js_name = irrRoots)]
pub fn irr_roots(
    #[wasm_bindgen(unchecked_param_type = "number[]")] flows: JsValue,
) -> Result<Vec<f64>, JsValue> {
    (|| ropi::irr_roots(&nums(flows, "flows")?))().js()
}

/// The XIRR closest to 0 (or to `guess`); same-date flows are netted.
#[wasm_bindgen]
pub fn xirr(
    #[wasm_bindgen(unchecked_param_type = "DateString[]")] dates_: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] amounts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | null")] guess: JsValue,
) -> Result<f64, JsValue> {
    // day numbers straight to the solver: every YYYY-MM-DD date is in range, and xirr_days
    // checks as xirr does
    (|| {
        let (days, amounts, from) = crate::convert::dated_flows(dates_, amounts)?;
        ropi::xirr_days(&days, &amounts[from..], opt_num(guess, "guess")?)
    })()
    .js()
}

/// Every XIRR, ascending.
#[wasm_bindgen(js_name = xirrRoots)]
pub fn xirr_roots(
    #[wasm_bindgen(unchecked_param_type = "DateString[]")] dates_: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] amounts: JsValue,
) -> Result<Vec<f64>, JsValue> {
    (|| {
        let (dates, amounts, from) = dated(dates_, amounts)?;
        ropi::xirr_roots(&dates, &amounts[from..])
    })()
    .js()
}

/// Modified IRR.
#[wasm_bindgen]
pub fn mirr(
    #[wasm_bindgen(unchecked_param_type = "number[]")] flows: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] finance_rate: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] reinvest_rate: JsValue,
) -> Result<f64, JsValue> {
    (|| {
        ropi::mirr(
            &nums(flows, "flows")?,
            num(finance_rate, "finance_rate")?,
            num(reinvest_rate, "reinvest_rate")?,
        )
    })()
    .js()
}

/// Payback period in periods.
#[wasm_bindgen]
pub fn payback(#[wasm_bindgen(unchecked_param_type = "number[]")] flows: JsValue) -> Result<f64, JsValue> {
    (|| ropi::payback(&nums(flows, "flows")?))().js()
}

/// Payback of the discounted flows.
#[wasm_bindgen(js_name = discountedPayback)]
pub fn discounted_payback(
    #[wasm_bindgen(unchecked_param_type = "number")] rate: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[]")] flows: JsValue,
) -> Result<f64, JsValue> {
    (|| ropi::discounted_payback(num(rate, "rate")?, &nums(flows, "flows")?))().js()
}

/// The decimal functions: a JSON-shaped object in, an object of decimal strings out.
macro_rules! decimal_fn {
    ($name:ident, $js:literal, $input:ty, $in_ts:literal, $out_ts:literal, $f:path, $doc:literal) => {
        #[doc = $doc]
        #[wasm_bindgen(js_name = $js, unchecked_return_type = $out_ts)]
        pub fn $name(
            #[wasm_bindgen(unchecked_param_type = $in_ts)] inputs: JsValue,
        ) -> Result<JsValue, JsValue> {
            let out = (|| $f(&decode::<$input>(inputs, "")?))().js()?;
            encode(&out)
        }
    };
}

decimal_fn!(
    partner_economics,
    "partnerEconomics",
    ropi::PartnerEconomicsInput,
    "PartnerEconomicsInput",
    "PartnerEconomics",
    ropi::partner_economics,
    "ROPI, return multiple and contribution margin, exact."
);
decimal_fn!(
    mdf_roi,
    "mdfRoi",
    ropi::MdfRoiInput,
    "MdfRoiInput",
    "MdfRoi",
    ropi::mdf_roi,
    "Return on market development funds, exact."
);
decimal_fn!(
    clv,
    "clv",
    ropi::ClvInput,
    "ClvInput",
    "Clv",
    ropi::clv,
    "Customer lifetime value, exact."
);
decimal_fn!(
    weighted_pipeline,
    "weightedPipeline",
    ropi::WeightedPipelineInput,
    "WeightedPipelineInput",
    "WeightedPipeline",
    ropi::weighted_pipeline,
    "Weighted pipeline, variance and coverage, exact."
);
decimal_fn!(
    time_to_revenue,
    "timeToRevenue",
    ropi::TimeToRevenueInput,
    "TimeToRevenueInput",
    "TimeToRevenue",
    ropi::time_to_revenue,
    "Days from activation to first revenue."
);

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct BatchOptions {
    guess: Option<f64>,
    errors: Option<String>,
}

fn options(v: JsValue) -> Result<(Option<f64>, bool), JsValue> {
    let o: BatchOptions = if v.is_undefined() || v.is_null() {
        BatchOptions::default()
    } else {
        decode(v, "options").js()?
    };
    let coerce = match o.errors.as_deref() {
        None | Some("raise") => false,
        Some("coerce") => true,
        Some(other) => {
            return Err(js_error(
                "InvalidInput",
                "options.errors",
                &format!("errors must be \"raise\" or \"coerce\", not {other:?}"),
            ));
        }
    };
    Ok((o.guess, coerce))
}

fn finish(results: Vec<Result<f64, Error>>, coerce: bool) -> Result<JsValue, JsValue> {
    let out = js_sys::Array::new_with_length(results.len() as u32);
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(v) => out.set(i as u32, JsValue::from_f64(v)),
            Err(_) if coerce => out.set(i as u32, JsValue::NULL),
            Err(e) => return Err(to_js(&e)),
        }
    }
    Ok(out.into())
}

fn offsets_of(lengths: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut offsets = vec![0];
    for n in lengths {
        offsets.push(offsets.last().copied().unwrap_or(0) + n);
    }
    offsets
}

/// IRR of many series in one call (no per-series crossing of the JS/WASM boundary).
#[wasm_bindgen(js_name = irrBatch, unchecked_return_type = "(number | null)[]")]
pub fn irr_batch(
    #[wasm_bindgen(unchecked_param_type = "number[][]")] series: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BatchOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let (guess, coerce) = options(opts)?;
    let series: Vec<Vec<f64>> = decode(series, "series").js()?;
    let offsets = offsets_of(series.iter().map(Vec::len));
    finish(ropi::irr_batch(&offsets, &series.concat(), guess, 1), coerce)
}

/// XIRR of many `[dates, amounts]` series in one call.
#[wasm_bindgen(js_name = xirrBatch, unchecked_return_type = "(number | null)[]")]
pub fn xirr_batch(
    #[wasm_bindgen(unchecked_param_type = "[DateString[], number[]][]")] series: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BatchOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let (guess, coerce) = options(opts)?;
    let Some(series) = series.dyn_ref::<js_sys::Array>() else {
        return Err(js_error(
            "InvalidInput",
            "series",
            "expected an array of [dates, amounts] pairs",
        ));
    };
    let (mut days, mut amounts, mut lengths) = (Vec::new(), Vec::new(), Vec::new());
    for (i, pair) in series.iter().enumerate() {
        let pair = pair.dyn_into::<js_sys::Array>().ok().filter(|p| p.length() == 2);
        let Some(pair) = pair else {
            return Err(js_error(
                "InvalidInput",
                &format!("series[{i}]"),
                "expected a [dates, amounts] pair",
            ));
        };
        let d = crate::convert::day_numbers(pair.get(0), &format!("[{i}].dates")).js()?;
        let a = nums(pair.get(1), &format!("[{i}].amounts")).js()?;
        if d.len() != a.len() {
            return Err(js_error(
                "LengthMismatch",
                &format!("[{i}].amounts"),
                "dates and amounts differ in length",
            ));
        }
        lengths.push(d.len());
        days.extend(d);
        amounts.extend(a);
    }
    finish(
        ropi::xirr_batch(&offsets_of(lengths.into_iter()), &days, &amounts, guess, 1),
        coerce,
    )
}
