//! The routing part of the quickstart report: a day of leads routed through a four-rule policy,
//! with two decisions explained and a fallback.

use prm_core::routing::{Outcome, RoutingDecision, RoutingState};

const POLICY: &str = r#"{
  "rules": [
    {"name": "strategic-accounts", "when": "lead.amount >= 250000",
     "eligible": "partner.tier == \"gold\" and partner.countries contains lead.country",
     "strategy": {"type": "best_score"},
     "scoring": [{"when": "partner.industries contains lead.industry", "points": 5},
                 {"field": "partner.performance.conversion_rate", "weight": 10}]},
    {"name": "security-specialists", "when": "lead.products contains \"security\"",
     "eligible": "partner.certifications contains \"sec-pro\" and partner.countries contains lead.country",
     "strategy": {"type": "round_robin"}},
    {"name": "local-coverage", "eligible": "partner.countries contains lead.country",
     "strategy": {"type": "nearest"}},
    {"name": "regional-pool", "eligible": "partner.regions contains lead.region",
     "strategy": {"type": "weighted"}}
  ],
  "fallback": {"type": "queue", "name": "inside-sales"},
  "seed": 2026
}"#;

const PARTNERS: &str = r#"[
  {"id": "Northwind Systems", "tier": "gold", "countries": ["DE", "AT", "CH"], "regions": ["EMEA"],
   "industries": ["finance", "software"], "certifications": ["sec-pro"], "capacity": 6, "open_leads": 4,
   "location": {"lat": 52.52, "lon": 13.405}, "performance": {"conversion_rate": "0.34"}, "weight": 3},
  {"id": "Contoso Cloud MSP", "tier": "gold", "countries": ["DE", "FR", "GB"], "regions": ["EMEA"],
   "industries": ["healthcare", "retail"], "certifications": ["sec-pro", "cloud"], "capacity": 10, "open_leads": 2,
   "location": {"lat": 50.1109, "lon": 8.6821}, "performance": {"conversion_rate": "0.29"}, "weight": 2},
  {"id": "Fabrikam Integrators", "tier": "silver", "countries": ["FR", "BE"], "regions": ["EMEA"],
   "industries": ["manufacturing"], "capacity": 5, "location": {"lat": 48.8566, "lon": 2.3522}, "weight": 1},
  {"id": "Tailspin Referrals", "tier": "registered", "countries": ["US", "CA"], "regions": ["NA"],
   "location": {"lat": 30.2672, "lon": -97.7431}, "weight": 1}
]"#;

const LEADS: &str = r#"[
  {"id": "L-0901", "country": "DE", "region": "EMEA", "industry": "finance", "amount": 480000, "products": ["core"]},
  {"id": "L-0902", "country": "FR", "region": "EMEA", "industry": "retail", "amount": 36000, "products": ["security"]},
  {"id": "L-0903", "country": "FR", "region": "EMEA", "industry": "manufacturing", "amount": 52000,
   "products": ["analytics"], "location": {"lat": 45.764, "lon": 4.8357}},
  {"id": "L-0904", "country": "DE", "region": "EMEA", "industry": "software", "amount": 18000, "products": ["security"]},
  {"id": "L-0905", "country": "US", "region": "NA", "amount": 9000, "products": ["core"]},
  {"id": "L-0906", "country": "JP", "region": "APAC", "amount": 70000, "products": ["core"]},
  {"id": "L-0907", "country": "AT", "region": "EMEA", "industry": "finance", "amount": 310000, "products": ["security"]}
]"#;

fn explain(d: &RoutingDecision) -> String {
    d.trace
        .iter()
        .map(|t| {
            let what = match t.outcome {
                Outcome::WhenFalse => "when false",
                Outcome::NoCandidates => "no candidates",
                Outcome::Decided => "decided",
            };
            format!("{}: {what}", t.rule)
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

pub(crate) fn print() -> Result<(), prm_core::Error> {
    let router = prm_core::routing::Router::from_json(POLICY, PARTNERS)?;
    let leads: Vec<prm_core::routing::Lead> = prm_core::json::from_str(LEADS)?;
    let mut state = RoutingState::default();
    let decisions = router.route_batch(&leads, &mut state);
    println!(
        "\n== Lead routing ({} rules, {} partners, {} leads today) ==",
        router.policy().rules.len(),
        router.partners().len(),
        leads.len()
    );
    println!(
        "{:<8} {:<22} {:<22} {:>10}",
        "lead", "partner", "rule", "score|km"
    );
    for d in &decisions {
        let partner = d.partner_id.as_ref().map_or_else(
            || {
                format!(
                    "({})",
                    serde_json::to_value(&d.fallback)
                        .ok()
                        .and_then(|v| v["name"].as_str().map(str::to_owned))
                        .unwrap_or_default()
                )
            },
            ToString::to_string,
        );
        let score = d.score.map(|s| s.round_dp(1).to_string()).unwrap_or_default();
        println!(
            "{:<8} {:<22} {:<22} {:>10}",
            d.lead_id,
            partner,
            d.rule.as_deref().unwrap_or("fallback"),
            score
        );
    }
    for id in ["L-0901", "L-0907", "L-0906"] {
        if let Some(d) = decisions.iter().find(|d| d.lead_id.as_str() == id) {
            let cands: Vec<String> = d
                .candidates
                .iter()
                .map(|c| match c.score {
                    Some(s) => format!("{} ({})", c.partner_id, s.round_dp(2)),
                    None => c.partner_id.to_string(),
                })
                .collect();
            println!(
                "  why {id}: {}; candidates: {}",
                explain(d),
                if cands.is_empty() {
                    "none".into()
                } else {
                    cands.join(", ")
                }
            );
        }
    }
    // "why not?" for the lead that fell back: per rule tried, who was excluded and by what
    if let Some(lead) = leads.iter().find(|l| l.id.as_str() == "L-0906") {
        for r in router.explain(lead, &RoutingState::default()).rules {
            let excluded: Vec<String> = r
                .excluded
                .iter()
                .take(3)
                .map(|e| {
                    let why = serde_json::to_value(e.reason)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned));
                    format!(
                        "{} ({})",
                        e.partner_id,
                        e.condition.clone().or(why).unwrap_or_default()
                    )
                })
                .collect();
            if !excluded.is_empty() {
                println!("  why not for L-0906, rule {}: {} …", r.rule, excluded.join(", "));
            }
        }
    }
    Ok(())
}
