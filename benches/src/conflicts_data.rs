//! The conflicts development data set (`../shared/data/conflicts-dev`, CSV) as prm records,
//! its truth files, and copies of it scaled to any size for the speed figures.

use chrono::{DateTime, Utc};
use prm_core::conflicts::{Customer, DirectOpportunity, Partner, Registration, RegistrationStatus};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Splits one CSV text into rows of fields (RFC 4180 quoting).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (_, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn table(dir: &Path, file: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut rows = parse_csv(&text).into_iter();
    let header = rows.next().unwrap_or_default();
    rows.map(|r| header.iter().cloned().zip(r).collect()).collect()
}

fn opt(r: &HashMap<String, String>, k: &str) -> Option<String> {
    r.get(k).filter(|v| !v.is_empty()).cloned()
}

fn time(r: &HashMap<String, String>, k: &str) -> Option<DateTime<Utc>> {
    opt(r, k).map(|v| v.parse().unwrap_or_else(|e| panic!("{k}={v}: {e}")))
}

fn list(r: &HashMap<String, String>, k: &str) -> Vec<String> {
    opt(r, k)
        .map(|v| v.split(';').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The development set's records.
pub struct DevSet {
    /// Partner registrations.
    pub registrations: Vec<Registration>,
    /// Direct opportunities.
    pub opportunities: Vec<DirectOpportunity>,
    /// Partners.
    pub partners: Vec<Partner>,
}

/// Loads the records of a data set folder (`dev_registrations.csv`, ...).
///
/// # Panics
/// When a file is missing or a timestamp does not parse.
pub fn load(dir: &Path) -> DevSet {
    let registrations = table(dir, "dev_registrations.csv")
        .iter()
        .map(|r| Registration {
            id: r["reg_id"].as_str().into(),
            partner_id: r["partner_id"].as_str().into(),
            customer: Customer {
                name: r["customer_name"].clone(),
                website: opt(r, "website"),
                email: opt(r, "contact_email"),
                country: opt(r, "country"),
                city: opt(r, "city"),
            },
            products: list(r, "product_lines"),
            amount: None,
            submitted_at: time(r, "submitted_at"),
            approved_at: time(r, "approved_at"),
            rejected_at: time(r, "rejected_at"),
            expires_at: time(r, "expires_at"),
            closed_at: time(r, "closed_at"),
            status: opt(r, "status")
                .and_then(|s| serde_json::from_value::<RegistrationStatus>(s.into()).ok()),
        })
        .collect();
    let opportunities = table(dir, "dev_direct_opps.csv")
        .iter()
        .map(|r| DirectOpportunity {
            id: r["opp_id"].as_str().into(),
            owner_id: r["owner_id"].clone(),
            account: Customer {
                name: r["account_name"].clone(),
                website: opt(r, "website"),
                email: opt(r, "contact_email"),
                country: opt(r, "country"),
                city: None,
            },
            products: list(r, "product_lines"),
            amount: None,
            created_at: time(r, "created_at").expect("created_at"),
            closed_at: time(r, "closed_at"),
        })
        .collect();
    let partners = table(dir, "dev_partners.csv")
        .iter()
        .map(|r| Partner {
            id: r["partner_id"].as_str().into(),
            domain: opt(r, "partner_domain"),
            tier: opt(r, "tier"),
            territories: list(r, "territories"),
        })
        .collect();
    DevSet {
        registrations,
        opportunities,
        partners,
    }
}

/// The truth: same-company pairs and typed conflicts, and each record's entity kind and noise.
pub struct Truth {
    /// `(id_a, id_b)` with `id_a < id_b`.
    pub same_company: HashSet<(String, String)>,
    /// `(earlier_id, later_id, type)`.
    pub conflicts: HashSet<(String, String, String)>,
    /// record id → (entity kind, variant ops).
    pub entities: HashMap<String, (String, String)>,
}

/// Loads the truth files of a data set folder.
pub fn truth(dir: &Path) -> Truth {
    Truth {
        same_company: table(dir, "dev_truth_same_company_pairs.csv")
            .into_iter()
            .map(|r| (r["id_a"].clone(), r["id_b"].clone()))
            .collect(),
        conflicts: table(dir, "dev_truth_conflicts.csv")
            .into_iter()
            .map(|r| (r["earlier_id"].clone(), r["later_id"].clone(), r["type"].clone()))
            .collect(),
        entities: table(dir, "dev_truth_entities.csv")
            .into_iter()
            .map(|r| {
                (
                    r["record_id"].clone(),
                    (r["entity_kind"].clone(), r["variant_ops"].clone()),
                )
            })
            .collect(),
    }
}

/// `copies` copies of a data set, each a different population of companies: copy `k > 0`
/// appends a distinct made-up word to every customer name and domain label and to every id, so
/// the copies never match each other while keeping the dev set's noise and block structure.
pub fn scaled(set: &DevSet, copies: usize) -> DevSet {
    fn word(k: usize) -> String {
        const SYL: [&str; 16] = [
            "ka", "lo", "mi", "ru", "te", "zo", "vi", "na", "pe", "qu", "sa", "do", "fi", "gu", "ho", "ji",
        ];
        let mut s = String::new();
        let mut k = k;
        for _ in 0..3 {
            s.push_str(SYL[k % 16]);
            k /= 16;
        }
        s
    }
    fn customer(c: &Customer, w: &str) -> Customer {
        let dom = |s: &Option<String>| {
            s.as_ref().map(|s| {
                let s = s.to_lowercase();
                match prm_core::conflicts::extract_domain(&s) {
                    Some(d) if d.kind == prm_core::conflicts::DomainKind::Organization => {
                        s.replacen(&d.domain, &format!("{w}{}", d.domain), 1)
                    }
                    _ => s,
                }
            })
        };
        Customer {
            name: format!("{w} {}", c.name),
            website: dom(&c.website),
            email: dom(&c.email),
            country: c.country.clone(),
            city: c.city.clone(),
        }
    }
    let mut out = DevSet {
        registrations: Vec::new(),
        opportunities: Vec::new(),
        partners: set.partners.clone(),
    };
    for k in 0..copies {
        let w = word(k * 7919 + 13);
        let id = |s: &str| if k == 0 { s.to_owned() } else { format!("{s}-{k}") };
        for r in &set.registrations {
            let mut r = r.clone();
            r.id = id(&r.id).into();
            if k > 0 {
                r.customer = customer(&r.customer, &w);
            }
            out.registrations.push(r);
        }
        for o in &set.opportunities {
            let mut o = o.clone();
            o.id = id(&o.id).into();
            if k > 0 {
                o.account = customer(&o.account, &w);
            }
            out.opportunities.push(o);
        }
    }
    out
}
