//! Random valid-shaped inputs for every engine (and some invalid ones, so error codes and paths
//! are compared too), as golden-vector cases whose expected value the Rust API will supply.

mod attribution;
mod conflicts;
mod ropi;
mod routing;
mod tiers;

use crate::rng::Rng;
use chrono::{DateTime, SecondsFormat};
use serde_json::Value;

/// One generated call: an op and its arguments in the order the JavaScript functions take them
/// (the JS suite passes the values positionally; Python passes them by name).
pub struct Case {
    /// The op's snake_case name.
    pub op: &'static str,
    /// The named arguments, in call order.
    pub input: Vec<(&'static str, Value)>,
}

impl Case {
    fn new(op: &'static str, input: Vec<(&'static str, Value)>) -> Self {
        Self { op, input }
    }

    /// The request [`crate::dispatch::eval`] takes: `{"op": op, ...input}`.
    pub fn request(&self) -> Value {
        let mut request = serde_json::json!({ "op": self.op });
        for (k, v) in &self.input {
            request[*k] = v.clone();
        }
        request
    }
}

/// The engines, in the order their files are written.
pub const ENGINES: [&str; 5] = ["ropi", "attribution", "routing", "tiers", "conflicts"];

/// One case for `engine`.
///
/// # Panics
/// On an engine not in [`ENGINES`].
pub fn case(engine: &str, rng: &mut Rng) -> Case {
    match engine {
        "ropi" => ropi::case(rng),
        "attribution" => attribution::case(rng),
        "routing" => routing::case(rng),
        "tiers" => tiers::case(rng),
        "conflicts" => conflicts::case(rng),
        other => panic!("unknown engine {other}"),
    }
}

/// An RFC 3339 instant within `days` days before 2026-03-31, whole seconds, sometimes with
/// milliseconds or a non-UTC offset (every surface must read them the same way).
fn instant(rng: &mut Rng, days: i64) -> String {
    let end = 1_774_915_200; // 2026-03-31T00:00:00Z
    let secs = end - rng.int(0, days * 86_400);
    let t = DateTime::from_timestamp(secs, 0).expect("in range");
    match rng.below(10) {
        0 => {
            (t + chrono::Duration::milliseconds(rng.int(1, 999))).to_rfc3339_opts(SecondsFormat::Millis, true)
        }
        1 => t
            .with_timezone(&chrono::FixedOffset::east_opt(2 * 3600).expect("valid"))
            .to_rfc3339_opts(SecondsFormat::Secs, false),
        _ => t.to_rfc3339_opts(SecondsFormat::Secs, true),
    }
}

/// An instant up to `days` days after `t` (an RFC 3339 instant); one time in 20 before it, so
/// out-of-order lifecycles are rejected alike by every surface.
fn after(rng: &mut Rng, t: &str, days: i64) -> String {
    let t = DateTime::parse_from_rfc3339(t).expect("a generated instant");
    let shift = rng.int(0, days * 86_400);
    let shifted = if rng.chance(0.05) {
        t - chrono::Duration::seconds(shift + 1)
    } else {
        t + chrono::Duration::seconds(shift)
    };
    shifted.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A calendar date `YYYY-MM-DD` within `days` days after 2015-01-01.
fn date(rng: &mut Rng, days: i64) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).expect("valid")
        + chrono::Duration::days(rng.int(0, days));
    d.to_string()
}
