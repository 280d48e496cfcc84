//! Per-partner totals over a book of split deals: partner-sourced vs partner-influenced
//! revenue, per currency.

use super::model::Attribution;
use crate::Error;
use crate::domain::{Currency, MoneyError, PartnerId, serde_decimal};
use crate::hash::FnvMap;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One partner's attributed revenue in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerTotal {
    /// The partner.
    pub partner_id: PartnerId,
    /// The currency of every amount in this row (amounts are never summed across currencies).
    pub currency: Currency,
    /// Shares of deals on which the partner has a counted `sourced` touch.
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub sourced_revenue: Decimal,
    /// Shares of the other deals.
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub influenced_revenue: Decimal,
    /// `sourced_revenue + influenced_revenue`.
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub total_revenue: Decimal,
    /// Deals with a share for the partner.
    pub deals: u64,
    /// Of which partner-sourced.
    pub sourced_deals: u64,
}

/// Sums shares per (partner, currency), sorted by partner id then currency. With `currency`
/// set, a deal in another currency is a `CurrencyMismatch` error (path
/// `[i].amount.currency`) instead of a row of its own.
///
/// ```
/// use prm_core::attribution::{self, Deal, Model};
/// let deals: Vec<Deal> = serde_json::from_str(r#"[
///   {"id": "D1", "amount": {"amount": "1000", "currency": "EUR"}, "closed_at": "2026-03-01T00:00:00Z",
///    "touches": [{"partner_id": "A", "at": "2026-01-01T00:00:00Z", "touch_type": "sourced"},
///                {"partner_id": "B", "at": "2026-02-01T00:00:00Z", "touch_type": "influenced"}]},
///   {"id": "D2", "amount": {"amount": "500", "currency": "EUR"}, "closed_at": "2026-03-01T00:00:00Z",
///    "touches": [{"partner_id": "B", "at": "2026-01-05T00:00:00Z", "touch_type": "sourced"}]}]"#).unwrap();
/// let splits = attribution::split_many(&deals, &Model::linear())?;
/// let totals = attribution::partner_totals(&splits, None)?;
/// assert_eq!(totals[1].partner_id.as_str(), "B");
/// assert_eq!(totals[1].sourced_revenue.to_string(), "500.00");
/// assert_eq!(totals[1].influenced_revenue.to_string(), "500.00");
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn partner_totals(
    attributions: &[Attribution],
    currency: Option<&Currency>,
) -> Result<Vec<PartnerTotal>, Error> {
    // rows in first-seen order, found through their partner's list of rows (one per currency
    // the partner has); sorted once at the end
    let mut rows: Vec<PartnerTotal> = Vec::new();
    let mut slot_of: FnvMap<&str, usize> = FnvMap::default();
    let mut slots: Vec<Vec<usize>> = Vec::new();
    for (i, a) in attributions.iter().enumerate() {
        if let Some(c) = currency
            && *c != a.amount.currency
        {
            return Err(MoneyError::CurrencyMismatch {
                path: format!("[{i}].amount.currency"),
                left: *c,
                right: a.amount.currency,
            }
            .into());
        }
        for s in &a.shares {
            let slot = *slot_of.entry(s.partner_id.as_str()).or_insert_with(|| {
                slots.push(Vec::new());
                slots.len() - 1
            });
            let found = slots[slot]
                .iter()
                .copied()
                .find(|&r| rows[r].currency == s.amount.currency);
            let at = if let Some(r) = found {
                r
            } else {
                rows.push(PartnerTotal {
                    partner_id: s.partner_id.clone(),
                    currency: s.amount.currency,
                    sourced_revenue: Decimal::ZERO,
                    influenced_revenue: Decimal::ZERO,
                    total_revenue: Decimal::ZERO,
                    deals: 0,
                    sourced_deals: 0,
                });
                slots[slot].push(rows.len() - 1);
                rows.len() - 1
            };
            let row = &mut rows[at];
            let add = |x: Decimal| {
                x.checked_add(s.amount.amount).ok_or_else(|| {
                    Error::from(MoneyError::Overflow {
                        path: format!("[{i}].shares"),
                    })
                })
            };
            if s.sourced {
                row.sourced_revenue = add(row.sourced_revenue)?;
                row.sourced_deals += 1;
            } else {
                row.influenced_revenue = add(row.influenced_revenue)?;
            }
            row.total_revenue = add(row.total_revenue)?;
            row.deals += 1;
        }
    }
    crate::sort::by(&mut rows, |a, b| {
        (&a.partner_id, a.currency).cmp(&(&b.partner_id, b.currency))
    });
    Ok(rows)
}
