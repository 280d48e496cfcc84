//! The compiled router: rules compiled once, partner-only conditions evaluated once per
//! partner, an index from a lead value to the partners a rule can match, and the strategies.

use super::compile::{CCond, Rhs, Scope, compile, dynamic, eval, resolve};
use super::error::{RoutingErrorKind as K, err};
use super::expr::Op;
use super::fields::{Field, Ty, Val, read};
use super::model::{
    Candidate, Lead, Outcome, Partner, RoutingDecision, RoutingPolicy, RoutingState, Rule, ScoringTerm,
    Strategy, TraceEntry,
};
use super::rule_index::{self, RuleIndex};
use crate::Error;
use crate::domain::PartnerId;
use crate::hash::FnvMap;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use std::sync::Arc;

/// The most rules a policy may have.
pub const MAX_RULES: usize = 10_000;
/// The most partners a router may hold.
pub const MAX_PARTNERS: usize = 1_000_000;

#[derive(Debug, Clone)]
enum Term {
    When(CCond, Decimal),
    Field(Field, Decimal),
}

/// A lookup from a lead field's value to the partners whose list (or scalar) field holds it.
#[derive(Debug, Clone)]
struct Index {
    lead_field: Field,
    map: FnvMap<String, Vec<u32>>,
}

#[derive(Debug, Clone)]
struct CompiledRule {
    name: Arc<str>,
    when: Option<CCond>,
    /// Conjuncts of `eligible` that read the lead (or open leads): checked per lead.
    dynamic: Vec<CCond>,
    /// Partners (in the given order) passing `active` and every partner-only conjunct.
    static_ok: Vec<u32>,
    index: Option<Index>,
    strategy: Strategy,
    scoring: Vec<Term>,
}

/// A strategy's choice: the winner, its score, and the candidates (partner indexes) in the
/// strategy's order with their scores.
type Choice = (usize, Option<Decimal>, Vec<(u32, Option<Decimal>)>);

/// A lead's candidates under its first deciding rule, for `assign_optimal`.
struct Plan {
    rule: Option<usize>,
    order: Vec<(u32, Option<Decimal>)>,
    trace: Vec<TraceEntry>,
}

/// A compiled routing policy over a set of partners (SPEC §2).
///
/// ```
/// use prm_core::routing::{Router, RoutingState};
/// let router = Router::from_json(r#"{"rules": [
///     {"name": "dach", "when": "lead.country in [\"DE\", \"AT\", \"CH\"]",
///      "eligible": "partner.countries contains lead.country", "strategy": {"type": "round_robin"}}],
///   "fallback": {"type": "queue", "name": "inside-sales"}}"#,
///   r#"[{"id": "P2", "countries": ["DE"]}, {"id": "P1", "countries": ["DE", "AT"]}]"#)?;
/// let mut state = RoutingState::default();
/// let lead = serde_json::from_str(r#"{"id": "L1", "country": "DE"}"#).unwrap();
/// let first = router.route(&lead, &mut state);
/// let second = router.route(&lead, &mut state);
/// assert_eq!((first.partner_id.unwrap().as_str(), second.partner_id.unwrap().as_str()), ("P1", "P2"));
/// let fr = router.route(&serde_json::from_str(r#"{"id": "L2", "country": "FR"}"#).unwrap(), &mut state);
/// assert!(fr.partner_id.is_none() && fr.fallback.is_some());
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Router {
    policy: RoutingPolicy,
    partners: Vec<Partner>,
    rules: Vec<CompiledRule>,
    /// Which rules' `when` can hold for a lead (see `rule_index`).
    when_index: RuleIndex,
}

fn conjuncts(c: CCond) -> Vec<CCond> {
    match c {
        CCond::All(xs) => xs.into_iter().flat_map(conjuncts).collect(),
        other => vec![other],
    }
}

/// An indexable conjunct: `partner.<list> contains lead.<str>`, `partner.<str> == lead.<str>`,
/// `lead.<str> in partner.<list>` or `lead.<str> == partner.<str>`.
fn index_shape(c: &CCond) -> Option<(Field, Field)> {
    let CCond::Leaf(l) = c else { return None };
    let Rhs::Field(r) = &l.rhs else { return None };
    let (partner, lead) = match l.op {
        Op::Contains | Op::Eq if l.field.is_partner() && !r.is_partner() => (&l.field, r),
        Op::In | Op::Eq if !l.field.is_partner() && r.is_partner() => (r, &l.field),
        _ => return None,
    };
    let ok = lead.ty() == Ty::Str && matches!(partner.ty(), Ty::List | Ty::Str);
    ok.then(|| (partner.clone(), lead.clone()))
}

fn fnv1a64(seed: u64, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.to_le_bytes().iter().chain(id.as_bytes()) {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Great-circle distance in km (haversine, R = 6371.0088 km).
pub(crate) fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    use crate::math::{asin, cos, sin, sqrt};
    let rad = std::f64::consts::PI / 180.0;
    let (p1, p2) = (a.0 * rad, b.0 * rad);
    let (dp, dl) = ((b.0 - a.0) * rad, (b.1 - a.1) * rad);
    let s1 = sin(dp / 2.0);
    let s2 = sin(dl / 2.0);
    let h = s1 * s1 + cos(p1) * cos(p2) * s2 * s2;
    2.0 * 6371.0088 * asin(sqrt(h.clamp(0.0, 1.0)))
}

/// Compiles one rule: its conditions, the partners passing its partner-only conjuncts, its
/// index and its scoring terms.
fn compile_rule(i: usize, rule: &Rule, partners: &[Partner]) -> Result<CompiledRule, Error> {
    let at = format!("rules[{i}]");
    if !rule.scoring.is_empty() && rule.strategy != Strategy::BestScore {
        return Err(err(
            K::InvalidPolicy,
            format!("{at}.scoring"),
            "scoring applies to best_score rules only",
        ));
    }
    let when = rule
        .when
        .as_ref()
        .map(|c| compile(c, &format!("{at}.when"), Scope::Lead))
        .transpose()?;
    let eligible = rule
        .eligible
        .as_ref()
        .map(|c| compile(c, &format!("{at}.eligible"), Scope::Both))
        .transpose()?;
    let (dynamic_parts, static_parts): (Vec<CCond>, Vec<CCond>) = eligible
        .map(conjuncts)
        .unwrap_or_default()
        .into_iter()
        .partition(dynamic);
    let empty = Lead::default();
    let static_ok: Vec<u32> = partners
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.active
                && static_parts
                    .iter()
                    .all(|c| eval(c, &empty, Some(p), p.open_leads))
        })
        .map(|(k, _)| k as u32)
        .collect();
    let index = dynamic_parts.iter().find_map(index_shape).map(|(pf, lf)| {
        let mut map: FnvMap<String, Vec<u32>> = FnvMap::default();
        for &k in &static_ok {
            let p = &partners[k as usize];
            match read(&pf, &empty, Some(p), p.open_leads) {
                Val::Strs(values) => {
                    // first sightings, in a set: the FNV map of string slices used below
                    // (one compiled map type less than a set type; its values are not read)
                    let mut seen: FnvMap<&str, usize> = FnvMap::default();
                    for v in values {
                        if seen.insert(v.as_str(), 0).is_none() {
                            map.entry(v.clone()).or_default().push(k);
                        }
                    }
                }
                Val::Str(v) => map.entry(v.to_owned()).or_default().push(k),
                _ => {}
            }
        }
        Index { lead_field: lf, map }
    });
    let scoring = rule
        .scoring
        .iter()
        .enumerate()
        .map(|(j, t)| {
            let tat = format!("{at}.scoring[{j}]");
            Ok(match t {
                ScoringTerm::When { when, points } => {
                    Term::When(compile(when, &format!("{tat}.when"), Scope::Both)?, *points)
                }
                ScoringTerm::Field { field, weight } => {
                    let (f, ty) = resolve(field, &format!("{tat}.field"), Scope::Both)?;
                    if !matches!(ty, Ty::Num | Ty::Any) {
                        return Err(err(
                            K::InvalidCondition,
                            format!("{tat}.field"),
                            format!("`{field}` is not numeric"),
                        ));
                    }
                    Term::Field(f, *weight)
                }
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(CompiledRule {
        name: Arc::from(rule.name.as_str()),
        when,
        dynamic: dynamic_parts,
        static_ok,
        index,
        strategy: rule.strategy,
        scoring,
    })
}

impl Router {
    /// Validates and compiles a policy over partners: every field path and op/type pair is
    /// checked (errors name the node: `rules[3].eligible.all[1].field`), rule names must be
    /// unique, partner-only conditions are evaluated once, and lead-to-partner matches are
    /// indexed.
    pub fn new(policy: RoutingPolicy, partners: Vec<Partner>) -> Result<Self, Error> {
        if policy.rules.len() > MAX_RULES {
            return Err(Error::LimitExceeded {
                path: "rules".into(),
                message: format!("at most {MAX_RULES} rules"),
            });
        }
        if partners.len() > MAX_PARTNERS {
            return Err(Error::LimitExceeded {
                path: "partners".into(),
                message: format!("at most {MAX_PARTNERS} partners"),
            });
        }
        // names and ids seen, as sets: the FNV map of string slices the router already
        // compiles (its values are not read)
        let mut names: FnvMap<&str, usize> = FnvMap::default();
        let mut ids: FnvMap<&str, usize> = FnvMap::default();
        for (i, p) in partners.iter().enumerate() {
            if ids.insert(p.id.as_str(), i).is_some() {
                return Err(err(
                    K::InvalidPolicy,
                    format!("partners[{i}].id"),
                    format!("duplicate partner id `{}`", p.id),
                ));
            }
        }
        let mut rules = Vec::with_capacity(policy.rules.len());
        for (i, rule) in policy.rules.iter().enumerate() {
            if names.insert(rule.name.as_str(), i).is_some() {
                return Err(err(
                    K::InvalidPolicy,
                    format!("rules[{i}].name"),
                    format!("duplicate rule name `{}`", rule.name),
                ));
            }
            rules.push(compile_rule(i, rule, &partners)?);
        }
        let whens: Vec<Option<&CCond>> = rules.iter().map(|r| r.when.as_ref()).collect();
        let when_index = RuleIndex::new(&whens);
        Ok(Self {
            policy,
            partners,
            rules,
            when_index,
        })
    }

    /// Decodes (with paths) and compiles a policy and partners from JSON text.
    pub fn from_json(policy: &str, partners: &str) -> Result<Self, Error> {
        let policy: RoutingPolicy = crate::json::from_str(policy)?;
        let partners: Vec<Partner> = crate::json::from_str(partners).map_err(|e| e.under("partners"))?;
        Self::new(policy, partners)
    }

    /// The policy as given.
    pub fn policy(&self) -> &RoutingPolicy {
        &self.policy
    }

    /// The partners as given.
    pub fn partners(&self) -> &[Partner] {
        &self.partners
    }

    /// Routes one lead (round-robin memory read from and written to `state`).
    pub fn route(&self, lead: &Lead, state: &mut RoutingState) -> RoutingDecision {
        self.decide(lead, state, &[], &[], false)
    }

    /// Routes one lead again after partners declined it or let the offer time out: the same
    /// rules, with the decliners excluded (an offer/accept/recall cascade).
    ///
    /// ```
    /// use prm_core::routing::{Router, RoutingState};
    /// use prm_core::domain::PartnerId;
    /// let router = Router::from_json(r#"{"rules": [{"name": "any", "strategy": {"type": "first"}}]}"#,
    ///     r#"[{"id": "A"}, {"id": "B"}]"#)?;
    /// let lead = serde_json::from_str(r#"{"id": "L1"}"#).unwrap();
    /// let mut state = RoutingState::default();
    /// let next = router.reroute(&lead, &[PartnerId::from("A")], &mut state);
    /// assert_eq!(next.partner_id.unwrap().as_str(), "B");
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn reroute(&self, lead: &Lead, declined: &[PartnerId], state: &mut RoutingState) -> RoutingDecision {
        self.decide(lead, state, &[], declined, false)
    }

    /// Routes leads in order; each assignment counts against that partner's capacity for the
    /// leads after it, and round-robin memory carries over.
    pub fn route_batch(&self, leads: &[Lead], state: &mut RoutingState) -> Vec<RoutingDecision> {
        self.batch(leads, state, false)
    }

    /// [`route_batch`](Self::route_batch) without the explanations: the same partner, rule,
    /// score and fallback per lead and the same state, with `candidates` and `trace` left
    /// empty — for columnar callers that keep only the assignment (about twice as fast).
    ///
    /// ```
    /// use prm_core::routing::{Router, RoutingState};
    /// let router = Router::from_json(r#"{"rules": [{"name": "any", "strategy": {"type": "first"}}]}"#,
    ///     r#"[{"id": "A", "capacity": 1}, {"id": "B"}]"#)?;
    /// let leads: Vec<prm_core::routing::Lead> = serde_json::from_str(r#"[{"id": "L1"}, {"id": "L2"}]"#).unwrap();
    /// let lean = router.route_batch_lean(&leads, &mut RoutingState::default());
    /// let full = router.route_batch(&leads, &mut RoutingState::default());
    /// assert_eq!(lean[1].partner_id, full[1].partner_id); // B: A is full
    /// assert!(lean[1].trace.is_empty() && !full[1].trace.is_empty());
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn route_batch_lean(&self, leads: &[Lead], state: &mut RoutingState) -> Vec<RoutingDecision> {
        self.batch(leads, state, true)
    }

    /// Whether a lead's decision never depends on the leads routed before it in a batch: no
    /// partner has a capacity, no rule uses `round_robin` or `best_score` (whose tie-break
    /// counts open leads), and no condition reads `partner.open_leads`.
    ///
    /// ```
    /// use prm_core::routing::Router;
    /// let free = Router::from_json(r#"{"rules": [{"name": "a", "strategy": {"type": "first"}}]}"#, r#"[{"id": "A"}]"#)?;
    /// let capped = Router::from_json(r#"{"rules": [{"name": "a", "strategy": {"type": "first"}}]}"#,
    ///     r#"[{"id": "A", "capacity": 5}]"#)?;
    /// assert!(free.order_free() && !capped.order_free());
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn order_free(&self) -> bool {
        self.partners.iter().all(|p| p.capacity.is_none())
            && self.rules.iter().all(|r| {
                !matches!(r.strategy, Strategy::RoundRobin | Strategy::BestScore)
                    && !r.when.as_ref().is_some_and(super::compile::reads_open)
                    && !r.dynamic.iter().any(super::compile::reads_open)
            })
    }

    /// [`route_batch_lean`](Self::route_batch_lean) on up to `threads` threads (0 = all cores)
    /// when the policy is [`order_free`](Self::order_free) — the same decisions, since no lead
    /// depends on another — and on one thread otherwise.
    pub fn route_batch_lean_threads(
        &self,
        leads: &[Lead],
        state: &mut RoutingState,
        threads: usize,
    ) -> Vec<RoutingDecision> {
        if threads == 1 || !self.order_free() {
            return self.batch(leads, state, true);
        }
        crate::parallel::map(leads.len(), threads, 256, |i| {
            self.decide(&leads[i], &mut RoutingState::default(), &[], &[], true)
        })
    }

    fn batch(&self, leads: &[Lead], state: &mut RoutingState, lean: bool) -> Vec<RoutingDecision> {
        let mut extra = vec![0u64; self.partners.len()];
        let mut index: FnvMap<&str, usize> = FnvMap::default();
        for (k, p) in self.partners.iter().enumerate() {
            index.insert(p.id.as_str(), k);
        }
        leads
            .iter()
            .map(|lead| {
                let d = self.decide(lead, state, &extra, &[], lean);
                if let Some(p) = &d.partner_id
                    && let Some(&k) = index.get(p.as_str())
                {
                    extra[k] += 1;
                }
                d
            })
            .collect()
    }

    /// Assigns leads to maximise, first, how many are assigned and then the total score, within
    /// each partner's remaining capacity — exactly (min-cost maximum flow), not greedily. Each
    /// lead's candidates and scores are those of its first deciding rule with capacities as
    /// given (`best_score`: its score; `nearest`: the negated distance, to the metre; other
    /// strategies: 0, any candidate is as good). Leads left over get the fallback. Round-robin
    /// memory is neither read nor written.
    ///
    /// ```
    /// use prm_core::routing::Router;
    /// let router = Router::from_json(r#"{"rules": [{"name": "best", "strategy": {"type": "best_score"},
    ///     "scoring": [{"when": "partner.id == \"A\"", "points": 10},
    ///                 {"when": "lead.id == \"L2\" and partner.id == \"B\"", "points": 1}]}]}"#,
    ///     r#"[{"id": "A", "capacity": 1}, {"id": "B", "capacity": 1}]"#)?;
    /// let leads: Vec<_> = ["L1", "L2"].iter()
    ///     .map(|id| serde_json::from_value(serde_json::json!({"id": id})).unwrap()).collect();
    /// // Greedy would give A to L1 and B to L2 (11); so does the optimum here, but never fewer leads.
    /// let d = router.assign_optimal(&leads);
    /// let got: Vec<_> = d.iter().map(|x| x.partner_id.as_ref().map(|p| p.to_string())).collect();
    /// assert_eq!(got.iter().flatten().count(), 2);
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn assign_optimal(&self, leads: &[Lead]) -> Vec<RoutingDecision> {
        let plans: Vec<Plan> = leads.iter().map(|lead| self.plan(lead)).collect();
        // costs: lower is better, integers (scores to 1e-9, distances to the metre)
        let cost = |rule: Option<usize>, score: Option<Decimal>| -> i128 {
            let Some(s) = score else { return 0 };
            let scaled = |d: Decimal, k: u32| -> i128 {
                let x = (d * Decimal::from(10i64.pow(k))).round();
                x.mantissa() / 10i128.pow(x.scale())
            };
            match rule.map(|r| self.rules[r].strategy) {
                Some(Strategy::Nearest) => scaled(s, 3),
                _ => -scaled(s, 9),
            }
        };
        let edges: Vec<Vec<(usize, i128)>> = plans
            .iter()
            .map(|p| {
                p.order
                    .iter()
                    .map(|&(k, s)| (k as usize, cost(p.rule, s)))
                    .collect()
            })
            .collect();
        let capacity: Vec<u64> = self
            .partners
            .iter()
            .map(|p| p.capacity.map_or(u64::MAX, |c| c.saturating_sub(p.open_leads)))
            .collect();
        let assigned = super::flow::solve(&super::flow::Assignment {
            edges: &edges,
            capacity: &capacity,
        });
        leads
            .iter()
            .zip(plans)
            .zip(assigned)
            .map(|((lead, plan), got)| {
                let candidates = self.listed(&plan.order);
                match (plan.rule, got) {
                    (Some(r), Some(k)) => RoutingDecision {
                        lead_id: lead.id.clone(),
                        partner_id: Some(self.partners[k].id.clone()),
                        rule: Some(self.rules[r].name.clone()),
                        fallback: None,
                        score: plan
                            .order
                            .iter()
                            .find(|(x, _)| *x as usize == k)
                            .and_then(|(_, s)| *s),
                        candidates,
                        trace: plan.trace,
                    },
                    _ => RoutingDecision {
                        lead_id: lead.id.clone(),
                        partner_id: None,
                        rule: None,
                        fallback: Some(self.policy.fallback.clone()),
                        score: None,
                        candidates,
                        trace: plan.trace,
                    },
                }
            })
            .collect()
    }

    /// A lead's first deciding rule with capacities as given, its candidates in the strategy's
    /// order with their scores, and the trace up to it.
    fn plan(&self, lead: &Lead) -> Plan {
        let (trace, decided) = self.walk(lead, &RoutingState::default(), &[], &[], false);
        match decided {
            Some((r, (_, _, order))) => Plan {
                rule: Some(r),
                order,
                trace,
            },
            None => Plan {
                rule: None,
                order: Vec::new(),
                trace,
            },
        }
    }

    fn open(&self, k: usize, extra: &[u64]) -> u64 {
        self.partners[k].open_leads + extra.get(k).copied().unwrap_or(0)
    }

    /// The candidates of a rule for a lead, in the given partner order.
    fn candidates(
        &self,
        rule: &CompiledRule,
        lead: &Lead,
        extra: &[u64],
        declined: &[PartnerId],
    ) -> Vec<u32> {
        let base: &[u32] = match &rule.index {
            Some(ix) => match read(&ix.lead_field, lead, None, 0) {
                Val::Str(v) => ix.map.get(v).map_or(&[], Vec::as_slice),
                _ => &[],
            },
            None => &rule.static_ok,
        };
        base.iter()
            .copied()
            .filter(|&k| {
                let p = &self.partners[k as usize];
                let open = self.open(k as usize, extra);
                p.capacity.is_none_or(|c| open < c)
                    && match rule.strategy {
                        Strategy::Weighted => p.weight != Some(0),
                        Strategy::Nearest => p.location.is_some(),
                        _ => true,
                    }
                    && !declined.contains(&p.id)
                    && rule.dynamic.iter().all(|c| eval(c, lead, Some(p), open))
            })
            .collect()
    }

    fn score(&self, rule: &CompiledRule, lead: &Lead, k: usize, open: u64) -> Decimal {
        let p = &self.partners[k];
        rule.scoring.iter().fold(Decimal::ZERO, |acc, t| match t {
            Term::When(c, points) => {
                if eval(c, lead, Some(p), open) {
                    acc.saturating_add(*points)
                } else {
                    acc
                }
            }
            Term::Field(f, w) => match read(f, lead, Some(p), open) {
                Val::Num(n) => acc.saturating_add(n.saturating_mul(*w)),
                _ => acc,
            },
        })
    }

    /// Tries the rules in order: the trace, and the first rule that decides with its winner,
    /// score and candidates (partner indexes, strategy order).
    fn walk(
        &self,
        lead: &Lead,
        state: &RoutingState,
        extra: &[u64],
        declined: &[PartnerId],
        lean: bool,
    ) -> (Vec<TraceEntry>, Option<(usize, Choice)>) {
        let mut trace = Vec::with_capacity(if lean { 0 } else { self.rules.len() });
        let possible = self.when_index.possible(lead);
        for (r, rule) in self.rules.iter().enumerate() {
            let mut push = |o| {
                if !lean {
                    trace.push(TraceEntry {
                        rule: rule.name.clone(),
                        outcome: o,
                    });
                }
            };
            // a rule the index rules out has a `when` that is false: no need to evaluate it
            if !rule_index::contains(&possible, r)
                || rule.when.as_ref().is_some_and(|w| !eval(w, lead, None, 0))
            {
                push(Outcome::WhenFalse);
                continue;
            }
            let cands = self.candidates(rule, lead, extra, declined);
            match (!cands.is_empty())
                .then(|| self.choose(rule, lead, &cands, state, extra))
                .flatten()
            {
                Some(choice) => {
                    push(Outcome::Decided);
                    return (trace, Some((r, choice)));
                }
                None => push(Outcome::NoCandidates),
            }
        }
        (trace, None)
    }

    fn listed(&self, order: &[(u32, Option<Decimal>)]) -> Vec<Candidate> {
        order
            .iter()
            .map(|&(k, score)| Candidate {
                partner_id: self.partners[k as usize].id.clone(),
                score,
            })
            .collect()
    }

    fn decide(
        &self,
        lead: &Lead,
        state: &mut RoutingState,
        extra: &[u64],
        declined: &[PartnerId],
        lean: bool,
    ) -> RoutingDecision {
        let (trace, decided) = self.walk(lead, state, extra, declined, lean);
        let Some((r, (winner, score, order))) = decided else {
            return RoutingDecision {
                lead_id: lead.id.clone(),
                partner_id: None,
                rule: None,
                fallback: Some(self.policy.fallback.clone()),
                score: None,
                candidates: Vec::new(),
                trace,
            };
        };
        let rule = &self.rules[r];
        let partner_id = self.partners[winner].id.clone();
        if rule.strategy == Strategy::RoundRobin {
            state.last.insert(rule.name.to_string(), partner_id.clone());
        }
        RoutingDecision {
            lead_id: lead.id.clone(),
            partner_id: Some(partner_id),
            rule: Some(rule.name.clone()),
            fallback: None,
            score,
            candidates: if lean { Vec::new() } else { self.listed(&order) },
            trace,
        }
    }

    /// The winner, its score and the candidates in the strategy's order.
    fn choose(
        &self,
        rule: &CompiledRule,
        lead: &Lead,
        cands: &[u32],
        state: &RoutingState,
        extra: &[u64],
    ) -> Option<Choice> {
        let id = |k: u32| &self.partners[k as usize].id;
        let plain =
            |order: &[u32]| -> Vec<(u32, Option<Decimal>)> { order.iter().map(|&k| (k, None)).collect() };
        match rule.strategy {
            Strategy::First => Some((cands[0] as usize, None, plain(cands))),
            Strategy::RoundRobin => {
                let mut order = cands.to_vec();
                crate::sort::by(&mut order, |a, b| id(*a).cmp(id(*b)));
                let winner = match state.last.get(&*rule.name) {
                    Some(last) => order.iter().copied().find(|&k| id(k) > last).unwrap_or(order[0]),
                    None => order[0],
                };
                Some((winner as usize, None, plain(&order)))
            }
            Strategy::Weighted => {
                let mut order = cands.to_vec();
                crate::sort::by(&mut order, |a, b| id(*a).cmp(id(*b)));
                let weight = |k: u32| u128::from(self.partners[k as usize].weight.unwrap_or(1));
                let total: u128 = order.iter().map(|&k| weight(k)).sum();
                if total == 0 {
                    return None;
                }
                let point = u128::from(fnv1a64(self.policy.seed, lead.id.as_str())) % total;
                let mut run = 0u128;
                let winner = order.iter().copied().find(|&k| {
                    run += weight(k);
                    run > point
                })?;
                Some((winner as usize, None, plain(&order)))
            }
            Strategy::BestScore => {
                let mut scored: Vec<(u32, Decimal, u64)> = cands
                    .iter()
                    .map(|&k| {
                        let open = self.open(k as usize, extra);
                        (k, self.score(rule, lead, k as usize, open), open)
                    })
                    .collect();
                crate::sort::by(&mut scored, |a, b| {
                    b.1.cmp(&a.1)
                        .then(a.2.cmp(&b.2))
                        .then_with(|| id(a.0).cmp(id(b.0)))
                });
                let out = scored.iter().map(|(k, s, _)| (*k, Some(s.normalize()))).collect();
                Some((scored[0].0 as usize, Some(scored[0].1.normalize()), out))
            }
            Strategy::Nearest => {
                let here = lead.location?;
                let mut dist: Vec<(u32, f64)> = cands
                    .iter()
                    .filter_map(|&k| {
                        let there = self.partners[k as usize].location?;
                        Some((k, haversine_km((here.lat, here.lon), (there.lat, there.lon))))
                    })
                    .collect();
                if dist.is_empty() {
                    return None;
                }
                crate::sort::by(&mut dist, |a, b| {
                    a.1.total_cmp(&b.1).then_with(|| id(a.0).cmp(id(b.0)))
                });
                let km = |d: f64| Decimal::from_f64(d).map(|x| x.normalize());
                let out = dist.iter().map(|(k, d)| (*k, km(*d))).collect();
                Some((dist[0].0 as usize, km(dist[0].1), out))
            }
        }
    }
}
