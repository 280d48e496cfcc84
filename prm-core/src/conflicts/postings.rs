//! The slots filed under each blocking key of a `ConflictIndex`, compactly: most keys (the
//! one-deletion neighbourhoods) belong to a single record, so a key's one slot is held inline
//! in the map and only keys shared by several records get a list. A key is a 32-bit
//! fingerprint (see `blocking::keys`), so a map entry is 8 bytes instead of a 32-byte entry plus
//! a heap-allocated vector.

use crate::hash::FnvMap;
use std::collections::hash_map::Entry;

/// The high bit of a map value marks an index into `lists`; otherwise the value is the slot.
const LIST: u32 = 1 << 31;

/// A blocking key as the map holds it (keys are 32-bit fingerprints already; wider ones fold).
#[allow(clippy::cast_possible_truncation)] // the fold keeps 32 bits on purpose
fn fingerprint(key: u64) -> u32 {
    (key ^ (key >> 32)) as u32
}

/// Slots by blocking key.
#[derive(Debug, Clone, Default)]
pub(crate) struct Postings {
    map: FnvMap<u32, u32>,
    lists: Vec<Vec<u32>>,
    free_lists: Vec<u32>,
}

impl Postings {
    /// Files `slot` (below 2³¹) under `key`.
    pub(crate) fn add(&mut self, key: u64, slot: u32) {
        debug_assert!(slot < LIST);
        match self.map.entry(fingerprint(key)) {
            Entry::Vacant(v) => {
                v.insert(slot);
            }
            Entry::Occupied(mut o) => {
                let v = *o.get();
                if v & LIST == 0 {
                    let pair = vec![v, slot];
                    let i = if let Some(i) = self.free_lists.pop() {
                        self.lists[i as usize] = pair;
                        i
                    } else {
                        self.lists.push(pair);
                        (self.lists.len() - 1) as u32
                    };
                    *o.get_mut() = LIST | i;
                } else {
                    self.lists[(v & !LIST) as usize].push(slot);
                }
            }
        }
    }

    /// Takes `slot` out from under `key` (a key left with one slot holds it inline again).
    pub(crate) fn remove(&mut self, key: u64, slot: u32) {
        let key = fingerprint(key);
        let Some(&v) = self.map.get(&key) else { return };
        if v & LIST == 0 {
            if v == slot {
                self.map.remove(&key);
            }
            return;
        }
        let i = (v & !LIST) as usize;
        self.lists[i].retain(|&s| s != slot);
        match self.lists[i].len() {
            0 => {
                self.map.remove(&key);
            }
            1 => {
                self.map.insert(key, self.lists[i][0]);
            }
            _ => return,
        }
        self.lists[i] = Vec::new();
        self.free_lists.push(i as u32);
    }

    /// The slots filed under `key`.
    pub(crate) fn get(&self, key: u64) -> &[u32] {
        match self.map.get(&fingerprint(key)) {
            None => &[],
            Some(v) if v & LIST != 0 => &self.lists[(v & !LIST) as usize],
            Some(v) => std::slice::from_ref(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn agrees_with_a_map_of_lists_under_adds_and_removes() {
        let (mut p, mut want) = (Postings::default(), BTreeMap::<u64, Vec<u32>>::new());
        let mut s: u64 = 7;
        for _ in 0..20_000 {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let (key, slot) = ((s >> 40) % 50, ((s >> 20) % 30) as u32);
            let list = want.entry(key).or_default();
            if (s >> 8).is_multiple_of(3) {
                p.remove(key, slot);
                list.retain(|&x| x != slot);
            } else if !list.contains(&slot) {
                p.add(key, slot);
                list.push(slot);
            }
            for (k, l) in &want {
                let mut got = p.get(*k).to_vec();
                let mut l = l.clone();
                got.sort_unstable();
                l.sort_unstable();
                assert_eq!(got, l, "key {k}");
            }
        }
        assert!(p.lists.len() <= 50);
    }
}
