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
    let keyed =
        |xs: &[f64]| -> BTreeMap<String, f64> { names.iter().cloned().zip(xs.iter().copied()).collect() };
    let keyed_vec =
        |xs: Vec<Vec<f64>>| -> BTreeMap<String, Vec<f64>> { names.iter().cloned().zip(xs).collect() };
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
        conversions: names.iter().cloned().zip(c).collect(),
        value: names.iter().cloned().zip(v).collect(),
    };
    let [f, l, lin] = acc;
    Heuristics {
        first_touch: credit(f),
        last_touch: credit(l),
        linear: credit(lin),
    }
}
