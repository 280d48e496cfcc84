//! JSON Schemas of every input type, as published in the repository's `schema/` folder.
//!
//! ```
//! let all = prm_core::schema::all();
//! assert!(all.iter().any(|(name, _)| *name == "ropi/request"));
//! ```

use crate::ropi;
use schemars::{JsonSchema, Schema, generate::SchemaSettings};

fn of<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
}

/// `(name, schema)` for every input type; `name` is the file path under `schema/` without
/// `.json`.
pub fn all() -> Vec<(&'static str, Schema)> {
    vec![
        ("ropi/request", of::<ropi::RopiRequest>()),
        (
            "ropi/partner_economics_input",
            of::<ropi::PartnerEconomicsInput>(),
        ),
        ("ropi/mdf_roi_input", of::<ropi::MdfRoiInput>()),
        ("ropi/clv_input", of::<ropi::ClvInput>()),
        (
            "ropi/weighted_pipeline_input",
            of::<ropi::WeightedPipelineInput>(),
        ),
        ("ropi/time_to_revenue_input", of::<ropi::TimeToRevenueInput>()),
        ("tiers/program", of::<crate::tiers::TierProgramSpec>()),
        ("tiers/partner_metrics", of::<crate::tiers::PartnerMetrics>()),
        ("tiers/tier_status", of::<crate::tiers::TierStatus>()),
        ("tiers/partner_event", of::<crate::tiers::PartnerEvent>()),
        ("tiers/event_metric", of::<crate::tiers::EventMetric>()),
        ("attribution/deal", of::<crate::attribution::Deal>()),
        ("attribution/model", of::<crate::attribution::Model>()),
        ("attribution/journey", of::<crate::attribution::Journey>()),
        ("routing/policy", of::<crate::routing::RoutingPolicy>()),
        ("routing/lead", of::<crate::routing::Lead>()),
        ("routing/partner", of::<crate::routing::Partner>()),
        ("routing/state", of::<crate::routing::RoutingState>()),
        ("conflicts/policy", of::<crate::conflicts::ConflictPolicy>()),
        ("conflicts/registration", of::<crate::conflicts::Registration>()),
        (
            "conflicts/opportunity",
            of::<crate::conflicts::DirectOpportunity>(),
        ),
        ("conflicts/partner", of::<crate::conflicts::Partner>()),
        ("domain/money", of::<crate::domain::Money>()),
    ]
}
