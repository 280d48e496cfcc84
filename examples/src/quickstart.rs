//! The main job: every prm engine at work on a small built-in partner program, printed as a
//! readable report. `cargo run --release -p prm-examples --bin quickstart`
#![forbid(unsafe_code)]

mod attribution_report;
mod conflicts_report;
mod routing_report;
mod sample;
mod tiers_report;

use prm_core::ropi::{self, MdfRoiInput, PartnerEconomicsInput};
use rust_decimal::Decimal;

fn pct(d: Decimal) -> String {
    format!("{:.1}%", d * Decimal::ONE_HUNDRED)
}

fn rate(r: Result<f64, prm_core::Error>) -> String {
    match r {
        Ok(r) => format!("{:.2}%", r * 100.0),
        Err(e) => format!("n/a ({})", e.code()),
    }
}

fn years(r: Result<f64, prm_core::Error>) -> String {
    match r {
        Ok(p) => format!("{p:.2} q"),
        Err(e) => format!("n/a ({})", e.code()),
    }
}

fn main() -> Result<(), prm_core::Error> {
    let partners = sample::partners();
    println!(
        "prm quickstart: a partner program of {} partners (built-in sample data)\n",
        partners.len()
    );

    println!("== Return on partner investment (ROPI) ==");
    println!(
        "{:<22} {:>12} {:>11} {:>9} {:>9} {:>7} {:>20} {:>9} {:>20}",
        "partner", "attributed", "investment", "ROPI(m)", "multiple", "CM%", "MDF ROI", "XIRR", "payback"
    );
    for p in &partners {
        let econ = ropi::partner_economics(&PartnerEconomicsInput {
            sourced_revenue: p.sourced,
            influenced_revenue: p.influenced,
            influence_weight: Decimal::new(5, 1),
            margin_rate: Decimal::new(38, 2),
            revenue_is_net_of_discounts: true,
            costs: p.costs.clone(),
        })?;
        // A partner without MDF spend has no MDF return: shown as n/a with the error's code.
        let mdf = ropi::mdf_roi(&MdfRoiInput {
            mdf_spend: p.costs.mdf,
            mdf_allocated: p.mdf_allocated,
            attributed_revenue: p.mdf_revenue,
            margin_rate: Decimal::new(38, 2),
        })
        .map_or_else(|e| format!("n/a ({})", e.code()), |m| pct(m.mdf_roi_margin));
        let (dates, amounts): (Vec<_>, Vec<_>) = p.cash_flows.iter().copied().unzip();
        let quarterly: Vec<f64> = sample::quarterly(&p.cash_flows);
        println!(
            "{:<22} {:>12} {:>11} {:>9} {:>8.2}x {:>7} {:>20} {:>9} {:>20}",
            p.name,
            econ.attributed_revenue.round_dp(0),
            econ.total_investment.round_dp(0),
            pct(econ.ropi_margin),
            econ.return_multiple,
            pct(econ.contribution_margin_pct),
            mdf,
            rate(ropi::xirr(&dates, &amounts, None)),
            years(ropi::payback(&quarterly)),
        );
    }
    println!("  ROPI(m) = (R·m − C)/C with m = 38%, influence weight 0.5; payback in quarters\n");
    tiers_report::print()?;
    attribution_report::print()?;
    routing_report::print()?;
    conflicts_report::print()?;
    Ok(())
}
