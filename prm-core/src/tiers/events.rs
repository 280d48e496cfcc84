//! Trailing-window metrics from dated events, so callers need not pre-aggregate.

use super::model::PartnerMetrics;
use crate::Error;
use crate::domain::{Date, PartnerId};
use crate::hash::FnvMap;
use chrono::Months;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A dated event of a partner: a deal won, a certification earned, an MDF claim...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerEvent {
    /// The partner.
    pub partner_id: PartnerId,
    /// Caller-defined kind (`"deal_won"`, `"certification"`, ...).
    pub kind: String,
    /// When it happened.
    pub at: Date,
    /// Its amount, for `sum` metrics.
    #[serde(default)]
    pub amount: Option<Decimal>,
    /// A person (for `count_distinct`: certified people).
    #[serde(default)]
    pub person: Option<String>,
    /// When it stops counting (certifications): counted while `as_of < expires_at`.
    #[serde(default)]
    pub expires_at: Option<Date>,
}

/// How events become one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Sum of `amount` (events without one count 0).
    Sum,
    /// Number of events.
    Count,
    /// Number of distinct `person`s (events without one are not counted).
    CountDistinct,
}

/// One metric to derive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventMetric {
    /// The metric's name in the output (`"revenue"`).
    pub name: String,
    /// The event kind it reads.
    pub kind: String,
    /// How to aggregate.
    pub aggregate: Aggregate,
    /// Trailing window in calendar months: events with `as_of − months < at ≤ as_of`; absent:
    /// every event up to `as_of`.
    #[serde(default)]
    pub window_months: Option<u32>,
}

/// Aggregates events into each partner's metrics as of a date.
///
/// Events after `as_of` and events expired by `as_of` are ignored. Every partner with at least
/// one event gets every metric (0 when none of its events count: a partner with no deals has
/// zero revenue, which is known, not missing). Partners are sorted by id.
///
/// ```
/// use prm_core::tiers::{metrics_from_events, EventMetric, PartnerEvent};
/// let events: Vec<PartnerEvent> = serde_json::from_str(r#"[
///   {"partner_id": "P1", "kind": "deal_won", "at": "2025-03-01", "amount": "40000"},
///   {"partner_id": "P1", "kind": "deal_won", "at": "2024-02-01", "amount": "99000"},
///   {"partner_id": "P1", "kind": "cert", "at": "2024-06-01", "person": "ana", "expires_at": "2026-06-01"},
///   {"partner_id": "P1", "kind": "cert", "at": "2023-01-01", "person": "bo", "expires_at": "2025-01-01"}]"#).unwrap();
/// let metrics: Vec<EventMetric> = serde_json::from_str(r#"[
///   {"name": "revenue", "kind": "deal_won", "aggregate": "sum", "window_months": 12},
///   {"name": "certified", "kind": "cert", "aggregate": "count_distinct"}]"#).unwrap();
/// let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
/// let out = metrics_from_events(&events, as_of, &metrics)?;
/// assert_eq!(out[0].values["revenue"].to_string(), "40000");   // the 2024 deal is outside 12 months
/// assert_eq!(out[0].values["certified"].to_string(), "1");     // bo's certification expired
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn metrics_from_events(
    events: &[PartnerEvent],
    as_of: Date,
    metrics: &[EventMetric],
) -> Result<Vec<PartnerMetrics>, Error> {
    let mut starts = Vec::with_capacity(metrics.len());
    for (i, m) in metrics.iter().enumerate() {
        starts.push(match m.window_months {
            None => None,
            Some(n) => Some(
                as_of
                    .checked_sub_months(Months::new(n))
                    .ok_or_else(|| Error::InvalidInput {
                        path: format!("metrics[{i}].window_months"),
                        message: "the window starts before the earliest representable date".into(),
                    })?,
            ),
        });
    }
    // one row of sums per partner, in first-seen order (sorted by id at the end); the people
    // of count_distinct metrics as (row, metric, person), counted once sorted
    let mut rows: Vec<(&PartnerId, Vec<Decimal>)> = Vec::new();
    let mut row_of: FnvMap<&str, usize> = FnvMap::default();
    let mut people: Vec<(usize, usize, &str)> = Vec::new();
    for (e_index, e) in events.iter().enumerate() {
        let r = *row_of.entry(e.partner_id.as_str()).or_insert_with(|| {
            rows.push((&e.partner_id, vec![Decimal::ZERO; metrics.len()]));
            rows.len() - 1
        });
        let row = &mut rows[r].1;
        let live = e.at <= as_of && e.expires_at.is_none_or(|x| as_of < x);
        for (i, m) in metrics.iter().enumerate() {
            if !live || m.kind != e.kind || starts[i].is_some_and(|s| e.at <= s) {
                continue;
            }
            match m.aggregate {
                Aggregate::Sum => {
                    row[i] = row[i].checked_add(e.amount.unwrap_or_default()).ok_or_else(|| {
                        Error::InvalidInput {
                            path: format!("events[{e_index}].amount"),
                            message: "the sum overflows a decimal".into(),
                        }
                    })?;
                }
                Aggregate::Count => row[i] += Decimal::ONE,
                Aggregate::CountDistinct => {
                    if let Some(p) = &e.person {
                        people.push((r, i, p));
                    }
                }
            }
        }
    }
    crate::sort::unstable(&mut people);
    people.dedup();
    for run in people.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (r, i, _) = run[0];
        rows[r].1[i] = Decimal::from(run.len());
    }
    crate::sort::by(&mut rows, |a, b| a.0.cmp(b.0));
    Ok(rows
        .into_iter()
        .map(|(pid, row)| PartnerMetrics {
            partner_id: pid.clone(),
            values: crate::sort::map(
                metrics
                    .iter()
                    .zip(row)
                    .map(|(m, v)| (m.name.clone(), v.normalize())),
            ),
        })
        .collect())
}
