//! Compiling a [`TierProgramSpec`]: validation with paths, metric names interned.

use super::error::{TiersErrorKind, err};
use super::model::{Op, Requirement, TierProgramSpec};
use crate::Error;
use crate::hash::FnvMap;
use rust_decimal::Decimal;

/// The deepest nesting of requirement combinators accepted (a guard against hostile input).
pub const MAX_REQUIREMENT_DEPTH: usize = 32;

/// The most tiers a program may have (more is a `LimitExceeded` error at `tiers`).
pub const MAX_TIERS: usize = 1_000;

/// A compiled requirement; metrics are indices into the program's metric table.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Leaf { metric: usize, op: Op, value: Decimal },
    All(Vec<Node>),
    Any(Vec<Node>),
    AtLeast(usize, Vec<Node>),
    Points { terms: Vec<Term>, min: Decimal },
}

#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub(crate) metric: usize,
    pub(crate) per: Decimal,
    pub(crate) points: Decimal,
    pub(crate) cap: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledTier {
    pub(crate) name: String,
    pub(crate) requirements: Option<Node>,
}

/// The compiled form shared by [`super::TierProgram`].
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) tiers: Vec<CompiledTier>,
    pub(crate) tier_index: FnvMap<String, usize>,
    pub(crate) metrics: Vec<String>,
}

pub(crate) fn compile(spec: &TierProgramSpec) -> Result<Compiled, Error> {
    if spec.tiers.is_empty() {
        return Err(err(
            TiersErrorKind::InvalidProgram,
            "tiers",
            "a program needs at least one tier",
        ));
    }
    if spec.tiers.len() > MAX_TIERS {
        return Err(Error::LimitExceeded {
            path: "tiers".into(),
            message: format!("{} tiers; at most {MAX_TIERS}", spec.tiers.len()),
        });
    }
    let mut metrics = Interner::default();
    let mut tiers = Vec::with_capacity(spec.tiers.len());
    let mut tier_index = FnvMap::default();
    for (i, tier) in spec.tiers.iter().enumerate() {
        if tier_index.insert(tier.name.clone(), i).is_some() {
            return Err(err(
                TiersErrorKind::InvalidProgram,
                format!("tiers[{i}].name"),
                format!("duplicate tier name `{}`", tier.name),
            ));
        }
        let requirements = match &tier.requirements {
            None => None,
            Some(r) => Some(node(r, &format!("tiers[{i}].requirements"), 0, &mut metrics)?),
        };
        tiers.push(CompiledTier {
            name: tier.name.clone(),
            requirements,
        });
    }
    Ok(Compiled {
        tiers,
        tier_index,
        metrics: metrics.names,
    })
}

#[derive(Default)]
struct Interner {
    names: Vec<String>,
    ids: FnvMap<String, usize>,
}

impl Interner {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), self.names.len() - 1);
        self.names.len() - 1
    }
}

fn node(r: &Requirement, path: &str, depth: usize, metrics: &mut Interner) -> Result<Node, Error> {
    if depth > MAX_REQUIREMENT_DEPTH {
        return Err(Error::LimitExceeded {
            path: path.to_owned(),
            message: format!("requirements nest deeper than {MAX_REQUIREMENT_DEPTH} levels"),
        });
    }
    let children = |list: &[Requirement], key: &str, metrics: &mut Interner| -> Result<Vec<Node>, Error> {
        list.iter()
            .enumerate()
            .map(|(i, c)| node(c, &format!("{path}.{key}[{i}]"), depth + 1, metrics))
            .collect()
    };
    Ok(match r {
        Requirement::Leaf { metric, op, value } => Node::Leaf {
            metric: metrics.id(metric),
            op: *op,
            value: *value,
        },
        Requirement::All { all } => Node::All(children(all, "all", metrics)?),
        Requirement::Any { any } => Node::Any(children(any, "any", metrics)?),
        Requirement::AtLeast { at_least, of } => {
            let n = *at_least as usize;
            if n > of.len() {
                return Err(err(
                    TiersErrorKind::InvalidProgram,
                    format!("{path}.at_least"),
                    format!("at_least {n} of a list of {}", of.len()),
                ));
            }
            Node::AtLeast(n, children(of, "of", metrics)?)
        }
        Requirement::Points { points, min } => {
            let mut terms = Vec::with_capacity(points.len());
            for (i, t) in points.iter().enumerate() {
                if t.per <= Decimal::ZERO {
                    return Err(err(
                        TiersErrorKind::InvalidProgram,
                        format!("{path}.points[{i}].per"),
                        "per must be positive",
                    ));
                }
                terms.push(Term {
                    metric: metrics.id(&t.metric),
                    per: t.per,
                    points: t.points,
                    cap: t.cap,
                });
            }
            Node::Points { terms, min: *min }
        }
    })
}
