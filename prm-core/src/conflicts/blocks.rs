//! Detection in pieces, for engines that distribute the work (Spark, Dask): blocking keys as
//! data, detection within blocks, and pair scoring.
//!
//! The recipe: compute each record's [`blocking_keys`] (a record has several), give every
//! (key, record) row to the worker that owns the key (a shuffle), run [`detect_in_blocks`] on
//! each worker's rows, and take the union of the results (deduplicated by `(earlier_id,
//! later_id)`; [`detect_in_blocks`] already does this within one call). Two records are
//! compared by [`detect_all`](super::detect_all) exactly when they share a key, and every pair
//! in a block shares the block's key, so the union has exactly the pairs of `detect_all` on the
//! whole data, with the same kinds and winners. No block is capped: a giant block costs what it
//! costs in `detect_all` too.
//!
//! One approximation, only with the `partner_of_record` resolution rule: a block sees only the
//! incumbents (earlier `closed_won` registrations of the same customer) that are in the block,
//! while `detect_all` sees every incumbent sharing any key with the later record. Incumbents
//! nearly always share the name key with both records; BENCHMARKS.md measures the difference
//! on the development set.

use super::blocking::keys;
use super::detect::{detect_with, entry};
use super::matching::Profile;
use super::model::{
    Conflict, ConflictPolicy, Customer, DirectOpportunity, MatchEvidence, MatchPolicy, Partner, Registration,
};
use super::rule::{Partners, check_policy};
use crate::Error;
use crate::domain::Timestamp;
use crate::hash::FnvMap;
use crate::parallel;
use std::collections::BTreeMap;

/// The blocking keys of each record — registrations first, then opportunities — as 64-bit
/// hashes in signed form (the integer type of Arrow, Spark and pandas). Records that could be
/// the same customer share at least one key. Errors name the record (`registrations[3].…`).
///
/// ```
/// use prm_core::conflicts::{blocking_keys, ConflictPolicy, Registration};
/// let regs: Vec<Registration> = serde_json::from_str(r#"[
///   {"id": "R1", "partner_id": "P1", "customer": {"name": "Acme Industries Inc."}, "submitted_at": "2026-01-05T00:00:00Z"},
///   {"id": "R2", "partner_id": "P2", "customer": {"name": "ACME INDUSTRIES"}, "submitted_at": "2026-02-01T00:00:00Z"}]"#).unwrap();
/// let keys = blocking_keys(&regs, &[], &[], &ConflictPolicy::default(), 1)?;
/// assert!(keys[0].iter().any(|k| keys[1].contains(k)));
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn blocking_keys(
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &[Partner],
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<Vec<Vec<i64>>, Error> {
    blocking_keys_each(registrations, opportunities, partners, policy, threads)?
        .into_iter()
        .collect()
}

/// [`blocking_keys`] record by record: each record's keys, or its error (`registrations[3].…`),
/// so a table of records can report its bad rows and block the others. Only a bad policy or
/// partner list fails the call.
///
/// ```
/// use prm_core::conflicts::{blocking_keys_each, ConflictPolicy, Registration};
/// let regs: Vec<Registration> = serde_json::from_str(r#"[
///   {"id": "R1", "partner_id": "P1", "customer": {"name": ""}, "submitted_at": "2026-01-05T00:00:00Z"},
///   {"id": "R2", "partner_id": "P2", "customer": {"name": "ACME"}, "submitted_at": "2026-02-01T00:00:00Z"}]"#).unwrap();
/// let keys = blocking_keys_each(&regs, &[], &[], &ConflictPolicy::default(), 1)?;
/// assert_eq!(keys[0].as_ref().unwrap_err().path(), "registrations[0].customer.name");
/// assert!(keys[1].is_ok());
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn blocking_keys_each(
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &[Partner],
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<Vec<Result<Vec<i64>, Error>>, Error> {
    check_policy(policy)?;
    let partners = Partners::new(partners, "partners")?;
    let n = registrations.len() + opportunities.len();
    Ok(parallel::map(n, threads, 4096, |i| {
        let e = entry(i, registrations, opportunities, &partners, policy)?;
        Ok(keys(&e.profile).into_iter().map(|k| k as i64).collect())
    }))
}

/// The conflicts among records that share a block: `registration_blocks[i]` is the block (a
/// key from [`blocking_keys`]) of `registrations[i]`, and the same for opportunities. A record
/// may appear once per block it belongs to. Each block is detected on its own (in parallel up
/// to `threads`), and the union is deduplicated and sorted as `detect_all` sorts.
///
/// ```
/// use prm_core::conflicts::{blocking_keys, detect_all, detect_in_blocks, ConflictPolicy, Registration};
/// let regs: Vec<Registration> = serde_json::from_str(r#"[
///   {"id": "R1", "partner_id": "P1", "customer": {"name": "Acme Industries Inc."}, "submitted_at": "2026-01-05T00:00:00Z"},
///   {"id": "R2", "partner_id": "P2", "customer": {"name": "ACME INDUSTRIES"}, "submitted_at": "2026-02-01T00:00:00Z"}]"#).unwrap();
/// let policy = ConflictPolicy::default();
/// // explode (record, key) rows, as a distributed engine would before its shuffle
/// let (mut rows, mut blocks) = (Vec::new(), Vec::new());
/// for (r, ks) in regs.iter().zip(blocking_keys(&regs, &[], &[], &policy, 1)?) {
///     for k in ks {
///         rows.push(r.clone());
///         blocks.push(k);
///     }
/// }
/// let found = detect_in_blocks(&rows, &blocks, &[], &[], &[], &policy, 1)?;
/// assert_eq!(found, detect_all(&regs, &[], &[], &policy)?);
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn detect_in_blocks(
    registrations: &[Registration],
    registration_blocks: &[i64],
    opportunities: &[DirectOpportunity],
    opportunity_blocks: &[i64],
    partners: &[Partner],
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<Vec<Conflict>, Error> {
    let (found, bad) = detect_in_blocks_each(
        registrations,
        registration_blocks,
        opportunities,
        opportunity_blocks,
        partners,
        policy,
        threads,
    )?;
    match bad.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(found),
    }
}

/// [`detect_in_blocks`] that reports bad records instead of failing: the conflicts among the
/// good records, and the errors of the records that could not be read (`registrations[3].…`,
/// in the caller's lists; each once, registrations then opportunities, in order), which take
/// part in no conflict. A record alone in all its blocks is never read, so never reported
/// ([`blocking_keys_each`] reports every bad record). Only bad arguments as a whole (lengths,
/// policy, partners) fail the call.
///
/// ```
/// use prm_core::conflicts::{detect_in_blocks_each, ConflictPolicy, Registration};
/// let regs: Vec<Registration> = serde_json::from_str(r#"[
///   {"id": "R1", "partner_id": "P1", "customer": {"name": "Acme"}, "products": ["core"], "submitted_at": "2026-01-05T00:00:00Z"},
///   {"id": "R2", "partner_id": "P2", "customer": {"name": "Acme"}, "products": ["core"], "submitted_at": "2026-02-01T00:00:00Z",
///    "approved_at": "2026-01-01T00:00:00Z"},
///   {"id": "R3", "partner_id": "P3", "customer": {"name": "ACME"}, "products": ["core"], "submitted_at": "2026-03-01T00:00:00Z"}]"#).unwrap();
/// let (found, bad) = detect_in_blocks_each(&regs, &[7, 7, 7], &[], &[], &[], &ConflictPolicy::default(), 1)?;
/// assert_eq!((found[0].earlier_id.as_str(), found[0].later_id.as_str()), ("R1", "R3"));
/// assert_eq!(bad[0].path(), "registrations[1].approved_at"); // approved before it was submitted
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn detect_in_blocks_each(
    registrations: &[Registration],
    registration_blocks: &[i64],
    opportunities: &[DirectOpportunity],
    opportunity_blocks: &[i64],
    partners: &[Partner],
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<(Vec<Conflict>, Vec<Error>), Error> {
    same_len(
        registrations.len(),
        registration_blocks.len(),
        "registration_blocks",
    )?;
    same_len(
        opportunities.len(),
        opportunity_blocks.len(),
        "opportunity_blocks",
    )?;
    check_policy(policy)?;
    let partners = Partners::new(partners, "partners")?;
    let mut groups: BTreeMap<i64, Members> = BTreeMap::new();
    for (i, b) in registration_blocks.iter().enumerate() {
        groups.entry(*b).or_default().0.push(i);
    }
    for (i, b) in opportunity_blocks.iter().enumerate() {
        groups.entry(*b).or_default().1.push(i);
    }
    // a block of one record has no pair (most blocks: one-deletion keys are mostly unique)
    let groups: Vec<(i64, Members)> = groups
        .into_iter()
        .filter(|(_, (r, o))| r.len() + o.len() > 1)
        .collect();
    let nr = registrations.len();
    let run = |block: i64, ri: &[usize], oi: &[usize]| {
        let regs: Vec<Registration> = ri.iter().map(|&i| registrations[i].clone()).collect();
        let opps: Vec<DirectOpportunity> = oi.iter().map(|&i| opportunities[i].clone()).collect();
        detect_with(&regs, &opps, &partners, policy, 1).map_err(|e| {
            // name the record in the caller's lists, not in the block's
            let path = e.path().to_owned();
            let renamed = rename(&path, ri, oi);
            e.with_path(renamed.unwrap_or_else(|| format!("block {block}: {path}")))
        })
    };
    // a block that fails is run again without its records that cannot be read (found only
    // then: the usual case costs nothing extra); bad records alone in their blocks are never read
    let read_error = |i: usize| entry(i, registrations, opportunities, &partners, policy).err();
    let found = parallel::map(groups.len(), threads, 16, |g| {
        let (block, (ri, oi)) = &groups[g];
        match run(*block, ri, oi) {
            Ok(found) => (Ok(found), Vec::new()),
            Err(first) => {
                // each record read once more; the unreadable ones leave with their errors
                let mut bad: Vec<(usize, Error)> = Vec::new();
                let mut keep = |i: usize| match read_error(i) {
                    Some(e) => {
                        bad.push((i, e));
                        false
                    }
                    None => true,
                };
                let good_r: Vec<usize> = ri.iter().copied().filter(|&i| keep(i)).collect();
                let good_o: Vec<usize> = oi.iter().copied().filter(|&i| keep(nr + i)).collect();
                if bad.is_empty() {
                    (Err(first), bad)
                } else {
                    (run(*block, &good_r, &good_o), bad)
                }
            }
        }
    });
    let (found, bad): (Vec<_>, Vec<_>) = found.into_iter().unzip();
    let mut bad: Vec<(usize, Error)> = bad.into_iter().flatten().collect();
    crate::sort::by_key(&mut bad, |(i, _)| *i);
    bad.dedup_by_key(|(i, _)| *i);
    let bad: Vec<Error> = bad.into_iter().map(|(_, e)| e).collect();
    let mut t0: FnvMap<&str, Timestamp> = FnvMap::default();
    for r in registrations {
        if let Some(t) = r.submitted_at {
            t0.insert(&r.id, t);
        }
    }
    for o in opportunities {
        t0.insert(&o.id, o.created_at);
    }
    let mut out = Vec::new();
    for f in found {
        out.extend(f?);
    }
    let key = |c: &Conflict| {
        (
            t0.get(c.later_id.as_str()).copied(),
            c.later_id.clone(),
            c.earlier_id.clone(),
        )
    };
    out.sort_by_cached_key(key);
    out.dedup_by(|a, b| a.later_id == b.later_id && a.earlier_id == b.earlier_id);
    Ok((out, bad))
}

/// The registrations and opportunities (indices into the caller's lists) of one block.
type Members = (Vec<usize>, Vec<usize>);

/// `registrations[3].x` in a block → the same record's index in the caller's list.
fn rename(path: &str, ri: &[usize], oi: &[usize]) -> Option<String> {
    let (list, rest) = path.split_once('[')?;
    let (idx, tail) = rest.split_once(']')?;
    let i: usize = idx.parse().ok()?;
    let orig = match list {
        "registrations" => ri.get(i)?,
        "opportunities" => oi.get(i)?,
        _ => return None,
    };
    Some(format!("{list}[{orig}]{tail}"))
}

fn same_len(records: usize, blocks: usize, path: &str) -> Result<(), Error> {
    if records == blocks {
        Ok(())
    } else {
        Err(Error::InvalidInput {
            path: path.to_owned(),
            message: format!("{blocks} blocks for {records} records: give one block per record"),
        })
    }
}

/// [`match_customers`](super::match_customers) over aligned lists of pairs (`left[i]` with
/// `right[i]`), in parallel up to `threads`: the scoring step of a pipeline that builds its own
/// candidate pairs.
///
/// ```
/// use prm_core::conflicts::{score_pairs, Customer, MatchPolicy};
/// let c = |n: &str| Customer { name: n.into(), ..Default::default() };
/// let ev = score_pairs(&[c("Acme Inc."), c("Bank of Austin")], &[c("ACME"), c("Bank of Boston")], &MatchPolicy::default(), 1)?;
/// assert_eq!([ev[0].same_customer, ev[1].same_customer], [true, false]);
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn score_pairs(
    left: &[Customer],
    right: &[Customer],
    policy: &MatchPolicy,
    threads: usize,
) -> Result<Vec<MatchEvidence>, Error> {
    same_len(left.len(), right.len(), "right")?;
    Ok(parallel::map(left.len(), threads, 1024, |i| {
        let a = Profile::new(&left[i], &[]);
        let b = Profile::new(&right[i], &[]);
        super::matching::compare(&a, &b, policy)
    }))
}
