//! Evaluating a compiled program: which requirements hold, the gaps, the tier transition.

use super::compile::{Compiled, Node};
use super::model::{Gap, Op};
use rust_decimal::Decimal;
use rust_decimal::prelude::Zero;

/// The metric values of one partner, by the program's metric ids (`None`: missing).
pub(crate) type Values = [Option<Decimal>];

impl Node {
    pub(crate) fn holds(&self, v: &Values) -> bool {
        match self {
            Node::Leaf { metric, op, value } => v[*metric].is_some_and(|actual| op.holds(actual, *value)),
            Node::All(c) => c.iter().all(|n| n.holds(v)),
            Node::Any(c) => c.iter().any(|n| n.holds(v)),
            Node::AtLeast(n, c) => *n == 0 || c.iter().filter(|x| x.holds(v)).take(*n).count() == *n,
            Node::Points { terms, min } => points_total(terms, v) >= *min,
        }
    }

    /// Appends the unmet leaves, descending only into nodes that do not hold, in document order.
    pub(crate) fn gaps(&self, v: &Values, metric_names: &[String], out: &mut Vec<Gap>) {
        self.collect(v, metric_names, out);
    }

    /// One pass: evaluates the node, appending its unmet leaves; a node that turns out to hold
    /// takes back what its children appended. Returns whether the node holds.
    fn collect(&self, v: &Values, metric_names: &[String], out: &mut Vec<Gap>) -> bool {
        let mark = out.len();
        let holds = match self {
            Node::Leaf { metric, op, value } => {
                let actual = v[*metric];
                let holds = actual.is_some_and(|a| op.holds(a, *value));
                if !holds {
                    let short_by = actual.and_then(|a| match op {
                        Op::Gte | Op::Gt => Some(value.saturating_sub(a)),
                        Op::Lte | Op::Lt => Some(a.saturating_sub(*value)),
                        Op::Eq | Op::Ne => None,
                    });
                    out.push(Gap {
                        metric: metric_names[*metric].clone(),
                        op: *op,
                        required: *value,
                        actual,
                        short_by: short_by.map(|d| d.normalize()),
                    });
                }
                holds
            }
            // every child is visited (no short circuit): each failing child's gaps are needed
            Node::All(c) => {
                let mut all = true;
                for n in c {
                    all &= n.collect(v, metric_names, out);
                }
                all
            }
            Node::Any(c) => {
                let mut any = false;
                for n in c {
                    any |= n.collect(v, metric_names, out);
                }
                any
            }
            Node::AtLeast(n, c) => c.iter().filter(|x| x.collect(v, metric_names, out)).count() >= *n,
            Node::Points { terms, min } => {
                let sum = points_total(terms, v);
                let holds = sum >= *min;
                if !holds {
                    out.push(Gap {
                        metric: "points".into(),
                        op: Op::Gte,
                        required: *min,
                        actual: Some(sum),
                        short_by: Some(min.saturating_sub(sum).normalize()),
                    });
                }
                holds
            }
        };
        if holds {
            out.truncate(mark);
        }
        holds
    }
}

/// `Σ min(floor(value / per) × points, cap)`; a missing metric earns 0. Beyond the decimal
/// range (only hostile programs get there) a term and the sum saturate at ±`Decimal::MAX`.
pub(crate) fn points_total(terms: &[super::compile::Term], v: &Values) -> Decimal {
    terms
        .iter()
        .map(|t| match v[t.metric] {
            None => Decimal::zero(),
            Some(value) => {
                let earned = floor_div(value, t.per).saturating_mul(t.points);
                t.cap.map_or(earned, |cap| earned.min(cap))
            }
        })
        .fold(Decimal::ZERO, Decimal::saturating_add)
        .normalize()
}

/// `floor(a / b)` for `b > 0`, exactly: on the mantissas brought to one scale (whenever that
/// fits in 128 bits, which covers every realistic metric), else by decimal division.
fn floor_div(a: Decimal, b: Decimal) -> Decimal {
    let (sa, sb) = (a.scale(), b.scale());
    let s = sa.max(sb);
    let up = |m: i128, from: u32| 10i128.checked_pow(s - from).and_then(|p| m.checked_mul(p));
    if let (Some(x), Some(y)) = (up(a.mantissa(), sa), up(b.mantissa(), sb))
        && y > 0
        && let Ok(q) = Decimal::try_from_i128_with_scale(x.div_euclid(y), 0)
    {
        return q;
    }
    match a.checked_div(b) {
        Some(q) => q.floor(),
        // |a / b| beyond the decimal range: b > 0, so the sign is a's
        None if a.is_sign_negative() => Decimal::MIN,
        None => Decimal::MAX,
    }
}

impl Compiled {
    /// The highest tier (by position) whose requirements hold.
    pub(crate) fn qualified(&self, v: &Values) -> Option<usize> {
        self.tiers
            .iter()
            .rposition(|t| t.requirements.as_ref().is_none_or(|r| r.holds(v)))
    }

    /// The gaps to the tier above `tier` (the lowest tier when `tier` is none).
    pub(crate) fn gaps_to_next(&self, tier: Option<usize>, v: &Values) -> Vec<Gap> {
        let next = tier.map_or(0, |t| t + 1);
        let mut out = Vec::new();
        if let Some(req) = self.tiers.get(next).and_then(|t| t.requirements.as_ref()) {
            req.gaps(v, &self.metrics, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::tiers::{PartnerMetrics, TierProgram};

    /// Points and gaps beyond the decimal range saturate instead of panicking.
    #[test]
    fn hostile_magnitudes_saturate() {
        let max = "79228162514264337593543950335";
        let p = TierProgram::from_json(&format!(
            r#"{{"tiers": [{{"name": "a", "requirements": {{"points": [{{"metric": "m", "per": "0.0000000000000000000000000001", "points": "{max}"}}], "min": 1}}}},
               {{"name": "b", "requirements": {{"metric": "m", "op": "gte", "value": "{max}"}}}}]}}"#
        ))
        .unwrap();
        let m: PartnerMetrics =
            serde_json::from_str(&format!(r#"{{"partner_id": "P", "values": {{"m": "{max}"}}}}"#)).unwrap();
        assert_eq!(
            p.evaluate(&m, None, None).unwrap().qualified_tier.as_deref(),
            Some("b")
        );
        let low: PartnerMetrics =
            serde_json::from_str(&format!(r#"{{"partner_id": "P", "values": {{"m": "-{max}"}}}}"#)).unwrap();
        let s = p.evaluate(&low, None, None).unwrap();
        assert_eq!(s.qualified_tier, None);
        assert_eq!(s.gaps_to_next[0].short_by.unwrap().to_string(), max);
    }
}
