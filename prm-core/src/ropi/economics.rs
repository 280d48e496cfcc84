//! Partner economics and MDF return: exact decimal arithmetic (SPEC §6).

use super::decimal_ops::{add, div, mul, sub, tidy};
use super::error::{RopiErrorKind, err};
use crate::Error;
use crate::domain::serde_decimal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Typed investment lines; every line defaults to zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Costs {
    /// Market development funds spent.
    pub mdf: Decimal,
    /// Rebates paid.
    pub rebates: Decimal,
    /// Sales incentives (SPIFFs) paid.
    pub spiffs: Decimal,
    /// Other incentives.
    pub other_incentives: Decimal,
    /// Partner discounts; counted only when revenue is booked at list price.
    pub discounts: Decimal,
    /// Training and certification.
    pub enablement: Decimal,
    /// Technical and sales support.
    pub support: Decimal,
    /// Hours of partner-manager time.
    pub partner_manager_hours: Decimal,
    /// Cost of one partner-manager hour.
    pub partner_manager_hourly_rate: Decimal,
    /// Allocated program overhead (fixed; not part of the variable partner cost).
    pub program_overhead: Decimal,
}

/// Input of [`partner_economics`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerEconomicsInput {
    /// Revenue the partner sourced.
    pub sourced_revenue: Decimal,
    /// Revenue the partner influenced (default 0).
    #[serde(default)]
    pub influenced_revenue: Decimal,
    /// Share of influenced revenue credited, in [0, 1] (default 0).
    #[serde(default)]
    pub influence_weight: Decimal,
    /// Gross-margin rate `m`.
    pub margin_rate: Decimal,
    /// `true` when revenue is already net of discounts (then `costs.discounts` is not counted
    /// again); default `false` (revenue at list price, discounts are an investment).
    #[serde(default)]
    pub revenue_is_net_of_discounts: bool,
    /// The investment lines.
    #[serde(default)]
    pub costs: Costs,
}

/// Output of [`partner_economics`]; every field exact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerEconomics {
    /// `R = sourced + w · influenced`.
    #[serde(with = "serde_decimal")]
    pub attributed_revenue: Decimal,
    /// `R · m`.
    #[serde(with = "serde_decimal")]
    pub gross_margin: Decimal,
    /// `V`: the investment without program overhead.
    #[serde(with = "serde_decimal")]
    pub variable_partner_cost: Decimal,
    /// `C`: the sum of the counted cost lines.
    #[serde(with = "serde_decimal")]
    pub total_investment: Decimal,
    /// `PCM = R·m − V`.
    #[serde(with = "serde_decimal")]
    pub contribution_margin: Decimal,
    /// `PCM / R`.
    #[serde(with = "serde_decimal")]
    pub contribution_margin_pct: Decimal,
    /// `(R·m − C) / C`.
    #[serde(with = "serde_decimal")]
    pub ropi_margin: Decimal,
    /// `(R − C) / C`.
    #[serde(with = "serde_decimal")]
    pub ropi_revenue: Decimal,
    /// `R·m / C`.
    #[serde(with = "serde_decimal")]
    pub return_multiple: Decimal,
}

/// Return on partner investment and contribution margin for one partner.
///
/// Errors: `ZeroInvestment` when `C = 0`, `ZeroRevenue` when `R = 0` (checked in that order),
/// `InvalidInput` when `influence_weight` is outside [0, 1], `DecimalOverflow`.
///
/// ```
/// use prm_core::ropi::{partner_economics, PartnerEconomicsInput};
/// let input: PartnerEconomicsInput = serde_json::from_str(r#"{
///     "sourced_revenue": "100000", "margin_rate": "0.3",
///     "revenue_is_net_of_discounts": false,
///     "costs": {"mdf": "5000", "discounts": "3000", "program_overhead": "2000",
///               "partner_manager_hours": "10", "partner_manager_hourly_rate": "100"}
/// }"#).unwrap();
/// let out = partner_economics(&input).unwrap();
/// assert_eq!(out.total_investment.to_string(), "11000");        // 5000+3000+1000+2000
/// assert_eq!(out.variable_partner_cost.to_string(), "9000");
/// assert_eq!(out.contribution_margin.to_string(), "21000");     // 30000 - 9000
/// assert_eq!(out.return_multiple.round_dp(6).to_string(), "2.727273");
/// ```
pub fn partner_economics(input: &PartnerEconomicsInput) -> Result<PartnerEconomics, Error> {
    let w = input.influence_weight;
    if w < Decimal::ZERO || w > Decimal::ONE {
        return Err(Error::InvalidInput {
            path: "influence_weight".into(),
            message: format!("influence weight {w} is outside [0, 1]"),
        });
    }
    let r = add(
        input.sourced_revenue,
        mul(w, input.influenced_revenue, "attributed_revenue")?,
        "attributed_revenue",
    )?;
    let m = input.margin_rate;
    let gm = mul(r, m, "gross_margin")?;

    let c = &input.costs;
    let path = "variable_partner_cost";
    let mut v = Decimal::ZERO;
    for line in [
        c.mdf,
        c.rebates,
        c.spiffs,
        c.other_incentives,
        c.enablement,
        c.support,
    ] {
        v = add(v, line, path)?;
    }
    if !input.revenue_is_net_of_discounts {
        v = add(v, c.discounts, path)?;
    }
    v = add(
        v,
        mul(c.partner_manager_hours, c.partner_manager_hourly_rate, path)?,
        path,
    )?;
    let total = add(v, c.program_overhead, "total_investment")?;

    if total.is_zero() {
        return Err(err(
            RopiErrorKind::ZeroInvestment,
            "costs",
            "total partner investment is zero: return on investment is undefined",
        ));
    }
    if r.is_zero() {
        return Err(err(
            RopiErrorKind::ZeroRevenue,
            "sourced_revenue",
            "attributed revenue is zero: contribution margin % is undefined",
        ));
    }
    let pcm = sub(gm, v, "contribution_margin")?;
    Ok(PartnerEconomics {
        attributed_revenue: tidy(r),
        gross_margin: tidy(gm),
        variable_partner_cost: tidy(v),
        total_investment: tidy(total),
        contribution_margin: tidy(pcm),
        contribution_margin_pct: tidy(div(pcm, r, "contribution_margin_pct")?),
        ropi_margin: tidy(div(sub(gm, total, "ropi_margin")?, total, "ropi_margin")?),
        ropi_revenue: tidy(div(sub(r, total, "ropi_revenue")?, total, "ropi_revenue")?),
        return_multiple: tidy(div(gm, total, "return_multiple")?),
    })
}

/// Input of [`mdf_roi`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MdfRoiInput {
    /// MDF spent, `S`.
    pub mdf_spend: Decimal,
    /// MDF allocated (the budget).
    pub mdf_allocated: Decimal,
    /// Revenue attributed to the MDF activities, `R_mdf`.
    pub attributed_revenue: Decimal,
    /// Gross-margin rate `m`.
    pub margin_rate: Decimal,
}

/// Output of [`mdf_roi`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MdfRoi {
    /// `(R_mdf − S) / S`.
    #[serde(with = "serde_decimal")]
    pub mdf_roi_revenue: Decimal,
    /// `(R_mdf·m − S) / S`.
    #[serde(with = "serde_decimal")]
    pub mdf_roi_margin: Decimal,
    /// `R_mdf / S`.
    #[serde(with = "serde_decimal")]
    pub revenue_per_mdf_dollar: Decimal,
    /// `S / allocated`.
    #[serde(with = "serde_decimal")]
    pub utilization: Decimal,
}

/// Return on market development funds.
///
/// Errors: `ZeroInvestment` when the spend is 0, `ZeroAllocation` when the allocation is 0.
///
/// ```
/// use prm_core::ropi::{mdf_roi, MdfRoiInput};
/// use rust_decimal::Decimal;
/// let out = mdf_roi(&MdfRoiInput {
///     mdf_spend: Decimal::from(20_000), mdf_allocated: Decimal::from(25_000),
///     attributed_revenue: Decimal::from(150_000), margin_rate: Decimal::new(4, 1),
/// }).unwrap();
/// assert_eq!(out.mdf_roi_revenue, Decimal::new(65, 1));   // 6.5
/// assert_eq!(out.mdf_roi_margin, Decimal::new(2, 0));     // (60k - 20k) / 20k
/// assert_eq!(out.utilization, Decimal::new(8, 1));
/// ```
pub fn mdf_roi(input: &MdfRoiInput) -> Result<MdfRoi, Error> {
    let s = input.mdf_spend;
    if s.is_zero() {
        return Err(err(
            RopiErrorKind::ZeroInvestment,
            "mdf_spend",
            "MDF spend is zero",
        ));
    }
    if input.mdf_allocated.is_zero() {
        return Err(err(
            RopiErrorKind::ZeroAllocation,
            "mdf_allocated",
            "MDF allocation is zero",
        ));
    }
    let r = input.attributed_revenue;
    let margin = mul(r, input.margin_rate, "mdf_roi_margin")?;
    Ok(MdfRoi {
        mdf_roi_revenue: tidy(div(sub(r, s, "mdf_roi_revenue")?, s, "mdf_roi_revenue")?),
        mdf_roi_margin: tidy(div(sub(margin, s, "mdf_roi_margin")?, s, "mdf_roi_margin")?),
        revenue_per_mdf_dollar: tidy(div(r, s, "revenue_per_mdf_dollar")?),
        utilization: tidy(div(s, input.mdf_allocated, "utilization")?),
    })
}
