//! Partner tier evaluation (SPEC §3).
//!
//! A [`TierProgram`] is compiled once from its JSON spec (validated, metric names interned) and
//! then evaluates partners: the highest tier whose requirements hold (`qualified_tier`),
//! promotion at once, demotion only after `grace_periods` consecutive failed evaluations with
//! `probation` in between, and the unmet requirements of the next tier (`gaps_to_next`).
//! A metric missing from the input makes its requirements fail and shows as a gap with a null
//! `actual`; it is never taken as zero.
//!
//! ```
//! use prm_core::tiers::{TierProgram, PartnerMetrics, Change};
//! let program = TierProgram::from_json(r#"{"grace_periods": 1, "tiers": [
//!     {"name": "registered"},
//!     {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": "500000"}}]}"#)?;
//! let metrics: PartnerMetrics = serde_json::from_str(
//!     r#"{"partner_id": "P1", "values": {"revenue": "650000"}}"#).unwrap();
//! let first = program.evaluate(&metrics, None, None)?;
//! assert_eq!((first.tier.as_deref(), first.change), (Some("gold"), Change::New));
//!
//! // Next period revenue falls: one period of probation, then the demotion.
//! let down: PartnerMetrics = serde_json::from_str(
//!     r#"{"partner_id": "P1", "values": {"revenue": "420000"}}"#).unwrap();
//! let second = program.evaluate(&down, Some(&first), None)?;
//! assert_eq!((second.tier.as_deref(), second.change, second.probation_remaining),
//!            (Some("gold"), Change::Probation, Some(0)));
//! let third = program.evaluate(&down, Some(&second), None)?;
//! assert_eq!((third.tier.as_deref(), third.change), (Some("registered"), Change::Demoted));
//! assert_eq!(third.gaps_to_next[0].short_by.unwrap().to_string(), "80000");
//! # Ok::<(), prm_core::Error>(())
//! ```

mod columnar;
mod compile;
mod error;
mod eval;
mod events;
mod model;
mod paths;
mod simulate;

pub use columnar::{
    GapRef, GapUnit, MetricColumn, RowGaps, RowStatus, TableBlock, TableGap, TableSink, TierTable,
};
pub use compile::{MAX_REQUIREMENT_DEPTH, MAX_TIERS};
pub use error::{TiersError, TiersErrorKind};
pub use events::{Aggregate, EventMetric, PartnerEvent, metrics_from_events};
pub use model::{
    Change, Gap, Op, PartnerMetrics, PointsTerm, Requirement, TierProgramSpec, TierSpec, TierStatus,
};
pub use paths::MAX_PATHS;
pub use simulate::{BenefitCost, Movement, PartnerSimulation, Simulation, TierCount, Transition, simulate};

use crate::Error;
use crate::domain::{PartnerId, Timestamp};
use error::err;
use rust_decimal::Decimal;

/// A compiled tier program.
#[derive(Debug, Clone)]
pub struct TierProgram {
    spec: TierProgramSpec,
    compiled: compile::Compiled,
}

/// A partner's previous tier and consecutive-failure count (what [`TierStatus`] carries into
/// the next evaluation), for [`TierProgram::evaluate_values`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Previous<'a> {
    /// The tier held (`None`: no tier).
    pub tier: Option<&'a str>,
    /// Consecutive failed evaluations so far.
    pub failures: u32,
}

impl TierProgram {
    /// Validates and compiles a program.
    ///
    /// Errors: `InvalidProgram` (no tiers, duplicate names, `at_least` above its list,
    /// `per` ≤ 0) and `LimitExceeded` (requirements nested deeper than
    /// [`MAX_REQUIREMENT_DEPTH`]), each with the path of the offending node.
    pub fn new(spec: TierProgramSpec) -> Result<Self, Error> {
        let compiled = compile::compile(&spec)?;
        Ok(Self { spec, compiled })
    }

    /// Decodes (with paths) and compiles a program from JSON text.
    ///
    /// ```
    /// let err = prm_core::tiers::TierProgram::from_json(r#"{"tiers": []}"#).unwrap_err();
    /// assert_eq!((err.code(), err.path()), ("InvalidProgram", "tiers"));
    /// ```
    pub fn from_json(text: &str) -> Result<Self, Error> {
        Self::new(crate::json::from_str(text)?)
    }

    /// The program as given.
    pub fn spec(&self) -> &TierProgramSpec {
        &self.spec
    }

    /// Evaluates one partner, given its previous status (none for a first evaluation) and the
    /// evaluation time (recorded as `evaluated_at`).
    ///
    /// Errors: `UnknownTier` when `previous.tier` is not a tier of this program.
    pub fn evaluate(
        &self,
        metrics: &PartnerMetrics,
        previous: Option<&TierStatus>,
        as_of: Option<Timestamp>,
    ) -> Result<TierStatus, Error> {
        let values = self.values(metrics);
        let prev = previous.map(|p| Previous {
            tier: p.tier.as_deref(),
            failures: p.failures,
        });
        self.evaluate_at(&metrics.partner_id, &values, prev, as_of)
    }

    /// The program's metric names, in the order [`evaluate_values`](Self::evaluate_values)
    /// takes their values (first use in the program).
    pub fn metric_names(&self) -> &[String] {
        &self.compiled.metrics
    }

    /// [`evaluate`](Self::evaluate) with the metric values given in the order of
    /// [`metric_names`](Self::metric_names) (`None`: missing) and the previous tier and failure
    /// count as plain values — the entry of columnar callers, which hold no per-partner maps.
    ///
    /// ```
    /// use prm_core::tiers::{Previous, TierProgram};
    /// use rust_decimal::Decimal;
    /// let program = TierProgram::from_json(r#"{"grace_periods": 1, "tiers": [{"name": "base"},
    ///   {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 100000}}]}"#)?;
    /// assert_eq!(program.metric_names(), ["revenue"]);
    /// let prev = Previous { tier: Some("gold"), failures: 0 };
    /// let s = program.evaluate_values(&"P1".into(), &[Some(Decimal::from(90_000))], Some(prev), None)?;
    /// assert_eq!((s.tier.as_deref(), s.failures), (Some("gold"), 1)); // probation first
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn evaluate_values(
        &self,
        partner_id: &PartnerId,
        values: &[Option<Decimal>],
        previous: Option<Previous<'_>>,
        as_of: Option<Timestamp>,
    ) -> Result<TierStatus, Error> {
        if values.len() != self.compiled.metrics.len() {
            return Err(Error::InvalidInput {
                path: "values".into(),
                message: format!(
                    "{} values for the program's {} metrics",
                    values.len(),
                    self.compiled.metrics.len()
                ),
            });
        }
        self.evaluate_at(partner_id, values, previous, as_of)
    }

    fn evaluate_at(
        &self,
        partner_id: &PartnerId,
        values: &[Option<Decimal>],
        previous: Option<Previous<'_>>,
        as_of: Option<Timestamp>,
    ) -> Result<TierStatus, Error> {
        let qualified = self.compiled.qualified(values);
        let grace = self.spec.grace_periods;
        let (tier, change, failures, remaining) = match previous {
            None => (qualified, Change::New, 0, None),
            Some(prev) => {
                let p = self.position(prev.tier, "previous.tier")?;
                transition(qualified, p, prev.failures, grace)
            }
        };
        let name = |i: Option<usize>| i.map(|i| self.compiled.tiers[i].name.clone());
        Ok(TierStatus {
            partner_id: partner_id.clone(),
            tier: name(tier),
            qualified_tier: name(qualified),
            change,
            failures,
            probation_remaining: remaining,
            gaps_to_next: self.compiled.gaps_to_next(tier, values),
            evaluated_at: as_of,
        })
    }

    /// The cheapest ways up: the smallest sets of unmet requirements of the tier above the
    /// partner's tier (from `status`, else its qualified tier) whose fulfilment would meet that
    /// tier's requirements — alternatives where the program has `any` or `at_least`. Each path
    /// is a list of gaps (shaped like `gaps_to_next`); fewest requirements first, at most
    /// [`MAX_PATHS`]; empty at the top tier.
    ///
    /// ```
    /// use prm_core::tiers::{TierProgram, PartnerMetrics};
    /// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"}, {"name": "gold",
    ///   "requirements": {"any": [{"metric": "revenue", "op": "gte", "value": 100000},
    ///                            {"all": [{"metric": "certified", "op": "gte", "value": 3},
    ///                                     {"metric": "csat", "op": "gte", "value": 4}]}]}}]}"#)?;
    /// let m: PartnerMetrics = serde_json::from_str(
    ///     r#"{"partner_id": "P", "values": {"revenue": 87660, "certified": 2, "csat": 3.5}}"#).unwrap();
    /// let paths = program.paths_to_next(&m, None)?;
    /// // "$12,340 more revenue, or one more certified person and a better CSAT"
    /// assert_eq!(paths.len(), 2);
    /// assert_eq!(paths[0][0].short_by.unwrap().to_string(), "12340");
    /// assert_eq!(paths[1].len(), 2);
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn paths_to_next(
        &self,
        metrics: &PartnerMetrics,
        status: Option<&TierStatus>,
    ) -> Result<Vec<Vec<Gap>>, Error> {
        let values = self.values(metrics);
        let tier = match status {
            Some(s) => self.position(s.tier.as_deref(), "status.tier")?,
            None => self.compiled.qualified(&values),
        };
        let next = tier.map_or(0, |t| t + 1);
        Ok(
            match self
                .compiled
                .tiers
                .get(next)
                .and_then(|t| t.requirements.as_ref())
            {
                Some(req) => paths::paths(req, &values, &self.compiled.metrics),
                None => Vec::new(),
            },
        )
    }

    /// The partner's metric values by the program's metric ids (`None`: missing).
    fn values(&self, metrics: &PartnerMetrics) -> Vec<Option<Decimal>> {
        self.compiled
            .metrics
            .iter()
            .map(|m| metrics.values.get(m).copied())
            .collect()
    }

    /// A tier name's position (`None` for no tier); `UnknownTier` at `path` for a name the
    /// program lacks.
    fn position(&self, tier: Option<&str>, path: &str) -> Result<Option<usize>, Error> {
        tier.map(|name| {
            self.compiled.tier_index.get(name).copied().ok_or_else(|| {
                err(
                    TiersErrorKind::UnknownTier,
                    path,
                    format!("`{name}` is not a tier of this program"),
                )
            })
        })
        .transpose()
    }

    /// Evaluates partners held in columns, on up to `threads` threads (0 = all cores):
    /// `columns[m]` holds metric [`metric_names`](Self::metric_names)`[m]` of every partner
    /// (`None`: the metric is missing for all), `previous[i]` (if given) belongs to partner `i`.
    /// One result per partner, so a bad row does not fail the others.
    ///
    /// ```
    /// use prm_core::tiers::{Previous, TierProgram};
    /// use rust_decimal::Decimal;
    /// let program = TierProgram::from_json(r#"{"tiers": [{"name": "base"},
    ///   {"name": "gold", "requirements": {"metric": "revenue", "op": "gte", "value": 100000}}]}"#)?;
    /// let revenue = [Some(Decimal::from(150_000)), None];
    /// let prev = [None, Some(Previous { tier: Some("platinum"), failures: 0 })];
    /// let out = program.evaluate_columns(&["A".into(), "B".into()], &[Some(&revenue[..])], Some(&prev), None, 1)?;
    /// assert_eq!(out[0].as_ref().unwrap().tier.as_deref(), Some("gold"));
    /// assert_eq!(out[1].as_ref().unwrap_err().code(), "UnknownTier");
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn evaluate_columns(
        &self,
        partner_ids: &[PartnerId],
        columns: &[Option<&[Option<Decimal>]>],
        previous: Option<&[Option<Previous<'_>>]>,
        as_of: Option<Timestamp>,
        threads: usize,
    ) -> Result<Vec<Result<TierStatus, Error>>, Error> {
        let n = partner_ids.len();
        if columns.len() != self.compiled.metrics.len() {
            return Err(Error::InvalidInput {
                path: "columns".into(),
                message: format!(
                    "{} columns for the program's {} metrics",
                    columns.len(),
                    self.compiled.metrics.len()
                ),
            });
        }
        for (m, c) in columns.iter().enumerate() {
            if c.is_some_and(|c| c.len() != n) {
                return Err(Error::InvalidInput {
                    path: self.compiled.metrics[m].clone(),
                    message: format!("a column of {} values for {n} partners", c.map_or(0, <[_]>::len)),
                });
            }
        }
        if previous.is_some_and(|p| p.len() != n) {
            return Err(Error::InvalidInput {
                path: "previous".into(),
                message: format!(
                    "previous statuses for {} partners, not {n}",
                    previous.map_or(0, <[_]>::len)
                ),
            });
        }
        Ok(crate::parallel::map(n, threads, 4096, |i| {
            let values: Vec<Option<Decimal>> = columns.iter().map(|c| c.and_then(|c| c[i])).collect();
            let prev = previous.and_then(|p| p[i]);
            self.evaluate_at(&partner_ids[i], &values, prev, as_of)
        }))
    }

    /// Evaluates many partners; `previous[i]` (if given) belongs to `metrics[i]`. Errors carry
    /// the partner's index (`[i].previous.tier`).
    pub fn evaluate_many(
        &self,
        metrics: &[PartnerMetrics],
        previous: Option<&[Option<TierStatus>]>,
        as_of: Option<Timestamp>,
    ) -> Result<Vec<TierStatus>, Error> {
        if let Some(prev) = previous
            && prev.len() != metrics.len()
        {
            return Err(Error::InvalidInput {
                path: "previous".into(),
                message: format!("{} previous statuses for {} partners", prev.len(), metrics.len()),
            });
        }
        metrics
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let prev = previous.and_then(|p| p[i].as_ref());
                self.evaluate(m, prev, as_of).map_err(|e| match e {
                    Error::Tiers(mut t) => {
                        t.path = format!("[{i}].{}", t.path);
                        Error::Tiers(t)
                    }
                    other => other,
                })
            })
            .collect()
    }
}

/// The move from previous tier `p` (with `failures` so far) given the qualified tier:
/// `(tier, change, failures, probation_remaining)`. Positions compare with "no tier" below
/// every tier (`None < Some`).
fn transition(
    qualified: Option<usize>,
    p: Option<usize>,
    failures: u32,
    grace: u32,
) -> (Option<usize>, Change, u32, Option<u32>) {
    match qualified.cmp(&p) {
        std::cmp::Ordering::Greater => (qualified, Change::Promoted, 0, None),
        std::cmp::Ordering::Equal => (qualified, Change::Retained, 0, None),
        std::cmp::Ordering::Less => {
            let count = failures.saturating_add(1);
            if count <= grace {
                (p, Change::Probation, count, Some(grace - count))
            } else {
                (qualified, Change::Demoted, 0, None)
            }
        }
    }
}

/// The fuzz targets' and corpus tests' entry: decodes `{"program", "metrics", "previous"}` and
/// runs every operation, ignoring errors. Not part of the stable API.
#[doc(hidden)]
pub fn fuzz_entry(text: &str) {
    #[derive(serde::Deserialize)]
    struct Input {
        program: TierProgramSpec,
        #[serde(default)]
        metrics: Vec<PartnerMetrics>,
        #[serde(default)]
        previous: Option<TierStatus>,
    }
    let Ok(input) = crate::json::from_str::<Input>(text) else {
        return;
    };
    let Ok(program) = TierProgram::new(input.program) else {
        return;
    };
    for m in &input.metrics {
        if let Ok(status) = program.evaluate(m, input.previous.as_ref(), None) {
            let _ = program.evaluate(m, Some(&status), None);
        }
        let _ = program.paths_to_next(m, None);
    }
    let _ = simulate(&program, &program, &input.metrics, None, None);
    // the columnar evaluator over the same partners, as decimal columns
    let columns: Vec<Vec<Option<Decimal>>> = program
        .metric_names()
        .iter()
        .map(|name| {
            input
                .metrics
                .iter()
                .map(|m| m.values.get(name).copied())
                .collect()
        })
        .collect();
    let views: Vec<MetricColumn<'_>> = columns.iter().map(|c| MetricColumn::Decimals(c)).collect();
    let _ = program.evaluate_table(input.metrics.len(), &views, None, 1);
}
