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

/// A letter permutation per copy: copy `k > 0` of a data set renames every company by
/// enciphering the letters of its core name words and of its domain label, so the copies are
/// different companies with the dev set's noise, legal forms and block structure intact.
fn cipher(k: usize) -> [u8; 26] {
    let mut p: [u8; 26] = std::array::from_fn(|i| b'a' + i as u8);
    let mut rng = crate::SplitMix(k as u64 * 0x9E37_79B9 + 7);
    for i in (1..26).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        p.swap(i, j);
    }
    p
}

fn encipher(s: &str, p: &[u8; 26]) -> String {
    s.chars()
        .map(|c| match c {
            'a'..='z' => p[(c as u8 - b'a') as usize] as char,
            'A'..='Z' => p[(c as u8 - b'A') as usize].to_ascii_uppercase() as char,
            c => c,
        })
        .collect()
}

fn customer(c: &Customer, p: &[u8; 26]) -> Customer {
    use prm_core::conflicts::{DomainKind, extract_domain, normalize_company_name};
    let core: HashSet<String> = normalize_company_name(&c.name)
        .normalized
        .split(' ')
        .map(str::to_owned)
        .collect();
    let name = c
        .name
        .split(' ')
        .map(|w| {
            let folded: String = w
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if core.contains(&folded) {
                encipher(w, p)
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let dom = |s: &Option<String>| {
        s.as_ref().map(|s| {
            let s = s.to_lowercase();
            match extract_domain(&s) {
                Some(d) if d.kind == DomainKind::Organization => {
                    let label_part = &d.domain
                        [..d.domain.len() - (d.domain.len() - d.domain.find('.').unwrap_or(d.domain.len()))];
                    s.replacen(
                        &d.domain,
                        &d.domain.replacen(label_part, &encipher(label_part, p), 1),
                        1,
                    )
                }
                _ => s,
            }
        })
    };
    Customer {
        name,
        website: dom(&c.website),
        email: dom(&c.email),
        country: c.country.clone(),
        city: c.city.clone(),
    }
}

/// The id of a record in copy `k` of a data set.
pub fn copy_id(id: &str, k: usize) -> String {
    if k == 0 {
        id.to_owned()
    } else {
        format!("{id}-{k}")
    }
}

/// `copies` copies of a data set, each a different population of companies (see [`cipher`]).
pub fn scaled(set: &DevSet, copies: usize) -> DevSet {
    let mut out = DevSet {
        registrations: Vec::new(),
        opportunities: Vec::new(),
        partners: set.partners.clone(),
    };
    for k in 0..copies {
        let p = cipher(k);
        for r in &set.registrations {
            let mut r = r.clone();
            r.id = copy_id(&r.id, k).into();
            if k > 0 {
                r.customer = customer(&r.customer, &p);
            }
            out.registrations.push(r);
        }
        for o in &set.opportunities {
            let mut o = o.clone();
            o.id = copy_id(&o.id, k).into();
            if k > 0 {
                o.account = customer(&o.account, &p);
            }
            out.opportunities.push(o);
        }
    }
    out
}

/// The truth of `copies` copies (each copy's conflicts are the original's, ids renamed).
pub fn scaled_conflicts(truth: &Truth, copies: usize) -> HashSet<(String, String, String)> {
    (0..copies)
        .flat_map(|k| {
            truth
                .conflicts
                .iter()
                .map(move |(a, b, t)| (copy_id(a, k), copy_id(b, k), t.clone()))
        })
        .collect()
}
