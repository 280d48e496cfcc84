//! The attribution part of the quickstart report: a sample book of closed deals split under two
//! models, and the journeys of the quarter under Markov and Shapley.

use prm_core::attribution::{self, Deal, Journey, Journeys, Model, ValueMode};
use std::collections::BTreeMap;

const BOOK: &str = r#"[
  {"id": "D-1001", "amount": {"amount": "184000.00", "currency": "USD"}, "closed_at": "2026-03-27T16:00:00Z", "touches": [
    {"partner_id": "Northwind Systems",    "at": "2025-11-04T10:00:00Z", "touch_type": "sourced"},
    {"partner_id": "Contoso Cloud MSP",    "at": "2026-01-15T09:30:00Z", "touch_type": "co_sell"},
    {"partner_id": "Northwind Systems",    "at": "2026-03-02T14:00:00Z", "touch_type": "influenced"}]},
  {"id": "D-1002", "amount": {"amount": "96500.00", "currency": "USD"}, "closed_at": "2026-02-20T12:00:00Z", "touches": [
    {"partner_id": "Tailspin Referrals",   "at": "2025-12-01T08:00:00Z", "touch_type": "referral"},
    {"partner_id": "Contoso Cloud MSP",    "at": "2026-01-09T11:00:00Z", "touch_type": "sourced"},
    {"partner_id": "Fabrikam Integrators", "at": "2026-02-02T15:00:00Z", "touch_type": "influenced"},
    {"partner_id": "Contoso Cloud MSP",    "at": "2026-02-19T10:00:00Z", "touch_type": "co_sell"}]},
  {"id": "D-1003", "amount": {"amount": "100000.01", "currency": "USD"}, "closed_at": "2026-03-31T23:00:00Z", "touches": [
    {"partner_id": "Fabrikam Integrators", "at": "2026-01-20T09:00:00Z", "touch_type": "sourced"},
    {"partner_id": "Northwind Systems",    "at": "2026-02-10T09:00:00Z", "touch_type": "influenced"},
    {"partner_id": "Tailspin Referrals",   "at": "2026-03-05T09:00:00Z", "touch_type": "influenced"},
    {"partner_id": "Contoso Cloud MSP",    "at": "2026-04-02T09:00:00Z", "touch_type": "influenced"}]},
  {"id": "D-1004", "amount": {"amount": "42000.00", "currency": "EUR"}, "closed_at": "2026-03-12T10:00:00Z", "touches": [
    {"partner_id": "Contoso Cloud MSP",    "at": "2026-02-01T10:00:00Z", "touch_type": "sourced"},
    {"partner_id": "Northwind Systems",    "at": "2026-03-01T10:00:00Z", "touch_type": "influenced"}]}
]"#;

const JOURNEYS: &str = r#"[
  {"path": "Northwind Systems > Contoso Cloud MSP", "conversions": 14, "value": 1260000, "nulls": 20},
  {"path": "Tailspin Referrals > Northwind Systems", "conversions": 9, "value": 610000, "nulls": 31},
  {"path": "Contoso Cloud MSP", "conversions": 11, "value": 880000, "nulls": 25},
  {"path": "Fabrikam Integrators > Contoso Cloud MSP > Northwind Systems", "conversions": 4, "value": 395000, "nulls": 6},
  {"path": "Tailspin Referrals", "conversions": 2, "value": 90000, "nulls": 40},
  {"path": "Fabrikam Integrators", "conversions": 1, "value": 60000, "nulls": 18}
]"#;

pub(crate) fn print() -> Result<(), prm_core::Error> {
    let deals: Vec<Deal> = prm_core::json::from_str(BOOK)?;
    println!(
        "== Influence attribution ({} closed deals; exact to the cent) ==",
        deals.len()
    );
    let models = [
        ("linear", Model::linear()),
        ("position_based", prm_core::json::from_str(r#""position_based""#)?),
    ];
    println!(
        "{:<22} {:>3}  {:>14} {:>14}   {:>14} {:>14}",
        "partner", "cur", "linear: src", "infl", "40/20/40: src", "infl"
    );
    let mut rows: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (_, model) in &models {
        let splits = attribution::split_many(&deals, model)?;
        for t in attribution::partner_totals(&splits, None)? {
            rows.entry((t.partner_id.to_string(), t.currency.to_string()))
                .or_default()
                .extend([t.sourced_revenue.to_string(), t.influenced_revenue.to_string()]);
        }
    }
    for ((partner, currency), cols) in &rows {
        let c = |i: usize| cols.get(i).map_or("-", String::as_str);
        println!(
            "{partner:<22} {currency:>3}  {:>14} {:>14}   {:>14} {:>14}",
            c(0),
            c(1),
            c(2),
            c(3)
        );
    }
    let d3 = attribution::split(&deals[2], &Model::linear())?;
    let shares: Vec<String> = d3
        .shares
        .iter()
        .map(|s| format!("{} {}", s.partner_id, s.amount.amount))
        .collect();
    println!(
        "  {} (100000.01 USD, linear): {}; {} touch after the close dropped",
        d3.deal_id,
        shares.join(", "),
        d3.dropped.len()
    );

    let rows: Vec<Journey> = prm_core::json::from_str(JOURNEYS)?;
    let journeys = Journeys::from_rows(&rows)?;
    let markov = attribution::markov(&journeys, ValueMode::ChannelAttribution)?;
    let shapley = attribution::shapley(&journeys, false);
    println!(
        "\nJourneys of the quarter: P(conversion) = {:.1}%",
        markov.p_conversion * 100.0
    );
    println!(
        "{:<22} {:>8} {:>12} {:>14} {:>12}",
        "partner", "removal", "Markov conv", "Markov value", "Shapley conv"
    );
    for (partner, re) in &markov.removal_effect_conversion {
        println!(
            "{partner:<22} {:>7.1}% {:>12.2} {:>14.0} {:>12.2}",
            re * 100.0,
            markov.attributed_conversions[partner],
            markov.attributed_value[partner],
            shapley.attributed_conversions[partner]
        );
    }
    Ok(())
}
