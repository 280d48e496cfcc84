//! Company-name normalisation: Unicode folding, legal forms of many countries, abbreviations,
//! "The X" / "X, The", country qualifiers and department suffixes.
//!
//! The result has two forms: `normalized` (readable: accents removed, lower case, legal forms
//! and qualifiers dropped) and `key` (what the matcher compares: the tokens of `normalized`
//! with German folding applied, so "Müller" and "Mueller" are equal, joined without spaces so
//! that "Ridge Logic" and "RidgeLogic" are equal).

use serde::Serialize;

/// The longest company name accepted, in bytes (longer names are an `InvalidRecord` error in
/// records and are cut here).
pub const MAX_NAME_LEN: usize = 1024;

/// A normalised company name.
///
/// ```
/// let n = prm_core::conflicts::normalize_company_name("The Müller Holdings GmbH & Co. KG - IT Department");
/// assert_eq!(n.normalized, "muller holdings");
/// assert_eq!(n.key, "mullerholdings");
/// assert_eq!(n.legal_forms, ["gmbh", "and", "co", "kg"]);
/// assert_eq!(n.removed, ["the", "it department"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct NormalizedName {
    /// The readable normal form: folded, legal forms, qualifiers and "the" removed.
    pub normalized: String,
    /// The comparison key: the tokens German-folded (`ue` → `u`) and joined without spaces.
    pub key: String,
    /// The tokens of the comparison key.
    pub tokens: Vec<String>,
    /// Legal-form tokens that were removed, in name order.
    pub legal_forms: Vec<String>,
    /// Other parts removed: "the", country qualifiers, department suffixes.
    pub removed: Vec<String>,
}

/// Legal forms, as token sequences after folding (dots and apostrophes dropped), longest first
/// where one is the tail of another.
const LEGAL_SEQUENCES: &[&[&str]] = &[
    &["s", "de", "rl", "de", "cv"],
    &["gmbh", "and", "co", "kg"],
    &["gmbh", "co", "kg"],
    &["limited", "liability", "company"],
    &["public", "limited", "company"],
    &["sa", "de", "cv"],
    &["s", "de", "rl"],
    &["sp", "z", "oo"],
    &["kabushiki", "kaisha"],
    &["yugen", "kaisha"],
    &["godo", "kaisha"],
    &["co", "ltd"],
    &["pty", "ltd"],
    &["pvt", "ltd"],
    &["pte", "ltd"],
    &["private", "limited"],
    &["proprietary", "limited"],
    &["sdn", "bhd"],
    &["and", "co"],
];

/// Single-token legal forms (Inc, LLC, GmbH, SA, SARL, BV, KK, Ltda, Oy, AB, SpA, Srl, ...).
const LEGAL_TOKENS: &[&str] = &[
    "ab",
    "ag",
    "aktiebolag",
    "aktiengesellschaft",
    "aps",
    "as",
    "asa",
    "bhd",
    "bv",
    "bvba",
    "co",
    "company",
    "corp",
    "corporation",
    "cos",
    "cv",
    "doo",
    "eirl",
    "ek",
    "eurl",
    "ev",
    "gesmbh",
    "gmbh",
    "inc",
    "incorporated",
    "jsc",
    "kft",
    "kg",
    "kgaa",
    "kk",
    "lda",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "ltda",
    "mbh",
    "nv",
    "ohg",
    "ooo",
    "oy",
    "oyj",
    "pc",
    "plc",
    "pllc",
    "pte",
    "pty",
    "pvt",
    "sa",
    "sarl",
    "sas",
    "sasu",
    "sau",
    "sca",
    "se",
    "sl",
    "sll",
    "snc",
    "spa",
    "sprl",
    "spzoo",
    "srl",
    "sro",
    "ug",
    "vof",
    "zoo",
];

/// Country qualifiers removed from the end of a name ("Acme Brasil", "Acme (France)").
const COUNTRY_SEQUENCES: &[&[&str]] = &[
    &["north", "america"],
    &["latin", "america"],
    &["united", "kingdom"],
    &["united", "states"],
    &["americas"],
    &["apac"],
    &["asia"],
    &["australia"],
    &["austria"],
    &["belgie"],
    &["belgique"],
    &["belgium"],
    &["brasil"],
    &["brazil"],
    &["canada"],
    &["deutschland"],
    &["emea"],
    &["espana"],
    &["europe"],
    &["france"],
    &["germany"],
    &["holland"],
    &["india"],
    &["italia"],
    &["italy"],
    &["japan"],
    &["latam"],
    &["mexico"],
    &["nederland"],
    &["netherlands"],
    &["nippon"],
    &["osterreich"],
    &["poland"],
    &["polska"],
    &["schweiz"],
    &["singapore"],
    &["spain"],
    &["suisse"],
    &["sverige"],
    &["sweden"],
    &["switzerland"],
    &["uk"],
    &["us"],
    &["usa"],
];

/// Whether a word is one of the country qualifiers ("deutschland", "usa", ...).
pub(crate) fn is_country_word(w: &str) -> bool {
    COUNTRY_SEQUENCES.iter().any(|s| s.len() == 1 && s[0] == w)
}

/// Department words removed from the end of a name ("Acme Purchasing Dept.").
const DEPARTMENT_WORDS: &[&str] = &[
    "accounting",
    "branch",
    "department",
    "dept",
    "division",
    "finance",
    "headquarters",
    "hq",
    "office",
    "procurement",
    "purchasing",
    "team",
];

/// Words that qualify a department word and go with it ("IT Department", "Head Office").
const DEPARTMENT_MODIFIERS: &[&str] = &[
    "americas",
    "apac",
    "corporate",
    "emea",
    "eu",
    "global",
    "head",
    "infrastructure",
    "it",
    "main",
    "regional",
    "us",
];

/// Abbreviations and their canonical word (both spellings of a name compare equal).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("assn", "association"),
    ("assoc", "associates"),
    ("assocs", "associates"),
    ("bros", "brothers"),
    ("centre", "center"),
    ("comm", "communications"),
    ("comms", "communications"),
    ("constr", "construction"),
    ("ctr", "center"),
    ("dev", "development"),
    ("dist", "distribution"),
    ("distr", "distribution"),
    ("elec", "electronics"),
    ("eng", "engineering"),
    ("engg", "engineering"),
    ("equip", "equipment"),
    ("fin", "financial"),
    ("grp", "group"),
    ("hldgs", "holdings"),
    ("hosp", "hospital"),
    ("ind", "industries"),
    ("inds", "industries"),
    ("ins", "insurance"),
    ("intl", "international"),
    ("inv", "investments"),
    ("med", "medical"),
    ("mfg", "manufacturing"),
    ("mgmt", "management"),
    ("natl", "national"),
    ("pharma", "pharmaceuticals"),
    ("st", "saint"),
    ("svc", "services"),
    ("svcs", "services"),
    ("sys", "systems"),
    ("tech", "technologies"),
    ("technology", "technologies"),
    ("techs", "technologies"),
    ("univ", "university"),
];

/// Normalises a company name (see the module docs); never fails. An empty or all-punctuation
/// name gives empty forms; names longer than [`MAX_NAME_LEN`] bytes are cut there.
///
/// ```
/// use prm_core::conflicts::normalize_company_name as n;
/// assert_eq!(n("ACME, Inc.").key, n("Acme Incorporated").key);
/// assert_eq!(n("Société Générale S.A.").normalized, "societe generale");
/// assert_eq!(n("Bäcker Intl").key, n("Baecker International Ltd").key);
/// assert_eq!(n("Cox Group, The").key, n("The Cox Group PLC").key);
/// assert_eq!(n("Acme Brasil Ltda").normalized, "acme");
/// assert_eq!(n("Bank of America").normalized, "bank of america");
/// ```
pub fn normalize_company_name(name: &str) -> NormalizedName {
    let name = cut(name, MAX_NAME_LEN);
    let mut removed = Vec::new();
    let head = strip_suffix_clause(name, &mut removed);
    let mut tokens: Vec<String> = fold(head)
        .split_whitespace()
        .map(|t| expand(t).to_owned())
        .collect();
    let mut legal_forms = Vec::new();
    strip_tail(&mut tokens, &mut legal_forms, &mut removed);
    while tokens.len() > 1 && tokens[0] == "the" {
        removed.insert(0, tokens.remove(0));
    }
    if tokens.len() > 1 {
        tokens.retain(|t| t != "and");
    }
    let normalized = tokens.join(" ");
    let tokens: Vec<String> = tokens.iter().map(|t| german_fold(t)).collect();
    NormalizedName {
        normalized,
        key: tokens.concat(),
        tokens,
        legal_forms,
        removed,
    }
}

fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Cuts a trailing clause: " - IT Department", " (France)", "c/o Finance".
fn strip_suffix_clause<'a>(name: &'a str, removed: &mut Vec<String>) -> &'a str {
    // char by char: `str::to_lowercase` differs only in a capital sigma that ends a word (ς, not
    // σ), the same length either way and no part of a separator; its final-sigma rules would
    // bring two more Unicode tables into the WebAssembly module
    let lower: String = name.chars().flat_map(char::to_lowercase).collect();
    let mut at = name.len();
    if lower.len() == name.len() {
        for sep in [" - ", " – ", " — ", "(", " c/o "] {
            if let Some(i) = lower.find(sep)
                && i < at
                && fold(&name[..i]).split_whitespace().next().is_some()
            {
                at = i;
            }
        }
    }
    if at < name.len() {
        let tail = fold(&name[at..]);
        let tail = tail.split_whitespace().collect::<Vec<_>>().join(" ");
        if !tail.is_empty() {
            removed.push(tail);
        }
    }
    &name[..at]
}

/// Unicode folding: compatibility decomposition, accents removed, lower case, `&` → "and",
/// dots and apostrophes dropped (S.A. → sa, Int'l → intl), other punctuation → space.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let push = |c: char, out: &mut String| {
        for l in c.to_lowercase() {
            if l.is_alphanumeric() {
                out.push(l);
            } else if l == '&' || l == '+' {
                out.push_str(" and ");
            } else if matches!(l, '.' | '\'' | '’' | '`' | '´' | '/') {
            } else {
                out.push(' ');
            }
        }
    };
    for c in s.chars() {
        match c {
            'ß' => out.push_str("ss"),
            'Æ' | 'æ' => out.push_str("ae"),
            'Œ' | 'œ' => out.push_str("oe"),
            'Ø' | 'ø' => out.push('o'),
            'Đ' | 'đ' => out.push('d'),
            'Ł' | 'ł' => out.push('l'),
            'Þ' | 'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            c if c.is_ascii() => push(c, &mut out),
            c => {
                super::decompose::for_each_decomposed(c, |d| push(d, &mut out));
            }
        }
    }
    out
}

fn expand(token: &str) -> &str {
    ABBREVIATIONS
        .binary_search_by(|(a, _)| a.cmp(&token))
        .map_or(token, |i| ABBREVIATIONS[i].1)
}

/// German folding for comparison: ä/ae → a, ö/oe → o, ü/ue → u (accents are already gone).
fn german_fold(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, 'a' | 'o' | 'u') && chars.peek() == Some(&'e') {
            chars.next();
        }
    }
    out
}

fn tail_matches(tokens: &[String], seq: &[&str]) -> bool {
    tokens.len() > seq.len()
        && tokens[tokens.len() - seq.len()..]
            .iter()
            .zip(seq)
            .all(|(a, b)| a == b)
}

fn strip_tail(tokens: &mut Vec<String>, legal: &mut Vec<String>, removed: &mut Vec<String>) {
    let mut tail_removed: Vec<String> = Vec::new();
    let mut tail_legal: Vec<Vec<String>> = Vec::new();
    while tokens.len() > 1 {
        let last = tokens[tokens.len() - 1].as_str();
        if let Some(seq) = LEGAL_SEQUENCES.iter().find(|s| tail_matches(tokens, s)) {
            let cut = tokens.split_off(tokens.len() - seq.len());
            tail_legal.push(cut);
        } else if LEGAL_TOKENS.binary_search(&last).is_ok() {
            let t = tokens.pop().unwrap_or_default();
            tail_legal.push(vec![t]);
        } else if last == "the" || last == "and" {
            let t = tokens.pop().unwrap_or_default();
            tail_removed.push(t);
        } else if let Some(seq) = COUNTRY_SEQUENCES
            .iter()
            .find(|s| tail_matches(tokens, s) && tokens[tokens.len() - s.len() - 1] != "of")
        {
            let cut = tokens.split_off(tokens.len() - seq.len());
            tail_removed.push(cut.join(" "));
        } else if DEPARTMENT_WORDS.contains(&last) {
            let mut cut = vec![tokens.pop().unwrap_or_default()];
            while tokens.len() > 1 && DEPARTMENT_MODIFIERS.contains(&tokens[tokens.len() - 1].as_str()) {
                cut.insert(0, tokens.pop().unwrap_or_default());
            }
            tail_removed.push(cut.join(" "));
        } else {
            break;
        }
    }
    legal.extend(tail_legal.into_iter().rev().flatten());
    // removed parts in name order, after any clause already cut from the end
    let clause = std::mem::take(removed);
    removed.extend(tail_removed.into_iter().rev());
    removed.extend(clause);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The separators are found where `str::to_lowercase` would find them.
        #[test]
        fn suffix_clauses_are_found_as_with_str_to_lowercase(
            name in r"([A-Za-z ]| C/O | c/o |\x{3A3}|\x{130}|\x{1E9E}|\x{212A}|\x{2126}|-|\x{2013}|\(|/){0,24}"
        ) {
            let chars: String = name.chars().flat_map(char::to_lowercase).collect();
            let full = name.to_lowercase();
            prop_assert_eq!(chars.len(), full.len());
            for sep in [" - ", " – ", " — ", "(", " c/o "] {
                prop_assert_eq!(chars.find(sep), full.find(sep));
            }
        }
    }

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(LEGAL_TOKENS.windows(2).all(|w| w[0] < w[1]));
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn legal_forms_of_many_countries() {
        for (name, core) in [
            ("Miller Foods S.A. de C.V.", "miller foods"),
            ("Tuflax Enterprises Sp. z o.o.", "tuflax enterprises"),
            ("Spuchuta Imports Kabushiki Kaisha", "spuchuta imports"),
            ("Komir Proprietary Limited", "komir"),
            ("Pohir Pvt. Ltd.", "pohir"),
            ("Golden Water Co., Ltd.", "golden water"),
            ("Sugacuse Cloud GmbH & Co. KG", "sugacuse cloud"),
            ("Nevada Analytics Sàrl", "nevada analytics"),
            ("APL, G.m.b.H.", "apl"),
            ("Tucson Optics S.p.A.", "tucson optics"),
            ("DRRT e.K.", "drrt"),
            ("Harris Machinery Corporation US", "harris machinery"),
            ("Northern Biotech SA Brasil", "northern biotech"),
            ("QUESTSTACK PRINTING LLP PURCHASING DEPT.", "queststack printing"),
            ("Bank of Allentown - EMEA HQ", "bank of allentown"),
            ("brakuk svcs c/o finance", "brakuk services"),
            ("Covi Company, The Aktiebolag", "covi"),
            ("Souza & Goh Company", "souza goh"),
            ("Inc.", "inc"),
            ("", ""),
        ] {
            assert_eq!(normalize_company_name(name).normalized, core, "{name}");
        }
    }

    #[test]
    fn german_folding_and_accents() {
        let a = normalize_company_name("Müller Bäckerei");
        let b = normalize_company_name("Mueller Baeckerei");
        assert_eq!(a.key, b.key);
        assert_eq!(a.normalized, "muller backerei");
        assert_eq!(normalize_company_name("Straße").key, "strasse");
    }
}
