//! Registrable domains from websites and e-mail addresses, with the public suffix list
//! (Mozilla's list, ICANN and private sections: the `psl` module reads it as the
//! `structured-public-domains` crate does, from a smaller copy of its data), and the hosts that
//! are not evidence of a customer's identity: free-mail providers and website builders.
//!
//! One deliberate reading of the list, shared by every surface: a host that is only the parent
//! of a wildcard rule (`ex.futurecms.at` under `*.ex.futurecms.at`) counts as a public suffix,
//! so it has no registrable domain.

use serde::Serialize;

mod psl;

/// The longest website or e-mail accepted, in bytes.
pub const MAX_DOMAIN_INPUT_LEN: usize = 2048;

/// What kind of host a domain is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DomainKind {
    /// An organisation's own domain: evidence of identity.
    Organization,
    /// A free-mail provider (gmail.com, outlook.com, web.de, ...): not evidence.
    FreeMail,
    /// A website builder or hosting platform (x.wixsite.com, myshopify.com, sites.google.com):
    /// not evidence.
    Builder,
}

/// A registrable domain extracted from a website or an e-mail address.
///
/// ```
/// use prm_core::conflicts::{extract_domain, DomainKind};
/// let d = extract_domain("https://WWW.Acme.co.uk/en/about?x=1").unwrap();
/// assert_eq!((d.domain.as_str(), d.label.as_str(), d.kind), ("acme.co.uk", "acme", DomainKind::Organization));
/// assert_eq!(extract_domain("jane.doe@eu.mail.acme.de").unwrap().domain, "acme.de");
/// assert_eq!(extract_domain("jane@gmail.com").unwrap().kind, DomainKind::FreeMail);
/// assert_eq!(extract_domain("acme.myshopify.com").unwrap().kind, DomainKind::Builder);
/// assert_eq!(extract_domain("sites.google.com/view/acme").unwrap().kind, DomainKind::Builder);
/// assert!(extract_domain("not a url").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
pub struct ExtractedDomain {
    /// The registrable domain (`acme.co.uk`).
    pub domain: String,
    /// The registrable domain without its public suffix (`acme`); a glued `www` is dropped
    /// (`wwwacme.com` → `acme`).
    pub label: String,
    /// Whether the domain is evidence of identity.
    pub kind: DomainKind,
}

/// Free-mail providers, by registrable domain.
const FREE_MAIL_DOMAINS: &[&str] = &[
    "126.com",
    "163.com",
    "aol.com",
    "bol.com.br",
    "btinternet.com",
    "comcast.net",
    "fastmail.com",
    "free.fr",
    "gmail.com",
    "gmx.net",
    "googlemail.com",
    "hey.com",
    "icloud.com",
    "inbox.com",
    "interia.pl",
    "laposte.net",
    "libero.it",
    "mac.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "naver.com",
    "o2.pl",
    "onet.pl",
    "orange.fr",
    "pm.me",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "rediffmail.com",
    "seznam.cz",
    "sky.com",
    "t-online.de",
    "terra.com.br",
    "tutanota.com",
    "uol.com.br",
    "virginmedia.com",
    "web.de",
    "wp.pl",
    "ymail.com",
    "zoho.com",
];

/// Free-mail providers present under many country suffixes, by label (`yahoo.co.jp`, `gmx.de`).
const FREE_MAIL_LABELS: &[&str] = &[
    "aol",
    "gmail",
    "gmx",
    "hotmail",
    "icloud",
    "live",
    "outlook",
    "protonmail",
    "yahoo",
    "yandex",
];

/// Website builders and hosting platforms, by host suffix.
const BUILDER_HOSTS: &[&str] = &[
    "blogspot.com",
    "business.site",
    "carrd.co",
    "github.io",
    "godaddysites.com",
    "herokuapp.com",
    "jimdofree.com",
    "jimdosite.com",
    "myshopify.com",
    "netlify.app",
    "sites.google.com",
    "square.site",
    "squarespace.com",
    "strikingly.com",
    "vercel.app",
    "webflow.io",
    "webnode.com",
    "weebly.com",
    "wix.com",
    "wixsite.com",
    "wordpress.com",
];

/// The host of a website URL or e-mail address, lower-cased: scheme, user, port, path, query
/// and a trailing dot removed.
fn host(input: &str) -> Option<String> {
    if input.len() > MAX_DOMAIN_INPUT_LEN {
        return None;
    }
    let s = input.trim();
    let s = s.rsplit_once('@').map_or(s, |(_, h)| h);
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let s = s.trim_start_matches('/');
    let end = s.find(['/', '?', '#', ':', ' ']).unwrap_or(s.len());
    let h = s[..end].trim_end_matches('.').to_ascii_lowercase();
    let valid = !h.is_empty()
        && h.contains('.')
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b >= 0x80)
        && !h.split('.').any(str::is_empty);
    valid.then_some(h)
}

/// The registrable domain of a website URL or an e-mail address (`None` when there is none:
/// an empty or malformed value, a bare public suffix, an IP address).
pub fn extract_domain(input: &str) -> Option<ExtractedDomain> {
    let h = host(input)?;
    if h.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let builder = BUILDER_HOSTS
        .iter()
        .any(|b| h == *b || (h.ends_with(b) && h.as_bytes()[h.len() - b.len() - 1] == b'.'));
    let (suffix, domain) = psl::lookup(&h)?;
    let domain = domain?;
    let suffix_len = suffix.len();
    let mut label = domain[..domain.len().saturating_sub(suffix_len + 1)].to_owned();
    if label.is_empty() {
        return None;
    }
    if label.len() > 6 && label.starts_with("www") {
        label.drain(..3);
    }
    let kind = if builder {
        DomainKind::Builder
    } else if FREE_MAIL_DOMAINS.binary_search(&domain.as_str()).is_ok()
        || FREE_MAIL_LABELS.binary_search(&label.as_str()).is_ok()
    {
        DomainKind::FreeMail
    } else {
        DomainKind::Organization
    };
    Some(ExtractedDomain { domain, label, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted() {
        assert!(FREE_MAIL_DOMAINS.windows(2).all(|w| w[0] < w[1]));
        assert!(FREE_MAIL_LABELS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn shapes() {
        let d = |s| extract_domain(s).map(|d| (d.domain, d.label, d.kind));
        let org = DomainKind::Organization;
        assert_eq!(
            d("WWW.MOREAU.CO.UK"),
            Some(("moreau.co.uk".into(), "moreau".into(), org))
        );
        assert_eq!(
            d("https://www.millerfoods.com.mx/en"),
            Some(("millerfoods.com.mx".into(), "millerfoods".into(), org))
        );
        assert_eq!(
            d("wwwlancasterenergy.com"),
            Some(("wwwlancasterenergy.com".into(), "lancasterenergy".into(), org))
        );
        assert_eq!(
            d("mary@us.foxify.com"),
            Some(("foxify.com".into(), "foxify".into(), org))
        );
        assert_eq!(
            d("investors.komir.com.au:443"),
            Some(("komir.com.au".into(), "komir".into(), org))
        );
        assert_eq!(d("x@yahoo.co.jp").map(|d| d.2), Some(DomainKind::FreeMail));
        assert_eq!(
            d("westdale.myshopify.com").map(|d| d.2),
            Some(DomainKind::Builder)
        );
        assert_eq!(d("co.uk"), None);
        assert_eq!(d("http://"), None);
        assert_eq!(d("10.0.0.1"), None);
        // wildcard rules: the parent of `*.ex.futurecms.at` is a suffix too (see the module doc)
        assert_eq!(d("ex.futurecms.at"), None);
        assert_eq!(d("shop.ex.futurecms.at"), None);
        assert_eq!(
            d("a.shop.ex.futurecms.at").map(|x| x.0),
            Some("a.shop.ex.futurecms.at".into())
        );
        assert_eq!(d("www.city.kobe.jp").map(|x| x.0), Some("city.kobe.jp".into()));
        assert_eq!(d("foo.internal").map(|x| x.0), Some("foo.internal".into()));
        assert_eq!(d("a..b.com"), None);
        assert_eq!(d(&"a".repeat(5000)), None);
    }
}
