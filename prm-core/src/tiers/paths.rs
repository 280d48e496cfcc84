//! `paths_to_next`: the smallest sets of unmet requirements whose fulfilment would qualify a
//! partner for the next tier (`any` and `at_least` give alternatives).

use super::compile::Node;
use super::eval::Values;
use super::model::Gap;

/// The most alternatives returned (and kept while combining): the cheapest first.
pub const MAX_PATHS: usize = 16;

/// A way to satisfy a node: ids of unmet units (leaves or points nodes), ascending.
type Way = Vec<usize>;

/// Keeps the minimal ways (no way that contains another), smallest first, at most `cap`.
fn minimise(mut ways: Vec<Way>, cap: usize) -> Vec<Way> {
    crate::sort::by(&mut ways, |a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    ways.dedup();
    let mut kept: Vec<Way> = Vec::new();
    for w in ways {
        if !kept.iter().any(|k| k.iter().all(|u| w.binary_search(u).is_ok())) {
            kept.push(w);
            if kept.len() == cap {
                break;
            }
        }
    }
    kept
}

fn product(a: &[Way], b: &[Way], cap: usize) -> Vec<Way> {
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut w: Way = x.iter().chain(y).copied().collect();
            crate::sort::unstable(&mut w);
            w.dedup();
            out.push(w);
        }
    }
    minimise(out, cap)
}

/// Index combinations of `k` out of `n`, in lexicographic order, at most `limit` of them.
fn combinations(n: usize, k: usize, limit: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..k).collect();
    if k > n {
        return out;
    }
    loop {
        out.push(idx.clone());
        if out.len() >= limit {
            return out;
        }
        let Some(i) = (0..k).rev().find(|&i| idx[i] != i + n - k) else {
            return out;
        };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

impl Node {
    /// The ways to satisfy this node from `v`; unmet units are appended to `units` (their id is
    /// their index there), in document order.
    pub(crate) fn ways(&self, v: &Values, names: &[String], units: &mut Vec<Gap>) -> Vec<Way> {
        if self.holds(v) {
            return vec![Vec::new()];
        }
        let cap = 4 * MAX_PATHS;
        match self {
            Node::Leaf { .. } | Node::Points { .. } => {
                let mut gaps = Vec::new();
                self.gaps(v, names, &mut gaps);
                let first = units.len();
                units.extend(gaps);
                vec![(first..units.len()).collect()]
            }
            Node::All(children) => children.iter().fold(vec![Vec::new()], |acc, c| {
                product(&acc, &c.ways(v, names, units), cap)
            }),
            Node::Any(children) => {
                let all: Vec<Way> = children.iter().flat_map(|c| c.ways(v, names, units)).collect();
                minimise(all, cap)
            }
            Node::AtLeast(n, children) => {
                let failing: Vec<Vec<Way>> = children
                    .iter()
                    .filter(|c| !c.holds(v))
                    .map(|c| c.ways(v, names, units))
                    .collect();
                let need = n - (children.len() - failing.len());
                let mut all = Vec::new();
                for combo in combinations(failing.len(), need, 16 * MAX_PATHS) {
                    let ways = combo
                        .iter()
                        .fold(vec![Vec::new()], |acc, &i| product(&acc, &failing[i], cap));
                    all.extend(ways);
                }
                minimise(all, cap)
            }
        }
    }
}

/// The minimal paths (lists of gaps), fewest requirements first, at most [`MAX_PATHS`].
pub(crate) fn paths(node: &Node, v: &Values, names: &[String]) -> Vec<Vec<Gap>> {
    let mut units = Vec::new();
    let ways = minimise(node.ways(v, names, &mut units), MAX_PATHS);
    ways.into_iter()
        .filter(|w| !w.is_empty())
        .map(|w| w.into_iter().map(|u| units[u].clone()).collect())
        .collect()
}
