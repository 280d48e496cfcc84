//! Journeys for the data-driven models: rows of (path, conversions, value, nulls), parsed once
//! into interned channel ids.

use super::error::{AttributionErrorKind as K, err};
use crate::Error;
use crate::hash::FnvMap;
use crate::json::buffered;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One journey row. `path` is `"P1 > P2 > P3"` or a list of partner ids; tokens are trimmed
/// and empty ones dropped. `conversions`, `value` and `nulls` default to 0 and must be finite
/// and ≥ 0.
///
/// ```
/// use prm_core::attribution::Journey;
/// let j: Journey = serde_json::from_str(r#"{"path": "P1 > P2", "conversions": 3, "value": 120.5}"#).unwrap();
/// assert_eq!(j.nulls, 0.0);
/// let j: Journey = serde_json::from_str(r#"{"path": ["P1", "P2"], "conversions": 1}"#).unwrap();
/// assert_eq!(j.value, 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Journey {
    /// The partners in order.
    pub path: JourneyPath,
    /// Conversions of journeys with this path.
    #[serde(default)]
    pub conversions: f64,
    /// Their total value.
    #[serde(default)]
    pub value: f64,
    /// Journeys with this path that did not convert.
    #[serde(default)]
    pub nulls: f64,
}

/// A journey path: `"P1>P2"` or `["P1", "P2"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum JourneyPath {
    /// Partner ids separated by `>`.
    Text(String),
    /// Partner ids.
    Steps(Vec<String>),
}

impl<'de> Deserialize<'de> for JourneyPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // an untagged enum: text, or a list of ids
        match buffered::value(d)? {
            Value::String(s) => Ok(JourneyPath::Text(s)),
            Value::Array(xs) => xs
                .into_iter()
                .map(|x| match x {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect::<Option<_>>()
                .map(JourneyPath::Steps)
                .ok_or_else(|| buffered::no_variant("JourneyPath")),
            _ => Err(buffered::no_variant("JourneyPath")),
        }
    }
}

/// Journeys parsed once: interned channels, flattened steps and the counts per row. Rows whose
/// path is empty or whose conversions and nulls are both 0 carry no information and are left
/// out; identical paths need no pre-aggregation (every model sums over rows).
///
/// ```
/// use prm_core::attribution::Journeys;
/// let mut j = Journeys::new();
/// j.push_text(" P1>P2 >> P1 ", 1.0, 10.0, 0.0, 0)?;
/// j.push_text("", 5.0, 0.0, 0.0, 1)?;   // empty path: dropped
/// assert_eq!(j.len(), 1);
/// assert_eq!(j.channels(), ["P1", "P2"]);
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Journeys {
    channels: Vec<String>,
    index: FnvMap<String, u32>,
    steps: Vec<u32>,
    offsets: Vec<usize>,
    conversions: Vec<f64>,
    values: Vec<f64>,
    nulls: Vec<f64>,
}

/// The most steps (touches) one journey path may have; a longer path is a `LimitExceeded` error
/// at `[row].path`. Partner journeys are short; the bound keeps ordered Shapley's per-position
/// output (channels × positions) small.
pub const MAX_JOURNEY_STEPS: usize = 1_000;

fn check(x: f64, row: usize, field: &str) -> Result<(), Error> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(err(
            K::InvalidJourney,
            format!("[{row}].{field}"),
            format!("{field} must be a finite number ≥ 0, got {x}"),
        ))
    }
}

impl Journeys {
    /// No journeys.
    pub fn new() -> Self {
        Self {
            offsets: vec![0],
            ..Self::default()
        }
    }

    /// Parses rows (errors name `[row].field`).
    pub fn from_rows(rows: &[Journey]) -> Result<Self, Error> {
        let mut j = Self::new();
        for (i, r) in rows.iter().enumerate() {
            match &r.path {
                JourneyPath::Text(s) => j.push_text(s, r.conversions, r.value, r.nulls, i)?,
                JourneyPath::Steps(v) => {
                    j.push_steps(v.iter().map(String::as_str), r.conversions, r.value, r.nulls, i)?;
                }
            }
        }
        Ok(j)
    }

    /// Adds a row given as `"P1>P2"` text; `row` is its index, for error paths.
    pub fn push_text(
        &mut self,
        path: &str,
        conversions: f64,
        value: f64,
        nulls: f64,
        row: usize,
    ) -> Result<(), Error> {
        self.push_steps(path.split('>'), conversions, value, nulls, row)
    }

    /// Adds a row given as steps.
    pub fn push_steps<'s>(
        &mut self,
        steps: impl IntoIterator<Item = &'s str>,
        conversions: f64,
        value: f64,
        nulls: f64,
        row: usize,
    ) -> Result<(), Error> {
        check(conversions, row, "conversions")?;
        check(value, row, "value")?;
        check(nulls, row, "nulls")?;
        if conversions == 0.0 && nulls == 0.0 {
            return Ok(());
        }
        let (start, known) = (self.steps.len(), self.channels.len());
        for step in steps {
            let step = step.trim();
            if step.is_empty() {
                continue;
            }
            if self.steps.len() - start == MAX_JOURNEY_STEPS {
                // leave the journeys as they were: the row's steps and new partners undone
                self.steps.truncate(start);
                for name in self.channels.drain(known..) {
                    self.index.remove(&name);
                }
                return Err(Error::LimitExceeded {
                    path: format!("[{row}].path"),
                    message: format!("a journey of more than {MAX_JOURNEY_STEPS} steps"),
                });
            }
            let id = if let Some(&id) = self.index.get(step) {
                id
            } else {
                let id = self.channels.len() as u32;
                self.channels.push(step.to_owned());
                self.index.insert(step.to_owned(), id);
                id
            };
            self.steps.push(id);
        }
        if self.steps.len() == start {
            return Ok(());
        }
        self.offsets.push(self.steps.len());
        self.conversions.push(conversions);
        self.values.push(value);
        self.nulls.push(nulls);
        Ok(())
    }

    /// Rows kept.
    pub fn len(&self) -> usize {
        self.conversions.len()
    }

    /// Whether no row was kept.
    pub fn is_empty(&self) -> bool {
        self.conversions.is_empty()
    }

    /// The kept rows as [`Journey`]s with step paths, in order: [`Journeys::from_rows`] of
    /// them gives equal journeys (this is how the bindings pickle and ship them).
    ///
    /// ```
    /// use prm_core::attribution::{Journeys, JourneyPath};
    /// let mut j = Journeys::new();
    /// j.push_text("P1 > P2", 2.0, 50.0, 1.0, 0)?;
    /// let rows = j.rows();
    /// assert_eq!(rows[0].path, JourneyPath::Steps(vec!["P1".into(), "P2".into()]));
    /// assert_eq!(Journeys::from_rows(&rows)?.rows(), rows);
    /// # Ok::<(), prm_core::Error>(())
    /// ```
    pub fn rows(&self) -> Vec<Journey> {
        (0..self.len())
            .map(|i| {
                let (steps, conversions, value, nulls) = self.row(i);
                Journey {
                    path: JourneyPath::Steps(
                        steps.iter().map(|&s| self.channels[s as usize].clone()).collect(),
                    ),
                    conversions,
                    value,
                    nulls,
                }
            })
            .collect()
    }

    /// Channel names in order of first appearance.
    pub fn channels(&self) -> &[String] {
        &self.channels
    }

    /// Row `i`: (steps as channel indices, conversions, value, nulls).
    pub(crate) fn row(&self, i: usize) -> (&[u32], f64, f64, f64) {
        (
            &self.steps[self.offsets[i]..self.offsets[i + 1]],
            self.conversions[i],
            self.values[i],
            self.nulls[i],
        )
    }

    /// Σ conversions and Σ value over kept rows.
    pub(crate) fn totals(&self) -> (f64, f64) {
        (self.conversions.iter().sum(), self.values.iter().sum())
    }

    /// Channel indices sorted by name (outputs are keyed and ordered by name).
    pub(crate) fn sorted_channels(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.channels.len() as u32).collect();
        crate::sort::by(&mut order, |&a, &b| {
            self.channels[a as usize].cmp(&self.channels[b as usize])
        });
        order
    }
}
