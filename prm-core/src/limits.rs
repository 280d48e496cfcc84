//! Every documented limit on input, in one place: what prm refuses with a typed
//! `LimitExceeded` error (with the path of the offending input) instead of recursing, allocating
//! or looping without bound. The same limits hold on every surface; the bindings publish this
//! table (`prm.LIMITS` in Python, `limits()` in JavaScript).
//!
//! | limit | value | applies to |
//! |---|---:|---|
//! | [`MAX_NESTING`] | 100 | arrays and objects nested in any input (deeper or cyclic values) |
//! | [`MAX_CONDITION_DEPTH`] | 32 | routing conditions nested in one another (JSON and text) |
//! | [`MAX_CONDITION_TEXT`] | 65,536 bytes | the text form of one condition |
//! | [`MAX_FIELD_PATH_LEN`] | 256 bytes | a field path named by a condition or scoring term |
//! | [`MAX_RULES`] | 10,000 | rules of a routing policy |
//! | [`MAX_PARTNERS`] | 1,000,000 | partners of a router |
//! | [`MAX_TIERS`] | 1,000 | tiers of a program |
//! | [`MAX_REQUIREMENT_DEPTH`] | 32 | tier requirements nested in one another |
//! | [`MAX_PATHS`] | 16 | paths returned by `paths_to_next` (a cap on output, not an error) |
//! | [`MAX_NAME_LEN`] | 1,024 bytes | a customer's company name in a record (longer is cut by `normalize_company_name`) |
//! | [`MAX_DOMAIN_INPUT_LEN`] | 2,048 bytes | a website or e-mail read for its domain (longer has none) |
//! | [`MAX_PRODUCTS`] | 256 | product lines of one registration or opportunity |
//! | [`MAX_PRODUCT_LEN`] | 256 bytes | one product name |
//! | [`MAX_RECORDS`] | 50,000,000 | records in one `ConflictIndex` |
//! | [`MAX_TOUCHES`] | 10,000 | touches of one deal |
//! | [`MAX_JOURNEY_STEPS`] | 1,000 | steps of one journey path |
//! | [`MAX_MARKOV_CHANNELS`] | 1,024 | distinct partners in one Markov solve (the solve is O(k³)) |
//! | [`MAX_LOOKBACK_DAYS`] | 1,000,000 | an attribution model's lookback window |
//! | [`MAX_TIME_DECAY_MINOR_UNITS`] | 2⁵³ | deal amount (in minor units) split by `time_decay` |
//! | [`MAX_HORIZON_PERIODS`] | 100,000 | periods of a CLV horizon |
//! | [`MAX_SIGN_CHANGES`] | 64 | sign changes of one cash-flow series (IRR roots searched) |
//! | [`MAX_RATE`] | 10¹⁵ | the highest rate the IRR/XIRR solvers search |
//!
//! Decimal arithmetic that would overflow `rust_decimal` (amounts near 7.9 × 10²⁸) is a typed
//! `DecimalOverflow` error, never a panic.
//!
//! ```
//! use prm_core::limits::{self, Limit};
//! assert_eq!(limits::ALL.iter().find(|(n, _)| *n == "MAX_NESTING").unwrap().1, Limit::Count(100));
//! ```

pub use crate::attribution::{
    MAX_JOURNEY_STEPS, MAX_LOOKBACK_DAYS, MAX_MARKOV_CHANNELS, MAX_TIME_DECAY_MINOR_UNITS, MAX_TOUCHES,
};
pub use crate::conflicts::{MAX_DOMAIN_INPUT_LEN, MAX_NAME_LEN, MAX_PRODUCT_LEN, MAX_PRODUCTS, MAX_RECORDS};
pub use crate::json::MAX_NESTING;
pub use crate::ropi::{MAX_HORIZON_PERIODS, MAX_RATE, MAX_SIGN_CHANGES};
pub use crate::routing::{
    MAX_CONDITION_DEPTH, MAX_CONDITION_TEXT, MAX_FIELD_PATH_LEN, MAX_PARTNERS, MAX_RULES,
};
pub use crate::tiers::{MAX_PATHS, MAX_REQUIREMENT_DEPTH, MAX_TIERS};

/// A limit's value: a count (of items, bytes, levels, days, …) or, for [`MAX_RATE`], a rate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Limit {
    /// How many items, bytes, levels, periods or days.
    Count(u64),
    /// A rate (a fraction: 0.1 is 10%).
    Rate(f64),
}

/// Every limit by name, as the bindings publish it.
pub const ALL: &[(&str, Limit)] = &[
    ("MAX_NESTING", Limit::Count(MAX_NESTING as u64)),
    ("MAX_CONDITION_DEPTH", Limit::Count(MAX_CONDITION_DEPTH as u64)),
    ("MAX_CONDITION_TEXT", Limit::Count(MAX_CONDITION_TEXT as u64)),
    ("MAX_FIELD_PATH_LEN", Limit::Count(MAX_FIELD_PATH_LEN as u64)),
    ("MAX_RULES", Limit::Count(MAX_RULES as u64)),
    ("MAX_PARTNERS", Limit::Count(MAX_PARTNERS as u64)),
    ("MAX_TIERS", Limit::Count(MAX_TIERS as u64)),
    (
        "MAX_REQUIREMENT_DEPTH",
        Limit::Count(MAX_REQUIREMENT_DEPTH as u64),
    ),
    ("MAX_PATHS", Limit::Count(MAX_PATHS as u64)),
    ("MAX_NAME_LEN", Limit::Count(MAX_NAME_LEN as u64)),
    ("MAX_DOMAIN_INPUT_LEN", Limit::Count(MAX_DOMAIN_INPUT_LEN as u64)),
    ("MAX_PRODUCTS", Limit::Count(MAX_PRODUCTS as u64)),
    ("MAX_PRODUCT_LEN", Limit::Count(MAX_PRODUCT_LEN as u64)),
    ("MAX_RECORDS", Limit::Count(MAX_RECORDS as u64)),
    ("MAX_TOUCHES", Limit::Count(MAX_TOUCHES as u64)),
    ("MAX_JOURNEY_STEPS", Limit::Count(MAX_JOURNEY_STEPS as u64)),
    ("MAX_MARKOV_CHANNELS", Limit::Count(MAX_MARKOV_CHANNELS as u64)),
    ("MAX_LOOKBACK_DAYS", Limit::Count(MAX_LOOKBACK_DAYS as u64)),
    (
        "MAX_TIME_DECAY_MINOR_UNITS",
        Limit::Count(MAX_TIME_DECAY_MINOR_UNITS as u64),
    ),
    ("MAX_HORIZON_PERIODS", Limit::Count(MAX_HORIZON_PERIODS as u64)),
    ("MAX_SIGN_CHANGES", Limit::Count(MAX_SIGN_CHANGES as u64)),
    ("MAX_RATE", Limit::Rate(MAX_RATE)),
];

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_in_the_docs_lists_every_limit() {
        let doc: Vec<&str> = include_str!("limits.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("//! | [`"))
            .filter_map(|l| l.split('`').next())
            .collect();
        let all: Vec<&str> = super::ALL.iter().map(|(name, _)| *name).collect();
        assert_eq!(doc, all, "the docs' table and ALL, in the same order");
    }
}
