//! The customer matcher: are two records about the same company? Names, domains, country and
//! city combine into one explainable score (see [`MatchPolicy`]).

use super::domain::{DomainKind, ExtractedDomain, extract_domain};
use super::model::{Customer, DomainMatch, MatchEvidence, MatchPolicy};
use super::normalize::{fold, normalize_company_name};

/// What the matcher knows about one customer, computed once per record and kept for the life
/// of an index — so packed: every string in one allocation (`text`), their ends in another.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// The normalised name, the name key, the sorted key, country, city (empty: unknown), then
    /// the tokens, then each organisation domain and its label.
    text: Box<str>,
    /// Where each part of `text` ends.
    ends: Box<[u32]>,
    tokens: u16,
    /// Domains that were seen but are not evidence, with why (`free_mail_ignored:gmail.com`).
    ignored: Box<[Box<str>]>,
}

/// The fixed parts of a profile's text, in order.
const NORMALIZED: usize = 0;
const KEY: usize = 1;
const SORTED_KEY: usize = 2;
const COUNTRY: usize = 3;
const CITY: usize = 4;
const FIXED: usize = 5;

/// An organisation domain of a profile (deduplicated; website and e-mail).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dom<'a> {
    /// The registrable domain (`acme.co.uk`).
    pub(crate) domain: &'a str,
    /// Without its public suffix (`acme`).
    pub(crate) label: &'a str,
}

impl Profile {
    /// The profile of a customer; `partner_domains` are the registrable domains that are never
    /// evidence (the registering partner's own).
    pub(crate) fn new(c: &Customer, partner_domains: &[&str]) -> Self {
        let name = normalize_company_name(&c.name);
        let mut sorted: Vec<&str> = name.tokens.iter().map(String::as_str).collect();
        crate::sort::unstable(&mut sorted);
        let sorted_key = sorted.concat();
        let mut domains: Vec<ExtractedDomain> = Vec::new();
        let mut ignored: Vec<Box<str>> = Vec::new();
        for d in [&c.website, &c.email].into_iter().flatten() {
            let Some(d) = extract_domain(d) else { continue };
            let why = match d.kind {
                DomainKind::FreeMail => Some("free_mail_ignored"),
                DomainKind::Builder => Some("website_builder_ignored"),
                DomainKind::Organization if partner_domains.contains(&d.domain.as_str()) => {
                    Some("partner_domain_ignored")
                }
                DomainKind::Organization => None,
            };
            match why {
                Some(why) => {
                    let r: Box<str> = format!("{why}:{}", d.domain).into();
                    if !ignored.contains(&r) {
                        ignored.push(r);
                    }
                }
                None if !domains.iter().any(|x| x.domain == d.domain) => domains.push(d),
                None => {}
            }
        }
        let text = |s: &Option<String>| {
            s.as_deref()
                .map(|s| fold(s).split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let (country, city) = (text(&c.country), text(&c.city));
        let fixed = [name.normalized.as_str(), &name.key, &sorted_key, &country, &city];
        let parts = fixed
            .into_iter()
            .chain(name.tokens.iter().map(String::as_str))
            .chain(domains.iter().flat_map(|d| [d.domain.as_str(), d.label.as_str()]));
        let mut packed = String::new();
        let mut ends = Vec::with_capacity(FIXED + name.tokens.len() + 2 * domains.len());
        for part in parts {
            packed.push_str(part);
            // (names are at most MAX_NAME_LEN long, domains 253 bytes: far below 4 GB)
            ends.push(u32::try_from(packed.len()).unwrap_or(u32::MAX));
        }
        Self {
            text: packed.into_boxed_str(),
            ends: ends.into_boxed_slice(),
            tokens: u16::try_from(name.tokens.len()).unwrap_or(u16::MAX),
            ignored: ignored.into_boxed_slice(),
        }
    }

    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The readable normal form of the name.
    pub(crate) fn normalized(&self) -> &str {
        self.part(NORMALIZED)
    }

    /// The comparison key: the tokens German-folded and joined without spaces.
    pub(crate) fn key(&self) -> &str {
        self.part(KEY)
    }

    /// The key of the tokens in sorted order (word order does not matter).
    pub(crate) fn sorted_key(&self) -> &str {
        self.part(SORTED_KEY)
    }

    /// The folded country, when given.
    pub(crate) fn country(&self) -> Option<&str> {
        Some(self.part(COUNTRY)).filter(|c| !c.is_empty())
    }

    /// The folded city, when given.
    pub(crate) fn city(&self) -> Option<&str> {
        Some(self.part(CITY)).filter(|c| !c.is_empty())
    }

    /// The tokens of the comparison key.
    pub(crate) fn tokens(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        (FIXED..FIXED + usize::from(self.tokens)).map(|i| self.part(i))
    }

    pub(crate) fn token_count(&self) -> usize {
        usize::from(self.tokens)
    }

    /// The organisation domains.
    pub(crate) fn domains(&self) -> impl Iterator<Item = Dom<'_>> + Clone + '_ {
        let first = FIXED + usize::from(self.tokens);
        (first..self.ends.len()).step_by(2).map(|i| Dom {
            domain: self.part(i),
            label: self.part(i + 1),
        })
    }

    pub(crate) fn has_domains(&self) -> bool {
        self.ends.len() > FIXED + usize::from(self.tokens)
    }

    pub(crate) fn ignored(&self) -> &[Box<str>] {
        &self.ignored
    }
}

/// The best relation between the two sides' domains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Domains<'a> {
    /// One side has no organisation domain.
    Unknown,
    /// Unrelated domains.
    Different(&'a str, &'a str),
    /// Labels one edit apart (`payford` / `paybord`): more likely two companies.
    Near(&'a str, &'a str),
    /// One label extends the other by a descriptor word (`acme` / `acmesoftware`): a sibling
    /// or a homonym, more likely another company.
    Extended(&'a str, &'a str),
    /// One label extends the other by an alias part (`acme` / `acmeglobal`, `acmeusa`,
    /// `acme-nl1`): the same organisation's other domain.
    Alias(&'a str, &'a str),
    /// The same registrable domain or the same label under another suffix.
    Equal(&'a str),
}

/// A label without an alias part when what remains is the record's own name key
/// (`magurus` of "Magur Inc" → `magur`).
fn base_label<'a>(d: Dom<'a>, key: &str) -> &'a str {
    let l = d.label;
    if l.len() > key.len() && key.len() >= 4 && l.starts_with(key) && is_alias_part(&l[key.len()..]) {
        &l[..key.len()]
    } else {
        l
    }
}

fn compare_domains<'a>(a: &'a Profile, b: &'a Profile) -> Domains<'a> {
    let (ka, kb) = (a.key(), b.key());
    let (Some(a0), Some(b0)) = (a.domains().next(), b.domains().next()) else {
        return Domains::Unknown;
    };
    let mut best = Domains::Different(a0.domain, b0.domain);
    for x in a.domains() {
        for y in b.domains() {
            let rel = if x.domain == y.domain || x.label == y.label {
                Domains::Equal(x.domain)
            } else if base_label(x, ka) == base_label(y, kb) {
                Domains::Alias(x.domain, y.domain)
            } else {
                let (s, l) = if x.label.len() <= y.label.len() {
                    (x.label, y.label)
                } else {
                    (y.label, x.label)
                };
                if s.len() >= 4
                    && l.len() > s.len()
                    && l.ends_with(s)
                    && GLUED_HOSTS.contains(&&l[..l.len() - s.len()])
                {
                    // a host name glued to the label (`investorsacme.be`: the dot was lost)
                    Domains::Alias(x.domain, y.domain)
                } else if s.len() >= 4 && l.starts_with(s) {
                    if is_alias_part(&l[s.len()..]) {
                        Domains::Alias(x.domain, y.domain)
                    } else {
                        Domains::Extended(x.domain, y.domain)
                    }
                } else if super::distance::osa_distance(s, l) <= 1 {
                    Domains::Near(x.domain, y.domain)
                } else {
                    Domains::Different(x.domain, y.domain)
                }
            };
            best = best.max(rel);
        }
    }
    best
}

/// Host names a website or e-mail address puts before the organisation's domain; glued to the
/// label when the dot between them was lost (`wwwacme.com`, `corpacme.de`).
const GLUED_HOSTS: &[&str] = &[
    "app",
    "blog",
    "careers",
    "corp",
    "en",
    "eu",
    "info",
    "investors",
    "ir",
    "jobs",
    "mail",
    "my",
    "news",
    "portal",
    "secure",
    "shop",
    "store",
    "support",
    "uk",
    "us",
    "web",
    "www",
    "www2",
];

/// Parts that make another domain of the same organisation: `global`, `online`, `group`,
/// `inc`, `web`, `local`, country codes and names, `-nl1`.
const ALIAS_PARTS: &[&str] = &[
    "co", "com", "corp", "global", "group", "hq", "inc", "intl", "local", "official", "online", "web",
    "world",
];

fn is_alias_part(extra: &str) -> bool {
    let e = extra
        .trim_start_matches('-')
        .trim_end_matches(|c: char| c.is_ascii_digit());
    e.len() == 2 && e.bytes().all(|b| b.is_ascii_lowercase())
        || ALIAS_PARTS.contains(&e)
        || super::normalize::is_country_word(e)
}

/// A profile's own name extended by its domain: a record named "Prara Inc" with the domain
/// `praramedia.ca` dropped the descriptor "Media" from its name; its restored key is
/// `praramedia`. Otherwise the name key.
fn restored_key(p: &Profile) -> &str {
    let k = p.key();
    p.domains()
        .map(|d| d.label)
        .find(|l| l.len() > k.len() && l.starts_with(k) && k.len() >= 3 && !is_alias_part(&l[k.len()..]))
        .unwrap_or(k)
}

/// Name similarity in [0, 1]: 1 when the keys are equal in token order or sorted order,
/// otherwise `1 − edits / longer length` (optimal string alignment: a transposition is one edit).
fn name_similarity(a: &Profile, b: &Profile) -> f64 {
    let (x, y) = (a.key(), b.key());
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (rx, ry) = (restored_key(a), restored_key(b));
    if rx != x || ry != y {
        // a dropped descriptor was restored from a domain: compare the restored names
        if rx == ry {
            return 1.0;
        }
        let len = rx.chars().count().max(ry.chars().count());
        return 1.0 - super::distance::osa_distance(rx, ry) as f64 / len as f64;
    }
    if x == y || a.sorted_key() == b.sorted_key() {
        return 1.0;
    }
    let sim = |p: &str, q: &str| {
        let len = p.chars().count().max(q.chars().count());
        1.0 - super::distance::osa_distance(p, q) as f64 / len as f64
    };
    let s = sim(x, y);
    let s = if a.token_count() > 1 || b.token_count() > 1 {
        s.max(sim(a.sorted_key(), b.sorted_key()))
    } else {
        s
    };
    // template families ("Bank of Austin" / "Bank of Boston"): one whole word differs
    if a.token_count() == b.token_count() && a.token_count() > 1 {
        let diff: Vec<(&str, &str)> = a.tokens().zip(b.tokens()).filter(|(p, q)| p != q).collect();
        if let [(p, q)] = diff.as_slice()
            && sim(p, q) <= 0.5
        {
            return s.min(0.6);
        }
    }
    s
}

/// One name is the initials of the other ("CRB" / "Cleveland Retail Biotech").
fn acronym(a: &Profile, b: &Profile) -> bool {
    let check = |short: &Profile, long: &Profile| {
        let k = short.key();
        short.token_count() == 1 && (2..=6).contains(&k.len()) && long.token_count() >= 2 && {
            let all: String = long.tokens().filter_map(|t| t.chars().next()).collect();
            let content: String = long
                .tokens()
                .filter(|t| !matches!(*t, "of" | "the" | "and" | "for" | "de"))
                .filter_map(|t| t.chars().next())
                .collect();
            k == all || k == content
        }
    };
    check(a, b) || check(b, a)
}

/// Every token of the shorter name is in the longer one ("Pohir" / "Pohir Dental").
fn dropped_descriptor(a: &Profile, b: &Profile) -> bool {
    let (s, l) = if a.token_count() <= b.token_count() {
        (a, b)
    } else {
        (b, a)
    };
    s.token_count() > 0 && s.token_count() < l.token_count() && s.tokens().all(|t| l.tokens().any(|u| u == t))
}

/// The score of a shared domain: `EQUAL_BASE + (1 − EQUAL_BASE) × name similarity`.
const EQUAL_BASE: f64 = 0.6;

/// The name similarity granted when both names spell their shared domain's label.
const NEAR_LABEL: f64 = 0.75;

/// Whether a name key spells a domain label: its start up to a typo ([`near_label`]), or all
/// of it with the words in another order (the same letters, at least six of them).
fn spells(key: &str, label: &str) -> bool {
    near_label(key, label) || (key.len() >= 6 && key.len() == label.len() && same_letters(key, label))
}

/// Whether two strings hold the same characters, each as often.
fn same_letters(a: &str, b: &str) -> bool {
    let mut x: Vec<char> = a.chars().collect();
    let mut y: Vec<char> = b.chars().collect();
    crate::sort::unstable(&mut x);
    crate::sort::unstable(&mut y);
    x == y
}

/// Whether a name key spells the start of a domain label (or the label the start of the key)
/// up to a typo: one edit for keys of 4–7 characters, two from 8. Shorter keys do not count.
fn near_label(key: &str, label: &str) -> bool {
    let n = key.chars().count();
    if n < 4 {
        return false;
    }
    let allowed = if n >= 8 { 2 } else { 1 };
    let prefix = |s: &str, len: usize| -> String { s.chars().take(len).collect() };
    let m = label.chars().count();
    // the key against the label's start (the name dropped a descriptor the label keeps), and
    // the label against the key's start (the name kept words the label drops)
    (n.saturating_sub(1)..=n + 1)
        .filter(|&len| len <= m)
        .any(|len| super::distance::osa_distance(key, &prefix(label, len)) <= allowed)
        || (m >= 4 && m < n && super::distance::osa_distance(label, &prefix(key, m)) <= allowed)
}

/// `a` has no domain and its name key is the label of one of `b`'s domains ("Medimed" and
/// `medimed.com`).
fn name_is_domain<'a>(a: &Profile, b: &'a Profile) -> Option<&'a str> {
    if a.has_domains() || a.key().len() < 4 {
        return None;
    }
    b.domains().find(|d| d.label == a.key()).map(|d| d.domain)
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Compares two profiles under a policy.
pub(crate) fn compare(a: &Profile, b: &Profile, policy: &MatchPolicy) -> MatchEvidence {
    let mut reasons = Vec::new();
    let (score, name_sim, domain) = assess(a, b, policy, Some(&mut reasons));
    for r in a.ignored().iter().chain(b.ignored()) {
        if !reasons.iter().any(|x| x.as_str() == &**r) {
            reasons.push(r.to_string());
        }
    }
    MatchEvidence {
        same_customer: is_same(score, a, b, policy),
        score,
        name_similarity: round6(name_sim),
        normalized_names: [a.normalized().to_owned(), b.normalized().to_owned()],
        domain,
        reasons,
    }
}

/// [`compare`]'s `same_customer` alone, without building the evidence (no allocation for the
/// reasons): what batch detection asks of most candidate pairs.
pub(crate) fn same_customer(a: &Profile, b: &Profile, policy: &MatchPolicy) -> bool {
    let (score, _, _) = assess(a, b, policy, None);
    is_same(score, a, b, policy)
}

fn is_same(score: f64, a: &Profile, b: &Profile, policy: &MatchPolicy) -> bool {
    score >= policy.threshold && !a.key().is_empty() && !b.key().is_empty()
}

/// The score (rounded), the name similarity and the domain verdict of a pair; each reason is
/// written to `reasons` when given (and not even formatted otherwise).
fn assess(
    a: &Profile,
    b: &Profile,
    policy: &MatchPolicy,
    mut reasons: Option<&mut Vec<String>>,
) -> (f64, f64, DomainMatch) {
    let mut note = |reason: &dyn Fn() -> String| {
        if let Some(r) = reasons.as_deref_mut() {
            r.push(reason());
        }
    };
    let name_sim = name_similarity(a, b);
    if name_sim == 1.0 {
        note(&|| "name_equal".to_owned());
    } else {
        note(&|| format!("name_similarity:{}", round6(name_sim)));
    }
    let domains = compare_domains(a, b);
    let mut score = name_sim;
    let domain = match domains {
        Domains::Equal(d) => {
            note(&|| format!("domain_equal:{d}"));
            let mut s = name_sim;
            if acronym(a, b) {
                note(&|| "acronym".to_owned());
                s = 1.0;
            } else if dropped_descriptor(a, b) {
                note(&|| "descriptor_dropped".to_owned());
                s = s.max(0.9);
            } else if let Some(label) = a.domains().find(|x| x.domain == d).map(|x| x.label)
                && spells(a.key(), label)
                && spells(b.key(), label)
                && b.domains().any(|y| y.label == label)
            {
                // both names spell the shared domain's name: with a typo and a dropped
                // descriptor ("Prdkut" / "Prekut Networks" at prekutnetworks.com), or in another
                // word order ("Plastics-Swiftstream" at swiftstreamplastics.com)
                note(&|| format!("names_match_domain:{label}"));
                s = s.max(NEAR_LABEL);
            }
            score = EQUAL_BASE + (1.0 - EQUAL_BASE) * s;
            DomainMatch::Equal
        }
        Domains::Alias(x, y) => {
            note(&|| format!("domain_alias:{x}/{y}"));
            score = EQUAL_BASE + (1.0 - EQUAL_BASE) * name_sim;
            DomainMatch::Equal
        }
        Domains::Extended(x, y) => {
            note(&|| format!("domain_extended:{x}/{y}"));
            score -= policy.different_domain_penalty;
            DomainMatch::Different
        }
        Domains::Near(x, y) => {
            note(&|| format!("domain_near:{x}/{y}"));
            score -= policy.near_domain_penalty;
            DomainMatch::Different
        }
        Domains::Different(x, y) => {
            note(&|| format!("domain_different:{x}/{y}"));
            score -= policy.different_domain_penalty;
            DomainMatch::Different
        }
        Domains::Unknown => {
            if let Some(l) = name_is_domain(a, b).or_else(|| name_is_domain(b, a)) {
                note(&|| format!("name_matches_domain:{l}"));
                score = EQUAL_BASE + (1.0 - EQUAL_BASE) * name_sim.max(0.9);
            }
            DomainMatch::Unknown
        }
    };
    // The folded country, its ASCII letters upper-cased (`DE`, `UNITED STATES`); other scripts
    // stay as folded. (ASCII only: `str::to_uppercase` would bring Unicode's upper-case table,
    // 8 KB gzip, into the WebAssembly module for a label.)
    if let (Some(x), Some(y)) = (a.country(), b.country()) {
        if x == y {
            note(&|| format!("country_equal:{}", x.to_ascii_uppercase()));
        } else {
            note(&|| {
                format!(
                    "country_different:{}/{}",
                    x.to_ascii_uppercase(),
                    y.to_ascii_uppercase()
                )
            });
            if domain != DomainMatch::Equal {
                score -= policy.different_country_penalty;
            }
        }
    }
    if let (Some(x), Some(y)) = (a.city(), b.city())
        && x != y
        && domain != DomainMatch::Equal
    {
        note(&|| format!("city_different:{x}/{y}"));
        score -= policy.different_city_penalty;
    }
    (round6(score.clamp(0.0, 1.0)), name_sim, domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, web: Option<&str>, country: Option<&str>) -> Profile {
        Profile::new(
            &Customer {
                name: name.into(),
                website: web.map(Into::into),
                email: None,
                country: country.map(Into::into),
                city: None,
            },
            &[],
        )
    }

    #[test]
    fn country_reasons_upper_case_ascii_letters_only() {
        let m = MatchPolicy::default();
        let reasons =
            |x: &str, y: &str| compare(&p("Acme", None, Some(x)), &p("Acme", None, Some(y)), &m).reasons;
        assert!(reasons("de", "De").contains(&"country_equal:DE".to_owned()));
        assert!(reasons("Österreich", "de").contains(&"country_different:OSTERREICH/DE".to_owned()));
        assert!(reasons("Россия", "россия").contains(&"country_equal:россия".to_owned()));
    }

    #[test]
    fn hard_negatives_stay_apart() {
        let m = MatchPolicy::default();
        let same = |a: &Profile, b: &Profile| compare(a, b, &m).same_customer;
        assert!(!same(
            &p("Acme Industries", None, Some("US")),
            &p("Acme Software", None, Some("US"))
        ));
        assert!(!same(
            &p("First National Bank of Austin", None, None),
            &p("First National Bank of Boston", None, None)
        ));
        assert!(!same(
            &p("Greennet Group", Some("greennet.com"), Some("US")),
            &p("Greennet Group", Some("greennet-gmbh.de"), Some("DE"))
        ));
        assert!(same(
            &p("Acme Industries Inc.", None, Some("US")),
            &p("ACME INDUSTRIES, LLC", None, Some("US"))
        ));
        assert!(same(
            &p("CRB Inc", Some("crb.com"), None),
            &p("Cleveland Retail Biotech", Some("www.crb.com"), None)
        ));
    }

    #[test]
    fn names_that_spell_a_shared_domain_match() {
        let m = MatchPolicy::default();
        let check = |a: &Profile, b: &Profile| {
            let (ab, ba) = (compare(a, b, &m), compare(b, a, &m));
            assert_eq!((ab.same_customer, ab.score), (ba.same_customer, ba.score));
            ab
        };
        // a typo and a dropped descriptor on one side
        let ev = check(
            &p("Prdkut Pty. Ltd.", Some("prekutnetworks.com"), Some("AU")),
            &p(
                "Prekut Networks Limited",
                Some("investors.prekutnetworks.com"),
                Some("AU"),
            ),
        );
        assert!(ev.same_customer, "{ev:?}");
        assert!(
            ev.reasons
                .contains(&"names_match_domain:prekutnetworks".to_owned())
        );
        // the words in another order, once joined
        let ev = check(
            &p("Plastics-Swiftstream", Some("swiftstreamplastics.com"), None),
            &p(
                "SwiftstreamPlastics",
                Some("http://swiftstreamplastics.com"),
                None,
            ),
        );
        assert!(ev.same_customer, "{ev:?}");
        // a host name glued to the label: the same organisation's domain
        let ev = check(
            &p("IYER BREWING SA", Some("investorsiyerbrewing.be"), Some("BE")),
            &p("IYER BREWING", Some("iyerbrewing.be"), Some("BE")),
        );
        assert!(ev.same_customer && ev.domain == DomainMatch::Equal, "{ev:?}");
        // a shared domain alone does not make other names the same company
        let ev = check(
            &p("Beta Holdings", Some("acme.com"), None),
            &p("Acme Corp", Some("acme.com"), None),
        );
        assert!(!ev.same_customer, "{ev:?}");
        assert!(!near_label("acm", "acmesoftware") && near_label("akme", "acmesoftware"));
        assert!(spells("softwareacme", "acmesoftware") && !spells("softwareacmx", "acmesoftware"));
    }
}
