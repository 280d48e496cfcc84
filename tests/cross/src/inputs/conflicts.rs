//! Registration books with the noise of SPEC §5 (legal forms, case, accents, typos, token order,
//! free-mail and builder domains, sibling companies, homonyms across countries), direct
//! opportunities, partners with domains/tiers/territories, and policies.

use super::{Case, after, instant};
use crate::rng::Rng;
use serde_json::{Value, json};

const CORES: [(&str, &str); 10] = [
    ("Acme", "acme.com"),
    ("Müller Logistik", "mueller-logistik.de"),
    ("First National Bank of Ohio", "fnbohio.com"),
    ("First National Bank of Texas", "fnbtexas.com"),
    ("Globex Systems", "globex.co.uk"),
    ("Société Générale Conseil", "sgconseil.fr"),
    ("Østfold Energi", "ostfold-energi.no"),
    ("Nakatomi Trading", "nakatomi.co.jp"),
    ("Initech", "initech.io"),
    ("Initech Labs", "initechlabs.io"),
];
const FORMS: [&str; 9] = ["", "Inc.", "GmbH", "Ltd", "S.A.", "AG", "LLC", "K.K.", "B.V."];
const PRODUCTS: [&str; 4] = ["core", "security", "analytics", "payments"];

fn noisy(rng: &mut Rng, name: &str) -> String {
    let mut s: String = match rng.below(8) {
        0 => name.to_uppercase(),
        1 => name.to_lowercase(),
        2 => name.replace('ü', "ue").replace('é', "e").replace('Ø', "O"),
        3 => {
            // one typo: a dropped character
            let chars: Vec<char> = name.chars().collect();
            let k = rng.below(chars.len());
            chars
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != k)
                .map(|(_, c)| c)
                .collect()
        }
        4 => name.split(' ').rev().collect::<Vec<_>>().join(" "),
        _ => name.to_owned(),
    };
    let form = *rng.pick(&FORMS);
    if !form.is_empty() {
        s = format!("{s}{} {form}", if rng.chance(0.3) { "," } else { "" });
    }
    s
}

fn customer(rng: &mut Rng) -> Value {
    let (name, domain) = *rng.pick(&CORES);
    let mut c = json!({"name": noisy(rng, name)});
    match rng.below(6) {
        0 => c["website"] = json!(format!("https://www.{domain}/about")),
        1 => c["email"] = json!(format!("jane.doe@{domain}")),
        2 => {
            c["email"] = json!(format!(
                "{}@{}",
                "buyer",
                rng.pick(&["gmail.com", "yahoo.co.jp", "web.de"])
            ));
        }
        3 => {
            c["website"] = json!(format!(
                "{}.wixsite.com",
                name.split(' ').next().unwrap_or("x").to_lowercase()
            ));
        }
        _ => {}
    }
    if rng.chance(0.6) {
        c["country"] = json!(rng.pick(&["DE", "US", "FR", "JP", "NO"]));
    }
    if rng.chance(0.3) {
        c["city"] = json!(rng.pick(&["Berlin", "Columbus", "Paris", "Osaka"]));
    }
    c
}

fn registration(rng: &mut Rng, i: usize) -> Value {
    let submitted = instant(rng, 200);
    let mut r = json!({
        "id": format!("R{i}"), "partner_id": format!("P{}", rng.int(0, 4)), "customer": customer(rng),
        "products": rng.subset(&PRODUCTS, 0.5), "submitted_at": submitted,
    });
    match rng.below(8) {
        0 => {
            r["status"] = json!("approved");
            r["approved_at"] = json!(after(rng, &submitted, 30));
        }
        1 => {
            r["status"] = json!("rejected");
            r["rejected_at"] = json!(after(rng, &submitted, 30));
        }
        2 => r["status"] = json!(*rng.pick(&["closed_won", "closed_lost", "expired"])),
        3 => r["expires_at"] = json!(after(rng, &submitted, 120)),
        _ => {}
    }
    if rng.chance(0.3) {
        r["amount"] = json!({"amount": rng.decimal(0, 10_000_000, 2), "currency": "EUR"});
    }
    r
}

fn opportunity(rng: &mut Rng, i: usize) -> Value {
    let created = instant(rng, 200);
    let mut o = json!({
        "id": format!("O{i}"), "owner_id": "direct-1", "account": customer(rng),
        "products": rng.subset(&PRODUCTS, 0.5), "created_at": created,
    });
    if rng.chance(0.2) {
        o["closed_at"] = json!(after(rng, &created, 90));
    }
    o
}

fn partners(rng: &mut Rng) -> Value {
    let ids: Vec<i32> = (0..5).filter(|_| rng.chance(0.6)).collect();
    json!(
        ids.into_iter()
            .map(|i| {
                let mut p =
                    json!({"id": format!("P{i}"), "tier": rng.pick(&["gold", "silver", "registered"])});
                if rng.chance(0.4) {
                    p["domain"] = json!(rng.pick(&["acme.com", "partner-one.com", "fnbohio.com"]));
                }
                if rng.chance(0.4) {
                    p["territories"] = json!(rng.subset(&["DE", "US", "FR"], 0.5));
                }
                p
            })
            .collect::<Vec<_>>()
    )
}

fn policy(rng: &mut Rng) -> Value {
    if rng.chance(0.4) {
        return Value::Null;
    }
    let mut rules = vec![
        "direct_wins",
        "partner_of_record",
        "first_approved",
        "first_submitted",
        "higher_tier",
        "territory_owner",
    ];
    // a random order of a random subset
    for i in (1..rules.len()).rev() {
        let j = rng.below(i + 1);
        rules.swap(i, j);
    }
    rules.truncate(rng.int(1, 6) as usize);
    json!({
        "protection_days": rng.int(1, 180),
        "matching": {"threshold": *rng.pick(&[0.8, 0.85, 0.9, 0.95])},
        "resolution": rules,
        "tier_order": ["gold", "silver", "registered"],
    })
}

/// One conflicts call.
pub(super) fn case(rng: &mut Rng) -> Case {
    match rng.below(8) {
        0 => {
            let (name, _) = *rng.pick(&CORES);
            Case::new("normalize_company_name", vec![("name", json!(noisy(rng, name)))])
        }
        1 => {
            let c = customer(rng);
            let v = c
                .get("website")
                .or_else(|| c.get("email"))
                .cloned()
                .unwrap_or(json!("no domain here"));
            Case::new("extract_domain", vec![("value", v)])
        }
        2 => Case::new(
            "match_customers",
            vec![
                ("a", customer(rng)),
                ("b", customer(rng)),
                ("policy", policy(rng)),
            ],
        ),
        3..=5 => {
            let regs: Vec<Value> = (0..rng.int(0, 25))
                .map(|i| registration(rng, i as usize))
                .collect();
            let opps: Vec<Value> = (0..rng.int(0, 4)).map(|i| opportunity(rng, i as usize)).collect();
            Case::new(
                "detect_all",
                vec![
                    ("registrations", json!(regs)),
                    ("opportunities", json!(opps)),
                    ("partners", partners(rng)),
                    ("policy", policy(rng)),
                ],
            )
        }
        _ => {
            let mut records: Vec<Value> = (0..rng.int(0, 15))
                .map(|i| registration(rng, i as usize))
                .collect();
            records.extend((0..rng.int(0, 3)).map(|i| opportunity(rng, i as usize)));
            let mut draft = registration(rng, 99);
            if rng.chance(0.5) {
                draft.as_object_mut().expect("an object").remove("submitted_at");
            }
            Case::new(
                "check",
                vec![
                    ("policy", policy(rng)),
                    ("partners", partners(rng)),
                    ("records", json!(records)),
                    ("registration", draft),
                    ("as_of", json!(instant(rng, 5))),
                ],
            )
        }
    }
}
