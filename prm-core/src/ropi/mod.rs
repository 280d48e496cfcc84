//! ROPI and cash-flow math (SPEC §6).
//!
//! Two families:
//!
//! * **Partner economics** — [`partner_economics`], [`mdf_roi`], [`clv`], [`weighted_pipeline`],
//!   [`time_to_revenue`] — exact [`Decimal`](rust_decimal::Decimal) arithmetic. Results are not
//!   rounded (a division keeps rust_decimal's 28 significant digits) and print without trailing
//!   zeros. A zero denominator is a typed error for the whole call.
//! * **Cash flows** — [`npv`], [`npv_excel`], [`xnpv`], [`xnpv_excel`], [`irr`], [`irr_roots`],
//!   [`xirr`], [`xirr_roots`], [`mirr`], [`payback`], [`discounted_payback`] and the batch forms
//!   [`irr_batch`], [`xirr_batch`] — `f64` in and out. The solvers find *every* root
//!   (see [`MIN_RATE`], [`MAX_RATE`] for the range searched), return the one closest to 0 (or to a
//!   guess), and are accurate to a few ulps of the root for well-conditioned flows.
//!
//! Every function also exists as a JSON request ([`RopiRequest`]), which is what the fuzz
//! target and the golden vectors drive.
//!
//! ```
//! use prm_core::ropi;
//! let flows = [-1000.0, 300.0, 400.0, 500.0];
//! let r = ropi::irr(&flows, None)?;
//! assert!(ropi::npv(r, &flows)?.abs() < 1e-9);
//! assert_eq!(ropi::payback(&flows)?, 2.6);
//! # Ok::<(), prm_core::Error>(())
//! ```

mod cashflow;
mod clv;
mod decimal_ops;
mod economics;
mod error;
mod irr;
mod pipeline;
mod request;
mod solver;

pub use cashflow::{discounted_payback, mirr, npv, npv_excel, payback, xnpv, xnpv_excel};
pub use clv::{Clv, ClvInput, MAX_HORIZON_PERIODS, Timing, clv};
pub use economics::{
    Costs, MdfRoi, MdfRoiInput, PartnerEconomics, PartnerEconomicsInput, mdf_roi, partner_economics,
};
pub use error::{RopiError, RopiErrorKind};
pub use irr::{irr, irr_batch, irr_roots, xirr, xirr_batch, xirr_days, xirr_roots};
pub use pipeline::{
    PartnerActivation, PipelineDeal, TimeToRevenue, TimeToRevenueInput, WeightedPipeline,
    WeightedPipelineInput, time_to_revenue, weighted_pipeline,
};
pub use request::RopiRequest;
pub use solver::{MAX_RATE, MAX_SIGN_CHANGES, MIN_RATE};
