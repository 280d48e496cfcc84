//! Deal-registration conflicts for JavaScript: `normalizeCompanyName`, `extractDomain`,
//! `matchCustomers`, `detectAll`, `new ConflictIndex(policy, partners)` with `.insert`,
//! `.remove`, `.expire`, `.check`.

use crate::convert::{IntoJsResult, decode, encode};
use prm_core::Error;
use prm_core::conflicts::{self, ConflictPolicy, Customer, DirectOpportunity, Partner, Record, Registration};
use prm_core::domain::Timestamp;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export interface Customer { name: string; website?: string; email?: string; country?: string; city?: string; }
export interface Registration {
  id: string; partner_id: string; customer: Customer; products?: string[]; amount?: Money;
  submitted_at?: string; approved_at?: string; rejected_at?: string; expires_at?: string; closed_at?: string;
  status?: "pending" | "approved" | "rejected" | "expired" | "closed_won" | "closed_lost";
}
export interface DirectOpportunity {
  id: string; owner_id: string; account: Customer; products?: string[]; amount?: Money; created_at: string; closed_at?: string;
}
export interface ConflictPartner { id: string; domain?: string; tier?: string; territories?: string[]; }
export type ResolutionRule = "direct_wins" | "partner_of_record" | "first_approved" | "first_submitted" | "higher_tier" | "territory_owner";
export interface MatchPolicy {
  threshold?: number; different_domain_penalty?: number; near_domain_penalty?: number;
  different_country_penalty?: number; different_city_penalty?: number;
}
export interface ConflictPolicy { protection_days?: number; matching?: MatchPolicy; resolution?: ResolutionRule[]; tier_order?: string[]; }
export interface MatchEvidence {
  same_customer: boolean; score: number; name_similarity: number; normalized_names: [string, string];
  domain: "equal" | "different" | "unknown"; reasons: string[];
}
export interface Conflict {
  earlier_id: string; later_id: string; kind: "duplicate" | "channel_conflict" | "direct_conflict";
  overlapping_products: string[]; evidence: MatchEvidence; resolution: { winner_id: string; rule: ResolutionRule };
}
export interface ConflictIndexSnapshot {
  policy: ConflictPolicy; partners: ConflictPartner[]; records: (Registration | DirectOpportunity)[];
}
export interface NormalizedName { normalized: string; key: string; tokens: string[]; legal_forms: string[]; removed: string[]; }
export interface ExtractedDomain { domain: string; label: string; kind: "organization" | "free_mail" | "builder"; }
"#;

fn policy(value: JsValue) -> Result<ConflictPolicy, Error> {
    Ok(decode::<Option<ConflictPolicy>>(value, "policy")?.unwrap_or_default())
}

/// The normal form of a company name.
#[wasm_bindgen(js_name = normalizeCompanyName, unchecked_return_type = "NormalizedName")]
pub fn normalize_company_name(name: &str) -> Result<JsValue, JsValue> {
    encode(&conflicts::normalize_company_name(name))
}

/// The registrable domain of a website or e-mail address, or `null`.
#[wasm_bindgen(js_name = extractDomain, unchecked_return_type = "ExtractedDomain | null")]
pub fn extract_domain(value: &str) -> Result<JsValue, JsValue> {
    encode(&conflicts::extract_domain(value))
}

/// Whether two customers are the same, with the evidence.
#[wasm_bindgen(js_name = matchCustomers, unchecked_return_type = "MatchEvidence")]
pub fn match_customers(
    #[wasm_bindgen(unchecked_param_type = "Customer")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Customer")] b: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConflictPolicy | null | undefined")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    let (a, b, p) = (|| {
        Ok::<_, Error>((
            decode::<Customer>(a, "a")?,
            decode::<Customer>(b, "b")?,
            self::policy(policy)?,
        ))
    })()
    .js()?;
    encode(&conflicts::match_customers(&a, &b, &p.matching))
}

/// Every conflict in a data set, sorted by (later t0, later id, earlier id).
#[wasm_bindgen(js_name = detectAll, unchecked_return_type = "Conflict[]")]
pub fn detect_all(
    #[wasm_bindgen(unchecked_param_type = "Registration[]")] registrations: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DirectOpportunity[] | null | undefined")] opportunities: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConflictPartner[] | null | undefined")] partners: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConflictPolicy | null | undefined")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    let found = (|| {
        let r = decode::<Vec<Registration>>(registrations, "registrations")?;
        let o = decode::<Option<Vec<DirectOpportunity>>>(opportunities, "opportunities")?.unwrap_or_default();
        let ps = decode::<Option<Vec<Partner>>>(partners, "partners")?.unwrap_or_default();
        conflicts::detect_all(&r, &o, &ps, &self::policy(policy)?)
    })()
    .js()?;
    encode(&found)
}

/// An index of existing records for the deal-registration form's check.
#[wasm_bindgen(js_name = ConflictIndex)]
pub struct JsConflictIndex {
    inner: conflicts::ConflictIndex,
}

#[wasm_bindgen(js_class = ConflictIndex)]
impl JsConflictIndex {
    /// An empty index under a policy (default when omitted), knowing the partners.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ConflictPolicy | null | undefined")] policy: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ConflictPartner[] | null | undefined")] partners: JsValue,
    ) -> Result<JsConflictIndex, JsValue> {
        let inner = (|| {
            let ps = decode::<Option<Vec<Partner>>>(partners, "partners")?.unwrap_or_default();
            conflicts::ConflictIndex::new(self::policy(policy)?, &ps)
        })()
        .js()?;
        Ok(Self { inner })
    }

    /// Adds a registration or a direct opportunity.
    pub fn insert(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Registration | DirectOpportunity")] record: JsValue,
    ) -> Result<(), JsValue> {
        let r = decode::<Record>(record, "record").js()?;
        self.inner.insert(&r).js()
    }

    /// Removes a record by id; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        self.inner.remove(id)
    }

    /// Removes records that can no longer be active at or after `asOf`; returns how many.
    pub fn expire(&mut self, #[wasm_bindgen(js_name = asOf)] as_of: &str) -> Result<usize, JsValue> {
        let t = decode::<Timestamp>(JsValue::from_str(as_of), "as_of").js()?;
        Ok(self.inner.expire(t))
    }

    /// The conflicts of one registration with the indexed records known at `asOf`.
    #[wasm_bindgen(unchecked_return_type = "Conflict[]")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Registration")] registration: JsValue,
        #[wasm_bindgen(js_name = asOf)] as_of: &str,
    ) -> Result<JsValue, JsValue> {
        let found = (|| {
            let r = decode::<Registration>(registration, "registration")?;
            let t = decode::<Timestamp>(JsValue::from_str(as_of), "as_of")?;
            self.inner.check(&r, t)
        })()
        .js()?;
        encode(&found)
    }

    /// The index as data (policy, partners and records sorted by id), e.g. to keep it in
    /// IndexedDB; `ConflictIndex.fromSnapshot` rebuilds it.
    #[wasm_bindgen(unchecked_return_type = "ConflictIndexSnapshot")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        encode(&self.inner.snapshot())
    }

    /// Rebuilds an index from `snapshot()` (validated as `new` and `insert` are).
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(
        #[wasm_bindgen(unchecked_param_type = "ConflictIndexSnapshot")] snapshot: JsValue,
    ) -> Result<JsConflictIndex, JsValue> {
        let inner = (|| conflicts::ConflictIndex::from_snapshot(decode(snapshot, "")?))().js()?;
        Ok(Self { inner })
    }

    /// How many records the index holds.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }
}
