//! The built-in sample partner program used by the quickstart.

use chrono::{Datelike, NaiveDate};
use prm_core::ropi::Costs;
use rust_decimal::Decimal;

pub(crate) struct SamplePartner {
    pub(crate) name: &'static str,
    pub(crate) sourced: Decimal,
    pub(crate) influenced: Decimal,
    pub(crate) costs: Costs,
    pub(crate) mdf_allocated: Decimal,
    pub(crate) mdf_revenue: Decimal,
    /// The vendor's dated cash flows with the partner: investments out, margin in.
    pub(crate) cash_flows: Vec<(NaiveDate, f64)>,
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("sample dates are valid")
}

fn k(thousands: i64) -> Decimal {
    Decimal::from(thousands * 1000)
}

pub(crate) fn partners() -> Vec<SamplePartner> {
    vec![
        SamplePartner {
            name: "Northwind Systems",
            sourced: k(1_250),
            influenced: k(400),
            costs: Costs {
                mdf: k(60),
                rebates: k(45),
                spiffs: k(12),
                enablement: k(18),
                partner_manager_hours: Decimal::from(220),
                partner_manager_hourly_rate: Decimal::from(95),
                program_overhead: k(25),
                ..Costs::default()
            },
            mdf_allocated: k(75),
            mdf_revenue: k(480),
            cash_flows: vec![
                (d("2025-01-15"), -90_000.0),
                (d("2025-04-01"), -40_000.0),
                (d("2025-07-01"), 35_000.0),
                (d("2025-10-01"), 50_000.0),
                (d("2026-01-05"), 65_000.0),
            ],
        },
        SamplePartner {
            name: "Contoso Cloud MSP",
            sourced: k(520),
            influenced: k(900),
            costs: Costs {
                mdf: k(35),
                rebates: k(20),
                support: k(15),
                enablement: k(10),
                partner_manager_hours: Decimal::from(140),
                partner_manager_hourly_rate: Decimal::from(95),
                program_overhead: k(25),
                ..Costs::default()
            },
            mdf_allocated: k(50),
            mdf_revenue: k(150),
            cash_flows: vec![
                (d("2025-02-01"), -60_000.0),
                (d("2025-05-01"), -25_000.0),
                (d("2025-08-01"), 30_000.0),
                (d("2025-11-01"), 45_000.0),
                (d("2026-02-01"), 55_000.0),
            ],
        },
        SamplePartner {
            name: "Fabrikam Integrators",
            sourced: k(180),
            influenced: k(60),
            costs: Costs {
                mdf: k(40),
                rebates: k(5),
                spiffs: k(8),
                enablement: k(22),
                partner_manager_hours: Decimal::from(160),
                partner_manager_hourly_rate: Decimal::from(95),
                program_overhead: k(25),
                ..Costs::default()
            },
            mdf_allocated: k(40),
            mdf_revenue: k(60),
            cash_flows: vec![
                (d("2025-01-10"), -70_000.0),
                (d("2025-06-01"), 10_000.0),
                (d("2025-12-01"), 15_000.0),
                (d("2026-06-01"), 18_000.0),
            ],
        },
        SamplePartner {
            name: "Tailspin Referrals",
            sourced: k(95),
            influenced: k(310),
            costs: Costs {
                spiffs: k(9),
                other_incentives: k(6),
                partner_manager_hours: Decimal::from(40),
                partner_manager_hourly_rate: Decimal::from(95),
                program_overhead: k(5),
                ..Costs::default()
            },
            mdf_allocated: k(10),
            mdf_revenue: k(0),
            cash_flows: vec![
                (d("2025-03-01"), -15_000.0),
                (d("2025-06-01"), 9_000.0),
                (d("2025-09-01"), 11_000.0),
            ],
        },
    ]
}

/// Dated flows summed per calendar quarter from the first flow's quarter (for payback).
pub(crate) fn quarterly(flows: &[(NaiveDate, f64)]) -> Vec<f64> {
    let q = |d: &NaiveDate| d.year() * 4 + (d.month0() / 3) as i32;
    let first = flows.iter().map(|(d, _)| q(d)).min().unwrap_or(0);
    let mut out = Vec::new();
    for (date, amount) in flows {
        let i = (q(date) - first) as usize;
        if out.len() <= i {
            out.resize(i + 1, 0.0);
        }
        out[i] += amount;
    }
    out
}
