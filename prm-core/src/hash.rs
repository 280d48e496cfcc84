//! FNV-1a (64-bit): a fast, stable hash for short keys (ids), used for interning maps inside
//! batch functions. Its iteration order never reaches an output.

use std::hash::{BuildHasherDefault, Hasher};

/// The FNV-1a hasher.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A `HashMap` keyed through FNV-1a.
pub(crate) type FnvMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv1a>>;

/// A `HashSet` with [`Fnv1a`].
pub(crate) type FnvSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fnv1a>>;

#[cfg(test)]
mod tests {
    use std::hash::Hasher;

    #[test]
    fn matches_the_reference_vectors() {
        let h = |s: &str| {
            let mut f = super::Fnv1a::default();
            f.write(s.as_bytes());
            f.finish()
        };
        assert_eq!(h(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(h("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(h("foobar"), 0x8594_4171_f739_67e8);
    }
}
