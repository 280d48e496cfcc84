//! Blocking: the keys under which a record is filed, so that a record is compared only with
//! records sharing a key, never with all others.
//!
//! A record's keys are: each organisation domain's label; its name key and its sorted-token
//! key; and the one-deletion neighbourhoods of the first and of the last eight characters of the
//! name key. Two names one edit apart (a substitution, insertion, deletion or transposition)
//! share a deletion key of whichever end the edit is not in, or of the end it is in; so a typo
//! anywhere, a word swap, joined or split words and a shared domain all bring two records
//! together. Two independent typos at both ends of a name with no shared domain do not (a
//! documented miss).

use super::matching::Profile;

const WINDOW: usize = 8;

fn fnv(tag: u8, parts: &[&[char]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(tag);
    h = h.wrapping_mul(0x0100_0000_01b3);
    for part in parts {
        for &c in *part {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    h
}

fn deletions(tag: u8, w: &[char], out: &mut Vec<u64>) {
    out.push(fnv(tag, &[w]));
    for i in 0..w.len() {
        out.push(fnv(tag, &[&w[..i], &w[i + 1..]]));
    }
}

/// The blocking keys of a profile (32-bit fingerprints), sorted and deduplicated.
pub(crate) fn keys(p: &Profile) -> Vec<u64> {
    let mut out = Vec::with_capacity(24);
    for d in p.domains() {
        out.push(fnv(b'd', &[&d.label.chars().collect::<Vec<_>>()]));
    }
    let key: Vec<char> = p.key().chars().collect();
    if !key.is_empty() {
        out.push(fnv(b'n', &[&key]));
        out.push(fnv(b'n', &[&p.sorted_key().chars().collect::<Vec<_>>()]));
        if key.len() >= 4 {
            deletions(b'p', &key[..key.len().min(WINDOW)], &mut out);
            deletions(b's', &key[key.len().saturating_sub(WINDOW)..], &mut out);
        }
    }
    // 32-bit fingerprints: an index's key map holds half as many bytes per key. A collision
    // only adds a candidate, which the matcher then rejects; every entry point (index,
    // detect_all, blocks) files under the same fingerprints, so they find the same candidates.
    for k in &mut out {
        *k = (*k ^ (*k >> 32)) & 0xffff_ffff;
    }
    crate::sort::unstable(&mut out);
    out.dedup();
    out
}
