//! Weighted pipeline and time to revenue (SPEC §6).

use super::decimal_ops::{add, div, mul, sub, tidy};
use super::error::{RopiErrorKind, err};
use crate::Error;
use crate::domain::{Date, serde_decimal};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One open deal of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineDeal {
    /// Deal amount.
    pub amount: Decimal,
    /// Probability to close, in [0, 1].
    pub probability: Decimal,
    /// The partner's share of the deal (default 1).
    #[serde(default = "one")]
    pub partner_share: Decimal,
}

fn one() -> Decimal {
    Decimal::ONE
}

/// Input of [`weighted_pipeline`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeightedPipelineInput {
    /// The open deals.
    pub deals: Vec<PipelineDeal>,
    /// The quota to cover; absent leaves `coverage` null.
    #[serde(default)]
    pub quota: Option<Decimal>,
}

/// Output of [`weighted_pipeline`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedPipeline {
    /// `Σ amount·p·share`.
    #[serde(with = "serde_decimal")]
    pub weighted_pipeline: Decimal,
    /// `Σ amount·share`.
    #[serde(with = "serde_decimal")]
    pub unweighted_pipeline: Decimal,
    /// `Σ (amount·share)²·p(1−p)`: the variance of closed revenue if deals close independently.
    #[serde(with = "serde_decimal")]
    pub variance: Decimal,
    /// `weighted / quota`.
    #[serde(with = "serde_decimal::option")]
    pub coverage: Option<Decimal>,
}

/// Probability-weighted pipeline, its variance and quota coverage.
///
/// Errors: `InvalidProbability` (path `deals[i].probability`), `ZeroQuota`.
///
/// ```
/// use prm_core::ropi::{weighted_pipeline, WeightedPipelineInput};
/// let input: WeightedPipelineInput = serde_json::from_str(r#"{
///   "deals": [{"amount": "100", "probability": "0.5"},
///             {"amount": "200", "probability": "0.25", "partner_share": "0.5"}],
///   "quota": "50"}"#).unwrap();
/// let out = weighted_pipeline(&input).unwrap();
/// assert_eq!(out.weighted_pipeline.to_string(), "75");      // 50 + 25
/// assert_eq!(out.unweighted_pipeline.to_string(), "200");   // 100 + 100
/// assert_eq!(out.variance.to_string(), "4375");             // 100²·.25 + 100²·.1875
/// assert_eq!(out.coverage.unwrap().to_string(), "1.5");
/// ```
pub fn weighted_pipeline(input: &WeightedPipelineInput) -> Result<WeightedPipeline, Error> {
    let (mut weighted, mut unweighted, mut variance) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for (i, deal) in input.deals.iter().enumerate() {
        let p = deal.probability;
        if p < Decimal::ZERO || p > Decimal::ONE {
            return Err(err(
                RopiErrorKind::InvalidProbability,
                format!("deals[{i}].probability"),
                format!("probability {p} is outside [0, 1]"),
            ));
        }
        let exposure = mul(deal.amount, deal.partner_share, "unweighted_pipeline")?;
        unweighted = add(unweighted, exposure, "unweighted_pipeline")?;
        weighted = add(
            weighted,
            mul(exposure, p, "weighted_pipeline")?,
            "weighted_pipeline",
        )?;
        let spread = mul(p, sub(Decimal::ONE, p, "variance")?, "variance")?;
        let sq = mul(exposure, exposure, "variance")?;
        variance = add(variance, mul(sq, spread, "variance")?, "variance")?;
    }
    let coverage = match input.quota {
        None => None,
        Some(q) if q.is_zero() => {
            return Err(err(
                RopiErrorKind::ZeroQuota,
                "quota",
                "quota is zero: coverage is undefined",
            ));
        }
        Some(q) => Some(tidy(div(weighted, q, "coverage")?)),
    };
    Ok(WeightedPipeline {
        weighted_pipeline: tidy(weighted),
        unweighted_pipeline: tidy(unweighted),
        variance: tidy(variance),
        coverage,
    })
}

/// One partner's activation and first closed-won revenue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerActivation {
    /// The day the partner was activated.
    pub activation_date: Date,
    /// The day of its first closed-won deal; null if none yet.
    #[serde(default)]
    pub first_revenue_date: Option<Date>,
}

/// Input of [`time_to_revenue`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeToRevenueInput {
    /// The cohort.
    pub partners: Vec<PartnerActivation>,
    /// The window for `activated_within_share` (absent leaves it null).
    #[serde(default)]
    pub within_days: Option<i64>,
}

/// Output of [`time_to_revenue`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeToRevenue {
    /// Calendar days from activation to first revenue, aligned with the input (null without
    /// revenue).
    pub per_partner_days: Vec<Option<i64>>,
    /// Median over partners with revenue (the mean of the middle two when their number is even).
    #[serde(with = "serde_decimal")]
    pub median_days: Decimal,
    /// Mean over partners with revenue.
    #[serde(with = "serde_decimal")]
    pub mean_days: Decimal,
    /// Share of *all* partners of the cohort whose first revenue came within `within_days` days
    /// of activation (inclusive).
    #[serde(with = "serde_decimal::option")]
    pub activated_within_share: Option<Decimal>,
}

/// Time from partner activation to first revenue, per partner and for the cohort.
///
/// Errors: `RevenueBeforeActivation` (path `partners[i].first_revenue_date`), `NoRevenue`.
///
/// ```
/// use prm_core::ropi::{time_to_revenue, TimeToRevenueInput};
/// let input: TimeToRevenueInput = serde_json::from_str(r#"{"within_days": 30, "partners": [
///   {"activation_date": "2026-01-01", "first_revenue_date": "2026-01-21"},
///   {"activation_date": "2026-01-01", "first_revenue_date": null},
///   {"activation_date": "2026-02-01", "first_revenue_date": "2026-04-02"}]}"#).unwrap();
/// let out = time_to_revenue(&input).unwrap();
/// assert_eq!(out.per_partner_days, vec![Some(20), None, Some(60)]);
/// assert_eq!(out.median_days.to_string(), "40");
/// assert_eq!(out.activated_within_share.unwrap().round_dp(4).to_string(), "0.3333");
/// ```
pub fn time_to_revenue(input: &TimeToRevenueInput) -> Result<TimeToRevenue, Error> {
    let mut per_partner = Vec::with_capacity(input.partners.len());
    for (i, p) in input.partners.iter().enumerate() {
        let days = match p.first_revenue_date {
            None => None,
            Some(first) => {
                let days = (first - p.activation_date).num_days();
                if days < 0 {
                    return Err(err(
                        RopiErrorKind::RevenueBeforeActivation,
                        format!("partners[{i}].first_revenue_date"),
                        format!("first revenue {first} precedes activation {}", p.activation_date),
                    ));
                }
                Some(days)
            }
        };
        per_partner.push(days);
    }
    let mut with_revenue: Vec<i64> = per_partner.iter().flatten().copied().collect();
    if with_revenue.is_empty() {
        return Err(err(
            RopiErrorKind::NoRevenue,
            "partners",
            "no partner has revenue",
        ));
    }
    crate::sort::unstable(&mut with_revenue);
    let n = with_revenue.len();
    let median = if n % 2 == 1 {
        Decimal::from(with_revenue[n / 2])
    } else {
        (Decimal::from(with_revenue[n / 2 - 1]) + Decimal::from(with_revenue[n / 2])) / Decimal::TWO
    };
    let total: i128 = with_revenue.iter().map(|&d| i128::from(d)).sum();
    let total = Decimal::try_from_i128_with_scale(total, 0).map_err(|_| {
        err(
            RopiErrorKind::DecimalOverflow,
            "mean_days",
            "the sum of days does not fit",
        )
    })?;
    let mean = div(total, Decimal::from(n), "mean_days")?;
    let share = input.within_days.map(|w| {
        let within = with_revenue.iter().filter(|&&d| d <= w).count();
        Decimal::from(within) / Decimal::from(input.partners.len())
    });
    Ok(TimeToRevenue {
        per_partner_days: per_partner,
        median_days: tidy(median),
        mean_days: tidy(mean),
        activated_within_share: share.map(tidy),
    })
}
