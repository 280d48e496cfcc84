//! Columnar batch splitting: touches in long format (one row per touch, the deal's fields
//! repeated on each of its rows) in, one row per share out — the shape DataFrames hold.

use super::error::{AttributionErrorKind as K, err};
use super::model::{Deal, Model, Touch, TouchType};
use crate::Error;
use crate::domain::{Currency, DealId, Money, PartnerId, Timestamp};
use crate::hash::FnvMap;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// Deal amounts of a [`TouchTable`]: floats (rounded to the currency's minor unit, which must
/// be within 10⁻⁶ of a whole minor unit) or exact decimal text.
#[derive(Debug, Clone, PartialEq)]
pub enum Amounts<'a> {
    /// `100.01`.
    Float(Vec<f64>),
    /// `"100.01"`.
    Text(Vec<&'a str>),
}

/// Touches in long format. Every column has one entry per touch row; instants are nanoseconds
/// since the Unix epoch (UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct TouchTable<'a> {
    /// The deal each touch belongs to; rows of one deal need not be adjacent.
    pub deal_id: Vec<&'a str>,
    /// The deal's amount (the same on every row of the deal).
    pub amount: Amounts<'a>,
    /// The deal's currency code.
    pub currency: Vec<&'a str>,
    /// The deal's close.
    pub closed_at_ns: Vec<i64>,
    /// The touching partner.
    pub partner_id: Vec<&'a str>,
    /// When it touched.
    pub at_ns: Vec<i64>,
    /// The touch type.
    pub touch_type: Vec<&'a str>,
    /// Touch weights (the custom model's multiplier); absent means 1.
    pub weight: Option<Vec<f64>>,
}

/// One row per share: the columns of a DataFrame.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShareTable {
    /// Distinct deal ids in order of first appearance.
    pub deal_ids: Vec<String>,
    /// Per share: the index of its deal in `deal_ids`.
    pub deal: Vec<u32>,
    /// Per share: the partner.
    pub partner_id: Vec<PartnerId>,
    /// Per share: the amount in minor units (exact).
    pub amount_minor: Vec<i64>,
    /// Per share: the currency's minor-unit digits (amount = amount_minor / 10^digits).
    pub minor_digits: Vec<u8>,
    /// Per share: the currency.
    pub currency: Vec<Currency>,
    /// Per share: the credit as a float.
    pub credit: Vec<f64>,
    /// Per share: whether the partner sourced the deal.
    pub sourced: Vec<bool>,
    /// Per share: the partner's counted touches on the deal.
    pub touches: Vec<u32>,
}

fn instant(ns: i64) -> Timestamp {
    chrono::DateTime::from_timestamp_nanos(ns)
}

fn row_err(kind: K, row: usize, field: &str, message: String) -> Error {
    err(kind, format!("[{row}].{field}"), message)
}

fn amount(amounts: &Amounts, row: usize, currency: Currency) -> Result<Decimal, Error> {
    let a = parse_amount(amounts, row, currency)?;
    let digits = currency.minor_units();
    if a.is_sign_negative() && !a.is_zero() || a.normalize().scale() > digits {
        return Err(row_err(
            K::InvalidAmount,
            row,
            "amount",
            format!("{a} is negative or finer than {currency}'s {digits} minor digits"),
        ));
    }
    Ok(a)
}

fn parse_amount(amounts: &Amounts, row: usize, currency: Currency) -> Result<Decimal, Error> {
    match amounts {
        Amounts::Text(t) => t[row].trim().parse::<Decimal>().map_err(|e| Error::InvalidInput {
            path: format!("[{row}].amount"),
            message: e.to_string(),
        }),
        Amounts::Float(f) => {
            let x = f[row];
            let digits = currency.minor_units();
            let scaled = x * 10f64.powi(digits as i32);
            let units = scaled.round();
            if !x.is_finite() || (scaled - units).abs() > 1e-6 * units.abs().max(1.0) || units.abs() >= 9e15 {
                return Err(row_err(
                    K::InvalidAmount,
                    row,
                    "amount",
                    format!("{x} is not a whole number of {currency} minor units (or too large for a float)"),
                ));
            }
            Ok(Decimal::from_i128_with_scale(units as i128, digits))
        }
    }
}

impl TouchTable<'_> {
    fn len(&self) -> usize {
        self.deal_id.len()
    }

    fn check_lengths(&self) -> Result<(), Error> {
        let n = self.len();
        let amounts = match &self.amount {
            Amounts::Float(v) => v.len(),
            Amounts::Text(v) => v.len(),
        };
        let lens = [
            ("amount", amounts),
            ("currency", self.currency.len()),
            ("closed_at", self.closed_at_ns.len()),
            ("partner_id", self.partner_id.len()),
            ("at", self.at_ns.len()),
            ("touch_type", self.touch_type.len()),
            ("weight", self.weight.as_ref().map_or(n, Vec::len)),
        ];
        match lens.iter().find(|(_, l)| *l != n) {
            Some((name, l)) => Err(Error::InvalidInput {
                path: (*name).to_owned(),
                message: format!("{l} values for {n} rows"),
            }),
            None => Ok(()),
        }
    }

    /// Groups the rows into deals (in order of first appearance). Rows of one deal must agree
    /// on amount, currency and close; errors name the row: `[17].amount`.
    pub fn deals(&self) -> Result<Vec<Deal>, Error> {
        self.check_lengths()?;
        let mut index: FnvMap<&str, usize> = FnvMap::default();
        let mut deals: Vec<Deal> = Vec::new();
        let mut currencies: FnvMap<&str, Currency> = FnvMap::default();
        let mut partners: FnvMap<&str, PartnerId> = FnvMap::default();
        let mut types: FnvMap<&str, TouchType> = FnvMap::default();
        let mut last: Option<(&str, usize)> = None;
        for row in 0..self.len() {
            let code = self.currency[row];
            let currency = if let Some(c) = currencies.get(code) {
                *c
            } else {
                let c = Currency::new(code).map_err(|m| Error::InvalidInput {
                    path: format!("[{row}].currency"),
                    message: m,
                })?;
                currencies.insert(code, c);
                c
            };
            let weight = match &self.weight {
                Some(w) if w[row] != 1.0 => Some(Decimal::from_f64(w[row]).ok_or_else(|| {
                    row_err(
                        K::InvalidWeight,
                        row,
                        "weight",
                        format!("{} is not a finite weight", w[row]),
                    )
                })?),
                _ => None,
            };
            let p = self.partner_id[row];
            let partner_id = partners.entry(p).or_insert_with(|| PartnerId::from(p)).clone();
            let t = self.touch_type[row];
            let touch_type = types.entry(t).or_insert_with(|| TouchType::from(t)).clone();
            let touch = Touch {
                partner_id,
                at: instant(self.at_ns[row]),
                touch_type,
                weight,
            };
            let id = self.deal_id[row];
            let closed_at = instant(self.closed_at_ns[row]);
            // rows of a deal are usually adjacent: skip the map for a run
            let known = match last {
                Some((prev, d)) if prev == id => Some(d),
                _ => index.get(id).copied(),
            };
            if let Some(d) = known {
                last = Some((id, d));
                let deal = &mut deals[d];
                if deal.amount.currency != currency
                    || deal.closed_at != closed_at
                    || deal.amount.amount != amount(&self.amount, row, currency)?
                {
                    return Err(Error::InvalidInput {
                        path: format!("[{row}]"),
                        message: format!(
                            "deal `{id}` has another amount, currency or close on an earlier row"
                        ),
                    });
                }
                deal.touches.push(touch);
            } else {
                last = Some((id, deals.len()));
                index.insert(id, deals.len());
                deals.push(Deal {
                    id: DealId::from(id),
                    amount: Money::new(amount(&self.amount, row, currency)?, currency),
                    closed_at,
                    touches: vec![touch],
                });
            }
        }
        Ok(deals)
    }
}

/// Splits every deal of a long-format touch table (on up to `threads` threads, 0 = all cores)
/// and returns one row per share. Unattributed deals have no rows.
///
/// ```
/// use prm_core::attribution::{Amounts, Model, TouchTable, split_table};
/// let ns = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp_nanos_opt().unwrap();
/// let table = TouchTable {
///     deal_id: vec!["D1"; 3],
///     amount: Amounts::Float(vec![100.01; 3]),
///     currency: vec!["USD"; 3],
///     closed_at_ns: vec![ns("2026-03-31T00:00:00Z"); 3],
///     partner_id: vec!["P1", "P2", "P3"],
///     at_ns: vec![ns("2026-01-01T00:00:00Z"), ns("2026-02-01T00:00:00Z"), ns("2026-03-01T00:00:00Z")],
///     touch_type: vec!["sourced", "influenced", "influenced"],
///     weight: None,
/// };
/// let shares = split_table(&table, &Model::linear(), 1)?;
/// assert_eq!(shares.amount_minor, [3334, 3334, 3333]);
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn split_table(table: &TouchTable<'_>, model: &Model, threads: usize) -> Result<ShareTable, Error> {
    let deals = table.deals()?;
    let splits = super::split_deals(&deals, model, threads, false)?;
    let rows: usize = splits.iter().map(|a| a.shares.len()).sum();
    let mut out = ShareTable {
        deal_ids: deals.iter().map(|d| d.id.as_str().to_owned()).collect(),
        deal: Vec::with_capacity(rows),
        partner_id: Vec::with_capacity(rows),
        amount_minor: Vec::with_capacity(rows),
        minor_digits: Vec::with_capacity(rows),
        currency: Vec::with_capacity(rows),
        credit: Vec::with_capacity(rows),
        sourced: Vec::with_capacity(rows),
        touches: Vec::with_capacity(rows),
    };
    for (d, a) in splits.iter().enumerate() {
        let digits = a.amount.currency.minor_units();
        for s in &a.shares {
            let units =
                s.amount.amount.mantissa() * 10i128.pow(digits.saturating_sub(s.amount.amount.scale()));
            out.deal.push(d as u32);
            out.partner_id.push(s.partner_id.clone());
            out.amount_minor
                .push(i64::try_from(units).map_err(|_| Error::LimitExceeded {
                    path: format!("deals[{d}].amount"),
                    message: "a share does not fit 64-bit minor units".into(),
                })?);
            out.minor_digits.push(digits as u8);
            out.currency.push(a.amount.currency);
            out.credit
                .push(rust_decimal::prelude::ToPrimitive::to_f64(&s.credit).unwrap_or(f64::NAN));
            out.sourced.push(s.sourced);
            out.touches.push(s.touches);
        }
    }
    Ok(out)
}
