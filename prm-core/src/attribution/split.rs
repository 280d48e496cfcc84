//! Per-deal splits: which touches count, the model weights, and the exact largest-remainder
//! division of the amount into the currency's minor units (SPEC §4).

use super::error::{AttributionErrorKind as K, err};
use super::model::{
    Attribution, CountedTouch, Deal, DropReason, DroppedTouch, Model, ModelKind, Share, Touch, TouchType,
    Unattributed,
};
use super::weights::{Weights, unknown_type, weights};
use crate::Error;
use crate::domain::{Money, MoneyError, PartnerId, Timestamp};
use rust_decimal::Decimal;

/// The longest lookback window accepted, in days (about 2,700 years).
pub const MAX_LOOKBACK_DAYS: u32 = 1_000_000;

/// The largest deal amount `time_decay` splits, in minor units (2⁵³: it computes in `f64`).
pub const MAX_TIME_DECAY_MINOR_UNITS: i128 = 1 << 53;

/// The most touches one deal may carry (more is a `LimitExceeded` error at `touches`): the
/// explanation lists every touch, so a hostile deal could otherwise make the output huge.
pub const MAX_TOUCHES: usize = 10_000;

/// A validated model, ready to split many deals.
#[derive(Debug, Clone)]
pub(crate) struct Prepared<'m> {
    model: &'m Model,
    lookback: Option<chrono::TimeDelta>,
    /// Build the per-touch explanation (`counted`, `dropped`); batch outputs that show only
    /// shares skip it.
    pub(crate) explain: bool,
}

fn param(path: &str, value: Decimal, what: &str) -> Result<(), Error> {
    if value.is_sign_negative() && !value.is_zero() || value > Decimal::ONE {
        return Err(err(
            K::InvalidModel,
            path,
            format!("{what} must be between 0 and 1, got {value}"),
        ));
    }
    Ok(())
}

pub(crate) fn prepare(model: &Model) -> Result<Prepared<'_>, Error> {
    match &model.kind {
        ModelKind::TimeDecay { half_life_days } => {
            if *half_life_days <= Decimal::ZERO {
                return Err(err(
                    K::InvalidModel,
                    "model.half_life_days",
                    format!("the half-life must be positive, got {half_life_days}"),
                ));
            }
        }
        ModelKind::PositionBased { first, last } => {
            param("model.first", *first, "`first`")?;
            param("model.last", *last, "`last`")?;
            if first + last > Decimal::ONE {
                return Err(err(
                    K::InvalidModel,
                    "model",
                    "`first` + `last` must be at most 1",
                ));
            }
        }
        ModelKind::WShaped { first, middle, last } => {
            param("model.first", *first, "`first`")?;
            param("model.middle", *middle, "`middle`")?;
            param("model.last", *last, "`last`")?;
            if first + middle + last > Decimal::ONE {
                return Err(err(
                    K::InvalidModel,
                    "model",
                    "`first` + `middle` + `last` must be at most 1",
                ));
            }
        }
        ModelKind::Custom { type_weights } => {
            if let Some((name, w)) = type_weights
                .iter()
                .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
            {
                return Err(err(
                    K::InvalidWeight,
                    format!("model.type_weights.{name}"),
                    format!("type weights must not be negative, got {w}"),
                ));
            }
        }
        ModelKind::FirstTouch | ModelKind::LastTouch | ModelKind::Linear | ModelKind::PartnerEven => {}
    }
    let lookback = match model.lookback_days {
        None => None,
        Some(days) => {
            if days.is_sign_negative() && !days.is_zero() || days > Decimal::from(MAX_LOOKBACK_DAYS) {
                return Err(err(
                    K::InvalidModel,
                    "model.lookback_days",
                    format!("the lookback must be between 0 and {MAX_LOOKBACK_DAYS} days, got {days}"),
                ));
            }
            let nanos = (days * Decimal::from(86_400_000_000_000_i64)).trunc();
            let nanos: i64 = nanos.try_into().unwrap_or(i64::MAX);
            Some(chrono::TimeDelta::nanoseconds(nanos))
        }
    };
    Ok(Prepared {
        model,
        lookback,
        explain: true,
    })
}

/// The amount in minor units, validated.
fn minor_units(amount: &Money) -> Result<(i128, u32), Error> {
    let digits = amount.currency.minor_units();
    let a = amount.amount.normalize();
    if a.is_sign_negative() && !a.is_zero() {
        return Err(err(
            K::InvalidAmount,
            "amount.amount",
            format!("deal amounts must not be negative, got {a}"),
        ));
    }
    if a.scale() > digits {
        return Err(err(
            K::InvalidAmount,
            "amount.amount",
            format!("{a} has more decimals than {} allows ({digits})", amount.currency),
        ));
    }
    // in minor units the amount must still be a decimal (96-bit mantissa): 1e26 CLF is not
    let t = 10i128
        .checked_pow(digits - a.scale())
        .and_then(|p| a.mantissa().checked_mul(p))
        .filter(|t| t.unsigned_abs() < 1u128 << 96)
        .ok_or_else(|| {
            Error::from(MoneyError::Overflow {
                path: "amount.amount".to_owned(),
            })
        })?;
    Ok((t, digits))
}

fn age_days(closed_at: Timestamp, at: Timestamp) -> f64 {
    let d = closed_at - at;
    d.num_seconds() as f64 / 86_400.0 + f64::from(d.subsec_nanos()) / 86_400e9
}

type Partitioned<'d> = (Vec<(usize, &'d Touch)>, Vec<DroppedTouch>);

/// Validates the touches and separates the counted from the dropped ones.
fn partition<'d>(deal: &'d Deal, prepared: &Prepared<'_>) -> Result<Partitioned<'d>, Error> {
    let model = prepared.model;
    let mut counted: Vec<(usize, &Touch)> = Vec::with_capacity(deal.touches.len());
    let mut dropped = Vec::new();
    let horizon = prepared
        .lookback
        .and_then(|l| deal.closed_at.checked_sub_signed(l));
    for (index, touch) in deal.touches.iter().enumerate() {
        if let Some(w) = touch.weight
            && w.is_sign_negative()
            && !w.is_zero()
        {
            return Err(err(
                K::InvalidWeight,
                format!("touches[{index}].weight"),
                format!("touch weights must not be negative, got {w}"),
            ));
        }
        if let ModelKind::Custom { type_weights } = &model.kind
            && !type_weights.contains_key(touch.touch_type.as_str())
        {
            return Err(unknown_type(index, touch));
        }
        let reason = if touch.at > deal.closed_at {
            Some(DropReason::AfterClose)
        } else if horizon.is_some_and(|h| touch.at < h) {
            Some(DropReason::BeforeLookback)
        } else {
            None
        };
        match reason {
            Some(reason) => dropped.push(DroppedTouch {
                index,
                partner_id: touch.partner_id.clone(),
                at: touch.at,
                reason,
            }),
            None => counted.push((index, touch)),
        }
    }
    Ok((counted, dropped))
}

struct PartnerAcc<'a> {
    id: &'a PartnerId,
    exact: i128,
    float: f64,
    touches: u32,
    sourced: bool,
}

/// Splits one deal (see [`split`](super::split)).
pub(crate) fn split_prepared(deal: &Deal, prepared: &Prepared<'_>) -> Result<Attribution, Error> {
    let model = prepared.model;
    if deal.touches.len() > MAX_TOUCHES {
        return Err(Error::LimitExceeded {
            path: "touches".into(),
            message: format!("{} touches; at most {MAX_TOUCHES} per deal", deal.touches.len()),
        });
    }
    let (total, digits) = minor_units(&deal.amount)?;
    let (mut counted, dropped) = partition(deal, prepared)?;
    // (at, partner, type, weight, index) order; the instant compares as two integers first
    // (cheaper than chrono's field by field), the rest only on equal instants
    let key = |t: &Touch| (t.at.timestamp(), t.at.timestamp_subsec_nanos());
    crate::sort::by(&mut counted, |(i, a), (j, b)| {
        key(a).cmp(&key(b)).then_with(|| {
            (a.at, &a.partner_id, &a.touch_type, a.weight, i).cmp(&(
                b.at,
                &b.partner_id,
                &b.touch_type,
                b.weight,
                j,
            ))
        })
    });
    let mut out = Attribution {
        deal_id: deal.id.clone(),
        model: model.kind.name().into(),
        amount: deal.amount.clone(),
        shares: Vec::new(),
        counted: Vec::with_capacity(counted.len()),
        dropped,
        unattributed: None,
    };
    if counted.is_empty() {
        out.unattributed = Some(Unattributed::NoCountedTouches);
        return Ok(out);
    }
    let w = weights(&model.kind, &counted, |t| age_days(deal.closed_at, t.at))?;

    // Per-partner accumulation, partners sorted by id.
    let mut partners: Vec<PartnerAcc<'_>> = Vec::with_capacity(counted.len());
    for (k, (_, touch)) in counted.iter().enumerate() {
        let slot = match partners.binary_search_by(|p| p.id.cmp(&touch.partner_id)) {
            Ok(s) => s,
            Err(s) => {
                partners.insert(
                    s,
                    PartnerAcc {
                        id: &touch.partner_id,
                        exact: 0,
                        float: 0.0,
                        touches: 0,
                        sourced: false,
                    },
                );
                s
            }
        };
        let p = &mut partners[slot];
        p.touches += 1;
        p.sourced |= touch.touch_type == TouchType::Sourced;
        match &w {
            Weights::Exact { nums, .. } => {
                p.exact = p.exact.checked_add(nums[k]).ok_or_else(overflow)?;
            }
            Weights::PerPartner => p.exact = 1,
            Weights::Float { shifted, .. } => p.float += shifted[k],
        }
    }
    if prepared.explain {
        out.counted = explain(&counted, &w, &partners);
    }
    let shares = match w {
        Weights::Exact { .. } | Weights::PerPartner => exact_shares(&mut partners, total)?,
        Weights::Float { .. } => float_shares(&mut partners, total)?,
    };
    let Some(shares) = shares else {
        out.unattributed = Some(Unattributed::ZeroTotalWeight);
        return Ok(out);
    };
    out.shares = shares
        .into_iter()
        .map(|(p, units, credit)| Share {
            partner_id: p.id.clone(),
            amount: Money::new(
                Decimal::try_from_i128_with_scale(units, digits).unwrap_or_default(),
                deal.amount.currency,
            ),
            credit,
            sourced: p.sourced,
            touches: p.touches,
        })
        .collect();
    Ok(out)
}

/// `num / 10^scale / denominator` as a decimal.
fn exact_weight(num: i128, scale: u32, denominator: u64) -> Decimal {
    if denominator == 1 {
        return Decimal::try_from_i128_with_scale(num, scale)
            .map_or_else(|_| ratio(num, 10i128.pow(scale.min(38))), |d| d.normalize());
    }
    match 10i128
        .checked_pow(scale)
        .and_then(|p| p.checked_mul(i128::from(denominator)))
    {
        Some(d) if num <= d => ratio(num, d),
        _ => Decimal::try_from_i128_with_scale(num, scale)
            .unwrap_or_default()
            .checked_div(Decimal::from(denominator))
            .unwrap_or_default()
            .normalize(),
    }
}

/// The counted touches with their model weights.
fn explain(counted: &[(usize, &Touch)], w: &Weights, partners: &[PartnerAcc<'_>]) -> Vec<CountedTouch> {
    let mut out = Vec::with_capacity(counted.len());
    // equal numerators are the rule (linear: all), so the last weight is kept
    let mut last: Option<(i128, Decimal)> = None;
    for (k, &(index, touch)) in counted.iter().enumerate() {
        let weight = match w {
            Weights::Exact {
                nums,
                scale,
                denominator,
            } => match last {
                Some((n, d)) if n == nums[k] => d,
                _ => {
                    let d = exact_weight(nums[k], *scale, *denominator);
                    last = Some((nums[k], d));
                    d
                }
            },
            Weights::PerPartner => {
                let p = partners
                    .binary_search_by(|p| p.id.cmp(&touch.partner_id))
                    .map_or(1, |s| partners[s].touches);
                ratio(1, i128::from(p))
            }
            Weights::Float { raw, .. } => float_decimal(raw[k]),
        };
        out.push(CountedTouch {
            index,
            partner_id: touch.partner_id.clone(),
            at: touch.at,
            touch_type: touch.touch_type.clone(),
            weight,
        });
    }
    out
}

fn overflow() -> Error {
    MoneyError::Overflow {
        path: "touches".to_owned(),
    }
    .into()
}

/// `(a / b, a % b)` for non-negative values, in 64-bit arithmetic when both fit.
fn div_rem(a: i128, b: i128) -> (i128, i128) {
    if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
        (i128::from(x / y), i128::from(x % y))
    } else {
        (a / b, a % b)
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `n / d` as a decimal (0 ≤ n ≤ d, d > 0): exact when the quotient terminates within 28
/// digits, otherwise rounded half-even to 28 decimal places, trailing zeros stripped.
pub(crate) fn ratio(n: i128, d: i128) -> Decimal {
    const SCALE: u32 = 28;
    const TEN_28: u128 = 10_000_000_000_000_000_000_000_000_000;
    let (n, d) = (n.unsigned_abs(), d.unsigned_abs().max(1));
    if n <= d && d <= 100_000 {
        return small_ratio(n as u64, d as u64);
    }
    if n <= d
        && let Some(scaled) = n.checked_mul(TEN_28)
    {
        let (mut q, r) = (scaled / d, scaled % d);
        // half-even on the remainder (2r vs d; r < d < 2^127 so 2r cannot overflow)
        if 2 * r > d || (2 * r == d && q % 2 == 1) {
            q += 1;
        }
        let mut scale = SCALE;
        while scale > 0 && q % 10 == 0 && q != 0 {
            q /= 10;
            scale -= 1;
        }
        if q == 0 {
            return Decimal::ZERO;
        }
        return Decimal::from_i128_with_scale(q as i128, scale);
    }
    // Huge numerators (over 10^10): shift both into 96 bits and let rust_decimal divide.
    let (mut n, mut d) = (n, d);
    while d >= 1 << 95 {
        n >>= 1;
        d >>= 1;
    }
    Decimal::from_i128_with_scale(n as i128, 0)
        .checked_div(Decimal::from_i128_with_scale(d.max(1) as i128, 0))
        .unwrap_or_default()
        .normalize()
}

/// `n / d` for `n ≤ d ≤ 10⁵` in 64-bit arithmetic: two long-division steps of 14 digits
/// (`r·10¹⁴ < 2⁶⁴`), rounded half-even at the 28th place, trailing zeros stripped.
fn small_ratio(n: u64, d: u64) -> Decimal {
    const TEN_14: u64 = 100_000_000_000_000;
    let (q1, r1) = ((n * TEN_14) / d, (n * TEN_14) % d);
    let (mut q2, r2) = ((r1 * TEN_14) / d, (r1 * TEN_14) % d);
    let mut q1 = q1;
    if 2 * r2 > d || (2 * r2 == d && q2 % 2 == 1) {
        q2 += 1;
        if q2 == TEN_14 {
            q2 = 0;
            q1 += 1;
        }
    }
    if q2 == 0 {
        let (mut m, mut scale) = (q1, 14u32);
        while scale > 0 && m % 10 == 0 && m != 0 {
            m /= 10;
            scale -= 1;
        }
        return if m == 0 {
            Decimal::ZERO
        } else {
            Decimal::from_i128_with_scale(i128::from(m), scale)
        };
    }
    let mut zeros = 0u32;
    while q2 % 10 == 0 {
        q2 /= 10;
        zeros += 1;
    }
    let m = i128::from(q1) * 10i128.pow(14 - zeros) + i128::from(q2);
    Decimal::from_i128_with_scale(m, 28 - zeros)
}

fn float_decimal(x: f64) -> Decimal {
    use rust_decimal::prelude::FromPrimitive;
    Decimal::from_f64(x).unwrap_or_default().normalize()
}

type Split<'p, 'a> = Option<Vec<(&'p PartnerAcc<'a>, i128, Decimal)>>;

/// Largest remainder over exact integer weights; `None` when the total weight is zero.
fn exact_shares<'p, 'a>(partners: &'p mut Vec<PartnerAcc<'a>>, total: i128) -> Result<Split<'p, 'a>, Error> {
    partners.retain(|p| p.exact != 0);
    let mut sum: i128 = 0;
    for p in partners.iter() {
        sum = sum.checked_add(p.exact).ok_or_else(overflow)?;
    }
    if sum == 0 {
        return Ok(None);
    }
    // reduce by the common divisor only when a product would overflow (rare, and costly)
    let g = if partners.iter().all(|p| total.checked_mul(p.exact).is_some()) {
        1
    } else {
        partners.iter().fold(sum, |g, p| gcd(g, p.exact))
    };
    let sum = sum / g;
    let mut parts: Vec<(usize, i128, i128)> = Vec::with_capacity(partners.len());
    let mut assigned: i128 = 0;
    for (i, p) in partners.iter().enumerate() {
        let num = p.exact / g;
        let q = total.checked_mul(num).ok_or_else(|| {
            Error::from(MoneyError::Overflow {
                path: "amount.amount".to_owned(),
            })
        })?;
        let (f, r) = div_rem(q, sum);
        assigned += f;
        parts.push((i, f, r));
    }
    let remainder = total - assigned;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    crate::sort::by(&mut order, |&a, &b| {
        parts[b]
            .2
            .cmp(&parts[a].2)
            .then_with(|| partners[a].id.cmp(partners[b].id))
    });
    for &i in order.iter().take(remainder as usize) {
        parts[i].1 += 1;
    }
    // partners with equal weights (one touch each, the rule) share their credit
    let mut last: Option<(i128, Decimal)> = None;
    let mut credit = |num: i128| match last {
        Some((n, d)) if n == num => d,
        _ => {
            let d = ratio(num, sum);
            last = Some((num, d));
            d
        }
    };
    Ok(Some(
        parts
            .into_iter()
            .map(|(i, units, _)| (&partners[i], units, credit(partners[i].exact / g)))
            .collect(),
    ))
}

/// Largest remainder over `f64` credits (`time_decay`).
fn float_shares<'p, 'a>(partners: &'p mut Vec<PartnerAcc<'a>>, total: i128) -> Result<Split<'p, 'a>, Error> {
    if total > MAX_TIME_DECAY_MINOR_UNITS {
        return Err(MoneyError::Overflow {
            path: "amount.amount".to_owned(),
        }
        .into());
    }
    let sum: f64 = partners.iter().map(|p| p.float).sum();
    if !sum.is_finite() || sum <= 0.0 {
        return Ok(None);
    }
    // A credit below 10⁻²⁸ (a touch many half-lives older than the rest) is not representable
    // as a decimal credit: such a partner counts as having no credit.
    partners.retain(|p| p.float / sum >= 1e-28);
    let sum: f64 = partners.iter().map(|p| p.float).sum();
    let t = total as f64;
    let mut parts: Vec<(usize, i128, f64, f64)> = partners
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let c = p.float / sum;
            let q = t * c;
            let f = q.floor();
            (i, f as i128, q - f, c)
        })
        .collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    crate::sort::by(&mut order, |&a, &b| {
        parts[b]
            .2
            .total_cmp(&parts[a].2)
            .then_with(|| partners[a].id.cmp(partners[b].id))
    });
    let mut remainder = total - parts.iter().map(|p| p.1).sum::<i128>();
    // Rounding in f64 can leave the floors a unit above or (rarely) several below the total.
    while remainder < 0 {
        for &i in order.iter().rev() {
            if remainder < 0 && parts[i].1 > 0 {
                parts[i].1 -= 1;
                remainder += 1;
            }
        }
    }
    while remainder > 0 {
        for &i in &order {
            if remainder > 0 {
                parts[i].1 += 1;
                remainder -= 1;
            }
        }
    }
    Ok(Some(
        parts
            .into_iter()
            .map(|(i, units, _, c)| (&partners[i], units, float_decimal(c)))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::ratio;
    use rust_decimal::Decimal;

    #[test]
    fn ratios_are_exact_or_rounded_half_even_to_28_places() {
        let s = |n, d| ratio(n, d).to_string();
        assert_eq!(s(1, 3), "0.3333333333333333333333333333");
        assert_eq!(s(2, 3), "0.6666666666666666666666666667");
        assert_eq!(s(1, 2), "0.5");
        assert_eq!(s(3, 8), "0.375");
        assert_eq!(s(0, 7), "0");
        assert_eq!(s(7, 7), "1");
        assert_eq!(s(1, 7), "0.1428571428571428571428571429");
        assert_eq!(s(99_999, 100_000), "0.99999");
        // the 128-bit path agrees with the 64-bit one
        assert_eq!(
            s(1_000_001, 3_000_007),
            (Decimal::from(1_000_001) / Decimal::from(3_000_007)).to_string()
        );
        assert_eq!(s(200_000, 400_000), "0.5");
        // beyond the fast path: rust_decimal's division on values shifted into 96 bits
        let big = 1i128 << 100;
        assert_eq!(s(big / 4, big), "0.25");
    }
}
