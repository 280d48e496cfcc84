//! Deal-registration conflict detection (SPEC §5).
//!
//! Finds registrations that collide with other registrations or with the vendor's own (direct)
//! opportunities, explains why, and says who wins.
//!
//! * **Same customer** is decided by an explainable matcher ([`match_customers`]): names
//!   normalised across languages and legal forms ([`normalize_company_name`]), registrable
//!   domains from websites and e-mails via the public suffix list ([`extract_domain`]; free-mail,
//!   website builders and the registering partner's own domain are not evidence), country and
//!   city as supporting or opposing evidence. The weights and the threshold are in the
//!   [`MatchPolicy`].
//! * **Conflict rule** exactly as SPEC §5: records ordered by `(t0, id)`; `X` earlier than `Y`
//!   conflict when they are the same customer, share a product, `X` is active at `Y`'s t0 and
//!   they are not both direct. Resolution by the policy's ordered [`ResolutionRule`]s.
//! * **Entry points**: [`ConflictIndex`] (insert / remove / expire, then
//!   [`check`](ConflictIndex::check) one registration) and [`detect_all`] (blocking, optionally
//!   parallel: [`detect_all_threads`]); for distributed engines, the same detection in pieces:
//!   [`blocking_keys`], [`detect_in_blocks`], [`score_pairs`].
//!
//! Choices where the spec is silent:
//! * a partner id that is not among the given partners is a partner without domain, tier or
//!   territories (so a form can check a registration of a partner not yet synchronised);
//! * `partner_of_record` makes a partner the incumbent when it has a `closed_won` registration
//!   of the same customer closed by the later record's t0;
//! * `first_approved` counts an approved record as earlier than an unapproved one; direct
//!   opportunities are never "approved"; `higher_tier` does not separate a direct opportunity;
//! * timestamps out of order (`approved_at` before `submitted_at`, ...) and empty names are
//!   `InvalidRecord` errors; over-long names and product lists are `LimitExceeded`.

mod blocking;
mod blocks;
mod decompose;
mod detect;
mod distance;
mod domain;
mod error;
mod index;
mod matching;
mod model;
mod normalize;
mod postings;
mod rule;

pub use blocks::{blocking_keys, blocking_keys_each, detect_in_blocks, detect_in_blocks_each, score_pairs};
pub use detect::{detect_all, detect_all_threads, same_customer_pairs};
pub use domain::{DomainKind, ExtractedDomain, MAX_DOMAIN_INPUT_LEN, extract_domain};
pub use error::{ConflictsError, ConflictsErrorKind};
pub use index::{ConflictIndex, IndexSnapshot, MAX_RECORDS};
pub use model::{
    Conflict, ConflictKind, ConflictPolicy, Customer, DirectOpportunity, DomainMatch, MatchEvidence,
    MatchPolicy, Partner, Record, Registration, RegistrationStatus, Resolution, ResolutionRule,
};
pub use normalize::{MAX_NAME_LEN, NormalizedName, normalize_company_name};
pub use rule::{MAX_PRODUCT_LEN, MAX_PRODUCTS};

use crate::Error;
use crate::domain::Timestamp;

/// Whether two customers are the same, with the evidence (`policy`: the matcher's thresholds).
///
/// ```
/// use prm_core::conflicts::{match_customers, Customer, DomainMatch, MatchPolicy};
/// let a = Customer { name: "Müller Logistik GmbH".into(), website: Some("www.mueller-logistik.de".into()), ..Default::default() };
/// let b = Customer { name: "MUELLER LOGISTIK".into(), email: Some("k.weber@mueller-logistik.de".into()), ..Default::default() };
/// let e = match_customers(&a, &b, &MatchPolicy::default());
/// assert!(e.same_customer);
/// assert_eq!(e.domain, DomainMatch::Equal);
/// assert_eq!(e.normalized_names, ["muller logistik".to_owned(), "mueller logistik".to_owned()]);
///
/// let c = Customer { name: "Müller Logistik".into(), website: Some("mueller-logistik.at".into()), country: Some("AT".into()), ..Default::default() };
/// let d = Customer { name: "Müller Logistik".into(), website: Some("muellerlogistik-wien.at".into()), country: Some("AT".into()), ..Default::default() };
/// assert!(!match_customers(&c, &d, &MatchPolicy::default()).same_customer); // different domains
/// ```
pub fn match_customers(a: &Customer, b: &Customer, policy: &MatchPolicy) -> MatchEvidence {
    let pa = matching::Profile::new(a, &[]);
    let pb = matching::Profile::new(b, &[]);
    matching::compare(&pa, &pb, policy)
}

/// `check(registration, index, as_of)` of SPEC §5: [`ConflictIndex::check`].
pub fn check(
    registration: &Registration,
    index: &ConflictIndex,
    as_of: Timestamp,
) -> Result<Vec<Conflict>, Error> {
    index.check(registration, as_of)
}

/// The fuzz target's and corpus tests' entry: decodes `{"registrations", "opportunities",
/// "partners", "policy", "as_of"}` and runs `detect_all` and every `check`, or takes the text as
/// a company name / website / e-mail and runs the matcher; errors are ignored. Not part of the
/// stable API.
#[doc(hidden)]
pub fn fuzz_entry(text: &str) {
    #[derive(serde::Deserialize)]
    struct Input {
        #[serde(default)]
        registrations: Vec<Registration>,
        #[serde(default)]
        opportunities: Vec<DirectOpportunity>,
        #[serde(default)]
        partners: Vec<Partner>,
        #[serde(default)]
        policy: Option<ConflictPolicy>,
        #[serde(default)]
        as_of: Option<Timestamp>,
    }
    if let Ok(input) = crate::json::from_str::<Input>(text) {
        let policy = input.policy.unwrap_or_default();
        let _ = detect_all(
            &input.registrations,
            &input.opportunities,
            &input.partners,
            &policy,
        );
        if let Ok(mut index) = ConflictIndex::new(policy, &input.partners) {
            for o in &input.opportunities {
                let _ = index.insert_opportunity(o);
            }
            let as_of = input.as_of.unwrap_or_default();
            for r in &input.registrations {
                let _ = index.check(r, as_of);
                let _ = index.insert_registration(r);
            }
            index.expire(as_of);
        }
        return;
    }
    let n = normalize_company_name(text);
    let _ = extract_domain(text);
    let c = Customer {
        name: text.to_owned(),
        website: Some(text.to_owned()),
        email: Some(format!("x@{text}")),
        country: Some(text.chars().take(2).collect()),
        city: None,
    };
    let d = Customer {
        name: n.normalized,
        ..Customer::default()
    };
    let e = match_customers(&c, &d, &MatchPolicy::default());
    assert!((0.0..=1.0).contains(&e.score), "score out of range");
}
