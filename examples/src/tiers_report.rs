//! The tiers part of the quickstart report.

use prm_core::tiers::{Change, PartnerMetrics, TierProgram, TierStatus};

const PROGRAM: &str = r#"{
  "grace_periods": 1,
  "tiers": [
    {"name": "registered"},
    {"name": "silver", "requirements": {"all": [
        {"metric": "revenue", "op": "gte", "value": 250000},
        {"metric": "certified", "op": "gte", "value": 2}]}},
    {"name": "gold", "requirements": {"all": [
        {"metric": "revenue", "op": "gte", "value": 1000000},
        {"at_least": 2, "of": [
            {"metric": "certified", "op": "gte", "value": 5},
            {"metric": "csat", "op": "gte", "value": 4.5},
            {"metric": "deals_won", "op": "gte", "value": 20}]}]}},
    {"name": "platinum", "requirements": {"points": [
        {"metric": "revenue", "per": 250000, "points": 1, "cap": 10},
        {"metric": "certified", "per": 1, "points": 1, "cap": 6},
        {"metric": "deals_won", "per": 10, "points": 1, "cap": 4}], "min": 18}}
  ]
}"#;

const METRICS: &str = r#"[
  {"partner_id": "Northwind Systems",    "values": {"revenue": 1450000, "certified": 6, "csat": 4.6, "deals_won": 31}},
  {"partner_id": "Contoso Cloud MSP",    "values": {"revenue": 970000, "certified": 4, "csat": 4.8, "deals_won": 22}},
  {"partner_id": "Fabrikam Integrators", "values": {"revenue": 210000, "certified": 3, "deals_won": 4}},
  {"partner_id": "Tailspin Referrals",   "values": {"revenue": 250000, "certified": 1, "csat": 4.1}}
]"#;

/// Last quarter's statuses: Fabrikam held silver, Contoso gold.
const PREVIOUS: &str = r#"[
  null,
  {"partner_id": "Contoso Cloud MSP", "tier": "gold", "qualified_tier": "gold", "change": "retained"},
  {"partner_id": "Fabrikam Integrators", "tier": "silver", "qualified_tier": "silver", "change": "retained"},
  null
]"#;

fn change(s: &TierStatus) -> String {
    match (s.change, s.probation_remaining) {
        (Change::Probation, Some(left)) => format!("probation ({left} left)"),
        (c, _) => format!("{c:?}").to_lowercase(),
    }
}

pub(crate) fn print() -> Result<(), prm_core::Error> {
    let program = TierProgram::from_json(PROGRAM)?;
    let metrics: Vec<PartnerMetrics> = prm_core::json::from_str(METRICS)?;
    let previous: Vec<Option<TierStatus>> = prm_core::json::from_str(PREVIOUS)?;
    let statuses = program.evaluate_many(&metrics, Some(&previous), None)?;
    println!("== Partner tiers (4-tier program, 1 grace period) ==");
    println!(
        "{:<22} {:<10} {:<10} {:<19} cheapest way to the next tier",
        "partner", "tier", "qualifies", "change"
    );
    for (m, s) in metrics.iter().zip(&statuses) {
        let paths = program.paths_to_next(m, Some(s))?;
        let way = paths.first().map_or_else(
            || "top tier".to_owned(),
            |path| {
                path.iter()
                    .map(|g| match (&g.actual, &g.short_by) {
                        (_, Some(short)) => format!("+{short} {}", g.metric),
                        (None, _) => format!("{} (missing)", g.metric),
                        (Some(_), None) => format!("{} {} {}", g.metric, g.op.as_str(), g.required),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        println!(
            "{:<22} {:<10} {:<10} {:<19} {}",
            m.partner_id,
            s.tier.as_deref().unwrap_or("-"),
            s.qualified_tier.as_deref().unwrap_or("-"),
            change(s),
            way
        );
    }
    println!();
    Ok(())
}
