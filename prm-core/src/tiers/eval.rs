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
                        Op::Gte | Op::Gt => Some(*value - a),
                        Op::Lte | Op::Lt => Some(a - *value),
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
                        short_by: Some((*min - sum).normalize()),
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

/// `Σ min(floor(value / per) × points, cap)`; a missing metric earns 0.
pub(crate) fn points_total(terms: &[super::compile::Term], v: &Values) -> Decimal {
    terms
        .iter()
        .map(|t| match v[t.metric] {
            None => Decimal::zero(),
            Some(value) => {
                let earned = floor_div(value, t.per) * t.points;
                t.cap.map_or(earned, |cap| earned.min(cap))
            }
        })
        .fold(Decimal::ZERO, |a, b| a + b)
        .normalize()
}

/// `floor(a / b)` for `b > 0`: on the mantissas when both have the same scale (the common case
/// of whole numbers), else by decimal division.
fn floor_div(a: Decimal, b: Decimal) -> Decimal {
    if a.scale() == b.scale() {
        let (x, y) = (a.mantissa(), b.mantissa());
        if y > 0 {
            return Decimal::from_i128_with_scale(x.div_euclid(y), 0);
        }
    }
    (a / b).floor()
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
