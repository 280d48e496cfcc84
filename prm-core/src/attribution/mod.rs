//! Influence attribution (SPEC §4): how much of a closed deal each partner earned, and what
//! many journeys say about each partner's influence.
//!
//! **Per deal** — [`split`] a [`Deal`] under a [`Model`] (`first_touch`, `last_touch`,
//! `linear`, `time_decay`, `position_based`, `w_shaped`, `custom`, `partner_even`, each with an
//! optional lookback window). Touches after the close or before the window are dropped and
//! reported; the rest are ordered by (at, partner id), so input order never matters. Credits
//! are exact rationals (every model but `time_decay`, which SPEC §4 lets compute in `f64`), and
//! the amount is divided in the currency's minor units by the largest-remainder rule: shares
//! sum **exactly** to the amount, ties go to the smaller partner id.
//!
//! **Many deals** — [`split_many`] and [`partner_totals`]: partner-sourced vs
//! partner-influenced revenue per partner and currency (never summed across currencies).
//!
//! **Journeys** — [`markov`] (exact order 1, closed form, no simulation), [`shapley`] (Zhao et
//! al.'s simplified Shapley value and its ordered variant) and [`heuristics`] (first, last,
//! linear as ChannelAttribution computes them) over [`Journeys`].
//!
//! Choices where the spec is silent (documented here and in the README):
//! * a touch's `weight` multiplies only in the `custom` model; the other models define their
//!   own weights (`linear` gives k of n touches exactly k/n);
//! * an amount with more decimals than its currency allows is an `InvalidAmount` error rather
//!   than silently rounded (the shares could not sum to it);
//! * credits are decimals with up to 28 digits (`1/3` = `0.3333333333333333333333333333`);
//! * a custom model rejects unknown touch types on every touch of the deal, counted or not;
//! * under `time_decay`, a partner whose credit is below 10⁻²⁸ (touches dozens of half-lives
//!   older than the rest) has no decimal credit and gets no share.
//!
//! ```
//! use prm_core::attribution::{self, Deal, Model};
//! let deal: Deal = serde_json::from_str(r#"{
//!     "id": "D1", "amount": {"amount": "100.01", "currency": "USD"},
//!     "closed_at": "2026-03-31T00:00:00Z",
//!     "touches": [
//!         {"partner_id": "P2", "at": "2026-02-01T00:00:00Z", "touch_type": "influenced"},
//!         {"partner_id": "P1", "at": "2026-01-01T00:00:00Z", "touch_type": "sourced"},
//!         {"partner_id": "P3", "at": "2026-03-01T00:00:00Z", "touch_type": "co_sell"},
//!         {"partner_id": "P4", "at": "2026-04-02T00:00:00Z", "touch_type": "referral"}]}"#).unwrap();
//! let a = attribution::split(&deal, &Model::linear())?;
//! let amounts: Vec<String> = a.shares.iter().map(|s| s.amount.amount.to_string()).collect();
//! assert_eq!(amounts, ["33.34", "33.34", "33.33"]);           // exactly 100.01
//! assert_eq!(a.dropped[0].partner_id.as_str(), "P4");          // after the close
//! # Ok::<(), prm_core::Error>(())
//! ```

mod columns;
mod error;
mod journeys;
mod linalg;
mod markov;
mod model;
mod shapley;
mod split;
mod totals;
mod weights;

pub use columns::{Amounts, ShareTable, TouchTable, split_table};
pub use error::{AttributionError, AttributionErrorKind};
pub use journeys::MAX_JOURNEY_STEPS;
pub use journeys::{Journey, JourneyPath, Journeys};
pub use markov::{
    CONVERSION, MAX_MARKOV_CHANNELS, MarkovCounts, MarkovResult, NULL, START, ValueMode, markov,
};
pub use model::{
    Attribution, CountedTouch, Deal, DropReason, DroppedTouch, Model, ModelKind, Share, Touch, TouchType,
    Unattributed,
};
pub use shapley::{
    Coalition, HeuristicCredit, Heuristics, ShapleyCounts, ShapleyResult, heuristics, shapley,
};
pub use split::{MAX_LOOKBACK_DAYS, MAX_TIME_DECAY_MINOR_UNITS, MAX_TOUCHES};
pub use totals::{PartnerTotal, partner_totals};

use crate::Error;

/// Splits one deal's amount among its partners under `model` (SPEC §4).
///
/// Errors (paths under `deal.`, or `model.` for the model): `InvalidAmount` (negative, or finer than the currency's minor unit),
/// `InvalidWeight`, `InvalidModel`, `UnknownTouchType` (custom model), `DecimalOverflow`.
/// A deal without counted touches (or with total weight 0) is not an error: its result has no
/// shares and says why in `unattributed`.
///
/// ```
/// use prm_core::attribution::{self, Deal, Model};
/// let deal: Deal = serde_json::from_str(r#"{"id": "D7", "amount": {"amount": "1000", "currency": "JPY"},
///     "closed_at": "2026-03-31T00:00:00Z", "touches": [
///     {"partner_id": "A", "at": "2026-01-01T00:00:00Z", "touch_type": "sourced"},
///     {"partner_id": "B", "at": "2026-02-01T00:00:00Z", "touch_type": "influenced"},
///     {"partner_id": "C", "at": "2026-03-01T00:00:00Z", "touch_type": "influenced"}]}"#).unwrap();
/// let model: Model = serde_json::from_str("\"position_based\"").unwrap();
/// let a = attribution::split(&deal, &model)?;
/// let yen: Vec<String> = a.shares.iter().map(|s| s.amount.amount.to_string()).collect();
/// assert_eq!(yen, ["400", "200", "400"]);
/// assert_eq!(a.shares[1].credit.to_string(), "0.2");
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn split(deal: &Deal, model: &Model) -> Result<Attribution, Error> {
    split::split_prepared(deal, &split::prepare(model)?).map_err(|e| e.under("deal"))
}

/// Splits many deals under one model (validated once). Errors name the deal:
/// `deals[i].amount.amount`.
///
/// ```
/// use prm_core::attribution::{self, Deal, Model};
/// let deals: Vec<Deal> = serde_json::from_str(r#"[{"id": "D1", "amount": {"amount": "10", "currency": "EUR"},
///     "closed_at": "2026-01-01T00:00:00Z", "touches": []}]"#).unwrap();
/// let out = attribution::split_many(&deals, &Model::linear())?;
/// assert!(out[0].shares.is_empty());
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn split_many(deals: &[Deal], model: &Model) -> Result<Vec<Attribution>, Error> {
    split_many_threads(deals, model, 1)
}

/// [`split_many`] on up to `threads` threads (0 = every core); the result is the same for
/// any thread count, in input order.
///
/// ```
/// use prm_core::attribution::{self, Deal, Model};
/// let deals: Vec<Deal> = (0..3000).map(|i| serde_json::from_value(serde_json::json!({
///     "id": format!("D{i}"), "amount": {"amount": "100.01", "currency": "USD"},
///     "closed_at": "2026-03-01T00:00:00Z",
///     "touches": [{"partner_id": "A", "at": "2026-01-01T00:00:00Z", "touch_type": "sourced"},
///                 {"partner_id": "B", "at": "2026-02-01T00:00:00Z", "touch_type": "influenced"},
///                 {"partner_id": "C", "at": "2026-02-11T00:00:00Z", "touch_type": "influenced"}]})).unwrap()).collect();
/// let model = Model::linear();
/// assert_eq!(attribution::split_many_threads(&deals, &model, 0)?, attribution::split_many(&deals, &model)?);
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn split_many_threads(deals: &[Deal], model: &Model, threads: usize) -> Result<Vec<Attribution>, Error> {
    split_deals(deals, model, threads, true)
}

/// `split_many_threads`, optionally without the per-touch explanations.
pub(crate) fn split_deals(
    deals: &[Deal],
    model: &Model,
    threads: usize,
    explain: bool,
) -> Result<Vec<Attribution>, Error> {
    let mut prepared = split::prepare(model)?;
    prepared.explain = explain;
    crate::parallel::map(deals.len(), threads, 2048, |i| {
        split::split_prepared(&deals[i], &prepared).map_err(|e| e.at_index(i).under("deals"))
    })
    .into_iter()
    .collect()
}

/// The fuzz target's and corpus tests' entry: decodes `{"deals", "model", "journeys",
/// "counts"}` and runs every operation, ignoring errors. Not part of the stable API.
#[doc(hidden)]
pub fn fuzz_entry(text: &str) {
    #[derive(serde::Deserialize)]
    struct Input {
        #[serde(default)]
        deals: Vec<Deal>,
        model: Option<Model>,
        #[serde(default)]
        journeys: Vec<Journey>,
        counts: Option<MarkovCounts>,
    }
    let Ok(input) = crate::json::from_str::<Input>(text) else {
        return;
    };
    let model = input.model.unwrap_or_else(Model::linear);
    if let Ok(splits) = split_many(&input.deals, &model) {
        for (a, d) in splits.iter().zip(&input.deals) {
            if a.unattributed.is_none() {
                let sum: rust_decimal::Decimal = a.shares.iter().map(|s| s.amount.amount).sum();
                assert_eq!(sum, d.amount.amount, "shares must sum to the amount");
            }
        }
        let _ = partner_totals(&splits, None);
    }
    if let Ok(j) = Journeys::from_rows(&input.journeys) {
        let _ = markov(&j, ValueMode::ChannelAttribution);
        let _ = shapley(&j, true);
        let _ = heuristics(&j);
    }
    if let Some(c) = input.counts {
        let _ = c.solve(ValueMode::Proportional);
    }
}
