//! The distributed recipe of `prm_core::conflicts` (blocking keys → shuffle → detection per
//! block → union) against `detect_all` on a labelled data set: same pairs? same winners? How
//! large do blocks get? With the default resolution and with `partner_of_record` first (the
//! one rule a block can see only partly).
//!
//! `cargo run --release -p prm-benches --bin conflicts_blocks -- [DIR] [--copies N]`

#![forbid(unsafe_code)]

use prm_benches::conflicts_data::{load, scaled};
use prm_core::conflicts::{
    ConflictPolicy, ResolutionRule, blocking_keys, detect_all_threads, detect_in_blocks,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

#[allow(clippy::too_many_lines)] // a report script: one linear pass
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let copies: usize = args
        .iter()
        .position(|a| a == "--copies")
        .and_then(|i| args.get(i + 1))
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    let dir = args
        .iter()
        .find(|a| {
            !a.starts_with("--")
                && args
                    .iter()
                    .position(|x| x == "--copies")
                    .is_none_or(|i| args.get(i + 1) != Some(a))
        })
        .map_or_else(|| PathBuf::from("../shared/data/conflicts-dev"), PathBuf::from);
    let mut set = load(&dir);
    if copies > 1 {
        set = scaled(&set, copies);
    }
    let threads = 2;
    let policies = [
        ("default resolution", ConflictPolicy::default()),
        (
            "partner_of_record first",
            ConflictPolicy {
                resolution: vec![
                    ResolutionRule::PartnerOfRecord,
                    ResolutionRule::DirectWins,
                    ResolutionRule::FirstSubmitted,
                ],
                ..ConflictPolicy::default()
            },
        ),
    ];
    for (name, policy) in policies {
        let t = Instant::now();
        let whole = detect_all_threads(
            &set.registrations,
            &set.opportunities,
            &set.partners,
            &policy,
            threads,
        )
        .expect("detect_all");
        let t_whole = t.elapsed();
        let t = Instant::now();
        let keys = blocking_keys(
            &set.registrations,
            &set.opportunities,
            &set.partners,
            &policy,
            threads,
        )
        .expect("keys");
        let nr = set.registrations.len();
        let (mut r, mut rb, mut o, mut ob) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut sizes: HashMap<i64, usize> = HashMap::new();
        for (i, ks) in keys.iter().enumerate() {
            for &k in ks {
                *sizes.entry(k).or_default() += 1;
                if i < nr {
                    r.push(set.registrations[i].clone());
                    rb.push(k);
                } else {
                    o.push(set.opportunities[i - nr].clone());
                    ob.push(k);
                }
            }
        }
        let t_keys = t.elapsed();
        let t = Instant::now();
        let blocks = detect_in_blocks(&r, &rb, &o, &ob, &set.partners, &policy, threads).expect("blocks");
        let t_blocks = t.elapsed();
        let pairs = |v: &[prm_core::conflicts::Conflict]| -> HashMap<(String, String), String> {
            v.iter()
                .map(|c| {
                    (
                        (c.earlier_id.to_string(), c.later_id.to_string()),
                        c.resolution.winner_id.to_string(),
                    )
                })
                .collect()
        };
        let (a, b) = (pairs(&whole), pairs(&blocks));
        let missing = a.keys().filter(|k| !b.contains_key(*k)).count();
        let extra = b.keys().filter(|k| !a.contains_key(*k)).count();
        let other_winner = a
            .iter()
            .filter(|(k, w)| b.get(*k).is_some_and(|x| x != *w))
            .count();
        let mut sz: Vec<usize> = sizes.values().copied().collect();
        sz.sort_unstable();
        println!(
            "{name}: {} records, {} (record, key) rows, {} blocks (median {} / p99 {} / max {} records)",
            keys.len(),
            rb.len() + ob.len(),
            sz.len(),
            sz[sz.len() / 2],
            sz[sz.len() * 99 / 100],
            sz[sz.len() - 1]
        );
        println!(
            "  detect_all {} conflicts in {:.2} s; blocks {} conflicts in {:.2} s (+ keys {:.2} s); \
             missing {missing}, extra {extra}, other winner {other_winner}, identical output: {}",
            whole.len(),
            t_whole.as_secs_f64(),
            blocks.len(),
            t_blocks.as_secs_f64(),
            t_keys.as_secs_f64(),
            whole == blocks
        );
    }
}
