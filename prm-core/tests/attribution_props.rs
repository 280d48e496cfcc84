//! Property tests of the attribution engine.

use chrono::{TimeZone, Utc};
use prm_core::attribution::{
    self, Deal, Journeys, MarkovCounts, Model, ModelKind, ShapleyCounts, Touch, TouchType, ValueMode,
};
use prm_core::domain::{Currency, Money, PartnerId};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const TYPES: [&str; 5] = ["sourced", "influenced", "co_sell", "referral", "webinar"];
const CURRENCIES: [&str; 4] = ["USD", "JPY", "KWD", "EUR"];

fn model() -> impl Strategy<Value = Model> {
    let frac = |max: i64| (0..=max).prop_map(|x| Decimal::new(x, 2));
    let kind = prop_oneof![
        Just(ModelKind::FirstTouch),
        Just(ModelKind::LastTouch),
        Just(ModelKind::Linear),
        Just(ModelKind::PartnerEven),
        (1i64..400).prop_map(|h| ModelKind::TimeDecay {
            half_life_days: Decimal::new(h, 1)
        }),
        (frac(50), frac(50)).prop_map(|(first, last)| ModelKind::PositionBased { first, last }),
        (frac(33), frac(33), frac(33)).prop_map(|(first, middle, last)| ModelKind::WShaped {
            first,
            middle,
            last
        }),
        prop::collection::vec(0i64..500, 5).prop_map(|w| ModelKind::Custom {
            type_weights: TYPES
                .iter()
                .zip(w)
                .map(|(t, w)| ((*t).to_owned(), Decimal::new(w, 2)))
                .collect()
        }),
    ];
    (kind, prop::option::of(0u32..200)).prop_map(|(kind, lookback)| Model {
        kind,
        lookback_days: lookback.map(Decimal::from),
    })
}

fn deal() -> impl Strategy<Value = Deal> {
    let touch = (
        0..6u8,
        0i64..200 * 86_400,
        0..5usize,
        prop::option::of(0i64..1000),
    )
        .prop_map(|(p, secs, t, w)| Touch {
            partner_id: PartnerId::from(format!("P{p}")),
            at: Utc.timestamp_opt(1_767_225_600 + secs, 0).unwrap(),
            touch_type: TouchType::from(TYPES[t]),
            weight: w.map(|w| Decimal::new(w, 1)),
        });
    (
        0u64..10_000_000_000,
        0..4usize,
        prop::collection::vec(touch, 0..12),
    )
        .prop_map(|(units, c, touches)| {
            let currency = Currency::new(CURRENCIES[c]).unwrap();
            let amount = Decimal::from_i128_with_scale(i128::from(units), currency.minor_units());
            Deal {
                id: "D".into(),
                amount: Money::new(amount, currency),
                closed_at: Utc.timestamp_opt(1_767_225_600 + 150 * 86_400, 0).unwrap(),
                touches,
            }
        })
}

proptest! {
    #[test]
    fn shares_sum_exactly_to_the_amount(d in deal(), m in model()) {
        let a = attribution::split(&d, &m).unwrap();
        if a.unattributed.is_none() {
            let sum: Decimal = a.shares.iter().map(|s| s.amount.amount).sum();
            prop_assert_eq!(sum, d.amount.amount);
            let credit: Decimal = a.shares.iter().map(|s| s.credit).sum();
            prop_assert!((credit - Decimal::ONE).abs() < Decimal::new(1, 12), "credits sum to {}", credit);
            prop_assert!(a.shares.windows(2).all(|w| w[0].partner_id < w[1].partner_id));
            prop_assert!(a.shares.iter().all(|s| s.credit > Decimal::ZERO && s.amount.amount >= Decimal::ZERO));
            // Largest remainder: no share is more than one minor unit from its exact quota.
            let unit = Decimal::new(1, d.amount.currency.minor_units());
            for s in &a.shares {
                let quota = s.credit * d.amount.amount;
                prop_assert!((s.amount.amount - quota).abs() < unit + Decimal::new(1, 9));
            }
        } else {
            prop_assert!(a.shares.is_empty());
        }
        prop_assert_eq!(a.counted.len() + a.dropped.len(), d.touches.len());
    }

    #[test]
    fn partner_totals_sum_each_partner_and_currency_in_order(
        deals in prop::collection::vec(deal(), 0..12),
        m in model(),
    ) {
        let splits = attribution::split_many(&deals, &m).unwrap();
        let totals = attribution::partner_totals(&splits, None).unwrap();
        // the reference: a map of (partner, currency) to (sourced, influenced, deals, sourced deals)
        let mut want: BTreeMap<(String, String), (Decimal, Decimal, u64, u64)> = BTreeMap::new();
        for a in &splits {
            for s in &a.shares {
                let key = (s.partner_id.as_str().to_owned(), s.amount.currency.code().to_owned());
                let row = want.entry(key).or_default();
                if s.sourced {
                    row.0 += s.amount.amount;
                    row.3 += 1;
                } else {
                    row.1 += s.amount.amount;
                }
                row.2 += 1;
            }
        }
        let have: Vec<_> = totals
            .iter()
            .map(|t| {
                prop_assert_eq!(t.total_revenue, t.sourced_revenue + t.influenced_revenue);
                Ok((
                    (t.partner_id.as_str().to_owned(), t.currency.code().to_owned()),
                    (t.sourced_revenue, t.influenced_revenue, t.deals, t.sourced_deals),
                ))
            })
            .collect::<Result<_, TestCaseError>>()?;
        prop_assert_eq!(have, want.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn input_order_never_matters(d in deal(), m in model(), seed in any::<u64>()) {
        let mut shuffled = d.clone();
        // a deterministic permutation from the seed
        let n = shuffled.touches.len();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            shuffled.touches.swap(i, (s >> 33) as usize % (i + 1));
        }
        let (a, b) = (attribution::split(&d, &m).unwrap(), attribution::split(&shuffled, &m).unwrap());
        prop_assert_eq!(&a.shares, &b.shares);
        let key = |x: &attribution::Attribution| x.counted.iter().map(|c| (c.partner_id.clone(), c.at, c.weight)).collect::<Vec<_>>();
        prop_assert_eq!(key(&a), key(&b));
    }

    #[test]
    fn linear_credit_is_k_over_n(d in deal()) {
        let a = attribution::split(&d, &Model::linear()).unwrap();
        let n = a.counted.len() as i64;
        for s in &a.shares {
            let want = Decimal::from(s.touches) / Decimal::from(n);
            prop_assert!((s.credit - want).abs() < Decimal::new(1, 26));
        }
    }

    #[test]
    fn markov_removal_effects_are_probabilities(rows in journeys()) {
        let j = build(&rows);
        for mode in [ValueMode::ChannelAttribution, ValueMode::Proportional] {
            let r = attribution::markov(&j, mode).unwrap();
            for re in r.removal_effect_conversion.values().chain(r.removal_effect_value.values()) {
                prop_assert!((-1e-12..=1.0 + 1e-12).contains(re), "removal effect {re}");
            }
            prop_assert!((0.0..=1.0 + 1e-12).contains(&r.p_conversion));
            if r.p_conversion > 0.0 {
                let s: f64 = r.attributed_conversions.values().sum();
                prop_assert!((s - r.total_conversions).abs() <= 1e-9 * r.total_conversions.max(1.0));
            }
            for row in r.transition_probabilities.values() {
                let s: f64 = row.values().sum();
                prop_assert!((s - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn markov_counts_merge_like_the_whole(rows in journeys(), cut in 0usize..20) {
        let cut = cut.min(rows.len());
        let whole = MarkovCounts::from_journeys(&build(&rows));
        let mut merged = MarkovCounts::from_journeys(&build(&rows[..cut]));
        merged.merge(&MarkovCounts::from_journeys(&build(&rows[cut..])));
        prop_assert_eq!(&merged.channels, &whole.channels);
        for (a, b) in merged.transitions.iter().zip(&whole.transitions) {
            prop_assert!((a - b).abs() < 1e-9);
        }
        let (a, b) = (merged.solve(ValueMode::ChannelAttribution).unwrap(), whole.solve(ValueMode::ChannelAttribution).unwrap());
        for (k, v) in &b.attributed_conversions {
            prop_assert!((a.attributed_conversions[k] - v).abs() <= 1e-9 * v.abs().max(1.0));
        }
    }

    #[test]
    fn shapley_counts_merge_like_the_whole(rows in journeys(), cut in 0usize..20) {
        let cut = cut.min(rows.len());
        let whole = attribution::shapley(&build(&rows), false);
        let mut merged = ShapleyCounts::from_journeys(&build(&rows[..cut]));
        merged.merge(&ShapleyCounts::from_journeys(&build(&rows[cut..])));
        let r = merged.solve();
        let keys = |m: &std::collections::BTreeMap<String, f64>| m.keys().cloned().collect::<Vec<_>>();
        prop_assert_eq!(keys(&r.attributed_conversions), keys(&whole.attributed_conversions));
        for (k, v) in &whole.attributed_conversions {
            prop_assert!((r.attributed_conversions[k] - v).abs() <= 1e-9 * v.abs().max(1.0));
        }
        for (k, v) in &whole.attributed_value {
            prop_assert!((r.attributed_value[k] - v).abs() <= 1e-9 * v.abs().max(1.0));
        }
        prop_assert!((r.total_conversions - whole.total_conversions).abs() <= 1e-9 * whole.total_conversions.max(1.0));
    }

    #[test]
    fn shapley_is_efficient(rows in journeys(), ordered in any::<bool>()) {
        let r = attribution::shapley(&build(&rows), ordered);
        let s: f64 = r.attributed_conversions.values().sum();
        prop_assert!((s - r.total_conversions).abs() <= 1e-9 * r.total_conversions.max(1.0));
        let v: f64 = r.attributed_value.values().sum();
        prop_assert!((v - r.total_value).abs() <= 1e-9 * r.total_value.max(1.0));
        if let Some(o) = r.ordered_conversions {
            for (k, per_position) in &o {
                let total: f64 = per_position.iter().sum();
                prop_assert!((total - r.attributed_conversions[k]).abs() <= 1e-9 * total.max(1.0));
            }
        }
    }

    #[test]
    fn arbitrary_model_json_never_panics(text in "\\PC{0,80}") {
        if let Ok(m) = serde_json::from_str::<Model>(&text) {
            let d: Deal = serde_json::from_str(r#"{"id": "D", "amount": {"amount": "10", "currency": "EUR"},
                "closed_at": "2026-01-01T00:00:00Z", "touches": [{"partner_id": "A", "at": "2025-12-01T00:00:00Z", "touch_type": "x"}]}"#).unwrap();
            let _ = attribution::split(&d, &m);
        }
    }
}

type Row = (Vec<u8>, u32, u32, u32);

fn journeys() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (prop::collection::vec(0u8..6, 0..7), 0u32..5, 0u32..1000, 0u32..5),
        0..20,
    )
}

fn build(rows: &[Row]) -> Journeys {
    let names = ["A", "B", "C", "D", "E", "F"];
    let mut j = Journeys::new();
    for (i, (path, c, v, u)) in rows.iter().enumerate() {
        let value = if *c == 0 { 0.0 } else { f64::from(*v) };
        j.push_steps(
            path.iter().map(|&p| names[p as usize]),
            f64::from(*c),
            value,
            f64::from(*u),
            i,
        )
        .unwrap();
    }
    j
}

#[test]
fn totals_never_mix_currencies() {
    let mk = |id: &str, amount: &str, cur: &str| -> Deal {
        serde_json::from_value(
            serde_json::json!({"id": id, "amount": {"amount": amount, "currency": cur},
            "closed_at": "2026-01-01T00:00:00Z",
            "touches": [{"partner_id": "A", "at": "2025-12-01T00:00:00Z", "touch_type": "sourced"}]}),
        )
        .unwrap()
    };
    let splits = attribution::split_many(
        &[mk("1", "10", "EUR"), mk("2", "5", "USD"), mk("3", "1", "EUR")],
        &Model::linear(),
    )
    .unwrap();
    let totals = attribution::partner_totals(&splits, None).unwrap();
    let by: BTreeMap<&str, Decimal> = totals
        .iter()
        .map(|t| (t.currency.code(), t.total_revenue))
        .collect();
    assert_eq!(by["EUR"], Decimal::from(11));
    assert_eq!(by["USD"], Decimal::from(5));
    let err = attribution::partner_totals(&splits, Some(&Currency::new("EUR").unwrap())).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("CurrencyMismatch", "[1].amount.currency")
    );
}
