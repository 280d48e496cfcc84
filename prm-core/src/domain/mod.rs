//! Domain types shared by every engine: money, currencies, identifiers and time.

pub(crate) mod float;
mod ids;
mod money;
pub mod serde_decimal;
pub mod serde_timestamp;
mod time;

pub use float::{decimal_from_f64, f64_from_decimal};
pub use ids::{DealId, LeadId, PartnerId, RecordId};
pub use money::{Currency, Money, MoneyError};
pub use time::{Date, Timestamp, day_number, parse_date, parse_timestamp};
