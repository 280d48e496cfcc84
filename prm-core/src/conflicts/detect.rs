//! `detect_all`: every conflict in a data set, near-linear through blocking.

use super::blocking::keys;
use super::error::{ConflictsErrorKind, err};
use super::index::{MAX_RECORDS, conflicts_with};
use super::matching::{compare, same_customer};
use super::model::{Conflict, ConflictPolicy, DirectOpportunity, MatchEvidence, Partner, Registration};
use super::rule::{Entry, Partners, check_policy};
use crate::Error;
use crate::domain::RecordId;
use crate::hash::FnvMap;
use crate::parallel;

/// Every conflict among `registrations` and `opportunities`, sorted by (later t0, later id,
/// earlier id), on one thread. See [`detect_all_threads`].
///
/// ```
/// use prm_core::conflicts::{detect_all, ConflictPolicy, Registration, DirectOpportunity, ConflictKind};
/// let regs: Vec<Registration> = serde_json::from_str(r#"[
///   {"id": "R1", "partner_id": "P1", "customer": {"name": "Acme Industries Inc.", "website": "acme-ind.com"},
///    "products": ["security"], "submitted_at": "2026-01-05T00:00:00Z", "approved_at": "2026-01-06T00:00:00Z"},
///   {"id": "R2", "partner_id": "P2", "customer": {"name": "ACME INDUSTRIES LLC", "email": "cio@acme-ind.com"},
///    "products": ["security"], "submitted_at": "2026-02-01T00:00:00Z"},
///   {"id": "R3", "partner_id": "P3", "customer": {"name": "Acme Software", "website": "acmesoftware.com"},
///    "products": ["security"], "submitted_at": "2026-02-02T00:00:00Z"}]"#).unwrap();
/// let opps: Vec<DirectOpportunity> = serde_json::from_str(r#"[
///   {"id": "O1", "owner_id": "U1", "account": {"name": "Acme Industries"},
///    "products": ["security"], "created_at": "2026-03-01T00:00:00Z"}]"#).unwrap();
/// let found = detect_all(&regs, &opps, &[], &ConflictPolicy::default())?;
/// let pairs: Vec<_> = found.iter().map(|c| (c.earlier_id.as_str(), c.later_id.as_str(), c.kind)).collect();
/// assert_eq!(pairs, [("R1", "R2", ConflictKind::ChannelConflict),
///                    ("R1", "O1", ConflictKind::DirectConflict),
///                    ("R2", "O1", ConflictKind::DirectConflict)]);
/// assert_eq!(found[1].resolution.winner_id.as_str(), "O1"); // direct_wins
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn detect_all(
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &[Partner],
    policy: &ConflictPolicy,
) -> Result<Vec<Conflict>, Error> {
    detect_all_threads(registrations, opportunities, partners, policy, 1)
}

/// [`detect_all`] on up to `threads` threads (0 = all cores); the output does not depend on
/// the thread count.
///
/// Each record is compared only with the earlier records that share a blocking key with it
/// (see the [`conflicts`](super) module docs), so the work grows with the records times the
/// size of their blocks, not with all pairs. `detect_all` equals the union of
/// [`ConflictIndex::check`](super::ConflictIndex::check) of each record against all others.
pub fn detect_all_threads(
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &[Partner],
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<Vec<Conflict>, Error> {
    check_policy(policy)?;
    let partners = Partners::new(partners, "partners")?;
    detect_with(registrations, opportunities, &partners, policy, threads)
}

/// [`detect_all_threads`] with the policy checked and the partners built.
pub(super) fn detect_with(
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &Partners,
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<Vec<Conflict>, Error> {
    let Book { entries, postings } = build(registrations, opportunities, partners, policy, threads)?;
    let per_record = parallel::map(entries.len(), threads, 1024, |j| {
        let (q, ks) = &entries[j];
        let cands = earlier_candidates(ks, &postings, j);
        let cands: Vec<&Entry> = cands.iter().map(|&s| &entries[s as usize].0).collect();
        let mut found = conflicts_with(q, &cands, policy, partners);
        crate::sort::by(&mut found, |a, b| a.earlier_id.cmp(&b.earlier_id));
        found
    });
    Ok(per_record.into_iter().flatten().collect())
}

/// Record `i` of registrations followed by opportunities, as the engine sees it.
pub(super) fn entry(
    i: usize,
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &Partners,
    policy: &ConflictPolicy,
) -> Result<Entry, Error> {
    if i < registrations.len() {
        Entry::registration(
            &registrations[i],
            &format!("registrations[{i}]"),
            partners,
            policy,
            None,
        )
    } else {
        let j = i - registrations.len();
        Entry::opportunity(&opportunities[j], &format!("opportunities[{j}]"))
    }
}

/// Records built, checked, sorted by `(t0, id)` and filed under their blocking keys.
struct Book {
    entries: Vec<(Entry, Vec<u64>)>,
    postings: FnvMap<u64, Vec<u32>>,
}

fn build(
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &Partners,
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<Book, Error> {
    let n = registrations.len() + opportunities.len();
    if n > MAX_RECORDS {
        return Err(Error::LimitExceeded {
            path: String::new(),
            message: format!("at most {MAX_RECORDS} records"),
        });
    }
    let built = parallel::map(n, threads, 4096, |i| {
        let e = entry(i, registrations, opportunities, partners, policy)?;
        let ks = keys(&e.profile);
        Ok::<_, Error>((e, ks))
    });
    let mut entries = Vec::with_capacity(n);
    for (i, b) in built.into_iter().enumerate() {
        entries.push((b?, i));
    }
    crate::sort::by(&mut entries, |((a, _), _), ((b, _), _)| {
        a.order_key().cmp(&b.order_key())
    });
    let mut ids: FnvMap<&str, usize> = FnvMap::default();
    for (i, ((e, _), _)) in entries.iter().enumerate() {
        if let Some(prev) = ids.insert(&e.id, i) {
            let orig = entries[prev.max(i)].1;
            let path = if orig < registrations.len() {
                format!("registrations[{orig}].id")
            } else {
                format!("opportunities[{}].id", orig - registrations.len())
            };
            return Err(err(
                ConflictsErrorKind::InvalidRecord,
                path,
                format!("id `{}` appears twice", e.id),
            ));
        }
    }
    drop(ids);
    let entries: Vec<(Entry, Vec<u64>)> = entries.into_iter().map(|(e, _)| e).collect();
    let mut postings: FnvMap<u64, Vec<u32>> = FnvMap::default();
    for (slot, (_, ks)) in entries.iter().enumerate() {
        for k in ks {
            postings.entry(*k).or_default().push(slot as u32);
        }
    }
    Ok(Book { entries, postings })
}

/// Every pair of records about the same customer (whatever their products and dates), with
/// the evidence, sorted by ids: deduplication of a customer book through the same blocking and
/// matcher as [`detect_all`]. Each pair is `(smaller id, larger id)`.
///
/// ```
/// use prm_core::conflicts::{same_customer_pairs, ConflictPolicy, Registration};
/// let regs: Vec<Registration> = serde_json::from_str(r#"[
///   {"id": "R1", "partner_id": "P1", "customer": {"name": "Acme Industries Inc."}, "submitted_at": "2024-01-05T00:00:00Z"},
///   {"id": "R2", "partner_id": "P2", "customer": {"name": "ACME INDUSTRIES LLC"}, "submitted_at": "2026-02-01T00:00:00Z"},
///   {"id": "R3", "partner_id": "P3", "customer": {"name": "Acme Software"}, "submitted_at": "2026-02-02T00:00:00Z"}]"#).unwrap();
/// let pairs = same_customer_pairs(&regs, &[], &[], &ConflictPolicy::default(), 1)?;
/// assert_eq!(pairs.len(), 1);
/// assert_eq!((pairs[0].0.as_str(), pairs[0].1.as_str()), ("R1", "R2"));
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn same_customer_pairs(
    registrations: &[Registration],
    opportunities: &[DirectOpportunity],
    partners: &[Partner],
    policy: &ConflictPolicy,
    threads: usize,
) -> Result<Vec<(RecordId, RecordId, MatchEvidence)>, Error> {
    check_policy(policy)?;
    let partners = Partners::new(partners, "partners")?;
    let Book { entries, postings } = build(registrations, opportunities, &partners, policy, threads)?;
    let per_record = parallel::map(entries.len(), threads, 1024, |j| {
        let (q, ks) = &entries[j];
        let cands = earlier_candidates(ks, &postings, j);
        cands
            .into_iter()
            .filter_map(|s| {
                let e = &entries[s as usize].0;
                same_customer(&e.profile, &q.profile, &policy.matching).then(|| {
                    let ev = compare(&e.profile, &q.profile, &policy.matching);
                    if e.id < q.id {
                        (e.id.clone(), q.id.clone(), ev)
                    } else {
                        (q.id.clone(), e.id.clone(), ev)
                    }
                })
            })
            .collect::<Vec<_>>()
    });
    let mut out: Vec<_> = per_record.into_iter().flatten().collect();
    crate::sort::by(&mut out, |a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok(out)
}

/// The slots before `j` that share a blocking key with it, ascending, each once.
fn earlier_candidates(keys: &[u64], postings: &FnvMap<u64, Vec<u32>>, j: usize) -> Vec<u32> {
    // a record shares several keys with most of its candidates: each is taken once, marked in a
    // per-thread table with a stamp unique to this call (no sort, no dedup); the order of the
    // candidates does not matter to the caller
    thread_local! {
        static SEEN: std::cell::RefCell<(Vec<u32>, u32)> = const { std::cell::RefCell::new((Vec::new(), 0)) };
    }
    // (32-bit stamps: half the table a 64-bit one would be, so more of it stays in cache; the
    // table is cleared when this thread's stamps wrap around)
    SEEN.with(|cell| {
        let (seen, last) = &mut *cell.borrow_mut();
        *last = last.wrapping_add(1);
        if *last == 0 {
            seen.fill(0);
            *last = 1;
        }
        let stamp = *last;
        if seen.len() < j {
            seen.resize(j, 0);
        }
        let mut cands: Vec<u32> = Vec::new();
        for k in keys {
            if let Some(list) = postings.get(k) {
                let end = list.partition_point(|&s| (s as usize) < j);
                for &s in &list[..end] {
                    let mark = &mut seen[s as usize];
                    if *mark != stamp {
                        *mark = stamp;
                        cands.push(s);
                    }
                }
            }
        }
        cands
    })
}
