//! Property tests of the ROPI engine's invariants.

use chrono::NaiveDate;
use prm_core::ropi::{self, Costs, PartnerEconomicsInput};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn flows() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![-1e6..1e6f64, Just(0.0)], 1..25)
}

/// A conventional investment: one outflow, then inflows.
fn conventional() -> impl Strategy<Value = Vec<f64>> {
    (1.0..1e9f64, prop::collection::vec(0.0..1e9f64, 1..30)).prop_map(|(out, ins)| {
        let mut v = vec![-out];
        v.extend(ins);
        v
    })
}

fn dec(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn nothing_panics_on_arbitrary_flows(f in flows(), rate in -2.0..5.0f64, guess in -2.0..5.0f64) {
        let _ = ropi::npv(rate, &f);
        let _ = ropi::irr(&f, None);
        let _ = ropi::irr(&f, Some(guess));
        let _ = ropi::irr_roots(&f);
        let _ = ropi::mirr(&f, rate, guess);
        let _ = ropi::payback(&f);
        let _ = ropi::discounted_payback(rate, &f);
    }

    #[test]
    fn every_irr_root_zeroes_the_npv(f in flows()) {
        if let Ok(roots) = ropi::irr_roots(&f) {
            let scale: f64 = f.iter().map(|x| x.abs()).sum();
            for r in roots {
                // scaled residual: |npv| relative to the discounted magnitude of the flows
                let v = 1.0 / (1.0 + r);
                let mag: f64 = f.iter().enumerate().map(|(t, x)| x.abs() * v.powi(t as i32)).sum();
                let npv = ropi::npv(r, &f).unwrap();
                prop_assert!(npv.abs() <= 1e-9 * mag.max(scale * 1e-300), "r={r} npv={npv} mag={mag}");
            }
        }
    }

    #[test]
    fn irr_of_a_conventional_investment_is_unique_and_exact(f in conventional()) {
        prop_assume!(f[1..].iter().any(|&x| x > 0.0));
        let r = ropi::irr(&f, None).unwrap();
        let roots = ropi::irr_roots(&f).unwrap();
        prop_assert_eq!(roots.len(), 1);
        // agreement to 1e-12 relative, or absolute near 0 where the root's own condition limits it
        prop_assert!((roots[0] - r).abs() <= 1e-12 * r.abs().max(1e-3));
        // npv is decreasing in r for such flows: just below the root it is positive, above negative
        prop_assert!(ropi::npv(r - 1e-6 * (1.0 + r), &f).unwrap() >= 0.0);
        prop_assert!(ropi::npv(r + 1e-6 * (1.0 + r), &f).unwrap() <= 0.0);
    }

    #[test]
    fn xirr_ignores_input_order(
        // past 32 flows the dates are sorted another way
        f in prop::collection::vec((0i64..3000, -1e6..1e6f64), 2..60),
        seed in any::<u64>(),
    ) {
        let base = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let dates: Vec<_> = f.iter().map(|(d, _)| base + chrono::Days::new(*d as u64)).collect();
        let amounts: Vec<_> = f.iter().map(|(_, a)| *a).collect();
        let mut idx: Vec<usize> = (0..f.len()).collect();
        idx.sort_by_key(|&i| (i as u64).wrapping_mul(seed | 1).rotate_left(17));
        let d2: Vec<_> = idx.iter().map(|&i| dates[i]).collect();
        let a2: Vec<_> = idx.iter().map(|&i| amounts[i]).collect();
        match (ropi::xirr(&dates, &amounts, None), ropi::xirr(&d2, &a2, None)) {
            (Ok(x), Ok(y)) => prop_assert!((x - y).abs() <= 1e-9 * x.abs().max(1e-6), "{x} vs {y}"),
            (Err(x), Err(y)) => prop_assert_eq!(x.code(), y.code()),
            (x, y) => prop_assert!(false, "{x:?} vs {y:?}"),
        }
    }

    #[test]
    fn payback_is_monotone_in_inflows(f in conventional(), t in 1usize..30, extra in 0.0..1e9f64) {
        prop_assume!(t < f.len());
        let mut more = f.clone();
        more[t] += extra;
        match (ropi::payback(&f), ropi::payback(&more)) {
            (Ok(a), Ok(b)) => prop_assert!(b <= a + 1e-9, "{b} > {a}"),
            (Err(_), _) => {}
            (Ok(a), Err(e)) => prop_assert!(false, "paid back at {a}, but not with more inflow: {e}"),
        }
    }

    #[test]
    fn discounting_never_shortens_payback(f in conventional(), rate in 0.0..2.0f64) {
        if let (Ok(plain), Ok(disc)) = (ropi::payback(&f), ropi::discounted_payback(rate, &f)) {
            prop_assert!(disc + 1e-9 >= plain, "discounted {disc} < plain {plain}");
        }
    }

    #[test]
    fn ropi_sign_rules(
        sourced in 0i64..1_000_000_000, margin in 0i64..100, mdf in 1i64..100_000_000, overhead in 0i64..10_000_000,
    ) {
        let input = PartnerEconomicsInput {
            sourced_revenue: dec(sourced),
            influenced_revenue: Decimal::ZERO,
            influence_weight: Decimal::ZERO,
            margin_rate: Decimal::new(margin, 2),
            revenue_is_net_of_discounts: true,
            costs: Costs { mdf: dec(mdf), program_overhead: dec(overhead), ..Costs::default() },
        };
        match ropi::partner_economics(&input) {
            Ok(out) => {
                // ROPI is positive exactly when the margin exceeds the investment.
                prop_assert_eq!(out.ropi_margin > Decimal::ZERO, out.gross_margin > out.total_investment);
                prop_assert_eq!(out.ropi_revenue > Decimal::ZERO, out.attributed_revenue > out.total_investment);
                // with m ≤ 1 the revenue basis is never below the margin basis
                prop_assert!(out.ropi_revenue >= out.ropi_margin);
                // return multiple = 1 + ropi_margin (to decimal precision)
                let diff = (out.return_multiple - Decimal::ONE - out.ropi_margin).abs();
                prop_assert!(diff < Decimal::new(1, 20));
                prop_assert!(out.variable_partner_cost <= out.total_investment);
            }
            Err(e) => prop_assert_eq!(e.code(), "ZeroRevenue"),
        }
    }
}
