//! The public suffix list: which trailing labels of a host are a public suffix (`co.uk`,
//! `github.io`), so that the label before them names a registrant.
//!
//! The rules are the ICANN and private sections of Mozilla's list, as the
//! `structured-public-domains` crate ships them, read the way that crate's `lookup` reads them
//! (a test holds the two equal on every rule and on hosts made from them). Only the data format
//! differs: `public_suffixes.txt` (written by `scripts/gen-public-suffixes.py`) is the rules with
//! reversed labels, sorted and front-coded — 76 KB that gzip to 34 KB, where the crate's
//! searchable trie is 114 KB that gzip to 56 KB, a tenth of the WebAssembly package. The rules
//! are decoded on first use into one buffer and a hash map of slices of it (~1 ms natively).

use crate::hash::FnvMap;
use std::sync::OnceLock;

/// The rules, reversed and front-coded (see `scripts/gen-public-suffixes.py`).
const RULES: &str = include_str!("public_suffixes.txt");

/// The rules decoded, one after the other (each one's end in `ends`).
fn text() -> &'static (String, Vec<u32>) {
    static DECODED: OnceLock<(String, Vec<u32>)> = OnceLock::new();
    DECODED.get_or_init(|| {
        let mut text: Vec<u8> = Vec::with_capacity(2 * RULES.len());
        let mut ends = Vec::with_capacity(10_500);
        let mut start = 0;
        for line in RULES.lines() {
            let Some((&first, rest)) = line.as_bytes().split_first() else {
                continue;
            };
            // the first character says how many bytes the rule shares with the one before
            let shared = usize::from(first.saturating_sub(0x20)).min(text.len() - start);
            let previous = start;
            start = text.len();
            text.extend_from_within(previous..previous + shared);
            text.extend_from_slice(rest);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        (String::from_utf8(text).unwrap_or_default(), ends)
    })
}

/// Every node of the rule trie, by its labels from the top (`uk.co`), and whether a rule ends
/// there (a suffix boundary): the rules and their ancestors, as slices of the decoded text (no
/// allocation per node; FNV-1a, as the keys are fixed and short).
fn nodes() -> &'static FnvMap<&'static str, bool> {
    static NODES: OnceLock<FnvMap<&'static str, bool>> = OnceLock::new();
    NODES.get_or_init(|| {
        let (text, ends) = text();
        let mut nodes = FnvMap::with_capacity_and_hasher(11_500, std::hash::BuildHasherDefault::default());
        let (mut start, mut previous) = (0, "");
        for &end in ends {
            let rule = text.get(start..end as usize).unwrap_or_default();
            start = end as usize;
            // the ancestors inside the part shared with the rule before are its ancestors too
            let shared = rule
                .bytes()
                .zip(previous.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            for (at, _) in rule.match_indices('.').filter(|&(at, _)| at >= shared) {
                nodes.entry(&rule[..at]).or_insert(false);
            }
            nodes.insert(rule, true);
            previous = rule;
        }
        nodes
    })
}

/// Lower-cased one character at a time, as the crate does (no final-sigma rule).
fn lower(label: &str) -> String {
    label.chars().flat_map(char::to_lowercase).collect()
}

/// A host's public suffix and registrable domain (the suffix and one more label), both
/// lower-cased; the domain is `None` when the host is a public suffix itself. `None` for an
/// empty host or one with an empty, `*` or `!`-led label. Hosts under no rule take their last
/// label as the suffix (the list's implicit `*` rule).
///
/// Reads the list as `structured_public_domains::lookup` does: a wildcard rule (`*.ck`) makes
/// the next label part of the suffix unless an exception (`!www.ck`) names it, and the deepest
/// match wins, so the parent of a wildcard rule (`ex.futurecms.at` under
/// `*.ex.futurecms.at`) counts as a suffix.
pub(crate) fn lookup(host: &str) -> Option<(String, Option<String>)> {
    let trimmed = host.trim();
    let host = trimmed.strip_suffix('.').unwrap_or(trimmed);
    if host.is_empty() {
        return None;
    }
    let labels: Vec<&str> = host.rsplit('.').collect();
    if labels
        .iter()
        .any(|l| l.is_empty() || *l == "*" || l.starts_with('!'))
    {
        return None;
    }
    let nodes = nodes();
    // the current node's path, with a probe for one of its children appended in turn
    let mut path = String::with_capacity(host.len() + 2);
    let mut label = String::new();
    let mut suffix_depth = 0;
    for (depth, raw) in labels.iter().enumerate() {
        label.clear();
        label.extend(raw.chars().flat_map(char::to_lowercase));
        if depth > 0 {
            path.push('.');
        }
        let child_at = path.len();
        path.push('*');
        if nodes.contains_key(path.as_str()) {
            path.truncate(child_at);
            path.push('!');
            path.push_str(&label);
            suffix_depth = if nodes.contains_key(path.as_str()) {
                depth
            } else {
                depth + 1
            };
        }
        path.truncate(child_at);
        path.push_str(&label);
        match nodes.get(path.as_str()).copied() {
            Some(true) => suffix_depth = depth + 1,
            Some(false) => {}
            None => break,
        }
    }
    let suffix_depth = suffix_depth.max(1);
    let suffix = labels[..suffix_depth]
        .iter()
        .rev()
        .copied()
        .map(lower)
        .collect::<Vec<_>>()
        .join(".");
    let registrable = labels.get(suffix_depth).map(|l| format!("{}.{suffix}", lower(l)));
    Some((suffix, registrable))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the crate says, in the same shape.
    fn reference(host: &str) -> Option<(String, Option<String>)> {
        structured_public_domains::lookup(host)
            .map(|d| (d.suffix().to_owned(), d.registrable_domain().map(str::to_owned)))
    }

    fn rules() -> Vec<String> {
        let mut out = Vec::new();
        let mut rule = String::new();
        for line in RULES.lines() {
            let first = line.chars().next().unwrap();
            rule.truncate(first as usize - 0x20);
            rule.push_str(&line[1..]);
            out.push(rule.split('.').rev().collect::<Vec<_>>().join("."));
        }
        out
    }

    #[test]
    fn the_file_holds_every_rule_once() {
        let rules = rules();
        assert_eq!(rules.len(), 10_396);
        let distinct: std::collections::HashSet<_> = rules.iter().collect();
        assert_eq!(distinct.len(), rules.len());
        assert!(rules.contains(&"co.uk".to_owned()));
        assert!(rules.contains(&"*.ck".to_owned()));
        assert!(rules.contains(&"!www.ck".to_owned()));
        assert!(rules.contains(&"github.io".to_owned()));
    }

    #[test]
    fn agrees_with_the_crate_on_hosts_made_from_every_rule() {
        let mut checked = 0;
        for rule in rules() {
            let bare = rule.trim_start_matches('!').replace('*', "wild");
            let mut parent = bare.split_once('.').map_or("", |(_, p)| p).to_owned();
            if parent.is_empty() {
                parent = "zz".into();
            }
            for host in [
                bare.clone(),
                format!("acme.{bare}"),
                format!("www.acme.{bare}"),
                format!("ACME.{}", bare.to_uppercase()),
                format!("x.{parent}"),
                format!("acme.x.{parent}"),
                format!("{bare}."),
                parent.clone(),
            ] {
                assert_eq!(lookup(&host), reference(&host), "{host}");
                checked += 1;
            }
        }
        assert!(checked > 80_000);
    }

    #[test]
    fn agrees_with_the_crate_on_odd_hosts() {
        for host in [
            "",
            ".",
            "..",
            "com",
            "a.b",
            "example.com",
            "EXAMPLE.COM.",
            " x.co.uk ",
            "a..b.com",
            ".com",
            "*.ck",
            "a.*.ck",
            "!www.ck",
            "www.ck",
            "a.www.ck",
            "b.a.www.ck",
            "x.ck",
            "y.x.ck",
            "city.kobe.jp",
            "www.city.kobe.jp",
            "ex.futurecms.at",
            "shop.ex.futurecms.at",
            "a.shop.ex.futurecms.at",
            "foo.internal",
            "Straße.de",
            "ÉCOLE.FR",
            "食狮.com.cn",
            "a.b.c.d.e.f.g.h",
            "ΑΣ.com",
            "10.0.0.1",
            "xn--p1ai",
            "a.xn--p1ai",
            "localhost",
        ] {
            assert_eq!(lookup(host), reference(host), "{host:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_crate_on_random_hosts(
            labels in proptest::collection::vec("(www|co|com|uk|jp|ck|[a-z]{1,3}|\\*|!x|[éÉß]|)", 0..5)
        ) {
            let host = labels.join(".");
            proptest::prop_assert_eq!(lookup(&host), reference(&host));
        }
    }
}
