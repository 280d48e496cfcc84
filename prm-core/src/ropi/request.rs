//! Every ROPI operation as one JSON request: `{"op": "xirr", "dates": [...], "amounts": [...]}`.

use super::{ClvInput, MdfRoiInput, PartnerEconomicsInput, TimeToRevenueInput, WeightedPipelineInput};
use crate::Error;
use crate::domain::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A ROPI operation with its arguments, named as on every surface.
///
/// ```
/// use prm_core::ropi::RopiRequest;
/// let req = RopiRequest::from_str(r#"{"op": "irr", "flows": [-100, 110]}"#).unwrap();
/// let out = req.evaluate().unwrap();
/// assert!((out.as_f64().unwrap() - 0.1).abs() < 1e-15);
///
/// // Decoding errors name the offending value.
/// let err = RopiRequest::from_str(r#"{"op": "xirr", "dates": ["2025-02-30"], "amounts": [1]}"#);
/// assert_eq!(err.unwrap_err().path(), "dates[0]");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
// Decoded externally tagged (`{"irr": {...}}`, see `from_json`), described with the `op` tag
// that is its wire form.
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[schemars(tag = "op")]
#[allow(missing_docs)] // the fields are the documented arguments of the functions named
pub enum RopiRequest {
    /// [`super::npv`]
    Npv { rate: f64, flows: Vec<f64> },
    /// [`super::npv_excel`]
    NpvExcel { rate: f64, flows: Vec<f64> },
    /// [`super::xnpv`]
    Xnpv {
        rate: f64,
        dates: Vec<Date>,
        amounts: Vec<f64>,
    },
    /// [`super::xnpv_excel`]
    XnpvExcel {
        rate: f64,
        dates: Vec<Date>,
        amounts: Vec<f64>,
    },
    /// [`super::irr`]
    Irr {
        flows: Vec<f64>,
        #[serde(default)]
        guess: Option<f64>,
    },
    /// [`super::irr_roots`]
    IrrRoots { flows: Vec<f64> },
    /// [`super::xirr`]
    Xirr {
        dates: Vec<Date>,
        amounts: Vec<f64>,
        #[serde(default)]
        guess: Option<f64>,
    },
    /// [`super::xirr_roots`]
    XirrRoots { dates: Vec<Date>, amounts: Vec<f64> },
    /// [`super::mirr`]
    Mirr {
        flows: Vec<f64>,
        finance_rate: f64,
        reinvest_rate: f64,
    },
    /// [`super::payback`]
    Payback { flows: Vec<f64> },
    /// [`super::discounted_payback`]
    DiscountedPayback { rate: f64, flows: Vec<f64> },
    /// [`super::partner_economics`]
    PartnerEconomics { inputs: PartnerEconomicsInput },
    /// [`super::mdf_roi`]
    MdfRoi { inputs: MdfRoiInput },
    /// [`super::clv`]
    Clv { inputs: ClvInput },
    /// [`super::weighted_pipeline`]
    WeightedPipeline { inputs: WeightedPipelineInput },
    /// [`super::time_to_revenue`]
    TimeToRevenue { inputs: TimeToRevenueInput },
}

fn to_json<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("prm outputs always serialise")
}

impl RopiRequest {
    /// Decodes a request from JSON text, with the path of any offending value.
    #[allow(clippy::should_implement_trait)] // returns prm's Error, unlike FromStr
    pub fn from_str(text: &str) -> Result<Self, Error> {
        Self::from_json(crate::json::from_str(text)?)
    }

    /// Decodes a request from a JSON value, with the path of any offending value.
    ///
    /// (serde's internally tagged enums buffer their content and lose the path, so the `op`
    /// tag is split off first and the request decoded externally tagged, with path tracking.)
    pub fn from_json(value: Value) -> Result<Self, Error> {
        let Value::Object(mut map) = value else {
            return Err(Error::InvalidInput {
                path: String::new(),
                message: "expected an object".into(),
            });
        };
        let Some(Value::String(op)) = map.remove("op") else {
            return Err(Error::InvalidInput {
                path: "op".into(),
                message: "expected the operation name as a string".into(),
            });
        };
        // Re-tag and decode one variant: the variant's fields are now at the top level, so
        // paths are exact.
        let mut tagged = serde_json::Map::new();
        tagged.insert(op, Value::Object(map));
        crate::json::from_value::<RopiRequest>(Value::Object(tagged)).map_err(|e| match e {
            // Paths are relative to the function's arguments: drop the op, and for the
            // operations that take one `inputs` object, that name too (`costs.mdf`).
            Error::InvalidInput { path, message } => {
                let rest = path.split_once('.').map_or("", |(_, rest)| rest);
                let rest = rest.strip_prefix("inputs.").unwrap_or(rest);
                Error::InvalidInput {
                    path: rest.to_owned(),
                    message,
                }
            }
            other => other,
        })
    }

    /// Runs the operation; the result as JSON (a number, a list of numbers or an object with
    /// decimal strings).
    pub fn evaluate(&self) -> Result<Value, Error> {
        use super as r;
        Ok(match self {
            Self::Npv { rate, flows } => to_json(&r::npv(*rate, flows)?),
            Self::NpvExcel { rate, flows } => to_json(&r::npv_excel(*rate, flows)?),
            Self::Xnpv { rate, dates, amounts } => to_json(&r::xnpv(*rate, dates, amounts)?),
            Self::XnpvExcel { rate, dates, amounts } => to_json(&r::xnpv_excel(*rate, dates, amounts)?),
            Self::Irr { flows, guess } => to_json(&r::irr(flows, *guess)?),
            Self::IrrRoots { flows } => to_json(&r::irr_roots(flows)?),
            Self::Xirr {
                dates,
                amounts,
                guess,
            } => to_json(&r::xirr(dates, amounts, *guess)?),
            Self::XirrRoots { dates, amounts } => to_json(&r::xirr_roots(dates, amounts)?),
            Self::Mirr {
                flows,
                finance_rate,
                reinvest_rate,
            } => to_json(&r::mirr(flows, *finance_rate, *reinvest_rate)?),
            Self::Payback { flows } => to_json(&r::payback(flows)?),
            Self::DiscountedPayback { rate, flows } => to_json(&r::discounted_payback(*rate, flows)?),
            Self::PartnerEconomics { inputs } => to_json(&r::partner_economics(inputs)?),
            Self::MdfRoi { inputs } => to_json(&r::mdf_roi(inputs)?),
            Self::Clv { inputs } => to_json(&r::clv(inputs)?),
            Self::WeightedPipeline { inputs } => to_json(&r::weighted_pipeline(inputs)?),
            Self::TimeToRevenue { inputs } => to_json(&r::time_to_revenue(inputs)?),
        })
    }
}
