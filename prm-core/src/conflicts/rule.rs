//! The conflict rule and its resolution (SPEC §5): records as the engine sees them, `active`,
//! the kind of a conflict and the ordered resolution rules.

use super::error::{ConflictsErrorKind, err};
use super::matching::{Profile, compare, same_customer};
use super::model::{
    Conflict, ConflictKind, ConflictPolicy, DirectOpportunity, Partner, Registration, RegistrationStatus,
    Resolution, ResolutionRule,
};
use super::normalize::MAX_NAME_LEN;
use crate::Error;
use crate::domain::{PartnerId, RecordId, Timestamp};
use crate::hash::FnvMap;
use std::sync::Arc;

/// `path.rest`, or `rest` at the top level.
fn at(path: &str, rest: &str) -> String {
    if path.is_empty() {
        rest.to_owned()
    } else {
        format!("{path}.{rest}")
    }
}

/// The most product lines on one record.
pub const MAX_PRODUCTS: usize = 256;
/// The longest product-line name, in bytes.
pub const MAX_PRODUCT_LEN: usize = 256;

/// A record as the engine sees it: the timestamps of the rule, its partner and its profile.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) id: RecordId,
    pub(crate) t0: Timestamp,
    /// `None` for a direct opportunity.
    pub(crate) partner: Option<PartnerId>,
    pub(crate) products: Vec<Arc<str>>,
    pub(crate) approved_at: Option<Timestamp>,
    pub(crate) rejected_at: Option<Timestamp>,
    pub(crate) closed_at: Option<Timestamp>,
    /// `expires_at`, or `approved_at` + protection days.
    pub(crate) expires_at: Option<Timestamp>,
    pub(crate) won: bool,
    pub(crate) profile: Profile,
}

impl Entry {
    pub(crate) fn direct(&self) -> bool {
        self.partner.is_none()
    }

    /// `(t0, id)`, the order of the rule.
    pub(crate) fn order_key(&self) -> (Timestamp, &str) {
        (self.t0, &self.id)
    }

    /// `active(self, t)` of SPEC §5.
    pub(crate) fn active(&self, t: Timestamp) -> bool {
        if self.t0 > t {
            return false;
        }
        if self.direct() {
            return self.closed_at.is_none_or(|c| t < c);
        }
        !(self.rejected_at.is_some_and(|r| r <= t)
            || self.closed_at.is_some_and(|c| c <= t)
            || (self.approved_at.is_some_and(|a| a <= t) && self.expires_at.is_some_and(|e| t >= e)))
    }
}

/// The partners a book knows, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Partners {
    pub(crate) by_id: FnvMap<PartnerId, (Partner, Option<String>)>,
}

impl Partners {
    pub(crate) fn new(partners: &[Partner], path: &str) -> Result<Self, Error> {
        let mut by_id = FnvMap::default();
        for (i, p) in partners.iter().enumerate() {
            let domain = p
                .domain
                .as_deref()
                .and_then(super::domain::extract_domain)
                .map(|d| d.domain);
            if by_id.insert(p.id.clone(), (p.clone(), domain)).is_some() {
                return Err(err(
                    ConflictsErrorKind::InvalidRecord,
                    format!("{path}[{i}].id"),
                    format!("partner id `{}` appears twice", p.id),
                ));
            }
        }
        Ok(Self { by_id })
    }

    fn domain(&self, id: &PartnerId) -> Option<&str> {
        self.by_id.get(id).and_then(|(_, d)| d.as_deref())
    }
}

fn check_products(products: &[String], path: &str) -> Result<Vec<Arc<str>>, Error> {
    if products.len() > MAX_PRODUCTS {
        return Err(Error::LimitExceeded {
            path: at(path, "products"),
            message: format!("{} product lines; at most {MAX_PRODUCTS}", products.len()),
        });
    }
    if let Some(i) = products.iter().position(|p| p.len() > MAX_PRODUCT_LEN) {
        return Err(Error::LimitExceeded {
            path: at(path, &format!("products[{i}]")),
            message: format!("product names are at most {MAX_PRODUCT_LEN} bytes"),
        });
    }
    let mut v: Vec<Arc<str>> = products.iter().map(|p| Arc::from(p.as_str())).collect();
    crate::sort::unstable(&mut v);
    v.dedup();
    Ok(v)
}

fn check_name(name: &str, path: &str) -> Result<(), Error> {
    if name.len() > MAX_NAME_LEN {
        return Err(Error::LimitExceeded {
            path: at(path, "name"),
            message: format!("company names are at most {MAX_NAME_LEN} bytes"),
        });
    }
    Ok(())
}

fn not_before(
    later: Option<Timestamp>,
    earlier: Option<Timestamp>,
    path: &str,
    field: &str,
    other: &str,
) -> Result<(), Error> {
    match (later, earlier) {
        (Some(l), Some(e)) if l < e => Err(err(
            ConflictsErrorKind::InvalidRecord,
            at(path, field),
            format!("{field} is before {other}"),
        )),
        _ => Ok(()),
    }
}

impl Entry {
    /// A registration as an entry; `t0` overrides a missing `submitted_at` (a registration
    /// being checked before it is submitted).
    pub(crate) fn registration(
        r: &Registration,
        path: &str,
        partners: &Partners,
        policy: &ConflictPolicy,
        t0: Option<Timestamp>,
    ) -> Result<Self, Error> {
        check_name(&r.customer.name, &at(path, "customer"))?;
        let products = check_products(&r.products, path)?;
        let Some(t0) = r.submitted_at.or(t0) else {
            return Err(err(
                ConflictsErrorKind::InvalidRecord,
                at(path, "submitted_at"),
                "a registration in an index or a data set needs submitted_at",
            ));
        };
        let sub = Some(t0);
        not_before(r.approved_at, sub, path, "approved_at", "submitted_at")?;
        not_before(r.rejected_at, sub, path, "rejected_at", "submitted_at")?;
        not_before(r.closed_at, sub, path, "closed_at", "submitted_at")?;
        not_before(r.expires_at, r.approved_at, path, "expires_at", "approved_at")?;
        let own = partners.domain(&r.partner_id);
        let profile = Profile::new(&r.customer, own.as_slice());
        if profile.key().is_empty() {
            return Err(err(
                ConflictsErrorKind::InvalidRecord,
                at(path, "customer.name"),
                "the customer name is empty after normalisation",
            ));
        }
        let expires_at = r.expires_at.or_else(|| {
            r.approved_at.and_then(|a| {
                a.checked_add_signed(chrono::TimeDelta::days(i64::from(policy.protection_days)))
            })
        });
        Ok(Self {
            id: r.id.clone(),
            t0,
            partner: Some(r.partner_id.clone()),
            products,
            approved_at: r.approved_at,
            rejected_at: r.rejected_at,
            closed_at: r.closed_at,
            expires_at,
            won: r.status == Some(RegistrationStatus::ClosedWon),
            profile,
        })
    }

    /// A direct opportunity as an entry.
    pub(crate) fn opportunity(o: &DirectOpportunity, path: &str) -> Result<Self, Error> {
        check_name(&o.account.name, &at(path, "account"))?;
        let products = check_products(&o.products, path)?;
        not_before(o.closed_at, Some(o.created_at), path, "closed_at", "created_at")?;
        let profile = Profile::new(&o.account, &[]);
        if profile.key().is_empty() {
            return Err(err(
                ConflictsErrorKind::InvalidRecord,
                at(path, "account.name"),
                "the account name is empty after normalisation",
            ));
        }
        Ok(Self {
            id: o.id.clone(),
            t0: o.created_at,
            partner: None,
            products,
            approved_at: None,
            rejected_at: None,
            closed_at: o.closed_at,
            expires_at: None,
            won: false,
            profile,
        })
    }
}

/// Validates a policy.
pub(crate) fn check_policy(p: &ConflictPolicy) -> Result<(), Error> {
    let m = &p.matching;
    for (name, v) in [
        ("threshold", m.threshold),
        ("different_domain_penalty", m.different_domain_penalty),
        ("near_domain_penalty", m.near_domain_penalty),
        ("different_country_penalty", m.different_country_penalty),
        ("different_city_penalty", m.different_city_penalty),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(err(
                ConflictsErrorKind::InvalidPolicy,
                format!("matching.{name}"),
                format!("{v} is not in [0, 1]"),
            ));
        }
    }
    for (i, r) in p.resolution.iter().enumerate() {
        if p.resolution[..i].contains(r) {
            return Err(err(
                ConflictsErrorKind::InvalidPolicy,
                format!("resolution[{i}]"),
                "a resolution rule appears twice",
            ));
        }
    }
    for (i, t) in p.tier_order.iter().enumerate() {
        if p.tier_order[..i].contains(t) {
            return Err(err(
                ConflictsErrorKind::InvalidPolicy,
                format!("tier_order[{i}]"),
                format!("tier `{t}` appears twice"),
            ));
        }
    }
    Ok(())
}

/// The overlap of two sorted product lists.
fn overlap(a: &[Arc<str>], b: &[Arc<str>]) -> Vec<Arc<str>> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i].clone());
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Everything but the matcher: `earlier` and `later` in rule order, not both direct, a shared
/// product, `earlier` active when `later` starts.
pub(crate) fn could_conflict(earlier: &Entry, later: &Entry) -> bool {
    !(earlier.direct() && later.direct())
        && earlier.active(later.t0)
        && earlier
            .products
            .iter()
            .any(|p| later.products.binary_search(p).is_ok())
}

/// The conflict between `earlier` and `later` when the customers match (`incumbents`: the
/// partners of record on `later`'s customer at its t0).
pub(crate) fn conflict(
    earlier: &Entry,
    later: &Entry,
    policy: &ConflictPolicy,
    partners: &Partners,
    incumbents: &[PartnerId],
) -> Option<Conflict> {
    if !could_conflict(earlier, later) {
        return None;
    }
    // the decision first, string-free; the evidence only for a conflict
    if !same_customer(&earlier.profile, &later.profile, &policy.matching) {
        return None;
    }
    let evidence = compare(&earlier.profile, &later.profile, &policy.matching);
    let kind = match (&earlier.partner, &later.partner) {
        (Some(a), Some(b)) if a == b => ConflictKind::Duplicate,
        (Some(_), Some(_)) => ConflictKind::ChannelConflict,
        _ => ConflictKind::DirectConflict,
    };
    Some(Conflict {
        earlier_id: earlier.id.clone(),
        later_id: later.id.clone(),
        kind,
        overlapping_products: overlap(&earlier.products, &later.products),
        evidence,
        resolution: resolve(earlier, later, policy, partners, incumbents),
    })
}

/// The first rule of the policy that separates the two (`first_submitted` always does).
fn resolve(
    x: &Entry,
    y: &Entry,
    policy: &ConflictPolicy,
    partners: &Partners,
    incumbents: &[PartnerId],
) -> Resolution {
    let pick = |a: bool, b: bool| match (a, b) {
        (true, false) => Some(x),
        (false, true) => Some(y),
        _ => None,
    };
    let rank = |e: &Entry| {
        e.partner
            .as_ref()
            .and_then(|p| partners.by_id.get(p))
            .and_then(|(p, _)| p.tier.as_ref())
            .and_then(|t| policy.tier_order.iter().position(|o| o == t))
            .map_or(-1, |r| r as i64)
    };
    let owns = |e: &Entry| {
        let (Some(p), Some(c)) = (&e.partner, e.profile.country()) else {
            return false;
        };
        partners
            .by_id
            .get(p)
            .is_some_and(|(p, _)| p.territories.iter().any(|t| t.eq_ignore_ascii_case(c)))
    };
    let incumbent = |e: &Entry| e.partner.as_ref().is_some_and(|p| incumbents.contains(p));
    let rules = policy
        .resolution
        .iter()
        .copied()
        .chain(std::iter::once(ResolutionRule::FirstSubmitted));
    for rule in rules {
        let winner = match rule {
            ResolutionRule::DirectWins => pick(x.direct(), y.direct()),
            ResolutionRule::PartnerOfRecord => pick(incumbent(x), incumbent(y)),
            ResolutionRule::FirstApproved => match (x.approved_at, y.approved_at) {
                (Some(a), Some(b)) if a < b => Some(x),
                (Some(a), Some(b)) if b < a => Some(y),
                (a, b) => pick(a.is_some(), b.is_some()),
            },
            ResolutionRule::FirstSubmitted => Some(x),
            ResolutionRule::HigherTier if !x.direct() && !y.direct() => match rank(x).cmp(&rank(y)) {
                std::cmp::Ordering::Greater => Some(x),
                std::cmp::Ordering::Less => Some(y),
                std::cmp::Ordering::Equal => None,
            },
            ResolutionRule::HigherTier => None,
            ResolutionRule::TerritoryOwner => pick(owns(x), owns(y)),
        };
        if let Some(w) = winner {
            return Resolution {
                winner_id: w.id.clone(),
                rule,
            };
        }
    }
    Resolution {
        winner_id: x.id.clone(),
        rule: ResolutionRule::FirstSubmitted,
    }
}
