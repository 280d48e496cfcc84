//! Exact min-cost maximum flow for `assign_optimal`: leads (supply 1) to partners (their
//! remaining capacity). Primal-dual successive shortest paths: a Dijkstra on reduced costs finds
//! the shortest augmenting distance and updates the potentials, after which every shortest
//! augmenting path is a path of zero-reduced-cost edges — and all of them are augmented at once,
//! as blocking flows on that admissible graph (Dinic's level graph), before the next Dijkstra.
//! One Dijkstra per distinct path length instead of one per lead.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

const INF: i128 = i128::MAX / 4;

/// A bipartite assignment problem: `edges[i]` lists lead `i`'s `(partner, cost)` pairs (lower
/// cost is better), `capacity[p]` each partner's room.
pub(crate) struct Assignment<'a> {
    pub(crate) edges: &'a [Vec<(usize, i128)>],
    pub(crate) capacity: &'a [u64],
}

struct Graph {
    adj: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i128>,
}

impl Graph {
    /// A residual edge out of `u` with zero reduced cost.
    fn admissible(&self, e: usize, u: usize, pot: &[i128]) -> bool {
        self.cap[e] > 0 && self.cost[e] + pot[u] - pot[self.to[e]] == 0
    }

    /// Breadth-first levels from `source` over admissible edges; whether `sink` is reached.
    fn levels(&self, pot: &[i128], source: usize, sink: usize, level: &mut [u32]) -> bool {
        level.fill(u32::MAX);
        level[source] = 0;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(u) = queue.pop_front() {
            for &e in &self.adj[u] {
                let v = self.to[e];
                if level[v] == u32::MAX && self.admissible(e, u, pot) {
                    level[v] = level[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        level[sink] != u32::MAX
    }

    /// One unit along a path of admissible edges that climbs the levels (iterative DFS with
    /// Dinic's current-edge pointers `next`; dead ends are cut from the level graph).
    fn augment(
        &mut self,
        pot: &[i128],
        source: usize,
        sink: usize,
        level: &mut [u32],
        next: &mut [usize],
    ) -> bool {
        let mut path: Vec<usize> = Vec::new();
        let mut u = source;
        loop {
            if u == sink {
                for &e in &path {
                    self.cap[e] -= 1;
                    self.cap[e ^ 1] += 1;
                }
                return true;
            }
            let mut advanced = false;
            while next[u] < self.adj[u].len() {
                let e = self.adj[u][next[u]];
                let v = self.to[e];
                if level[v] == level[u].wrapping_add(1) && self.admissible(e, u, pot) {
                    path.push(e);
                    u = v;
                    advanced = true;
                    break;
                }
                next[u] += 1;
            }
            if !advanced {
                if u == source {
                    return false;
                }
                level[u] = u32::MAX;
                let e = path
                    .pop()
                    .expect("a node other than the source was entered by an edge");
                u = self.to[e ^ 1];
                next[u] += 1;
            }
        }
    }

    fn add(&mut self, u: usize, v: usize, cap: i64, cost: i128) {
        self.adj[u].push(self.to.len());
        self.to.push(v);
        self.cap.push(cap);
        self.cost.push(cost);
        self.adj[v].push(self.to.len());
        self.to.push(u);
        self.cap.push(0);
        self.cost.push(-cost);
    }
}

/// The partner of each lead in a maximum assignment of minimum total cost (`None`: unassigned).
pub(crate) fn solve(problem: &Assignment<'_>) -> Vec<Option<usize>> {
    let (l, p) = (problem.edges.len(), problem.capacity.len());
    let (source, sink) = (0, l + p + 1);
    let n = l + p + 2;
    let mut g = Graph {
        adj: vec![Vec::new(); n],
        to: Vec::new(),
        cap: Vec::new(),
        cost: Vec::new(),
    };
    for (i, es) in problem.edges.iter().enumerate() {
        g.add(source, 1 + i, 1, 0);
        for &(k, c) in es {
            g.add(1 + i, 1 + l + k, 1, c);
        }
    }
    for (k, &c) in problem.capacity.iter().enumerate() {
        let room = i64::try_from(c.min(l as u64)).unwrap_or(i64::MAX);
        if room > 0 {
            g.add(1 + l + k, sink, room, 0);
        }
    }
    // Potentials for the initial DAG (source → leads → partners → sink) make reduced costs ≥ 0.
    let mut pot = vec![0i128; n];
    for es in problem.edges {
        for &(k, c) in es {
            pot[1 + l + k] = pot[1 + l + k].min(c);
        }
    }
    pot[sink] = (0..p).map(|k| pot[1 + l + k]).min().unwrap_or(0).min(0);
    let mut dist = vec![INF; n];
    loop {
        dist.fill(INF);
        dist[source] = 0;
        let mut heap = BinaryHeap::new();
        heap.push(Reverse((0i128, source)));
        let mut settled = vec![false; n];
        while let Some(Reverse((d, u))) = heap.pop() {
            if d > dist[u] || settled[u] {
                continue;
            }
            settled[u] = true;
            // stop at the sink: nodes not settled get its distance in the potential update
            if u == sink {
                break;
            }
            for &e in &g.adj[u] {
                if g.cap[e] <= 0 {
                    continue;
                }
                let v = g.to[e];
                let nd = d + g.cost[e] + pot[u] - pot[v];
                if nd < dist[v] {
                    dist[v] = nd;
                    heap.push(Reverse((nd, v)));
                }
            }
        }
        if dist[sink] >= INF {
            break;
        }
        let ds = dist[sink];
        for v in 0..n {
            pot[v] += if settled[v] { dist[v] } else { ds };
        }
        // every path of zero-reduced-cost residual edges is now a shortest augmenting path
        // (its cost is pot[sink] − pot[source], a lower bound on all paths): augment them all
        let mut level = vec![u32::MAX; n];
        let mut next = vec![0usize; n];
        while g.levels(&pot, source, sink, &mut level) {
            next.fill(0);
            while g.augment(&pot, source, sink, &mut level, &mut next) {}
        }
    }
    (0..l)
        .map(|i| {
            g.adj[1 + i]
                .iter()
                .find(|&&e| e % 2 == 0 && g.to[e] > l && g.to[e] <= l + p && g.cap[e] == 0)
                .map(|&e| g.to[e] - 1 - l)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The former solver: one augmentation per Dijkstra (the reference).
    fn one_path_per_search(problem: &Assignment<'_>) -> Vec<Option<usize>> {
        let (l, p) = (problem.edges.len(), problem.capacity.len());
        let (source, sink) = (0, l + p + 1);
        let n = l + p + 2;
        let mut g = Graph {
            adj: vec![Vec::new(); n],
            to: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
        };
        for (i, es) in problem.edges.iter().enumerate() {
            g.add(source, 1 + i, 1, 0);
            for &(k, c) in es {
                g.add(1 + i, 1 + l + k, 1, c);
            }
        }
        for (k, &c) in problem.capacity.iter().enumerate() {
            let room = i64::try_from(c.min(l as u64)).unwrap_or(i64::MAX);
            if room > 0 {
                g.add(1 + l + k, sink, room, 0);
            }
        }
        // Potentials for the initial DAG (source → leads → partners → sink) make reduced costs ≥ 0.
        let mut pot = vec![0i128; n];
        for es in problem.edges {
            for &(k, c) in es {
                pot[1 + l + k] = pot[1 + l + k].min(c);
            }
        }
        pot[sink] = (0..p).map(|k| pot[1 + l + k]).min().unwrap_or(0).min(0);
        let mut dist = vec![INF; n];
        let mut prev = vec![usize::MAX; n];
        loop {
            dist.fill(INF);
            prev.fill(usize::MAX);
            dist[source] = 0;
            let mut heap = BinaryHeap::new();
            heap.push(Reverse((0i128, source)));
            let mut settled = vec![false; n];
            while let Some(Reverse((d, u))) = heap.pop() {
                if d > dist[u] || settled[u] {
                    continue;
                }
                settled[u] = true;
                // stop at the sink: nodes not settled get its distance in the potential update
                if u == sink {
                    break;
                }
                for &e in &g.adj[u] {
                    if g.cap[e] <= 0 {
                        continue;
                    }
                    let v = g.to[e];
                    let nd = d + g.cost[e] + pot[u] - pot[v];
                    if nd < dist[v] {
                        dist[v] = nd;
                        prev[v] = e;
                        heap.push(Reverse((nd, v)));
                    }
                }
            }
            if dist[sink] >= INF {
                break;
            }
            let ds = dist[sink];
            for v in 0..n {
                pot[v] += if settled[v] { dist[v] } else { ds };
            }
            let mut v = sink;
            while v != source {
                let e = prev[v];
                g.cap[e] -= 1;
                g.cap[e ^ 1] += 1;
                v = g.to[e ^ 1];
            }
        }
        (0..l)
            .map(|i| {
                g.adj[1 + i]
                    .iter()
                    .find(|&&e| e % 2 == 0 && g.to[e] > l && g.to[e] <= l + p && g.cap[e] == 0)
                    .map(|&e| g.to[e] - 1 - l)
            })
            .collect()
    }

    /// A seeded instance: `l` leads, each with a few of `p` partners at costs from a small set
    /// (many ties, as scores have) or a wide one.
    fn instance(seed: u64, l: usize, p: usize, wide: bool) -> (Vec<Vec<(usize, i128)>>, Vec<u64>) {
        let mut s = seed;
        let mut next = move |n: u64| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (s >> 33) % n
        };
        let edges = (0..l)
            .map(|_| {
                let mut es: Vec<(usize, i128)> = (0..next(6))
                    .map(|_| {
                        (
                            next(p as u64) as usize,
                            -i128::from(next(if wide { 1_000_000 } else { 5 })),
                        )
                    })
                    .collect();
                es.sort_by_key(|e| e.0);
                es.dedup_by_key(|e| e.0);
                es
            })
            .collect();
        let capacity = (0..p).map(|_| next(4)).collect();
        (edges, capacity)
    }

    fn value(edges: &[Vec<(usize, i128)>], got: &[Option<usize>]) -> (usize, i128) {
        let mut cost = 0;
        for (es, g) in edges.iter().zip(got) {
            if let Some(k) = g {
                cost += es.iter().find(|e| e.0 == *k).expect("an edge of the lead").1;
            }
        }
        (got.iter().flatten().count(), cost)
    }

    #[test]
    fn blocking_flows_give_the_same_optimum_as_one_path_per_search() {
        for seed in 0..300 {
            let (l, p) = (20 + (seed as usize % 7) * 30, 5 + (seed as usize % 5) * 10);
            let (edges, capacity) = instance(seed, l, p, seed % 2 == 0);
            let problem = Assignment {
                edges: &edges,
                capacity: &capacity,
            };
            let (new, old) = (solve(&problem), one_path_per_search(&problem));
            for (k, got) in new.iter().enumerate() {
                if let Some(x) = got {
                    assert!(
                        edges[k].iter().any(|e| e.0 == *x),
                        "seed {seed}: lead {k} to a partner it cannot take"
                    );
                }
            }
            let mut load = vec![0u64; p];
            for x in new.iter().flatten() {
                load[*x] += 1;
            }
            assert!(
                load.iter().zip(&capacity).all(|(a, c)| a <= c),
                "seed {seed}: over capacity"
            );
            assert_eq!(
                value(&edges, &new),
                value(&edges, &old),
                "seed {seed}: count and cost"
            );
        }
    }
}
