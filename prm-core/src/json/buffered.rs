//! Decoding the input shapes that are told apart by their content: an untagged enum (a
//! condition as text or as a tree, a literal), an enum tagged by a `type` field (a strategy, a
//! model), a struct with such an enum flattened into it.
//!
//! serde's derive decodes these by buffering the input in its private content tree and decoding
//! every type under them once more from that tree: a second copy of their decoders, per
//! deserializer (13 copies of the buffer's own deserializer in the WebAssembly module). Here
//! the buffer is a [`Value`] and the parts are decoded from it by the one deserializer every
//! input goes through ([`path::De`](super::path::De)), so each type is compiled once. The hand-written
//! decoders say what the derived ones said — values, messages and paths; tested against a
//! snapshot of the derived decoders on ~3,000 inputs (`tests/buffered_shapes.rs`) — except that
//! an array is not taken for a struct or a tagged enum, as everywhere in prm.

use super::path::{Chain, De, Track};
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Decodes `T` from a buffered value (a part of an input whose path is the enclosing value's).
pub(crate) fn part<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    let track = Track::default();
    T::deserialize(De {
        value,
        chain: &Chain::Root,
        track: &track,
    })
}

/// [`part`] with the error carried over to the decoding at hand.
pub(crate) fn part_or<T: DeserializeOwned, E: de::Error>(value: Value) -> Result<T, E> {
    part(value).map_err(E::custom)
}

/// The error of an untagged enum whose variants all refused the value.
pub(crate) fn no_variant<E: de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "data did not match any variant of untagged enum {name}"
    ))
}

/// A value read whole, to be told apart by its shape.
pub(crate) fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    serde::Deserialize::deserialize(d)
}

/// An object's `type` tag (the index of its variant in `variants`) and its other fields.
pub(crate) struct Tagged {
    /// The variant's index in the enum's variant names.
    pub(crate) variant: usize,
    /// The object without its tag.
    pub(crate) rest: Map<String, Value>,
}

/// Reads an object tagged by `type` as it comes: the tag decoded in place (a bad tag is an
/// error at `type`), the other fields kept for the variant. `enum_name` words the error for
/// anything but an object.
pub(crate) fn tagged<'de, D: Deserializer<'de>>(
    d: D,
    enum_name: &'static str,
    variants: &'static [&'static str],
) -> Result<Tagged, D::Error> {
    d.deserialize_any(TaggedVisitor { enum_name, variants })
}

struct TaggedVisitor {
    enum_name: &'static str,
    variants: &'static [&'static str],
}

impl<'de> Visitor<'de> for TaggedVisitor {
    type Value = Tagged;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "internally tagged enum {}", self.enum_name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tagged, A::Error> {
        let mut variant = None;
        let mut rest = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "type" {
                variant = Some(map.next_value_seed(Tag(self.variants))?);
            } else {
                rest.insert(key, map.next_value()?);
            }
        }
        let variant = variant.ok_or_else(|| de::Error::missing_field("type"))?;
        Ok(Tagged { variant, rest })
    }
}

/// A variant's name, as serde's derive reads it where the input is decoded in place: a string.
struct Tag(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Tag {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Tag {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        variant_named(v, self.0)
    }
}

fn variant_named<E: de::Error>(name: &str, variants: &'static [&'static str]) -> Result<usize, E> {
    variants
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| E::unknown_variant(name, variants))
}

/// The tag of an object buffered whole (a flattened enum; the `type` value the buffering kept
/// apart from the other fields), as serde's derive reads it from its buffer, which also takes a
/// variant's index: a missing tag, a name or an index.
pub(crate) fn buffered_tag<E: de::Error>(
    tag: Option<Value>,
    variants: &'static [&'static str],
) -> Result<usize, E> {
    let tag = tag.ok_or_else(|| E::missing_field("type"))?;
    match tag {
        Value::String(name) => variant_named(&name, variants),
        Value::Number(n) if n.is_u64() => {
            let i = n.as_u64().unwrap_or(u64::MAX);
            usize::try_from(i)
                .ok()
                .filter(|&i| i < variants.len())
                .ok_or_else(|| {
                    let expected = format!("variant index 0 <= i < {}", variants.len());
                    E::invalid_value(de::Unexpected::Unsigned(i), &expected.as_str())
                })
        }
        other => Err(E::invalid_type(
            super::path::unexpected(&other),
            &"variant identifier",
        )),
    }
}
