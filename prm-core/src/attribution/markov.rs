//! Exact order-1 Markov attribution (SPEC §4): transition counts, absorption probabilities by
//! one matrix inverse, and removal effects in closed form — no simulation, no seed.
//!
//! With N = (I − Q)⁻¹ over the partner states, h = N·b the probability of converting from
//! each state and nₖ = (s·N)ₖ the expected visits from start, the probability of ever
//! reaching k is fₖ = nₖ/Nₖₖ. A journey that reaches k converts afterwards with probability
//! hₖ, so removing k (redirecting every transition into k to null) loses exactly fₖ·hₖ:
//! P₋ₖ = P − fₖhₖ and REₖ = fₖhₖ/P, computed without the cancellation of `1 − P₋ₖ/P`.
//! The value mode works the same way with g = N·(b∘μ) in place of h.

use super::error::{AttributionErrorKind as K, err};
use super::journeys::Journeys;
use crate::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most partner states a Markov solve accepts. The exact solve inverts a dense k × k matrix,
/// O(k³) time and 8k² bytes: 1,000 partners take ~0.05 s here, 2,000 ~1.5 s and 4,096 (the
/// former limit) 40 s — a 30 KB request that busy is a denial of service, so the bound is low;
/// group the long tail of partners (by tier or type) to attribute more.
pub const MAX_MARKOV_CHANNELS: usize = 1024;

/// How Markov attribution distributes value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub enum ValueMode {
    /// ChannelAttribution semantics: value removal effects from the expected value of each
    /// partner's conversions (the default).
    #[default]
    #[serde(rename = "channelattribution")]
    ChannelAttribution,
    /// Value in proportion to the conversion removal effects.
    #[serde(rename = "proportional")]
    Proportional,
}

/// Transition counts of journeys: everything the exact Markov model needs. Counts of
/// different batches merge by [`merge`](MarkovCounts::merge) (sums per named state), so a
/// distributed job counts per partition and solves once.
///
/// ```
/// use prm_core::attribution::{Journeys, MarkovCounts, ValueMode};
/// let mut a = Journeys::new();
/// a.push_text("A>B", 1.0, 100.0, 1.0, 0)?;
/// let mut b = Journeys::new();
/// b.push_text("B", 1.0, 50.0, 0.0, 0)?;
/// let mut counts = MarkovCounts::from_journeys(&a);
/// counts.merge(&MarkovCounts::from_journeys(&b));
/// let r = counts.solve(ValueMode::ChannelAttribution)?;
/// assert!((r.attributed_conversions.values().sum::<f64>() - 2.0).abs() < 1e-12);
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MarkovCounts {
    /// Partner states, sorted by name.
    pub channels: Vec<String>,
    /// `start → channel` counts.
    pub start: Vec<f64>,
    /// `channel → channel` counts, row-major (`from * k + to`).
    pub transitions: Vec<f64>,
    /// `channel → conversion` counts (Σ conversions of rows ending there).
    pub conversions: Vec<f64>,
    /// `channel → null` counts.
    pub nulls: Vec<f64>,
    /// Σ value of converting rows ending at each channel.
    pub conversion_value: Vec<f64>,
    /// Σ conversions over all rows.
    pub total_conversions: f64,
    /// Σ value over all rows.
    pub total_value: f64,
}

/// The exact Markov attribution of a set of journeys. Maps are keyed by partner id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkovResult {
    /// P(conversion) from the start state.
    pub p_conversion: f64,
    /// REₖ = 1 − P₋ₖ/P.
    pub removal_effect_conversion: BTreeMap<String, f64>,
    /// VREₖ = 1 − EV₋ₖ/EV.
    pub removal_effect_value: BTreeMap<String, f64>,
    /// REₖ/ΣRE · Σconversions.
    pub attributed_conversions: BTreeMap<String, f64>,
    /// VREₖ/ΣVRE · Σvalue (or REₖ/ΣRE · Σvalue in `proportional` mode).
    pub attributed_value: BTreeMap<String, f64>,
    /// Transition probabilities `from → to → p` over the states `(start)`, partners,
    /// `(conversion)` and `(null)` (zero entries left out).
    pub transition_probabilities: BTreeMap<String, BTreeMap<String, f64>>,
    /// Σ conversions.
    pub total_conversions: f64,
    /// Σ value.
    pub total_value: f64,
    /// The value mode used.
    pub value_mode: ValueMode,
}

/// State names used in `transition_probabilities`.
pub const START: &str = "(start)";
/// The conversion state.
pub const CONVERSION: &str = "(conversion)";
/// The null (no conversion) state.
pub const NULL: &str = "(null)";

impl MarkovCounts {
    /// Counts the transitions of `journeys` (consecutive repeats collapsed).
    pub fn from_journeys(journeys: &Journeys) -> Self {
        let order = journeys.sorted_channels();
        let mut rank = vec![0usize; order.len()];
        for (r, &c) in order.iter().enumerate() {
            rank[c as usize] = r;
        }
        let k = order.len();
        let mut m = Self {
            channels: order
                .iter()
                .map(|&c| journeys.channels()[c as usize].clone())
                .collect(),
            start: vec![0.0; k],
            transitions: vec![0.0; k * k],
            conversions: vec![0.0; k],
            nulls: vec![0.0; k],
            conversion_value: vec![0.0; k],
            total_conversions: 0.0,
            total_value: 0.0,
        };
        for i in 0..journeys.len() {
            let (steps, c, v, u) = journeys.row(i);
            let w = c + u;
            let mut prev = rank[steps[0] as usize];
            m.start[prev] += w;
            for &s in &steps[1..] {
                let s = rank[s as usize];
                if s != prev {
                    m.transitions[prev * k + s] += w;
                    prev = s;
                }
            }
            m.conversions[prev] += c;
            m.nulls[prev] += u;
            if c > 0.0 {
                m.conversion_value[prev] += v;
            }
            m.total_conversions += c;
            m.total_value += v;
        }
        m
    }

    /// Adds another batch's counts (states matched by name).
    pub fn merge(&mut self, other: &MarkovCounts) {
        let mut names: Vec<String> = self.channels.iter().chain(&other.channels).cloned().collect();
        crate::sort::natural(&mut names);
        names.dedup();
        let k = names.len();
        let pos = |n: &String| names.binary_search(n).unwrap_or(0);
        let mut out = Self {
            channels: Vec::new(),
            start: vec![0.0; k],
            transitions: vec![0.0; k * k],
            conversions: vec![0.0; k],
            nulls: vec![0.0; k],
            conversion_value: vec![0.0; k],
            total_conversions: self.total_conversions + other.total_conversions,
            total_value: self.total_value + other.total_value,
        };
        for src in [&*self, other] {
            let map: Vec<usize> = src.channels.iter().map(pos).collect();
            let n = src.channels.len();
            for (i, &mi) in map.iter().enumerate() {
                out.start[mi] += src.start[i];
                out.conversions[mi] += src.conversions[i];
                out.nulls[mi] += src.nulls[i];
                out.conversion_value[mi] += src.conversion_value[i];
                for (j, &mj) in map.iter().enumerate() {
                    out.transitions[mi * k + mj] += src.transitions[i * n + j];
                }
            }
        }
        out.channels = names;
        *self = out;
    }

    fn check_shape(&self) -> Result<usize, Error> {
        let k = self.channels.len();
        if k > MAX_MARKOV_CHANNELS {
            return Err(Error::LimitExceeded {
                path: "channels".to_owned(),
                message: format!(
                    "{k} partner states; the Markov solve accepts at most {MAX_MARKOV_CHANNELS}"
                ),
            });
        }
        let lens = [
            ("start", self.start.len(), k),
            ("transitions", self.transitions.len(), k * k),
            ("conversions", self.conversions.len(), k),
            ("nulls", self.nulls.len(), k),
            ("conversion_value", self.conversion_value.len(), k),
        ];
        for (name, got, want) in lens {
            if got != want {
                return Err(err(
                    K::InvalidJourney,
                    name,
                    format!("expected {want} counts, got {got}"),
                ));
            }
        }
        let all = self
            .start
            .iter()
            .chain(&self.transitions)
            .chain(&self.conversions)
            .chain(&self.nulls)
            .chain(&self.conversion_value)
            .chain([&self.total_conversions, &self.total_value]);
        if all.into_iter().any(|x| !x.is_finite() || *x < 0.0) {
            return Err(err(K::InvalidJourney, "", "counts must be finite and ≥ 0"));
        }
        Ok(k)
    }

    /// Solves the exact model.
    pub fn solve(&self, mode: ValueMode) -> Result<MarkovResult, Error> {
        let k = self.check_shape()?;
        // Only states with outgoing mass take part (a merged batch may name unused ones).
        let out_mass: Vec<f64> = (0..k)
            .map(|i| {
                self.transitions[i * k..(i + 1) * k].iter().sum::<f64>() + self.conversions[i] + self.nulls[i]
            })
            .collect();
        let live: Vec<usize> = (0..k).filter(|&i| out_mass[i] > 0.0).collect();
        let n = live.len();
        let start_total: f64 = live.iter().map(|&i| self.start[i]).sum();
        let mut result = MarkovResult {
            p_conversion: 0.0,
            removal_effect_conversion: BTreeMap::new(),
            removal_effect_value: BTreeMap::new(),
            attributed_conversions: BTreeMap::new(),
            attributed_value: BTreeMap::new(),
            transition_probabilities: BTreeMap::new(),
            total_conversions: self.total_conversions,
            total_value: self.total_value,
            value_mode: mode,
        };
        if n == 0 || start_total <= 0.0 {
            return Ok(result);
        }
        // M = I − Q over live states; b = P(→ conversion); μ = value per conversion.
        let mut m = vec![0.0; n * n];
        let mut b = vec![0.0; n];
        let mut bmu = vec![0.0; n];
        let s: Vec<f64> = live.iter().map(|&i| self.start[i] / start_total).collect();
        for (a, &i) in live.iter().enumerate() {
            let o = out_mass[i];
            for (c, &j) in live.iter().enumerate() {
                m[a * n + c] = -self.transitions[i * k + j] / o;
            }
            m[a * n + a] += 1.0;
            b[a] = self.conversions[i] / o;
            let mu = if self.conversions[i] > 0.0 {
                self.conversion_value[i] / self.conversions[i]
            } else {
                0.0
            };
            bmu[a] = b[a] * mu;
        }
        let inv = super::linalg::invert(&mut m, n)
            .ok_or_else(|| err(K::InvalidJourney, "", "the transition matrix is singular"))?;
        let h = super::linalg::mat_vec(&inv, &b, n);
        let g = super::linalg::mat_vec(&inv, &bmu, n);
        let visits = super::linalg::vec_mat(&s, &inv, n);
        let dot = |x: &[f64], y: &[f64]| x.iter().zip(y).map(|(a, b)| a * b).sum::<f64>();
        let p = dot(&s, &h);
        let ev = dot(&s, &g);
        let reach: Vec<f64> = (0..n).map(|a| visits[a] / inv[a * n + a]).collect();
        let re: Vec<f64> = (0..n)
            .map(|a| if p > 0.0 { reach[a] * h[a] / p } else { 0.0 })
            .collect();
        let vre: Vec<f64> = (0..n)
            .map(|a| if ev > 0.0 { reach[a] * g[a] / ev } else { 0.0 })
            .collect();
        let re_sum: f64 = re.iter().sum();
        let vre_sum: f64 = vre.iter().sum();
        result.p_conversion = p;
        for (a, &i) in live.iter().enumerate() {
            let name = &self.channels[i];
            let share = |x: f64, sum: f64, total: f64| if sum > 0.0 { x / sum * total } else { 0.0 };
            result.removal_effect_conversion.insert(name.clone(), re[a]);
            result.removal_effect_value.insert(name.clone(), vre[a]);
            result
                .attributed_conversions
                .insert(name.clone(), share(re[a], re_sum, self.total_conversions));
            let value = match mode {
                ValueMode::ChannelAttribution => share(vre[a], vre_sum, self.total_value),
                ValueMode::Proportional => share(re[a], re_sum, self.total_value),
            };
            result.attributed_value.insert(name.clone(), value);
        }
        result.transition_probabilities = self.probabilities(&live, &out_mass, start_total);
        Ok(result)
    }

    fn probabilities(
        &self,
        live: &[usize],
        out_mass: &[f64],
        start_total: f64,
    ) -> BTreeMap<String, BTreeMap<String, f64>> {
        let k = self.channels.len();
        let mut all = BTreeMap::new();
        let row = |pairs: &mut dyn Iterator<Item = (String, f64)>| -> BTreeMap<String, f64> {
            crate::sort::map(pairs.filter(|(_, p)| *p > 0.0))
        };
        all.insert(
            START.to_owned(),
            row(&mut live
                .iter()
                .map(|&j| (self.channels[j].clone(), self.start[j] / start_total))),
        );
        for &i in live {
            let o = out_mass[i];
            let mut it = live
                .iter()
                .map(|&j| (self.channels[j].clone(), self.transitions[i * k + j] / o))
                .chain([
                    (CONVERSION.to_owned(), self.conversions[i] / o),
                    (NULL.to_owned(), self.nulls[i] / o),
                ]);
            all.insert(self.channels[i].clone(), row(&mut it));
        }
        all
    }
}

/// Exact order-1 Markov attribution of journeys (SPEC §4).
///
/// ```
/// use prm_core::attribution::{self, Journey, Journeys, ValueMode};
/// let rows: Vec<Journey> = serde_json::from_str(r#"[
///     {"path": "A>B", "conversions": 1, "value": 100, "nulls": 0},
///     {"path": "A",   "conversions": 0, "value": 0,   "nulls": 1}]"#).unwrap();
/// let r = attribution::markov(&Journeys::from_rows(&rows)?, ValueMode::ChannelAttribution)?;
/// assert!((r.p_conversion - 0.5).abs() < 1e-15);
/// // Without A nothing converts; without B half the journeys that would have converted do not.
/// assert!((r.removal_effect_conversion["A"] - 1.0).abs() < 1e-15);
/// assert!((r.removal_effect_conversion["B"] - 1.0).abs() < 1e-15);
/// assert!((r.attributed_conversions["A"] - 0.5).abs() < 1e-15);
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn markov(journeys: &Journeys, mode: ValueMode) -> Result<MarkovResult, Error> {
    MarkovCounts::from_journeys(journeys).solve(mode)
}
