//! The conflicts part of the quickstart report: a book of registrations and a direct
//! opportunity, a batch of incoming registrations checked against it as the registration form
//! would, with the evidence for two conflicts and who wins.

use prm_core::conflicts::{ConflictIndex, ConflictPolicy, Partner, Record, Registration};

const PARTNERS: &str = r#"[
  {"id": "Northwind Systems", "domain": "northwind-systems.de", "tier": "gold", "territories": ["DE", "AT"]},
  {"id": "Contoso Cloud MSP", "domain": "contoso-msp.com", "tier": "silver", "territories": ["DE", "FR", "GB"]},
  {"id": "Fabrikam Integrators", "domain": "fabrikam.fr", "tier": "registered", "territories": ["FR"]}
]"#;

const BOOK: &str = r#"[
  {"id": "REG-101", "partner_id": "Northwind Systems", "products": ["security", "sase"],
   "customer": {"name": "Müller Logistik GmbH & Co. KG", "website": "https://www.mueller-logistik.de/de", "country": "DE", "city": "Hamburg"},
   "submitted_at": "2026-09-02T09:00:00Z", "approved_at": "2026-09-03T10:00:00Z"},
  {"id": "REG-102", "partner_id": "Fabrikam Integrators", "products": ["cloud"],
   "customer": {"name": "Société Générale de Transports S.A.", "email": "dsi@sgt-transports.fr", "country": "FR"},
   "submitted_at": "2026-09-15T12:00:00Z"},
  {"id": "REG-090", "partner_id": "Contoso Cloud MSP", "products": ["security"],
   "customer": {"name": "Acme Industries Ltd", "website": "acme-industries.co.uk", "country": "GB"},
   "submitted_at": "2026-03-01T08:00:00Z", "approved_at": "2026-03-02T08:00:00Z"},
  {"id": "OPP-7", "owner_id": "direct-sales-emea", "products": ["cloud", "security"],
   "account": {"name": "SOCIETE GENERALE DE TRANSPORTS", "website": "sgt-transports.fr", "country": "FR"},
   "created_at": "2026-10-01T00:00:00Z"}
]"#;

const INCOMING: &str = r#"[
  {"id": "NEW-1", "partner_id": "Contoso Cloud MSP", "products": ["security"],
   "customer": {"name": "MUELLER LOGISTIK", "email": "it-einkauf@mueller-logistik.de", "country": "DE", "city": "Hamburg"}},
  {"id": "NEW-2", "partner_id": "Northwind Systems", "products": ["security"],
   "customer": {"name": "Acme Industries Limited", "email": "buyer@gmail.com", "country": "GB"}},
  {"id": "NEW-3", "partner_id": "Fabrikam Integrators", "products": ["cloud"],
   "customer": {"name": "Societe Generale de Transports", "website": "www.sgt-transports.fr", "country": "FR"}},
  {"id": "NEW-4", "partner_id": "Northwind Systems", "products": ["security"],
   "customer": {"name": "Acme Software GmbH", "website": "acmesoftware.de", "country": "DE"}}
]"#;

pub(crate) fn print() -> Result<(), prm_core::Error> {
    let partners: Vec<Partner> = prm_core::json::from_str(PARTNERS)?;
    let book: Vec<Record> = prm_core::json::from_str(BOOK)?;
    let incoming: Vec<Registration> = prm_core::json::from_str(INCOMING)?;
    let mut index = ConflictIndex::new(ConflictPolicy::default(), &partners)?;
    for r in &book {
        index.insert(r)?;
    }
    let as_of = "2026-10-20T12:00:00Z".parse().expect("a valid instant");
    println!(
        "Deal-registration conflicts — {} incoming registrations checked against a book of {} records (as of 2026-10-20)",
        incoming.len(),
        index.len()
    );
    println!(
        "{:<7} {:<22} {:<34} {:<10} {:<17} {:<9} {:<16}",
        "new", "partner", "customer", "conflicts", "kind", "winner", "by rule"
    );
    let mut explained = Vec::new();
    for r in &incoming {
        let found = index.check(r, as_of)?;
        if found.is_empty() {
            println!(
                "{:<7} {:<22} {:<34} {:<10}",
                r.id, r.partner_id, r.customer.name, "none"
            );
        }
        for c in &found {
            let kind = serde_json::to_value(c.kind).unwrap_or_default();
            let rule = serde_json::to_value(c.resolution.rule).unwrap_or_default();
            let other = if c.later_id == r.id {
                &c.earlier_id
            } else {
                &c.later_id
            };
            println!(
                "{:<7} {:<22} {:<34} {:<10} {:<17} {:<9} {:<16}",
                r.id,
                r.partner_id,
                r.customer.name,
                other.as_str(),
                kind.as_str().unwrap_or(""),
                c.resolution.winner_id.as_str(),
                rule.as_str().unwrap_or("")
            );
            explained.push(c.clone());
        }
    }
    for c in explained.iter().take(2) {
        let e = &c.evidence;
        println!(
            "  {} vs {}: same customer (score {:.3}, names {:?} ~ {:.3}), products {:?}; evidence: {}",
            c.earlier_id,
            c.later_id,
            e.score,
            e.normalized_names,
            e.name_similarity,
            c.overlapping_products,
            e.reasons.join(", ")
        );
    }
    println!(
        "  Acme Industries (REG-090) is past its 90-day protection; Acme Software is another company.\n"
    );
    Ok(())
}
