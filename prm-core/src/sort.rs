//! Stable sorting that stays small in WebAssembly.
//!
//! The standard library's stable sort (driftsort) is compiled anew for every element type and
//! comparator, 6–15 KB of WebAssembly each; the two dozen sorts of the engines made it a tenth of
//! the npm package's code. In WebAssembly builds these helpers sort a permutation of `u32`
//! indices with one merge sort behind a `dyn` comparator (compiled once) and then move the
//! elements into place; elsewhere they are the standard library's `sort_by`. Both are stable, so
//! the order is the same on every surface.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts `v` stably by `cmp` (as [`slice::sort_by`]).
pub(crate) fn by<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], cmp: F) {
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(cmp);
    #[cfg(target_arch = "wasm32")]
    compact(v, cmp);
}

/// Sorts `v` stably by `key` (as [`slice::sort_by_key`]).
pub(crate) fn by_key<T, K: Ord, F: FnMut(&T) -> K>(v: &mut [T], mut key: F) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` stably in its natural order (as [`slice::sort`]).
pub(crate) fn natural<T: Ord>(v: &mut [T]) {
    by(v, T::cmp);
}

/// Sorts `v` in its natural order (as [`slice::sort_unstable`]), for types whose equal values
/// are indistinguishable (integers, strings, tuples of them), where every sort gives the same
/// order. In WebAssembly the compact stable sort.
pub(crate) fn unstable<T: Ord>(v: &mut [T]) {
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_unstable();
    #[cfg(target_arch = "wasm32")]
    compact(v, T::cmp);
}

/// Collects pairs into a map, a later duplicate key's value winning (as `collect`, which sorts
/// the pairs with the standard stable sort first; in WebAssembly the pairs are inserted one by
/// one instead).
pub(crate) fn map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    #[cfg(not(target_arch = "wasm32"))]
    return pairs.into_iter().collect();
    #[cfg(target_arch = "wasm32")]
    {
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            map.insert(k, v);
        }
        map
    }
}

/// The permutation sort: generic glue around [`merge_sort`] and [`permute`].
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn compact<T, F: FnMut(&T, &T) -> Ordering>(v: &mut [T], mut cmp: F) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<u32> = (0..v.len() as u32).collect();
    merge_sort(&mut order, &mut |i, j| cmp(&v[i as usize], &v[j as usize]));
    permute(v, &mut order);
}

/// Sorts indices stably by `cmp`: insertion sort on runs of 16, then bottom-up merges.
fn merge_sort(order: &mut [u32], cmp: &mut dyn FnMut(u32, u32) -> Ordering) {
    const RUN: usize = 16;
    let n = order.len();
    for run in order.chunks_mut(RUN) {
        for k in 1..run.len() {
            let x = run[k];
            let mut at = k;
            while at > 0 && cmp(run[at - 1], x) == Ordering::Greater {
                run[at] = run[at - 1];
                at -= 1;
            }
            run[at] = x;
        }
    }
    let mut buf = vec![0u32; n];
    let (mut src, mut dst) = (order, buf.as_mut_slice());
    let mut swapped = false;
    let mut width = RUN;
    while width < n {
        for (from, into) in src.chunks(2 * width).zip(dst.chunks_mut(2 * width)) {
            let (left, right) = from.split_at(width.min(from.len()));
            let (mut i, mut j) = (0, 0);
            for slot in into.iter_mut() {
                // the left element goes first unless the right one is strictly smaller: stable
                let take_left =
                    j == right.len() || (i < left.len() && cmp(left[i], right[j]) != Ordering::Greater);
                if take_left {
                    *slot = left[i];
                    i += 1;
                } else {
                    *slot = right[j];
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut src, &mut dst);
        swapped = !swapped;
        width *= 2;
    }
    if swapped {
        // the sorted indices are in the buffer; `dst` is the caller's slice again
        dst.copy_from_slice(src);
    }
}

/// Rearranges `v` so that `v[k]` becomes the old `v[order[k]]`, following each cycle of the
/// permutation with swaps (`order` is used up as the visited marks).
fn permute<T>(v: &mut [T], order: &mut [u32]) {
    for start in 0..v.len() {
        let mut cur = start;
        while order[cur] as usize != cur {
            let next = order[cur] as usize;
            order[cur] = cur as u32;
            if next == start {
                break;
            }
            v.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The compact sort orders exactly as the standard library's stable sort, ties included
        /// (each element carries its original position, compared by key only).
        #[test]
        fn compact_sort_is_the_standard_stable_sort(keys in prop::collection::vec(0u8..12, 0..200)) {
            let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|p| p.0);
            let mut got = items;
            compact(&mut got, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn map_keeps_the_last_duplicate() {
        let m = map([("a", 1), ("b", 2), ("a", 3)]);
        assert_eq!(m.into_iter().collect::<Vec<_>>(), [("a", 3), ("b", 2)]);
    }

    #[test]
    fn helpers_sort() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd')];
        by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (2, 'a'), (2, 'c')]);
        let mut w = vec!["b", "a", "c"];
        natural(&mut w);
        assert_eq!(w, ["a", "b", "c"]);
    }
}
