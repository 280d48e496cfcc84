//! [`ConflictIndex`]: existing registrations and opportunities filed under their blocking keys,
//! maintained incrementally, checked against one new registration at a time.

use super::blocking::keys;
use super::error::{ConflictsErrorKind, err};
use super::matching::same_customer;
use super::model::{Conflict, ConflictPolicy, DirectOpportunity, Partner, Record, Registration};
use super::postings::Postings;
use super::rule::{Entry, Partners, check_policy, conflict, could_conflict};
use crate::Error;
use crate::domain::{PartnerId, RecordId, Timestamp};
use crate::hash::{FnvMap, FnvSet};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The most records an index (or a `detect_all` call) holds.
pub const MAX_RECORDS: usize = 50_000_000;

/// An index of existing records for the deal-registration form's check.
///
/// ```
/// use prm_core::conflicts::{ConflictIndex, ConflictPolicy, Record, Registration};
/// let mut index = ConflictIndex::new(ConflictPolicy::default(), &[])?;
/// let existing: Record = serde_json::from_str(r#"{"id": "R1", "partner_id": "P1",
///     "customer": {"name": "Müller Logistik GmbH", "website": "mueller-logistik.de", "country": "DE"},
///     "products": ["security"], "submitted_at": "2026-01-05T10:00:00Z"}"#).unwrap();
/// index.insert(&existing)?;
/// // a partner is typing a registration: no submitted_at yet, so `as_of` stands in
/// let new: Registration = serde_json::from_str(r#"{"id": "new", "partner_id": "P2",
///     "customer": {"name": "Mueller Logistik", "email": "a.b@mueller-logistik.de", "country": "DE"},
///     "products": ["security", "cloud"]}"#).unwrap();
/// let as_of = "2026-02-01T00:00:00Z".parse().unwrap();
/// let found = index.check(&new, as_of)?;
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].earlier_id.as_str(), "R1");
/// assert_eq!(found[0].resolution.winner_id.as_str(), "R1");
/// assert_eq!(found[0].evidence.reasons[1], "domain_equal:mueller-logistik.de");
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ConflictIndex {
    policy: ConflictPolicy,
    partners: Partners,
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    by_id: FnvMap<RecordId, u32>,
    postings: Postings,
    /// Product names as the records share them (one allocation per distinct name; kept for the
    /// life of the index).
    products: FnvSet<Arc<str>>,
}

/// One indexed record: as given (for snapshots: its JSON text without the fields the entry
/// holds exactly, one allocation instead of a dozen strings) and as the engine sees it (its blocking keys are computed again from its
/// profile when it is removed, rather than kept).
#[derive(Debug, Clone)]
struct Slot {
    record: Box<str>,
    entry: Entry,
}

/// The fields of a record that its entry holds exactly, so the stored text leaves them out.
const HELD_BY_ENTRY: [&str; 7] = [
    "id",
    "partner_id",
    "submitted_at",
    "created_at",
    "approved_at",
    "rejected_at",
    "closed_at",
];

/// A record's JSON object written without the fields its entry holds (skipped as it is written,
/// not removed first: fewer steps, and no B-tree removal code in the WebAssembly module).
struct WithoutHeld<'a>(&'a serde_json::Value);

impl serde::Serialize for WithoutHeld<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let serde_json::Value::Object(o) = self.0 else {
            return self.0.serialize(serializer);
        };
        let mut map = serializer.serialize_map(None)?;
        for (k, v) in o.iter().filter(|(k, _)| !HELD_BY_ENTRY.contains(&k.as_str())) {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Slot {
    fn new(record: &Record, entry: Entry) -> Self {
        let v = serde_json::to_value(record).unwrap_or_default();
        Self {
            // serde_json's writer to bytes (not `Value`'s `Display`, which would compile a
            // second writer, through `fmt`, into the WebAssembly module)
            record: serde_json::to_string(&WithoutHeld(&v))
                .unwrap_or_default()
                .into_boxed_str(),
            entry,
        }
    }

    /// The record as it was inserted: the stored text with the entry's fields put back (an
    /// index's registration has `submitted_at`, its `t0`).
    fn record(&self) -> Option<Record> {
        let mut v: serde_json::Value = serde_json::from_str(&self.record).ok()?;
        let o = v.as_object_mut()?;
        let e = &self.entry;
        let time = |t: Timestamp| serde_json::to_value(t).ok();
        o.insert("id".into(), serde_json::Value::from(e.id.as_str()));
        let mut put = |k: &str, t: Option<Timestamp>| {
            if let Some(t) = t.and_then(time) {
                o.insert(k.into(), t);
            }
        };
        match &e.partner {
            None => {
                put("created_at", Some(e.t0));
                put("closed_at", e.closed_at);
            }
            Some(p) => {
                put("submitted_at", Some(e.t0));
                put("approved_at", e.approved_at);
                put("rejected_at", e.rejected_at);
                put("closed_at", e.closed_at);
                o.insert("partner_id".into(), serde_json::Value::from(p.as_str()));
            }
        }
        let r = crate::json::from_value(v).ok();
        debug_assert!(r.is_some(), "a record's own JSON reads back");
        r
    }
}

/// Everything an index holds, as data: its policy, partners and records (sorted by id). The
/// JSON of a snapshot rebuilds an equal index with [`ConflictIndex::from_snapshot`]; the Python
/// and JavaScript surfaces pickle and store indexes this way.
///
/// ```
/// use prm_core::conflicts::{ConflictIndex, ConflictPolicy, IndexSnapshot, Record};
/// let mut index = ConflictIndex::new(ConflictPolicy::default(), &[])?;
/// let r: Record = serde_json::from_str(r#"{"id": "R1", "partner_id": "P1",
///     "customer": {"name": "Acme GmbH"}, "submitted_at": "2026-01-05T10:00:00Z"}"#).unwrap();
/// index.insert(&r)?;
/// let json = serde_json::to_string(&index.snapshot()).unwrap();
/// let back = ConflictIndex::from_snapshot(serde_json::from_str::<IndexSnapshot>(&json).unwrap())?;
/// assert_eq!(back.len(), 1);
/// assert_eq!(back.snapshot(), index.snapshot());
/// # Ok::<(), prm_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexSnapshot {
    /// The index's policy.
    pub policy: ConflictPolicy,
    /// The partners it knows, sorted by id.
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// Its records, sorted by id.
    #[serde(default)]
    pub records: Vec<Record>,
}

impl ConflictIndex {
    /// An empty index under a policy, knowing the partners (their domains, tiers, territories).
    pub fn new(policy: ConflictPolicy, partners: &[Partner]) -> Result<Self, Error> {
        check_policy(&policy)?;
        let partners = Partners::new(partners, "partners")?;
        Ok(Self {
            policy,
            partners,
            slots: Vec::new(),
            free: Vec::new(),
            by_id: FnvMap::default(),
            postings: Postings::default(),
            products: FnvSet::default(),
        })
    }

    /// The policy.
    pub fn policy(&self) -> &ConflictPolicy {
        &self.policy
    }

    /// The index as data (policy, partners and records sorted by id).
    pub fn snapshot(&self) -> IndexSnapshot {
        let mut partners: Vec<Partner> = self.partners.by_id.values().map(|(p, _)| p.clone()).collect();
        crate::sort::by(&mut partners, |a, b| a.id.cmp(&b.id));
        let mut records: Vec<&Slot> = self.slots.iter().flatten().collect();
        crate::sort::by(&mut records, |a, b| a.entry.id.cmp(&b.entry.id));
        IndexSnapshot {
            policy: self.policy.clone(),
            partners,
            // (a record's own JSON always reads back)
            records: records.into_iter().filter_map(Slot::record).collect(),
        }
    }

    /// Rebuilds an index from a snapshot (validating it as `new` and `insert` do; error paths
    /// name `partners[i]` and `records[i]`).
    pub fn from_snapshot(snapshot: IndexSnapshot) -> Result<Self, Error> {
        let mut index = Self::new(snapshot.policy, &snapshot.partners)?;
        for (i, r) in snapshot.records.into_iter().enumerate() {
            index
                .insert_owned(r)
                .map_err(|e| e.under(&format!("records[{i}]")))?;
        }
        Ok(index)
    }

    /// How many records the index holds.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Adds a record; an id already in the index is an `InvalidRecord` error (remove it first
    /// to replace it).
    pub fn insert(&mut self, record: &Record) -> Result<(), Error> {
        self.insert_owned(record.clone())
    }

    /// Adds a registration (it needs `submitted_at`).
    pub fn insert_registration(&mut self, r: &Registration) -> Result<(), Error> {
        self.insert_owned(Record::Registration(r.clone()))
    }

    /// Adds a direct opportunity.
    pub fn insert_opportunity(&mut self, o: &DirectOpportunity) -> Result<(), Error> {
        self.insert_owned(Record::Opportunity(o.clone()))
    }

    fn insert_owned(&mut self, record: Record) -> Result<(), Error> {
        let mut e = match &record {
            Record::Registration(r) => Entry::registration(r, "", &self.partners, &self.policy, None)?,
            Record::Opportunity(o) => Entry::opportunity(o, "")?,
        };
        if self.by_id.contains_key(&e.id) {
            return Err(err(
                ConflictsErrorKind::InvalidRecord,
                "id",
                format!("record `{}` is already in the index", e.id),
            ));
        }
        if self.by_id.len() >= MAX_RECORDS {
            return Err(Error::LimitExceeded {
                path: String::new(),
                message: format!("an index holds at most {MAX_RECORDS} records"),
            });
        }
        self.share(&mut e);
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            (self.slots.len() - 1) as u32
        });
        for k in keys(&e.profile) {
            self.postings.add(k, slot);
        }
        self.by_id.insert(e.id.clone(), slot);
        self.slots[slot as usize] = Some(Slot::new(&record, e));
        Ok(())
    }

    /// Shares the strings records repeat with the index's copies: product names, and the ids of
    /// known partners.
    fn share(&mut self, e: &mut Entry) {
        for p in &mut e.products {
            match self.products.get(p) {
                Some(shared) => *p = shared.clone(),
                None => {
                    self.products.insert(p.clone());
                }
            }
        }
        if let Some(p) = &mut e.partner
            && let Some((shared, _)) = self.partners.by_id.get_key_value(p)
        {
            *p = shared.clone();
        }
    }

    /// Removes a record by id; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.by_id.remove(id) else {
            return false;
        };
        if let Some(Slot { entry, .. }) = self.slots[slot as usize].take() {
            for k in keys(&entry.profile) {
                self.postings.remove(k, slot);
            }
        }
        self.free.push(slot);
        true
    }

    /// Removes every record that can no longer be active at or after `as_of` (rejected,
    /// closed, or approved with protection ended, by `as_of`), except `closed_won`
    /// registrations, which keep their partner the partner of record. Returns how many.
    pub fn expire(&mut self, as_of: Timestamp) -> usize {
        let gone: Vec<RecordId> = self
            .slots
            .iter()
            .flatten()
            .map(|s| &s.entry)
            .filter(|e| !e.won && !e.active(as_of) && e.t0 <= as_of)
            .map(|e| e.id.clone())
            .collect();
        for id in &gone {
            self.remove(id);
        }
        gone.len()
    }

    /// Every conflict between `registration` and the indexed records known at `as_of` (records
    /// with t0 after `as_of` are ignored), in either direction, sorted by (later t0, later id,
    /// earlier id). A registration without `submitted_at` is taken as submitted at `as_of`;
    /// an indexed record with the same id is skipped.
    pub fn check(&self, registration: &Registration, as_of: Timestamp) -> Result<Vec<Conflict>, Error> {
        let q = Entry::registration(registration, "", &self.partners, &self.policy, Some(as_of))?;
        let mut cands: Vec<u32> = keys(&q.profile)
            .iter()
            .flat_map(|&k| self.postings.get(k))
            .copied()
            .collect();
        crate::sort::unstable(&mut cands);
        cands.dedup();
        let cands: Vec<&Entry> = cands
            .iter()
            .filter_map(|&s| self.slots[s as usize].as_ref().map(|s| &s.entry))
            .filter(|e| e.t0 <= as_of && e.id != q.id)
            .collect();
        let mut out = conflicts_with(&q, &cands, &self.policy, &self.partners);
        crate::sort::by(&mut out, |a, b| {
            let t = |c: &Conflict| {
                if c.later_id == q.id {
                    q.t0
                } else {
                    self.entry(&c.later_id).map_or(q.t0, |e| e.t0)
                }
            };
            (t(a), &a.later_id, &a.earlier_id).cmp(&(t(b), &b.later_id, &b.earlier_id))
        });
        Ok(out)
    }

    fn entry(&self, id: &str) -> Option<&Entry> {
        let slot = *self.by_id.get(id)?;
        self.slots[slot as usize].as_ref().map(|s| &s.entry)
    }
}

/// The conflicts between `q` and each candidate, in either direction. The partners of record
/// come from the candidates: `closed_won` registrations of the same customer as `q`, closed by
/// the later record's t0.
pub(crate) fn conflicts_with(
    q: &Entry,
    cands: &[&Entry],
    policy: &ConflictPolicy,
    partners: &Partners,
) -> Vec<Conflict> {
    let mut won: Vec<(PartnerId, Timestamp)> = Vec::new();
    if policy
        .resolution
        .contains(&super::model::ResolutionRule::PartnerOfRecord)
    {
        for c in cands {
            if let (true, Some(p), Some(closed)) = (c.won, &c.partner, c.closed_at)
                && same_customer(&c.profile, &q.profile, &policy.matching)
            {
                won.push((p.clone(), closed));
            }
        }
    }
    let mut out = Vec::new();
    for c in cands {
        let (e, l) = if c.order_key() < q.order_key() {
            (*c, q)
        } else {
            (q, *c)
        };
        if !could_conflict(e, l) {
            continue;
        }
        let incumbents: Vec<PartnerId> = won
            .iter()
            .filter(|(_, closed)| *closed <= l.t0)
            .map(|(p, _)| p.clone())
            .collect();
        if let Some(c) = conflict(e, l, policy, partners, &incumbents) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records are kept as their JSON text: a snapshot gives back every field as inserted.
    #[test]
    fn snapshots_give_back_records_exactly() {
        let records: Vec<Record> = serde_json::from_str(
            r#"[{"id": "R1", "partner_id": "P1", "customer": {"name": "Müller Logistik GmbH",
                  "website": "https://www.mueller-logistik.de/x?y=1", "email": "a@b.de", "country": "DE",
                  "city": "München"}, "products": ["cloud", "security"],
                  "amount": {"amount": "1234.50", "currency": "EUR"},
                  "submitted_at": "2026-01-05T10:00:00.123Z", "approved_at": "2026-01-06T00:00:00Z",
                  "expires_at": "2026-04-06T00:00:00Z", "closed_at": "2026-05-01T00:00:00Z",
                  "status": "closed_won"},
                 {"id": "O1", "owner_id": "rep-7", "account": {"name": "Acme"}, "products": ["cloud"],
                  "created_at": "2026-02-01T00:00:00Z", "closed_at": "2026-03-01T00:00:00Z"},
                 {"id": "R2", "partner_id": "P9", "customer": {"name": "Acme"}, "products": ["cloud", "cloud"],
                  "submitted_at": "2026-01-07T00:00:00.000001Z", "rejected_at": "2026-01-08T00:00:00Z"}]"#,
        )
        .unwrap();
        let partners: Vec<Partner> = serde_json::from_str(r#"[{"id": "P1"}]"#).unwrap();
        let mut index = ConflictIndex::new(ConflictPolicy::default(), &partners).unwrap();
        for r in &records {
            index.insert(r).unwrap();
        }
        assert_eq!(
            index.snapshot().records,
            [records[1].clone(), records[0].clone(), records[2].clone()]
        );
        // shared strings: the second record's product is the first's allocation
        let cloud: Vec<&Arc<str>> = index
            .slots
            .iter()
            .flatten()
            .map(|s| &s.entry.products[0])
            .collect();
        assert!(Arc::ptr_eq(cloud[0], cloud[1]) && Arc::ptr_eq(cloud[1], cloud[2]));
    }
}
