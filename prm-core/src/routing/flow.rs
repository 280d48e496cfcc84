//! Exact min-cost maximum flow (successive shortest paths with Dijkstra on reduced costs) for
//! `assign_optimal`: leads (supply 1) to partners (their remaining capacity).

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
