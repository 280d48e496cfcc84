//! Deals, touches, models and per-deal results: the JSON shapes of SPEC §4.

use crate::domain::{DealId, Money, PartnerId, Timestamp, serde_decimal, serde_timestamp};
use crate::json::buffered;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A closed deal and the partner touches on it.
///
/// ```
/// use prm_core::attribution::Deal;
/// let deal: Deal = serde_json::from_str(r#"{
///     "id": "D1", "amount": {"amount": "100.01", "currency": "USD"},
///     "closed_at": "2026-03-31T12:00:00Z",
///     "touches": [{"partner_id": "P1", "at": "2026-01-10T09:00:00Z", "touch_type": "sourced"}]
/// }"#).unwrap();
/// assert_eq!(deal.touches[0].weight, None); // the default weight is 1
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Deal {
    /// The deal's id.
    pub id: DealId,
    /// The amount to split (≥ 0, at most the currency's minor-unit decimals).
    pub amount: Money,
    /// When the deal closed; touches after it do not count.
    pub closed_at: Timestamp,
    /// Partner touches, in any order.
    #[serde(default)]
    pub touches: Vec<Touch>,
}

/// One partner's touch on a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Touch {
    /// The partner.
    pub partner_id: PartnerId,
    /// When it happened.
    pub at: Timestamp,
    /// What kind of touch.
    pub touch_type: TouchType,
    /// A multiplier used by the `custom` model (default 1, ≥ 0); the other models define their
    /// weights themselves (`linear` gives k of n touches exactly k/n).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serde_decimal::option::serialize"
    )]
    pub weight: Option<Decimal>,
}

/// The kind of a touch: `sourced`, `influenced`, `co_sell`, `referral` or any other string.
///
/// ```
/// use prm_core::attribution::TouchType;
/// let t: TouchType = serde_json::from_str("\"co_sell\"").unwrap();
/// assert_eq!(t, TouchType::CoSell);
/// assert_eq!(TouchType::from("webinar").as_str(), "webinar");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum TouchType {
    /// The partner brought the deal.
    Sourced,
    /// The partner influenced it.
    Influenced,
    /// Sold together with the vendor.
    CoSell,
    /// A referral.
    Referral,
    /// Any other type (the `custom` model must give it a weight).
    Other(String),
}

impl TouchType {
    /// The type's name.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sourced => "sourced",
            Self::Influenced => "influenced",
            Self::CoSell => "co_sell",
            Self::Referral => "referral",
            Self::Other(s) => s,
        }
    }
}

impl From<&str> for TouchType {
    fn from(s: &str) -> Self {
        match s {
            "sourced" => Self::Sourced,
            "influenced" => Self::Influenced,
            "co_sell" => Self::CoSell,
            "referral" => Self::Referral,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl From<String> for TouchType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "sourced" | "influenced" | "co_sell" | "referral" => Self::from(s.as_str()),
            _ => Self::Other(s),
        }
    }
}

impl From<TouchType> for String {
    fn from(t: TouchType) -> String {
        match t {
            TouchType::Other(s) => s,
            known => known.as_str().to_owned(),
        }
    }
}

impl fmt::Display for TouchType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl schemars::JsonSchema for TouchType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TouchType".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "sourced | influenced | co_sell | referral | any custom type"
        })
    }
}

fn d(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}
fn half_life_default() -> Decimal {
    d(7, 0)
}
fn point_four() -> Decimal {
    d(4, 1)
}
fn point_three() -> Decimal {
    d(3, 1)
}
fn default_type_weights() -> BTreeMap<String, Decimal> {
    crate::sort::map(
        [("sourced", 4), ("co_sell", 3), ("referral", 2), ("influenced", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), Decimal::from(v))),
    )
}

/// A per-deal attribution model with its parameters (SPEC §4).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ModelKind {
    /// Weight 1 on the first counted touch.
    FirstTouch,
    /// Weight 1 on the last counted touch.
    LastTouch,
    /// Weight 1 on every counted touch.
    Linear,
    /// Weight `2^(−(closed_at − at)/half_life)` (computed in `f64`).
    TimeDecay {
        /// The half-life in days (> 0; default 7).
        #[serde(default = "half_life_default", serialize_with = "serde_decimal::serialize")]
        #[schemars(with = "Decimal")]
        half_life_days: Decimal,
    },
    /// `first` and `last` on the ends, the rest shared equally by the middle touches.
    PositionBased {
        /// Default 0.4.
        #[serde(default = "point_four", serialize_with = "serde_decimal::serialize")]
        #[schemars(with = "Decimal")]
        first: Decimal,
        /// Default 0.4.
        #[serde(default = "point_four", serialize_with = "serde_decimal::serialize")]
        #[schemars(with = "Decimal")]
        last: Decimal,
    },
    /// `first`, `middle` (the lower median touch) and `last`; the rest shared by the others.
    WShaped {
        /// Default 0.3.
        #[serde(default = "point_three", serialize_with = "serde_decimal::serialize")]
        #[schemars(with = "Decimal")]
        first: Decimal,
        /// Default 0.3.
        #[serde(default = "point_three", serialize_with = "serde_decimal::serialize")]
        #[schemars(with = "Decimal")]
        middle: Decimal,
        /// Default 0.3.
        #[serde(default = "point_three", serialize_with = "serde_decimal::serialize")]
        #[schemars(with = "Decimal")]
        last: Decimal,
    },
    /// Touch-type weight × touch weight.
    Custom {
        /// Weight per touch type (default sourced 4, co_sell 3, referral 2, influenced 1).
        #[serde(
            default = "default_type_weights",
            serialize_with = "serde_decimal::map::serialize"
        )]
        #[schemars(with = "BTreeMap<String, Decimal>")]
        type_weights: BTreeMap<String, Decimal>,
    },
    /// Equal credit per distinct partner.
    PartnerEven,
}

/// `ModelKind::TimeDecay`'s fields.
#[derive(Deserialize)]
struct TimeDecayFields {
    #[serde(default = "half_life_default")]
    half_life_days: Decimal,
}

/// `ModelKind::PositionBased`'s fields.
#[derive(Deserialize)]
struct PositionBasedFields {
    #[serde(default = "point_four")]
    first: Decimal,
    #[serde(default = "point_four")]
    last: Decimal,
}

/// `ModelKind::WShaped`'s fields.
#[derive(Deserialize)]
struct WShapedFields {
    #[serde(default = "point_three")]
    first: Decimal,
    #[serde(default = "point_three")]
    middle: Decimal,
    #[serde(default = "point_three")]
    last: Decimal,
}

/// `ModelKind::Custom`'s fields.
#[derive(Deserialize)]
struct CustomFields {
    #[serde(default = "default_type_weights")]
    type_weights: BTreeMap<String, Decimal>,
}

impl<'de> Deserialize<'de> for ModelKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tagged = buffered::tagged(d, "ModelKind", ModelKind::NAMES)?;
        ModelKind::with_fields(tagged.variant, tagged.rest).map_err(serde::de::Error::custom)
    }
}

impl ModelKind {
    /// The variants' names, in declaration order.
    const NAMES: &[&str] = &[
        "first_touch",
        "last_touch",
        "linear",
        "time_decay",
        "position_based",
        "w_shaped",
        "custom",
        "partner_even",
    ];

    /// The variant at `index` of [`Self::NAMES`] with its fields read from `fields` (defaults
    /// for the missing ones; other fields ignored).
    fn with_fields(
        index: usize,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, serde_json::Error> {
        let fields = serde_json::Value::Object(fields);
        Ok(match index {
            0 => Self::FirstTouch,
            1 => Self::LastTouch,
            2 => Self::Linear,
            3 => {
                let f: TimeDecayFields = buffered::part(fields)?;
                Self::TimeDecay {
                    half_life_days: f.half_life_days,
                }
            }
            4 => {
                let f: PositionBasedFields = buffered::part(fields)?;
                Self::PositionBased {
                    first: f.first,
                    last: f.last,
                }
            }
            5 => {
                let f: WShapedFields = buffered::part(fields)?;
                Self::WShaped {
                    first: f.first,
                    middle: f.middle,
                    last: f.last,
                }
            }
            6 => {
                let f: CustomFields = buffered::part(fields)?;
                Self::Custom {
                    type_weights: f.type_weights,
                }
            }
            _ => Self::PartnerEven,
        })
    }

    /// The model's name (`"linear"`, `"time_decay"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::FirstTouch => "first_touch",
            Self::LastTouch => "last_touch",
            Self::Linear => "linear",
            Self::TimeDecay { .. } => "time_decay",
            Self::PositionBased { .. } => "position_based",
            Self::WShaped { .. } => "w_shaped",
            Self::Custom { .. } => "custom",
            Self::PartnerEven => "partner_even",
        }
    }
}

/// A model and an optional lookback window. In JSON a name (`"linear"`, defaults for every
/// parameter) or an object tagged by `type`:
/// `{"type": "time_decay", "half_life_days": 14, "lookback_days": 90}`.
///
/// ```
/// use prm_core::attribution::{Model, ModelKind};
/// let m: Model = serde_json::from_str("\"position_based\"").unwrap();
/// assert_eq!(m.kind.name(), "position_based");
/// let m: Model = serde_json::from_str(r#"{"type": "time_decay", "half_life_days": 14, "lookback_days": 90}"#).unwrap();
/// assert_eq!(m.lookback_days, Some(90.into()));
/// assert!(serde_json::from_str::<Model>("\"lenear\"").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The model and its parameters.
    #[serde(flatten)]
    pub kind: ModelKind,
    /// Touches more than this many days before the close are dropped (a touch exactly at the
    /// boundary counts).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "serde_decimal::option::serialize"
    )]
    pub lookback_days: Option<Decimal>,
}

impl Model {
    /// A model without a lookback window.
    pub fn new(kind: ModelKind) -> Self {
        Self {
            kind,
            lookback_days: None,
        }
    }

    /// `linear` without a lookback window.
    pub fn linear() -> Self {
        Self::new(ModelKind::Linear)
    }

    /// A model by name with default parameters (`"w_shaped"`), or `None` for an unknown name.
    ///
    /// ```
    /// assert!(prm_core::attribution::Model::named("custom").is_some());
    /// assert!(prm_core::attribution::Model::named("nope").is_none());
    /// ```
    pub fn named(name: &str) -> Option<Self> {
        let index = ModelKind::NAMES.iter().position(|n| *n == name)?;
        ModelKind::with_fields(index, serde_json::Map::new())
            .ok()
            .map(Self::new)
    }
}

impl<'de> Deserialize<'de> for Model {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Model;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a model name or an object tagged by `type`")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Model, E> {
                Model::named(name).ok_or_else(|| {
                    E::custom(format!(
                        "unknown model `{name}`, expected one of first_touch, last_touch, linear, time_decay, position_based, w_shaped, custom, partner_even"
                    ))
                })
            }
            /// `lookback_days` read in place; the model's fields (its kind flattened into the
            /// object) read from the rest once it is all read.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Model, A::Error> {
                let mut lookback_days = None;
                let mut tag = None;
                let mut rest = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "lookback_days" {
                        lookback_days = map.next_value::<Option<Decimal>>()?;
                    } else if key == "type" {
                        // kept apart rather than removed from `rest` afterwards: a B-tree
                        // removal would be one more copy of its rebalancing code in the module
                        tag = Some(map.next_value()?);
                    } else {
                        rest.insert(key, map.next_value()?);
                    }
                }
                let index = buffered::buffered_tag(tag, ModelKind::NAMES)?;
                let kind = ModelKind::with_fields(index, rest).map_err(serde::de::Error::custom)?;
                Ok(Model { kind, lookback_days })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum ModelName {
    FirstTouch,
    LastTouch,
    Linear,
    TimeDecay,
    PositionBased,
    WShaped,
    Custom,
    PartnerEven,
}

#[derive(schemars::JsonSchema)]
#[allow(dead_code)]
struct ModelObject {
    #[serde(flatten)]
    kind: ModelKind,
    lookback_days: Option<Decimal>,
}

#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum ModelSchema {
    Name(ModelName),
    Object(ModelObject),
}

impl schemars::JsonSchema for Model {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Model".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ModelSchema::json_schema(generator)
    }
}

/// A deal's split: one share per partner with non-zero credit, sorted by partner id, plus the
/// explanation (which touches counted with which weight, which were dropped and why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// The deal.
    pub deal_id: DealId,
    /// The model's name.
    pub model: std::borrow::Cow<'static, str>,
    /// The deal amount that was split.
    pub amount: Money,
    /// The shares, sorted by partner id; they sum exactly to `amount` unless `unattributed`.
    pub shares: Vec<Share>,
    /// The counted touches in (at, partner id) order with their model weights.
    pub counted: Vec<CountedTouch>,
    /// The touches that did not count.
    pub dropped: Vec<DroppedTouch>,
    /// Why the deal has no shares, when it has none.
    pub unattributed: Option<Unattributed>,
}

/// One partner's share of a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The partner.
    pub partner_id: PartnerId,
    /// Its money, to the currency's minor unit.
    pub amount: Money,
    /// Its exact credit (the fraction of the total weight), as a decimal.
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub credit: Decimal,
    /// Whether the partner has a counted `sourced` touch on the deal (its share is then
    /// partner-sourced revenue, otherwise partner-influenced).
    pub sourced: bool,
    /// How many counted touches the partner has on the deal.
    pub touches: u32,
}

/// A touch that counted, with the weight the model gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountedTouch {
    /// Its index in the deal's `touches`.
    pub index: usize,
    /// The partner.
    pub partner_id: PartnerId,
    /// When.
    #[serde(serialize_with = "serde_timestamp::serialize")]
    pub at: Timestamp,
    /// Its type.
    pub touch_type: TouchType,
    /// The model weight (before normalising by the total weight).
    #[serde(serialize_with = "serde_decimal::serialize")]
    pub weight: Decimal,
}

/// A touch that did not count, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DroppedTouch {
    /// Its index in the deal's `touches`.
    pub index: usize,
    /// The partner.
    pub partner_id: PartnerId,
    /// When.
    #[serde(serialize_with = "serde_timestamp::serialize")]
    pub at: Timestamp,
    /// Why.
    pub reason: DropReason,
}

/// Why a touch was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// It happened after the deal closed.
    AfterClose,
    /// It happened before the lookback window.
    BeforeLookback,
}

/// Why a deal has no shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unattributed {
    /// No touch counted.
    NoCountedTouches,
    /// The counted touches' weights sum to zero.
    ZeroTotalWeight,
}
