//! The simplified Shapley value of Zhao et al. (2018) and ChannelAttribution's heuristics.

use super::journeys::Journeys;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Shapley attribution. Maps are keyed by partner id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapleyResult {
    /// φⱼ over conversions: Σ_{T∋j} R(T)/|T|; they sum to Σ conversions.
    pub attributed_conversions: BTreeMap<String, f64>,
    /// The same over value.
    pub attributed_value: BTreeMap<String, f64>,
    /// With `ordered`: j's share of each journey split equally over j's positions in the path
    /// (as given, repeats not collapsed), summed per position (`[0]` is the first touch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_conversions: Option<BTreeMap<String, Vec<f64>>>,
    /// The same over value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_value: Option<BTreeMap<String, Vec<f64>>>,
    /// Σ conversions.
    pub total_conversions: f64,
    /// Σ value.
    pub total_value: f64,
}

/// One coalition's sums in [`ShapleyCounts`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Coalition {
    /// The distinct partners of the journeys, sorted.
    pub partners: Vec<String>,
    /// Σ conversions of those journeys.
    pub conversions: f64,
    /// Σ value of those journeys.
    pub value: f64,
}

/// The sufficient statistics of the (unordered) simplified Shapley value: conversions and value
/// summed per coalition (the distinct partners of a journey). Counts of separate batches add up
/// ([`merge`](Self::merge)), and [`solve`](Self::solve) gives the result of [`shapley`] on all
/// the journeys (up to floating-point summation order) — the split a distributed engine needs.
///
/// ```
/// use prm_core::attribution::{self, Journeys, ShapleyCounts};
/// let (mut a, mut b) = (Journeys::new(), Journeys::new());
/// a.push_text("A>B>A", 3.0, 30.0, 0.0, 0)?;
/// b.push_text("A", 1.0, 10.0, 0.0, 0)?;
/// b.push_text("C", 0.0, 0.0, 4.0, 1)?;
/// let mut counts = ShapleyCounts::from_journeys(&a);
/// counts.merge(&ShapleyCounts::from_journeys(&b));
/// let r = counts.solve();
/// assert_eq!(r.attributed_conversions["A"], 2.5);
/// assert_eq!(r.attributed_conversions["C"], 0.0);
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ShapleyCounts {
    /// Every partner seen (also on journeys without conversions or value), sorted.
    pub channels: Vec<String>,
    /// The coalitions with conversions or value, sorted by partners.
    pub coalitions: Vec<Coalition>,
    /// Σ conversions.
    pub total_conversions: f64,
    /// Σ value.
    pub total_value: f64,
}

impl ShapleyCounts {
    /// The coalition sums of `journeys`.
    pub fn from_journeys(journeys: &Journeys) -> Self {
        let names = journeys.channels();
        let mut sums: BTreeMap<Vec<u32>, (f64, f64)> = BTreeMap::new();
        let mut set: Vec<u32> = Vec::new();
        for i in 0..journeys.len() {
            let (steps, c, v, _) = journeys.row(i);
            if c == 0.0 && v == 0.0 {
                continue;
            }
            set.clear();
            set.extend_from_slice(steps);
            set.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
            set.dedup();
            let e = sums.entry(set.clone()).or_default();
            e.0 += c;
            e.1 += v;
        }
        let mut coalitions: Vec<Coalition> = sums
            .into_iter()
            .map(|(ids, (conversions, value))| Coalition {
                partners: ids.iter().map(|&i| names[i as usize].clone()).collect(),
                conversions,
                value,
            })
            .collect();
        crate::sort::by(&mut coalitions, |a, b| a.partners.cmp(&b.partners));
        let mut channels = names.to_vec();
        crate::sort::natural(&mut channels);
        let (total_conversions, total_value) = journeys.totals();
        Self {
            channels,
            coalitions,
            total_conversions,
            total_value,
        }
    }

    /// Adds another batch's counts (coalitions matched by partners).
    pub fn merge(&mut self, other: &ShapleyCounts) {
        let mut channels: Vec<String> = self.channels.iter().chain(&other.channels).cloned().collect();
        crate::sort::natural(&mut channels);
        channels.dedup();
        let mut sums: BTreeMap<Vec<String>, (f64, f64)> = BTreeMap::new();
        for c in self.coalitions.iter().chain(&other.coalitions) {
            let e = sums.entry(c.partners.clone()).or_default();
            e.0 += c.conversions;
            e.1 += c.value;
        }
        self.channels = channels;
        self.coalitions = sums
            .into_iter()
            .map(|(partners, (conversions, value))| Coalition {
                partners,
                conversions,
                value,
            })
            .collect();
        self.total_conversions += other.total_conversions;
        self.total_value += other.total_value;
    }

    /// φⱼ = Σ_{T∋j} R(T)/|T| over the coalitions (`ordered` is not available from counts:
    /// positions are not kept; sum per-batch [`shapley`] results for it).
    pub fn solve(&self) -> ShapleyResult {
        let mut conv: BTreeMap<String, f64> =
            crate::sort::map(self.channels.iter().map(|c| (c.clone(), 0.0)));
        let mut value = conv.clone();
        for c in &self.coalitions {
            let m = c.partners.len() as f64;
            for p in &c.partners {
                *conv.entry(p.clone()).or_default() += c.conversions / m;
                *value.entry(p.clone()).or_default() += c.value / m;
            }
        }
        ShapleyResult {
            attributed_conversions: conv,
            attributed_value: value,
            ordered_conversions: None,
            ordered_value: None,
            total_conversions: self.total_conversions,
            total_value: self.total_value,
        }
    }
}

/// Simplified Shapley attribution (SPEC §4): the characteristic function of a coalition S is
/// the conversions (or value) of journeys whose distinct-partner set lies in S, which makes
/// φⱼ = Σ_{T∋j} R(T)/|T| exact and linear in the journeys.
///
/// ```
/// use prm_core::attribution::{self, Journeys};
/// let mut j = Journeys::new();
/// j.push_text("A>B>A", 3.0, 30.0, 0.0, 0)?;
/// j.push_text("A", 1.0, 10.0, 0.0, 1)?;
/// let r = attribution::shapley(&j, true);
/// assert_eq!(r.attributed_conversions["A"], 2.5);
/// assert_eq!(r.attributed_conversions["B"], 1.5);
/// // A's 1.5 of the first journey over its two positions, plus all of the second journey.
/// assert_eq!(r.ordered_conversions.unwrap()["A"], vec![1.75, 0.0, 0.75]);
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn shapley(journeys: &Journeys, ordered: bool) -> ShapleyResult {
    let k = journeys.channels().len();
    let mut conv = vec![0.0; k];
    let mut value = vec![0.0; k];
    let mut pos_conv: Vec<Vec<f64>> = vec![Vec::new(); if ordered { k } else { 0 }];
    let mut pos_value: Vec<Vec<f64>> = vec![Vec::new(); if ordered { k } else { 0 }];
    let mut distinct: Vec<u32> = Vec::new();
    let mut count = vec![0u32; k];
    let (total_c, total_v) = journeys.totals();
    for i in 0..journeys.len() {
        let (steps, c, v, _) = journeys.row(i);
        if c == 0.0 && v == 0.0 {
            continue;
        }
        distinct.clear();
        for &s in steps {
            if count[s as usize] == 0 {
                distinct.push(s);
            }
            count[s as usize] += 1;
        }
        let m = distinct.len() as f64;
        let (dc, dv) = (c / m, v / m);
        for &s in &distinct {
            conv[s as usize] += dc;
            value[s as usize] += dv;
        }
        if ordered {
            for (p, &s) in steps.iter().enumerate() {
                let per = f64::from(count[s as usize]);
                let (pc, pv) = (&mut pos_conv[s as usize], &mut pos_value[s as usize]);
                if pc.len() <= p {
                    pc.resize(p + 1, 0.0);
                    pv.resize(p + 1, 0.0);
                }
                pc[p] += dc / per;
                pv[p] += dv / per;
            }
        }
        for &s in &distinct {
            count[s as usize] = 0;
        }
    }
    let names = journeys.channels();
    let keyed = |xs: &[f64]| -> BTreeMap<String, f64> {
        crate::sort::map(names.iter().cloned().zip(xs.iter().copied()))
    };
    let keyed_vec =
        |xs: Vec<Vec<f64>>| -> BTreeMap<String, Vec<f64>> { crate::sort::map(names.iter().cloned().zip(xs)) };
    ShapleyResult {
        attributed_conversions: keyed(&conv),
        attributed_value: keyed(&value),
        ordered_conversions: ordered.then(|| keyed_vec(pos_conv)),
        ordered_value: ordered.then(|| keyed_vec(pos_value)),
        total_conversions: total_c,
        total_value: total_v,
    }
}

/// Conversions and value credited to each partner by one heuristic.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HeuristicCredit {
    /// Per partner.
    pub conversions: BTreeMap<String, f64>,
    /// Per partner.
    pub value: BTreeMap<String, f64>,
}

/// ChannelAttribution's heuristic models.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Heuristics {
    /// All credit to the first touch.
    pub first_touch: HeuristicCredit,
    /// All credit to the last touch.
    pub last_touch: HeuristicCredit,
    /// Equal credit per touch, repeats counted (a partner with 2 of 4 touches gets half).
    pub linear: HeuristicCredit,
}

/// First-touch, last-touch and linear credit over journeys, as ChannelAttribution's
/// `heuristic_models` computes them.
///
/// ```
/// use prm_core::attribution::{self, Journeys};
/// let mut j = Journeys::new();
/// j.push_text("A>B>B>C", 4.0, 40.0, 0.0, 0)?;
/// let h = attribution::heuristics(&j);
/// assert_eq!(h.first_touch.conversions["A"], 4.0);
/// assert_eq!(h.last_touch.value["C"], 40.0);
/// assert_eq!(h.linear.conversions["B"], 2.0);
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn heuristics(journeys: &Journeys) -> Heuristics {
    let k = journeys.channels().len();
    let mut acc = [
        [vec![0.0; k], vec![0.0; k]],
        [vec![0.0; k], vec![0.0; k]],
        [vec![0.0; k], vec![0.0; k]],
    ];
    for i in 0..journeys.len() {
        let (steps, c, v, _) = journeys.row(i);
        let (first, last) = (steps[0] as usize, steps[steps.len() - 1] as usize);
        acc[0][0][first] += c;
        acc[0][1][first] += v;
        acc[1][0][last] += c;
        acc[1][1][last] += v;
        let n = steps.len() as f64;
        let (dc, dv) = (c / n, v / n);
        for &s in steps {
            acc[2][0][s as usize] += dc;
            acc[2][1][s as usize] += dv;
        }
    }
    let names = journeys.channels();
    let credit = |[c, v]: [Vec<f64>; 2]| HeuristicCredit {
        conversions: crate::sort::map(names.iter().cloned().zip(c)),
        value: crate::sort::map(names.iter().cloned().zip(v)),
    };
    let [f, l, lin] = acc;
    Heuristics {
        first_touch: credit(f),
        last_touch: credit(l),
        linear: credit(lin),
    }
}
