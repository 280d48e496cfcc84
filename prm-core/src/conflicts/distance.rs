//! Optimal string alignment distance, bit-parallel: the name matcher calls it up to three times
//! per candidate pair (~40 candidates per record), and the dynamic-programming table of
//! `strsim::osa_distance` (three rows allocated per call, one cell per character pair) made it
//! the matcher's largest cost. Hyyrö's bit-vector algorithm (2003, as in rapidfuzz) computes the
//! same distance one character of the second string per step, with the first (≤ 64 characters)
//! held as bit masks; longer names go to `strsim`.

/// Bit masks of the positions of each character of a pattern of at most 64 characters: ASCII
/// in a table, anything else in a short list.
struct Pattern {
    ascii: [u64; 128],
    other: [(char, u64); 64],
    others: usize,
    len: usize,
}

impl Pattern {
    /// `None` when `s` has more than 64 characters.
    fn new(s: &str) -> Option<Self> {
        let mut p = Pattern {
            ascii: [0; 128],
            other: [('\0', 0); 64],
            others: 0,
            len: 0,
        };
        for (i, c) in s.chars().enumerate() {
            if i == 64 {
                return None;
            }
            let bit = 1u64 << i;
            if c.is_ascii() {
                p.ascii[c as usize] |= bit;
            } else if let Some(e) = p.other[..p.others].iter_mut().find(|(x, _)| *x == c) {
                e.1 |= bit;
            } else {
                p.other[p.others] = (c, bit);
                p.others += 1;
            }
            p.len = i + 1;
        }
        Some(p)
    }

    fn mask(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other[..self.others]
                .iter()
                .find(|(x, _)| *x == c)
                .map_or(0, |e| e.1)
        }
    }
}

/// `strsim::osa_distance(a, b)`: edits and adjacent transpositions, no substring edited twice.
pub(crate) fn osa_distance(a: &str, b: &str) -> usize {
    // the distance is symmetric: the pattern is whichever string fits 64 characters
    let (p, text) = match Pattern::new(a) {
        Some(p) => (p, b),
        None => match Pattern::new(b) {
            Some(p) => (p, a),
            None => return strsim::osa_distance(a, b),
        },
    };
    if p.len == 0 {
        return text.chars().count();
    }
    let mut vp = !0u64;
    let mut vn = 0u64;
    let mut d0 = 0u64;
    let mut pm_old = 0u64;
    let mut dist = p.len;
    let last = 1u64 << (p.len - 1);
    for c in text.chars() {
        let pm = p.mask(c);
        let tr = ((!d0 & pm) << 1) & pm_old;
        d0 = (((pm & vp).wrapping_add(vp)) ^ vp) | pm | vn | tr;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            dist += 1;
        }
        if hn & last != 0 {
            dist -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
        pm_old = pm;
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::osa_distance;
    use proptest::prelude::*;

    #[test]
    fn as_strsim_on_names() {
        let long_a = "a".repeat(80);
        let long_b = format!("{}b", "a".repeat(63));
        for (a, b) in [
            ("", ""),
            ("", "abc"),
            ("abc", ""),
            ("ab", "bca"),
            ("ca", "abc"),
            ("ab", "ba"),
            ("muller", "mueller"),
            ("acme industries", "acme industires"),
            ("société générale", "societe generale"),
            (long_a.as_str(), "b"),
            (long_a.as_str(), long_b.as_str()),
            (long_b.as_str(), "ba"),
        ] {
            assert_eq!(osa_distance(a, b), strsim::osa_distance(a, b), "{a} / {b}");
            assert_eq!(osa_distance(b, a), strsim::osa_distance(a, b), "{b} / {a}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn equals_strsim_on_small_alphabets(a in "[abé ]{0,12}", b in "[abé ]{0,12}") {
            prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
        }

        #[test]
        fn equals_strsim_across_the_pattern_width(a in "[abcdé]{50,75}", b in "[abcdé]{0,75}") {
            prop_assert_eq!(osa_distance(&a, &b), strsim::osa_distance(&a, &b));
            prop_assert_eq!(osa_distance(&b, &a), strsim::osa_distance(&b, &a));
        }
    }
}
