//! What-if: every partner under the current and a proposed program, side by side.

use super::TierProgram;
use super::model::{PartnerMetrics, TierStatus};
use crate::Error;
use crate::domain::{PartnerId, Timestamp, serde_decimal};
use rust_decimal::Decimal;
use serde::Serialize;

/// One partner under both programs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerSimulation {
    /// The partner.
    pub partner_id: PartnerId,
    /// Its status under the current program.
    pub current: TierStatus,
    /// Its status under the proposed program.
    pub proposed: TierStatus,
    /// `up`, `down` or `unchanged`: the proposed tier's position (in the proposed program)
    /// against the current tier's position (in the current program); no tier is below all.
    pub movement: Movement,
}

/// Direction of a partner's move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Movement {
    /// A higher position.
    Up,
    /// A lower position.
    Down,
    /// The same position.
    Unchanged,
}

impl Movement {
    /// The name as in JSON.
    ///
    /// ```
    /// assert_eq!(prm_core::tiers::Movement::Down.as_str(), "down");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Movement::Up => "up",
            Movement::Down => "down",
            Movement::Unchanged => "unchanged",
        }
    }
}

/// Partners per tier under both programs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierCount {
    /// The tier (null: partners without a tier).
    pub tier: Option<String>,
    /// Partners in it now.
    pub current: usize,
    /// Partners in it under the proposal.
    pub proposed: usize,
    /// Partners in it under the proposal that are not now.
    pub gained: usize,
    /// Partners in it now that are not under the proposal.
    pub lost: usize,
}

/// How many partners move from one tier to another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    /// Current tier.
    pub from: Option<String>,
    /// Proposed tier.
    pub to: Option<String>,
    /// Partners.
    pub count: usize,
}

/// Total of the tiers' numeric `benefits.cost` over the partners holding them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenefitCost {
    /// Under the current program.
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub current: Decimal,
    /// Under the proposal.
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub proposed: Decimal,
    /// `proposed − current`.
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub change: Decimal,
}

/// The outcome of [`simulate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// Per partner, in input order.
    pub partners: Vec<PartnerSimulation>,
    /// Partners moving up.
    pub up: usize,
    /// Partners moving down.
    pub down: usize,
    /// Partners keeping their position.
    pub unchanged: usize,
    /// Per tier: the current program's tiers in order, then tiers only the proposal has, then
    /// "no tier" if anyone has none.
    pub tiers: Vec<TierCount>,
    /// Non-empty transitions, by current then proposed tier (program order, no tier first).
    pub transitions: Vec<Transition>,
    /// Benefit cost, when any tier of either program has a numeric `benefits.cost`.
    pub benefit_cost: Option<BenefitCost>,
}

fn position(program: &TierProgram, tier: Option<&str>) -> i64 {
    tier.and_then(|t| program.compiled.tier_index.get(t))
        .map_or(-1, |&i| i as i64)
}

fn cost_of(program: &TierProgram, tier: Option<&str>) -> Option<Decimal> {
    let spec = program
        .spec
        .tiers
        .iter()
        .find(|t| Some(t.name.as_str()) == tier)?;
    match spec.benefits.get("cost")? {
        serde_json::Value::Number(n) => n.to_string().parse().ok(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn has_costs(program: &TierProgram) -> bool {
    program
        .spec
        .tiers
        .iter()
        .any(|t| cost_of(program, Some(&t.name)).is_some())
}

/// Evaluates every partner under `current` and `proposed`.
///
/// `previous[i]` (if given) is partner `i`'s last status; it applies under the proposal only
/// when the proposal has its tier (otherwise the partner is evaluated as new there).
///
/// ```
/// use prm_core::tiers::{simulate, TierProgram, PartnerMetrics};
/// let current = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
///   {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 100}, "benefits": {"cost": 50}}]}"#)?;
/// let proposed = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
///   {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 150}, "benefits": {"cost": 50}}]}"#)?;
/// let partners: Vec<PartnerMetrics> = serde_json::from_str(r#"[
///   {"partner_id": "A", "values": {"revenue": 120}}, {"partner_id": "B", "values": {"revenue": 200}}]"#).unwrap();
/// let sim = simulate(&current, &proposed, &partners, None, None)?;
/// assert_eq!((sim.up, sim.down, sim.unchanged), (0, 1, 1));
/// assert_eq!(sim.benefit_cost.unwrap().change.to_string(), "-50");
/// # Ok::<(), prm_core::Error>(())
/// ```
pub fn simulate(
    current: &TierProgram,
    proposed: &TierProgram,
    metrics: &[PartnerMetrics],
    previous: Option<&[Option<TierStatus>]>,
    as_of: Option<Timestamp>,
) -> Result<Simulation, Error> {
    let now = current.evaluate_many(metrics, previous, as_of)?;
    let mut partners = Vec::with_capacity(metrics.len());
    let (mut up, mut down, mut unchanged) = (0, 0, 0);
    for (i, (m, cur)) in metrics.iter().zip(now).enumerate() {
        let prev = previous.and_then(|p| p[i].as_ref()).filter(|p| {
            p.tier
                .as_ref()
                .is_none_or(|t| proposed.compiled.tier_index.contains_key(t))
        });
        let prop = proposed.evaluate(m, prev, as_of)?;
        let (a, b) = (
            position(current, cur.tier.as_deref()),
            position(proposed, prop.tier.as_deref()),
        );
        let movement = match b.cmp(&a) {
            std::cmp::Ordering::Greater => Movement::Up,
            std::cmp::Ordering::Less => Movement::Down,
            std::cmp::Ordering::Equal => Movement::Unchanged,
        };
        match movement {
            Movement::Up => up += 1,
            Movement::Down => down += 1,
            Movement::Unchanged => unchanged += 1,
        }
        partners.push(PartnerSimulation {
            partner_id: m.partner_id.clone(),
            current: cur,
            proposed: prop,
            movement,
        });
    }

    let (tiers, transitions) = tier_counts(current, proposed, &partners);
    let benefit_cost = benefit_cost(current, proposed, &partners);
    Ok(Simulation {
        partners,
        up,
        down,
        unchanged,
        tiers,
        transitions,
        benefit_cost,
    })
}

/// Per-tier counts and the transition counts.
fn tier_counts(
    current: &TierProgram,
    proposed: &TierProgram,
    partners: &[PartnerSimulation],
) -> (Vec<TierCount>, Vec<Transition>) {
    // tier order: current program, then proposal-only tiers, then "no tier"
    let mut order: Vec<Option<String>> = current.spec.tiers.iter().map(|t| Some(t.name.clone())).collect();
    for t in &proposed.spec.tiers {
        if !current.compiled.tier_index.contains_key(&t.name) {
            order.push(Some(t.name.clone()));
        }
    }
    let anyone_without = partners
        .iter()
        .any(|p| p.current.tier.is_none() || p.proposed.tier.is_none());
    if anyone_without {
        order.insert(0, None);
    }
    let tiers = order
        .iter()
        .map(|t| {
            let (mut c, mut p, mut gained, mut lost) = (0, 0, 0, 0);
            for s in partners {
                let (in_c, in_p) = (&s.current.tier == t, &s.proposed.tier == t);
                c += usize::from(in_c);
                p += usize::from(in_p);
                gained += usize::from(in_p && !in_c);
                lost += usize::from(in_c && !in_p);
            }
            TierCount {
                tier: t.clone(),
                current: c,
                proposed: p,
                gained,
                lost,
            }
        })
        .filter(|t| t.tier.is_some() || t.current + t.proposed > 0)
        .collect();
    // the (from, to) rank pairs sorted, counted by runs; `order` holds every tier a partner
    // has, searched as the counts above walk it (no map: one less compiled BTreeMap)
    let rank = |t: &Option<String>| order.iter().position(|o| o == t).unwrap_or(0);
    let mut pairs: Vec<(usize, usize)> = partners
        .iter()
        .map(|s| (rank(&s.current.tier), rank(&s.proposed.tier)))
        .collect();
    crate::sort::unstable(&mut pairs);
    let transitions = pairs
        .chunk_by(|a, b| a == b)
        .map(|run| Transition {
            from: order[run[0].0].clone(),
            to: order[run[0].1].clone(),
            count: run.len(),
        })
        .collect();
    (tiers, transitions)
}

/// Total benefit cost under both programs, when either carries costs.
fn benefit_cost(
    current: &TierProgram,
    proposed: &TierProgram,
    partners: &[PartnerSimulation],
) -> Option<BenefitCost> {
    (has_costs(current) || has_costs(proposed)).then(|| {
        let total = |program: &TierProgram, pick: &dyn Fn(&PartnerSimulation) -> Option<String>| {
            partners
                .iter()
                .filter_map(|s| cost_of(program, pick(s).as_deref()))
                .fold(Decimal::ZERO, Decimal::saturating_add) // hostile costs saturate
        };
        let c = total(current, &|s| s.current.tier.clone());
        let p = total(proposed, &|s| s.proposed.tier.clone());
        BenefitCost {
            current: c.normalize(),
            proposed: p.normalize(),
            change: p.saturating_sub(c).normalize(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Transitions are the non-empty (current, proposed) pairs in tier order: no tier first,
    /// then the current program's tiers, then tiers only the proposal has (checked against a
    /// map of pairs on random partners).
    #[test]
    fn transitions_count_each_pair_once_in_tier_order() {
        let current = TierProgram::from_json(
            r#"{"tiers": [
              {"name": "silver", "requirements": {"metric": "revenue", "op": "gte", "value": 10}},
              {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 50}}]}"#,
        )
        .unwrap();
        let proposed = TierProgram::from_json(
            r#"{"tiers": [
              {"name": "registered"},
              {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 40}},
              {"name": "platinum", "requirements": {"metric": "revenue", "op": "gte", "value": 80}}]}"#,
        )
        .unwrap();
        let mut seed = 11u64;
        let metrics: Vec<PartnerMetrics> = (0..300)
            .map(|i| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                serde_json::from_value(serde_json::json!({
                    "partner_id": format!("P{i}"), "values": {"revenue": (seed >> 33) % 100}
                }))
                .unwrap()
            })
            .collect();
        let sim = simulate(&current, &proposed, &metrics, None, None).unwrap();
        let order = [
            None,
            Some("silver"),
            Some("gold"),
            Some("registered"),
            Some("platinum"),
        ];
        let rank = |t: &Option<String>| order.iter().position(|o| *o == t.as_deref()).unwrap();
        let mut want: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for p in &sim.partners {
            *want
                .entry((rank(&p.current.tier), rank(&p.proposed.tier)))
                .or_default() += 1;
        }
        let have: Vec<(usize, usize, usize)> = sim
            .transitions
            .iter()
            .map(|t| (rank(&t.from), rank(&t.to), t.count))
            .collect();
        let want: Vec<(usize, usize, usize)> = want.into_iter().map(|((f, t), n)| (f, t, n)).collect();
        assert_eq!(have, want);
        assert!(want.len() >= 5, "{want:?}");
        assert_eq!(have.iter().map(|x| x.2).sum::<usize>(), 300);
    }
}
