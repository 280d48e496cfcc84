//! Properties of the conflicts engine: the matcher is symmetric, `detect_all` equals the union
//! of incremental checks, input order does not change the output, nothing panics.

use chrono::{DateTime, Duration, Utc};
use prm_core::conflicts::{
    ConflictIndex, ConflictPolicy, Customer, DirectOpportunity, MatchPolicy, Record, Registration,
    blocking_keys, detect_all, detect_all_threads, detect_in_blocks, match_customers, score_pairs,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

const NAMES: &[&str] = &[
    "Acme Industries Inc.",
    "ACME INDUSTRIES, LLC",
    "Acme Software GmbH",
    "Acme",
    "Müller Logistik",
    "Mueller Logistik AG",
    "First National Bank of Austin",
    "First Natl Bank of Boston",
    "Payford AG",
    "Paybord AG",
    "The Cox Group",
    "Cox Group, The",
    "Sugacuse Cloud",
    "Syracuse Cloud Sp. z o.o.",
];
const DOMAINS: &[&str] = &[
    "acme.com",
    "acmesoftware.com",
    "mueller-logistik.de",
    "gmail.com",
    "coxgroup.co.uk",
    "",
];

fn customer() -> impl Strategy<Value = Customer> {
    (
        0..NAMES.len(),
        0..DOMAINS.len(),
        0..DOMAINS.len(),
        prop::option::of(prop::sample::select(vec!["US", "DE", "GB"])),
    )
        .prop_map(|(n, w, e, c)| Customer {
            name: NAMES[n].to_owned(),
            website: (!DOMAINS[w].is_empty()).then(|| format!("https://www.{}/", DOMAINS[w])),
            email: (!DOMAINS[e].is_empty()).then(|| format!("x@{}", DOMAINS[e])),
            country: c.map(str::to_owned),
            city: None,
        })
}

fn at(day: i64) -> DateTime<Utc> {
    "2026-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::hours(day * 7)
}

fn registration(i: usize) -> impl Strategy<Value = Registration> {
    (
        customer(),
        0..4usize,
        0..60i64,
        prop::option::of(0..30i64),
        prop::option::of(0..60i64),
        1..4usize,
    )
        .prop_map(move |(customer, p, t, approved, rejected, np)| Registration {
            id: format!("R{i:03}").into(),
            partner_id: format!("P{p}").into(),
            customer,
            products: ["security", "cloud", "wan"][..np]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            amount: None,
            submitted_at: Some(at(t)),
            approved_at: approved.map(|a| at(t + a)),
            rejected_at: rejected.map(|r| at(t + r)),
            expires_at: None,
            closed_at: None,
            status: None,
        })
}

fn book() -> impl Strategy<Value = (Vec<Registration>, Vec<DirectOpportunity>)> {
    let regs = (0..14usize).map(registration).collect::<Vec<_>>();
    let opps = prop::collection::vec((customer(), 0..60i64), 0..3).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (account, t))| DirectOpportunity {
                id: format!("O{i}").into(),
                owner_id: "U1".into(),
                account,
                products: vec!["security".into()],
                amount: None,
                created_at: at(t),
                closed_at: None,
            })
            .collect()
    });
    (regs, opps)
}

fn keys(found: &[prm_core::conflicts::Conflict]) -> Vec<String> {
    found.iter().map(|c| serde_json::to_string(c).unwrap()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn matching_is_symmetric(a in customer(), b in customer()) {
        let p = MatchPolicy::default();
        let ab = match_customers(&a, &b, &p);
        let ba = match_customers(&b, &a, &p);
        prop_assert_eq!(ab.same_customer, ba.same_customer);
        prop_assert_eq!(ab.score, ba.score);
        prop_assert_eq!(ab.domain, ba.domain);
        prop_assert!((0.0..=1.0).contains(&ab.score));
    }

    #[test]
    fn order_and_threads_do_not_change_the_output((regs, opps) in book()) {
        let policy = ConflictPolicy::default();
        let one = detect_all(&regs, &opps, &[], &policy).unwrap();
        let mut rev = regs.clone();
        rev.reverse();
        let other = detect_all_threads(&rev, &opps, &[], &policy, 3).unwrap();
        prop_assert_eq!(keys(&one), keys(&other));
    }

    #[test]
    fn detect_all_is_the_union_of_checks((regs, opps) in book()) {
        let policy = ConflictPolicy::default();
        let all: BTreeSet<String> = keys(&detect_all(&regs, &opps, &[], &policy).unwrap()).into_iter().collect();
        let mut index = ConflictIndex::new(policy, &[]).unwrap();
        for r in &regs {
            index.insert(&Record::Registration(r.clone())).unwrap();
        }
        for o in &opps {
            index.insert(&Record::Opportunity(o.clone())).unwrap();
        }
        let mut union = BTreeSet::new();
        for r in &regs {
            union.extend(keys(&index.check(r, at(1000)).unwrap()));
        }
        prop_assert_eq!(all, union);
    }

    #[test]
    fn the_union_over_blocks_is_detect_all((regs, opps) in book(), threads in 1usize..3) {
        let policy = ConflictPolicy::default();
        let keys_of = blocking_keys(&regs, &opps, &[], &policy, threads).unwrap();
        let (mut r, mut rb, mut o, mut ob) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, ks) in keys_of.iter().enumerate() {
            for &k in ks {
                if i < regs.len() {
                    r.push(regs[i].clone());
                    rb.push(k);
                } else {
                    o.push(opps[i - regs.len()].clone());
                    ob.push(k);
                }
            }
        }
        let blocks = detect_in_blocks(&r, &rb, &o, &ob, &[], &policy, threads).unwrap();
        prop_assert_eq!(blocks, detect_all(&regs, &opps, &[], &policy).unwrap());
    }

    #[test]
    fn score_pairs_is_match_customers(pairs in proptest::collection::vec((customer(), customer()), 0..20)) {
        let (a, b): (Vec<Customer>, Vec<Customer>) = pairs.into_iter().unzip();
        let policy = MatchPolicy::default();
        let scored = score_pairs(&a, &b, &policy, 2).unwrap();
        for i in 0..a.len() {
            prop_assert_eq!(&scored[i], &match_customers(&a[i], &b[i], &policy));
        }
    }

    #[test]
    fn a_snapshot_rebuilds_an_index_that_answers_the_same((regs, opps) in book(), gone in 0usize..4) {
        let mut index = ConflictIndex::new(ConflictPolicy::default(), &[]).unwrap();
        for r in &regs {
            index.insert(&Record::Registration(r.clone())).unwrap();
        }
        for o in &opps {
            index.insert(&Record::Opportunity(o.clone())).unwrap();
        }
        // removals leave free slots that later inserts reuse: the snapshot must not care
        for r in regs.iter().take(gone) {
            index.remove(&r.id);
        }
        if let Some(r) = regs.first().filter(|_| gone > 0) {
            index.insert(&Record::Registration(r.clone())).unwrap();
        }
        let json = serde_json::to_string(&index.snapshot()).unwrap();
        let back = ConflictIndex::from_snapshot(serde_json::from_str(&json).unwrap()).unwrap();
        prop_assert_eq!(back.len(), index.len());
        prop_assert_eq!(back.snapshot(), index.snapshot());
        for r in &regs {
            prop_assert_eq!(keys(&back.check(r, at(1000)).unwrap()), keys(&index.check(r, at(1000)).unwrap()));
        }
    }

    #[test]
    fn arbitrary_names_and_urls_never_panic(name in ".{0,80}", web in ".{0,80}", mail in ".{0,80}") {
        let c = Customer { name, website: Some(web), email: Some(mail), country: None, city: None };
        let e = match_customers(&c, &c, &MatchPolicy::default());
        prop_assert!((0.0..=1.0).contains(&e.score));
    }
}
