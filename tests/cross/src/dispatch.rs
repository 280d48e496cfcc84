//! One case of the golden-vector format (`{"op": ..., ...input}`, see vectors/README.md) through
//! the Rust API, its result as the JSON every surface must return. Shared by the golden tests
//! (`prm-core/tests/golden.rs` includes this file) and the cross-surface generator, so "what the
//! Rust API says" is written once. Arguments decode with the paths the bindings use (`deal`,
//! `registration`, `[i]` of a list), so error codes and paths compare too.

use prm_core::Error;
use prm_core::json::from_value;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The result of `request` (an op and its named arguments) on `engine`'s Rust API.
///
/// # Panics
/// On an engine or op the vectors do not know (a bug in a vector file, not bad input).
pub fn eval(engine: &str, request: &Value) -> Result<Value, Error> {
    let op = request["op"].as_str().unwrap_or_default();
    let args = Args(request);
    match engine {
        "ropi" => prm_core::ropi::RopiRequest::from_json(request.clone())?.evaluate(),
        "tiers" => tiers(op, &args),
        "attribution" => attribution(op, &args),
        "routing" => routing(op, &args),
        "conflicts" => conflicts(op, &args),
        other => panic!("unknown engine {other:?}"),
    }
}

/// The named arguments of a request.
struct Args<'a>(&'a Value);

impl Args<'_> {
    fn raw(&self, k: &str) -> Value {
        self.0.get(k).cloned().unwrap_or(Value::Null)
    }

    /// Argument `k` decoded, errors under the path `k` (as the bindings report them).
    fn get<T: DeserializeOwned>(&self, k: &str) -> Result<T, Error> {
        from_value(self.raw(k)).map_err(|e| e.under(k))
    }

    fn text(&self, k: &str) -> String {
        self.raw(k).as_str().unwrap_or_default().to_owned()
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("every output type serializes")
}

fn tiers(op: &str, args: &Args) -> Result<Value, Error> {
    use prm_core::domain::Timestamp;
    use prm_core::tiers::{self, PartnerMetrics, TierProgram, TierStatus};
    // a program decodes at the root (`TierProgram(program)`), the two of `simulate` under their
    // argument names; compile errors keep the program's own paths
    let program = |k: &str| -> Result<TierProgram, Error> {
        let spec = from_value(args.raw(k)).map_err(|e| if k == "program" { e } else { e.under(k) })?;
        TierProgram::new(spec)
    };
    let as_of = || args.get::<Option<Timestamp>>("as_of");
    let previous_list = || args.get::<Option<Vec<Option<TierStatus>>>>("previous_list");
    Ok(match op {
        "compile" => {
            program("program")?;
            Value::Null
        }
        "evaluate" => {
            let program = program("program")?;
            let metrics: PartnerMetrics = args.get("metrics")?;
            let previous: Option<TierStatus> = args.get("previous")?;
            to_json(&program.evaluate(&metrics, previous.as_ref(), as_of()?)?)
        }
        "evaluate_many" => {
            let program = program("program")?;
            let metrics: Vec<PartnerMetrics> = args.get("metrics_list")?;
            to_json(&program.evaluate_many(&metrics, previous_list()?.as_deref(), as_of()?)?)
        }
        "simulate" => {
            let (current, proposed) = (program("current")?, program("proposed")?);
            let metrics: Vec<PartnerMetrics> = args.get("metrics_list")?;
            to_json(&tiers::simulate(
                &current,
                &proposed,
                &metrics,
                previous_list()?.as_deref(),
                as_of()?,
            )?)
        }
        other => panic!("unknown tiers op {other:?}"),
    })
}

fn attribution(op: &str, args: &Args) -> Result<Value, Error> {
    use prm_core::attribution::{self, Deal, Journey, Journeys, Model, ValueMode};
    use prm_core::domain::Currency;
    let journeys = || -> Result<Journeys, Error> {
        let rows: Vec<Journey> = args.get("journeys")?;
        Journeys::from_rows(&rows).map_err(|e| e.under("journeys"))
    };
    let model = || args.get::<Model>("model");
    let deals = || args.get::<Vec<Deal>>("deals");
    Ok(match op {
        "split" => to_json(&attribution::split(&args.get("deal")?, &model()?)?),
        "split_many" => to_json(&attribution::split_many(&deals()?, &model()?)?),
        "partner_totals" => {
            let (deals, model) = (deals()?, model()?);
            let currency: Option<Currency> = args.get("currency")?;
            let splits = attribution::split_many(&deals, &model)?;
            to_json(&attribution::partner_totals(&splits, currency.as_ref()).map_err(|e| e.under("deals"))?)
        }
        "markov" => {
            let j = journeys()?;
            let mode: ValueMode = args.get("value_mode")?;
            to_json(&attribution::markov(&j, mode)?)
        }
        "shapley" => {
            let ordered = args.raw("ordered").as_bool().unwrap_or(false);
            to_json(&attribution::shapley(&journeys()?, ordered))
        }
        "heuristics" => to_json(&attribution::heuristics(&journeys()?)),
        other => panic!("unknown attribution op {other:?}"),
    })
}

fn routing(op: &str, args: &Args) -> Result<Value, Error> {
    use prm_core::domain::PartnerId;
    use prm_core::routing::{self, Condition, Lead, Partner, Router, RoutingPolicy, RoutingState};
    let router = || -> Result<Router, Error> {
        let policy: RoutingPolicy = from_value(args.raw("policy"))?;
        let partners: Vec<Partner> = args.get("partners")?;
        Router::new(policy, partners)
    };
    let state = || Ok::<_, Error>(args.get::<Option<RoutingState>>("state")?.unwrap_or_default());
    Ok(match op {
        "route" => {
            let r = router()?;
            let lead: Lead = args.get("lead")?;
            let mut s = state()?;
            let d = r.route(&lead, &mut s);
            json!({"decision": d, "state": s})
        }
        "route_batch" => {
            let r = router()?;
            let leads: Vec<Lead> = args.get("leads")?;
            let mut s = state()?;
            let d = r.route_batch(&leads, &mut s);
            json!({"decisions": d, "state": s})
        }
        "reroute" => {
            let r = router()?;
            let lead: Lead = args.get("lead")?;
            let declined: Vec<PartnerId> = args.get("declined")?;
            let mut s = state()?;
            let d = r.reroute(&lead, &declined, &mut s);
            json!({"decision": d, "state": s})
        }
        "explain" => {
            let r = router()?;
            let lead: Lead = args.get("lead")?;
            to_json(&r.explain(&lead, &state()?))
        }
        "assign_optimal" => {
            let r = router()?;
            let leads: Vec<Lead> = args.get("leads")?;
            to_json(&r.assign_optimal(&leads))
        }
        "parse_condition" => to_json(&routing::parse_condition(&args.text("text"))?),
        "format_condition" => {
            let c: Condition = args.get("condition")?;
            Value::String(routing::format_condition(&c))
        }
        other => panic!("unknown routing op {other:?}"),
    })
}

fn conflicts(op: &str, args: &Args) -> Result<Value, Error> {
    use prm_core::conflicts::{
        self, ConflictIndex, ConflictPolicy, Customer, DirectOpportunity, Partner, Record, Registration,
    };
    use prm_core::domain::Timestamp;
    let policy = || Ok::<_, Error>(args.get::<Option<ConflictPolicy>>("policy")?.unwrap_or_default());
    let partners = || Ok::<_, Error>(args.get::<Option<Vec<Partner>>>("partners")?.unwrap_or_default());
    Ok(match op {
        "normalize_company_name" => to_json(&conflicts::normalize_company_name(&args.text("name"))),
        "extract_domain" => to_json(&conflicts::extract_domain(&args.text("value"))),
        "match_customers" => {
            let (a, b): (Customer, Customer) = (args.get("a")?, args.get("b")?);
            to_json(&conflicts::match_customers(&a, &b, &policy()?.matching))
        }
        "detect_all" => {
            let r: Vec<Registration> = args.get("registrations")?;
            let o: Option<Vec<DirectOpportunity>> = args.get("opportunities")?;
            let p = partners()?;
            to_json(&conflicts::detect_all(
                &r,
                &o.unwrap_or_default(),
                &p,
                &policy()?,
            )?)
        }
        "check" => {
            // an index of `records` (each inserted as the bindings' `insert(record)` is), then
            // `check(registration, as_of)`
            let mut index = ConflictIndex::new(policy()?, &partners()?)?;
            for record in args.raw("records").as_array().into_iter().flatten() {
                let record: Record = from_value(record.clone()).map_err(|e| e.under("record"))?;
                index.insert(&record)?;
            }
            let registration: Registration = args.get("registration")?;
            let as_of: Timestamp = args.get("as_of")?;
            to_json(&index.check(&registration, as_of)?)
        }
        other => panic!("unknown conflicts op {other:?}"),
    })
}
