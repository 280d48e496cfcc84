//! Precision, recall and F1 of the conflicts engine on a labelled data set, and its time.
//!
//! `cargo run --release -p prm-benches --bin conflicts_quality -- [DIR] [--threads N] [--errors]`
//! (DIR defaults to `../shared/data/conflicts-dev`; `--errors` prints a sample of misses and
//! false alarms by the kind of noise, for error analysis; `--all` every miss, with the matcher's evidence). `--copies N` scales the set N-fold and
//! reports detect_all, the index build, `check` latency and the index's memory (`--index-only`
//! skips detect_all, so the memory figure is the index's alone).

#![forbid(unsafe_code)]

use prm_benches::conflicts_data::{load, scaled, scaled_conflicts, truth};
use prm_core::conflicts::{ConflictPolicy, detect_all_threads, same_customer_pairs};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

fn prf(name: &str, found: usize, truth: usize, hit: usize) {
    let p = hit as f64 / found.max(1) as f64;
    let r = hit as f64 / truth.max(1) as f64;
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    println!(
        "{name:<28} found {found:>6}  truth {truth:>6}  hit {hit:>6}  precision {p:.4}  recall {r:.4}  F1 {f:.4}"
    );
}

#[allow(clippy::too_many_lines)] // a report script: one linear pass
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .iter()
        .find(|a| {
            !a.starts_with("--")
                && ["--threads", "--matching", "--copies"].iter().all(|f| {
                    args.iter()
                        .position(|x| x == f)
                        .is_none_or(|i| args.get(i + 1) != Some(a))
                })
        })
        .map_or_else(|| PathBuf::from("../shared/data/conflicts-dev"), PathBuf::from);
    let threads = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    let errors = args.iter().any(|a| a == "--errors");
    let copies: usize = args
        .iter()
        .position(|a| a == "--copies")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    let mut set = load(&dir);
    let mut truth = truth(&dir);
    let mut policy = ConflictPolicy {
        protection_days: 90,
        ..ConflictPolicy::default()
    };
    if let Some(json) = args
        .iter()
        .position(|a| a == "--matching")
        .and_then(|i| args.get(i + 1))
    {
        policy.matching = serde_json::from_str(json).expect("--matching takes MatchPolicy JSON");
    }
    if copies > 1 {
        set = scaled(&set, copies);
        truth.conflicts = scaled_conflicts(&truth, copies);
        let index_only = args.iter().any(|a| a == "--index-only");
        return scale_report(&set, &truth, &policy, threads, index_only);
    }
    let n = set.registrations.len() + set.opportunities.len();
    println!(
        "{} records ({} registrations, {} direct opportunities), {} partners, {threads} thread(s)",
        n,
        set.registrations.len(),
        set.opportunities.len(),
        set.partners.len()
    );

    let (conflicts, found, detect_time) = detect(&set, &policy, threads);
    let t = Instant::now();
    let pairs = same_customer_pairs(
        &set.registrations,
        &set.opportunities,
        &set.partners,
        &policy,
        threads,
    )
    .expect("same_customer_pairs");
    let pairs_time = t.elapsed();

    let hit = found.intersection(&truth.conflicts).count();
    prf("typed conflicts", found.len(), truth.conflicts.len(), hit);
    for k in ["duplicate", "channel_conflict", "direct_conflict"] {
        let f = found.iter().filter(|c| c.2 == k).count();
        let t = truth.conflicts.iter().filter(|c| c.2 == k).count();
        let h = found
            .iter()
            .filter(|c| c.2 == k && truth.conflicts.contains(*c))
            .count();
        prf(&format!("  {k}"), f, t, h);
    }
    let same: HashSet<(String, String)> = pairs
        .iter()
        .map(|(a, b, _)| (a.to_string(), b.to_string()))
        .collect();
    let hit = same.intersection(&truth.same_company).count();
    prf("same-company pairs", same.len(), truth.same_company.len(), hit);
    println!(
        "detect_all {:.3} s   same_customer_pairs {:.3} s",
        detect_time.as_secs_f64(),
        pairs_time.as_secs_f64()
    );

    if errors {
        let names: BTreeMap<String, String> = set
            .registrations
            .iter()
            .map(|r| {
                (
                    r.id.to_string(),
                    format!(
                        "{} | {:?} | {:?} | {:?} {:?}",
                        r.customer.name,
                        r.customer.website,
                        r.customer.email,
                        r.customer.country,
                        r.customer.city
                    ),
                )
            })
            .chain(set.opportunities.iter().map(|o| {
                (
                    o.id.to_string(),
                    format!(
                        "{} | {:?} | {:?} | {:?}",
                        o.account.name, o.account.website, o.account.email, o.account.country
                    ),
                )
            }))
            .collect();
        let show = |a: &str, b: &str| {
            let ea = &truth.entities[a];
            let eb = &truth.entities[b];
            println!(
                "    {a} [{}: {}] {}\n    {b} [{}: {}] {}",
                ea.0, ea.1, names[a], eb.0, eb.1, names[b]
            );
        };
        let mut fp: Vec<_> = found.difference(&truth.conflicts).collect();
        fp.sort();
        println!("-- false conflicts: {}", fp.len());
        for c in fp.iter().take(25) {
            let ev = &conflicts
                .iter()
                .find(|x| x.earlier_id.as_str() == c.0 && x.later_id.as_str() == c.1)
                .unwrap()
                .evidence;
            println!("  {} {:?}", ev.score, ev.reasons);
            show(&c.0, &c.1);
        }
        let mut fneg: Vec<_> = truth.conflicts.difference(&found).collect();
        fneg.sort();
        println!("-- missed conflicts: {}", fneg.len());
        let mut by_op: BTreeMap<String, usize> = BTreeMap::new();
        for c in &fneg {
            for id in [&c.0, &c.1] {
                for op in truth.entities[id.as_str()].1.split('|') {
                    *by_op.entry(op.to_owned()).or_default() += 1;
                }
            }
        }
        println!("  noise on missed pairs: {by_op:?}");
        // the matcher's view of each missed pair (without the partners' own domains)
        let customers: BTreeMap<&str, &prm_core::conflicts::Customer> = set
            .registrations
            .iter()
            .map(|r| (r.id.as_str(), &r.customer))
            .chain(set.opportunities.iter().map(|o| (o.id.as_str(), &o.account)))
            .collect();
        let all = args.iter().any(|a| a == "--all");
        for c in fneg.iter().take(if all { usize::MAX } else { 40 }) {
            let ev = prm_core::conflicts::match_customers(
                customers[c.0.as_str()],
                customers[c.1.as_str()],
                &policy.matching,
            );
            println!("  {} {:?}", ev.score, ev.reasons);
            show(&c.0, &c.1);
        }
    }
}

/// The process's resident set in bytes (Linux `/proc/self/statm`), if it can be read.
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// At scale: detect_all's time and quality, then an index of every record and the latency of
/// `check` for 2,000 registrations against it.
fn scale_report(
    set: &prm_benches::conflicts_data::DevSet,
    truth: &prm_benches::conflicts_data::Truth,
    policy: &ConflictPolicy,
    threads: usize,
    index_only: bool,
) {
    use prm_core::conflicts::{ConflictIndex, Record};
    let n = set.registrations.len() + set.opportunities.len();
    println!("{n} records, {threads} thread(s)");
    if !index_only {
        let (_, found, secs) = detect(set, policy, threads);
        let secs = secs.as_secs_f64();
        prf(
            "typed conflicts",
            found.len(),
            truth.conflicts.len(),
            found.intersection(&truth.conflicts).count(),
        );
        println!("detect_all {secs:.3} s");
    }
    let rss_before = rss_bytes();
    let t = Instant::now();
    let mut index = ConflictIndex::new(policy.clone(), &set.partners).expect("index");
    for r in &set.registrations {
        index.insert(&Record::Registration(r.clone())).expect("insert");
    }
    for o in &set.opportunities {
        index.insert(&Record::Opportunity(o.clone())).expect("insert");
    }
    println!(
        "index of {} records built in {:.3} s",
        index.len(),
        t.elapsed().as_secs_f64()
    );
    if let (Some(a), Some(b)) = (rss_before, rss_bytes()) {
        // the resident set's growth while the index was built (the records themselves were
        // loaded before; memory detect_all freed may be reused: --index-only skips it)
        println!(
            "index memory: RSS grew {:.1} MB = {:.0} bytes per record",
            b.saturating_sub(a) as f64 / 1e6,
            b.saturating_sub(a) as f64 / index.len().max(1) as f64
        );
    }
    let as_of = "2026-01-01T00:00:00Z".parse().unwrap();
    let step = (set.registrations.len() / 2000).max(1);
    let mut lat: Vec<f64> = set
        .registrations
        .iter()
        .step_by(step)
        .map(|r| {
            let mut q = r.clone();
            q.id = format!("{}-new", r.id).into();
            q.submitted_at = None;
            q.approved_at = None;
            q.rejected_at = None;
            q.expires_at = None;
            q.closed_at = None;
            let t = Instant::now();
            let found = index.check(&q, as_of).expect("check");
            std::hint::black_box(found);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    println!(
        "check: {} calls, median {:.1} us, p99 {:.1} us, max {:.1} us",
        lat.len(),
        lat[lat.len() / 2],
        lat[lat.len() * 99 / 100],
        lat[lat.len() - 1]
    );
}

type Typed = HashSet<(String, String, String)>;

/// `detect_all` timed, and its conflicts as `(earlier, later, kind)` for scoring.
fn detect(
    set: &prm_benches::conflicts_data::DevSet,
    policy: &ConflictPolicy,
    threads: usize,
) -> (Vec<prm_core::conflicts::Conflict>, Typed, std::time::Duration) {
    let t = Instant::now();
    let conflicts = detect_all_threads(
        &set.registrations,
        &set.opportunities,
        &set.partners,
        policy,
        threads,
    )
    .expect("detect_all");
    let elapsed = t.elapsed();
    let kind = |k| serde_json::to_value(k).unwrap().as_str().unwrap().to_owned();
    let found = conflicts
        .iter()
        .map(|c| (c.earlier_id.to_string(), c.later_id.to_string(), kind(c.kind)))
        .collect();
    (conflicts, found, elapsed)
}
