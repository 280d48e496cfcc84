//! Field paths (`lead.country`, `partner.attributes.segment`), their static types, and reading
//! them from a lead or a partner as runtime values.

use super::model::{AttrValue, Lead, Partner};
use crate::domain::Timestamp;
use rust_decimal::Decimal;

/// The static type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    Str,
    Num,
    Bool,
    List,
    Time,
    Loc,
    /// `attributes.*`: known only at run time.
    Any,
}

/// A resolved field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    LeadId,
    LeadCountry,
    LeadRegion,
    LeadPostal,
    LeadIndustry,
    LeadProducts,
    LeadEmployees,
    LeadAmount,
    LeadCreated,
    LeadLocation,
    LeadAttr(String),
    PartnerId,
    PartnerActive,
    PartnerTier,
    PartnerCountries,
    PartnerRegions,
    PartnerIndustries,
    PartnerProducts,
    PartnerCerts,
    PartnerCapacity,
    PartnerOpen,
    PartnerWeight,
    PartnerLocation,
    PartnerConversion,
    PartnerResponse,
    PartnerAttr(String),
}

impl Field {
    /// Resolves a path; `None` for an unknown one.
    pub(crate) fn parse(path: &str) -> Option<(Field, Ty)> {
        use Field as F;
        if let Some(key) = path.strip_prefix("lead.attributes.") {
            return (!key.is_empty()).then(|| (F::LeadAttr(key.to_owned()), Ty::Any));
        }
        if let Some(key) = path.strip_prefix("partner.attributes.") {
            return (!key.is_empty()).then(|| (F::PartnerAttr(key.to_owned()), Ty::Any));
        }
        Some(match path {
            "lead.id" => (F::LeadId, Ty::Str),
            "lead.country" => (F::LeadCountry, Ty::Str),
            "lead.region" => (F::LeadRegion, Ty::Str),
            "lead.postal_code" => (F::LeadPostal, Ty::Str),
            "lead.industry" => (F::LeadIndustry, Ty::Str),
            "lead.products" => (F::LeadProducts, Ty::List),
            "lead.employees" => (F::LeadEmployees, Ty::Num),
            "lead.amount" => (F::LeadAmount, Ty::Num),
            "lead.created_at" => (F::LeadCreated, Ty::Time),
            "lead.location" => (F::LeadLocation, Ty::Loc),
            "partner.id" => (F::PartnerId, Ty::Str),
            "partner.active" => (F::PartnerActive, Ty::Bool),
            "partner.tier" => (F::PartnerTier, Ty::Str),
            "partner.countries" => (F::PartnerCountries, Ty::List),
            "partner.regions" => (F::PartnerRegions, Ty::List),
            "partner.industries" => (F::PartnerIndustries, Ty::List),
            "partner.products" => (F::PartnerProducts, Ty::List),
            "partner.certifications" => (F::PartnerCerts, Ty::List),
            "partner.capacity" => (F::PartnerCapacity, Ty::Num),
            "partner.open_leads" => (F::PartnerOpen, Ty::Num),
            "partner.weight" => (F::PartnerWeight, Ty::Num),
            "partner.location" => (F::PartnerLocation, Ty::Loc),
            "partner.performance.conversion_rate" => (F::PartnerConversion, Ty::Num),
            "partner.performance.response_hours" => (F::PartnerResponse, Ty::Num),
            _ => return None,
        })
    }

    /// The field's static type.
    pub(crate) fn ty(&self) -> Ty {
        use Field as F;
        match self {
            F::LeadId
            | F::LeadCountry
            | F::LeadRegion
            | F::LeadPostal
            | F::LeadIndustry
            | F::PartnerId
            | F::PartnerTier => Ty::Str,
            F::LeadProducts
            | F::PartnerCountries
            | F::PartnerRegions
            | F::PartnerIndustries
            | F::PartnerProducts
            | F::PartnerCerts => Ty::List,
            F::LeadEmployees
            | F::LeadAmount
            | F::PartnerCapacity
            | F::PartnerOpen
            | F::PartnerWeight
            | F::PartnerConversion
            | F::PartnerResponse => Ty::Num,
            F::LeadCreated => Ty::Time,
            F::LeadLocation | F::PartnerLocation => Ty::Loc,
            F::PartnerActive => Ty::Bool,
            F::LeadAttr(_) | F::PartnerAttr(_) => Ty::Any,
        }
    }

    /// Whether the field is the partner's.
    pub(crate) fn is_partner(&self) -> bool {
        matches!(
            self,
            Field::PartnerId
                | Field::PartnerActive
                | Field::PartnerTier
                | Field::PartnerCountries
                | Field::PartnerRegions
                | Field::PartnerIndustries
                | Field::PartnerProducts
                | Field::PartnerCerts
                | Field::PartnerCapacity
                | Field::PartnerOpen
                | Field::PartnerWeight
                | Field::PartnerLocation
                | Field::PartnerConversion
                | Field::PartnerResponse
                | Field::PartnerAttr(_)
        )
    }
}

/// A runtime value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val<'a> {
    Null,
    Str(&'a str),
    Num(Decimal),
    Bool(bool),
    Time(Timestamp),
    Strs(&'a [String]),
    Attrs(&'a [AttrValue]),
    Loc,
}

fn opt_str(s: Option<&String>) -> Val<'_> {
    s.map_or(Val::Null, |s| Val::Str(s))
}

fn attr(v: Option<&AttrValue>) -> Val<'_> {
    match v {
        None => Val::Null,
        Some(AttrValue::Bool(b)) => Val::Bool(*b),
        Some(AttrValue::Str(s)) => Val::Str(s),
        Some(AttrValue::Num(n)) => Val::Num(*n),
        Some(AttrValue::List(l)) => Val::Attrs(l),
    }
}

/// Reads a field; `open` is the partner's open leads including a batch's assignments.
pub(crate) fn read<'a>(f: &'a Field, lead: &'a Lead, partner: Option<&'a Partner>, open: u64) -> Val<'a> {
    use Field as F;
    match f {
        F::LeadId => Val::Str(lead.id.as_str()),
        F::LeadCountry => opt_str(lead.country.as_ref()),
        F::LeadRegion => opt_str(lead.region.as_ref()),
        F::LeadPostal => opt_str(lead.postal_code.as_ref()),
        F::LeadIndustry => opt_str(lead.industry.as_ref()),
        F::LeadProducts => Val::Strs(&lead.products),
        F::LeadEmployees => lead.employees.map_or(Val::Null, Val::Num),
        F::LeadAmount => lead.amount.map_or(Val::Null, Val::Num),
        F::LeadCreated => lead.created_at.map_or(Val::Null, Val::Time),
        F::LeadLocation => lead.location.map_or(Val::Null, |_| Val::Loc),
        F::LeadAttr(k) => attr(lead.attributes.get(k)),
        partner_field => {
            let Some(p) = partner else { return Val::Null };
            match partner_field {
                F::PartnerId => Val::Str(p.id.as_str()),
                F::PartnerActive => Val::Bool(p.active),
                F::PartnerTier => opt_str(p.tier.as_ref()),
                F::PartnerCountries => Val::Strs(&p.countries),
                F::PartnerRegions => Val::Strs(&p.regions),
                F::PartnerIndustries => Val::Strs(&p.industries),
                F::PartnerProducts => Val::Strs(&p.products),
                F::PartnerCerts => Val::Strs(&p.certifications),
                F::PartnerCapacity => p.capacity.map_or(Val::Null, |c| Val::Num(Decimal::from(c))),
                F::PartnerOpen => Val::Num(Decimal::from(open)),
                F::PartnerWeight => p.weight.map_or(Val::Null, |w| Val::Num(Decimal::from(w))),
                F::PartnerLocation => p.location.map_or(Val::Null, |_| Val::Loc),
                F::PartnerConversion => p
                    .performance
                    .as_ref()
                    .and_then(|x| x.conversion_rate)
                    .map_or(Val::Null, Val::Num),
                F::PartnerResponse => p
                    .performance
                    .as_ref()
                    .and_then(|x| x.response_hours)
                    .map_or(Val::Null, Val::Num),
                F::PartnerAttr(k) => attr(p.attributes.get(k)),
                _ => Val::Null,
            }
        }
    }
}
