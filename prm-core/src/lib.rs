//! # prm-core
//!
//! The engines of **prm**, an embeddable rules-and-scoring library for partner relationship
//! management (PRM). Every function is pure: no I/O, no clock, no global state. The same
//! inputs give the same outputs, byte for byte, here, in Python (`import prm`) and in
//! JavaScript (the `prm-wasm` npm package).
//!
//! | module | what it decides |
//! |---|---|
//! | [`conflicts`] | whether a deal registration collides with another or a direct deal, and who wins |
//! | [`ropi`] | return on partner investment, MDF ROI, CLV, pipeline, NPV/IRR/XIRR/MIRR, payback |
//! | [`attribution`] | how much of a deal each partner influenced; Markov and Shapley over journeys |
//! | [`routing`] | which partner gets a lead: ordered rules, five strategies, capacity, traces |
//! | [`tiers`] | which tier a partner has earned, probation and demotion, what it is short of |
//! | [`domain`] | shared types: [`Money`](domain::Money), [`Currency`](domain::Currency), ids, time |
//! | [`error`] | the one error family, with stable codes and input paths |
//!
//! ## Quick start
//!
//! ```
//! use prm_core::ropi::{self, PartnerEconomicsInput, Costs};
//! use rust_decimal::Decimal;
//! use chrono::NaiveDate;
//!
//! // What did the partner return for what we spent on it?
//! let input = PartnerEconomicsInput {
//!     sourced_revenue: Decimal::from(500_000),
//!     influenced_revenue: Decimal::from(200_000),
//!     influence_weight: Decimal::new(5, 1),      // 0.5
//!     margin_rate: Decimal::new(4, 1),           // 0.4
//!     revenue_is_net_of_discounts: true,
//!     costs: Costs { mdf: Decimal::from(40_000), rebates: Decimal::from(20_000), ..Costs::default() },
//! };
//! let out = ropi::partner_economics(&input)?;
//! assert_eq!(out.attributed_revenue, Decimal::from(600_000));
//! assert_eq!(out.ropi_margin, Decimal::from(3));       // (240k - 60k) / 60k
//!
//! // And as an investment: the annualised rate of return of its dated cash flows.
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let rate = ropi::xirr(&[d(2025, 1, 1), d(2026, 1, 1)], &[-100.0, 110.0], None)?;
//! assert!((rate - 0.10).abs() < 1e-12);
//! # Ok::<(), prm_core::Error>(())
//! ```
//!
//! ## Conventions (all engines)
//!
//! * Money is [`rust_decimal::Decimal`] plus an ISO-4217 code; never `f64`. Decimals are JSON
//!   strings on output and strings or numbers on input.
//! * Iteratively solved rates (IRR, XIRR) and discounting (NPV, XNPV, MIRR, payback) are `f64`:
//!   discounting with fractional exponents is not exact in any decimal type, and these are the
//!   numbers spreadsheets and numpy-financial return. The economics family
//!   ([`ropi::partner_economics`] and friends) is exact `Decimal` arithmetic.
//! * Bad input is an [`Error`] with a stable [`code`](Error::code) and the [`path`](Error::path)
//!   of the offending value, never a panic, `NaN` or a partial result.
//! * Every input type derives [`schemars::JsonSchema`]; the published schemas live in `schema/`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod attribution;
pub mod conflicts;
pub mod domain;
pub mod error;
mod hash;
pub mod json;
pub mod limits;
mod math;
mod parallel;
pub mod ropi;
pub mod routing;
pub mod schema;
mod sort;
pub mod tiers;

pub use error::{Error, Result};
