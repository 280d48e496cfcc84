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
    /// The deals that could not be split (a bad row, or an error of the split), in deal order:
    /// reported here instead of failing the table.
    pub errors: Vec<RowError>,
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
        let grouped = self.group()?;
        if let Some((_, e)) = grouped.bad.into_iter().flatten().min_by_key(|(row, _)| *row) {
            return Err(e);
        }
        Ok(grouped.deals.into_iter().flatten().collect())
    }

    /// The rows grouped into deals; a deal with a bad row is kept as its first error (and as
    /// `None` when its first row was the bad one) so the other deals go on.
    fn group(&self) -> Result<Grouped, Error> {
        self.check_lengths()?;
        let mut g = Grouped::default();
        let mut index: FnvMap<&str, usize> = FnvMap::default();
        let mut currencies: FnvMap<&str, Currency> = FnvMap::default();
        let mut partners: FnvMap<&str, PartnerId> = FnvMap::default();
        let mut types: FnvMap<&str, TouchType> = FnvMap::default();
        let mut last: Option<(&str, usize)> = None;
        for row in 0..self.len() {
            let id = self.deal_id[row];
            // rows of a deal are usually adjacent: skip the map for a run
            let known = match last {
                Some((prev, d)) if prev == id => Some(d),
                _ => index.get(id).copied(),
            };
            let d = known.unwrap_or_else(|| {
                index.insert(id, g.deals.len());
                g.deals.push(None);
                g.first_row.push(row);
                g.bad.push(None);
                g.deals.len() - 1
            });
            last = Some((id, d));
            g.deal_of.push(d as u32);
            if g.bad[d].is_some() {
                continue;
            }
            let mut touch_of = |row: usize| -> Result<(Touch, Currency), Error> {
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
                Ok((touch, currency))
            };
            let closed_at = instant(self.closed_at_ns[row]);
            let added = touch_of(row).and_then(|(touch, currency)| match &mut g.deals[d] {
                Some(deal) => {
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
                    Ok(())
                }
                slot @ None => {
                    *slot = Some(Deal {
                        id: DealId::from(id),
                        amount: Money::new(amount(&self.amount, row, currency)?, currency),
                        closed_at,
                        touches: vec![touch],
                    });
                    Ok(())
                }
            });
            if let Err(e) = added {
                g.bad[d] = Some((row, e));
            }
        }
        Ok(g)
    }
}

/// A [`TouchTable`]'s rows by deal.
#[derive(Default)]
struct Grouped {
    /// Per deal (in order of first appearance): the deal, `None` if its first row was bad.
    deals: Vec<Option<Deal>>,
    /// Per deal: its first row.
    first_row: Vec<usize>,
    /// Per table row: its deal (a flat column; a deal's rows are gathered only for an error).
    deal_of: Vec<u32>,
    /// Per deal: its first bad row and the error.
    bad: Vec<Option<(usize, Error)>>,
}

/// A deal of a [`TouchTable`] that could not be split: none of its rows has a share, and
/// [`split_table`] reports it instead of failing the whole table.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// The deal's index in [`ShareTable::deal_ids`].
    pub deal: u32,
    /// The table row at fault (the deal's first row when the fault is the deal's as a whole).
    pub row: usize,
    /// The error's code (`InvalidAmount`, `UnknownTouchType`, …).
    pub code: &'static str,
    /// The offending input, by table row: `[17].amount`, `[17].touch_type`, `[17]`.
    pub path: String,
    /// What was wrong.
    pub message: String,
}

/// An error of splitting deal `d` (paths relative to the deal: `amount.amount`,
/// `touches[3].touch_type`, `touches`) as a [`RowError`] naming table rows.
fn row_error(d: u32, rows: &[usize], e: &Error) -> RowError {
    let path = e.path();
    let (row, rest) = if let Some(after) = path.strip_prefix("touches[") {
        let (k, rest) = after.split_once(']').unwrap_or((after, ""));
        let row = k
            .parse::<usize>()
            .ok()
            .and_then(|k| rows.get(k))
            .copied()
            .unwrap_or(rows[0]);
        (row, rest.trim_start_matches('.').to_owned())
    } else if path.starts_with("amount") {
        (rows[0], "amount".to_owned())
    } else {
        (rows[0], String::new())
    };
    RowError {
        deal: d,
        row,
        code: e.code(),
        path: if rest.is_empty() {
            format!("[{row}]")
        } else {
            format!("[{row}].{rest}")
        },
        message: e.to_string(),
    }
}

/// Splits every deal of a long-format touch table (on up to `threads` threads, 0 = all cores)
/// and returns one row per share. Unattributed deals have no rows. A deal with a bad row (an
/// amount finer than its currency, an unknown currency, rows that disagree on the deal's
/// amount) or whose split fails (an unknown touch type under `custom`, too many touches) is
/// reported in [`ShareTable::errors`] with the table row and code, and the other deals are split;
/// only errors of the table as a whole (columns of different lengths, a bad model) fail the call.
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
///
/// // a deal with an amount finer than its currency is reported, the others are split
/// let table = TouchTable { deal_id: vec!["D1", "D2", "D2"], amount: Amounts::Text(vec!["1.001", "5", "5"]),
///     currency: vec!["USD"; 3], partner_id: vec!["P1", "P1", "P2"], ..table };
/// let shares = split_table(&table, &Model::linear(), 1)?;
/// assert_eq!((shares.deal, shares.amount_minor), (vec![1, 1], vec![250, 250]));
/// let e = &shares.errors[0];
/// assert_eq!((e.deal, e.row, e.code, e.path.as_str()), (0, 0, "InvalidAmount", "[0].amount"));
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn split_table(table: &TouchTable<'_>, model: &Model, threads: usize) -> Result<ShareTable, Error> {
    let g = table.group()?;
    let mut prepared = super::split::prepare(model)?;
    prepared.explain = false;
    let good: Vec<(usize, &Deal)> = g
        .deals
        .iter()
        .enumerate()
        .filter_map(|(d, deal)| deal.as_ref().filter(|_| g.bad[d].is_none()).map(|x| (d, x)))
        .collect();
    let mut splits: Vec<Option<Result<super::Attribution, Error>>> = vec![None; g.deals.len()];
    let results = crate::parallel::map(good.len(), threads, 2048, |i| {
        Ok::<_, Error>(super::split::split_prepared(good[i].1, &prepared))
    });
    for ((d, _), r) in good.iter().zip(results) {
        splits[*d] = r.ok();
    }
    let rows: usize = splits
        .iter()
        .flatten()
        .map(|r| r.as_ref().map_or(0, |a| a.shares.len()))
        .sum();
    let mut out = ShareTable {
        deal_ids: g.first_row.iter().map(|&r| table.deal_id[r].to_owned()).collect(),
        deal: Vec::with_capacity(rows),
        partner_id: Vec::with_capacity(rows),
        amount_minor: Vec::with_capacity(rows),
        minor_digits: Vec::with_capacity(rows),
        currency: Vec::with_capacity(rows),
        credit: Vec::with_capacity(rows),
        sourced: Vec::with_capacity(rows),
        touches: Vec::with_capacity(rows),
        errors: Vec::new(),
    };
    for (d, split) in splits.into_iter().enumerate() {
        let d32 = d as u32;
        let a = match (split, &g.bad[d]) {
            (_, Some((row, e))) => {
                out.errors.push(RowError {
                    deal: d32,
                    row: *row,
                    code: e.code(),
                    path: e.path().to_owned(),
                    message: e.to_string(),
                });
                continue;
            }
            (Some(Ok(a)), None) => a,
            (Some(Err(e)), None) => {
                let rows: Vec<usize> = (0..g.deal_of.len()).filter(|&r| g.deal_of[r] == d32).collect();
                out.errors.push(row_error(d32, &rows, &e));
                continue;
            }
            (None, None) => continue,
        };
        let digits = a.amount.currency.minor_units();
        let units: Result<Vec<i64>, _> = a
            .shares
            .iter()
            .map(|s| {
                i64::try_from(
                    s.amount.amount.mantissa() * 10i128.pow(digits.saturating_sub(s.amount.amount.scale())),
                )
            })
            .collect();
        let Ok(units) = units else {
            let row = g.first_row[d];
            out.errors.push(RowError {
                deal: d32,
                row,
                code: "LimitExceeded",
                path: format!("[{row}].amount"),
                message: "a share does not fit 64-bit minor units".into(),
            });
            continue;
        };
        for (s, units) in a.shares.iter().zip(units) {
            out.deal.push(d32);
            out.partner_id.push(s.partner_id.clone());
            out.amount_minor.push(units);
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
