//! A deserializer over a [`Value`] that remembers where decoding failed.
//!
//! It decodes as serde_json's own `Value` deserializer does (the same visitor calls, the same
//! errors) with one exception — a struct must be a JSON object, not an array of its fields in
//! order, as prm's JSON Schemas say — and reports the path of the failing value as `serde_path_to_error` words it
//! (`flows[2]`, `costs.mdf`, `rules[0].when.all[1]`) — in one layer instead of two. Wrapping
//! serde_json's deserializer compiled every input type's decoding once per layer of wrappers;
//! this one compiles it once: 83 KB less WebAssembly (5% of the module, 7 KB gzip) and ~10%
//! faster decoding. `tests/json_paths.rs` decodes every value in the golden vectors, and random
//! damage to them, both ways and requires the same values, errors and paths.
//!
//! The path is a chain of segments on the stack: each map value, sequence element and enum
//! variant is decoded with a link to its parent, and the first failure records its chain (the
//! innermost value, as errors travel outwards).

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde_json::{Error, Map, Value};
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;

/// Where a value sits: a link to its parent's place.
pub(super) enum Chain<'a> {
    Root,
    /// A map value (or struct field) under its key.
    Key(&'a Chain<'a>, &'a str),
    /// A sequence element.
    Index(&'a Chain<'a>, usize),
    /// The value under a map key whose name was not kept (serde_path_to_error's `?`).
    Unknown(&'a Chain<'a>),
}

impl Chain<'_> {
    /// `a.b[2].c` (the empty string at the root).
    fn render(&self) -> String {
        let mut links = Vec::new();
        let mut at = self;
        loop {
            match at {
                Chain::Root => break,
                Chain::Key(parent, _) | Chain::Index(parent, _) | Chain::Unknown(parent) => {
                    links.push(at);
                    at = parent;
                }
            }
        }
        let mut out = String::new();
        for (i, link) in links.iter().rev().enumerate() {
            if i > 0 && !matches!(link, Chain::Index(..)) {
                out.push('.');
            }
            match link {
                Chain::Key(_, key) => out.push_str(key),
                Chain::Index(_, index) => {
                    let _ = write!(out, "[{index}]");
                }
                _ => out.push('?'),
            }
        }
        out
    }
}

/// The path of the first failure.
#[derive(Default)]
pub(super) struct Track {
    failed_at: RefCell<Option<String>>,
    /// Whether the key being decoded was read as a name (false for an enum or float key, which
    /// serde_path_to_error does not capture).
    key_named: Cell<bool>,
}

impl Track {
    pub(super) fn fail(&self, chain: &Chain<'_>, err: Error) -> Error {
        let mut failed_at = self.failed_at.borrow_mut();
        if failed_at.is_none() {
            *failed_at = Some(chain.render());
        }
        err
    }

    pub(super) fn path(self) -> String {
        self.failed_at.into_inner().unwrap_or_default()
    }
}

/// Decodes a [`Value`] at a place in the input.
pub(super) struct De<'a> {
    pub(super) value: Value,
    pub(super) chain: &'a Chain<'a>,
    pub(super) track: &'a Track,
}

impl<'a> De<'a> {
    fn to<'b>(value: Value, chain: &'b Chain<'b>, track: &'b Track) -> De<'b> {
        De { value, chain, track }
    }

    fn invalid_type(&self, exp: &dyn de::Expected) -> Error {
        de::Error::invalid_type(unexpected(&self.value), exp)
    }

    fn visit_array<'de, V: Visitor<'de>>(
        array: Vec<Value>,
        chain: &'a Chain<'a>,
        track: &'a Track,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let len = array.len();
        let mut seq = Seq {
            iter: array.into_iter(),
            index: 0,
            chain,
            track,
        };
        let out = visitor.visit_seq(&mut seq)?;
        if seq.iter.len() == 0 {
            Ok(out)
        } else {
            Err(de::Error::invalid_length(len, &"fewer elements in array"))
        }
    }

    fn visit_object<'de, V: Visitor<'de>>(
        object: Map<String, Value>,
        chain: &'a Chain<'a>,
        track: &'a Track,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let mut map = Entries::new(object, chain, track);
        let out = visitor.visit_map(&mut map)?;
        match map.unread() {
            None => Ok(out),
            Some(e) => Err(e),
        }
    }
}

/// What serde_json calls a value in a type error.
pub(super) fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A `deserialize_*` method that takes only numbers (as serde_json's).
macro_rules! number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.value {
                Value::Number(n) => n.deserialize_any(visitor),
                _ => Err(self.invalid_type(&visitor)),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for De<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => De::visit_array(a, self.chain, self.track, visitor),
            Value::Object(o) => De::visit_object(o, self.chain, self.track, visitor),
        }
    }

    number!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64);

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (variant, value) = match self.value {
            Value::Object(o) => {
                let mut entries = o.into_iter();
                match (entries.next(), entries.next()) {
                    (Some((variant, value)), None) => (variant, Some(value)),
                    _ => {
                        return Err(de::Error::invalid_value(
                            Unexpected::Map,
                            &"map with a single key",
                        ));
                    }
                }
            }
            Value::String(variant) => (variant, None),
            other => return Err(de::Error::invalid_type(unexpected(&other), &"string or map")),
        };
        visitor.visit_enum(Enum {
            variant,
            value,
            chain: self.chain,
            track: self.track,
        })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(b),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_string(s),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => De::visit_array(a, self.chain, self.track, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(a) => De::visit_array(a, self.chain, self.track, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(o) => De::visit_object(o, self.chain, self.track, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // Unlike serde_json, a struct is an object only, never an array of its fields in order:
        // what prm's JSON Schemas say, and one generated decoder less per input type.
        match self.value {
            Value::Object(o) => De::visit_object(o, self.chain, self.track, visitor),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The elements of an array, each at its index.
struct Seq<'a> {
    iter: std::vec::IntoIter<Value>,
    index: usize,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'a> Seq<'a> {
    /// The next element and its place (type-independent, so compiled once rather than into
    /// each element type's decoder).
    #[inline(never)]
    fn next_place(&mut self) -> Option<(Value, Chain<'a>)> {
        let value = self.iter.next()?;
        let chain = Chain::Index(self.chain, self.index);
        self.index += 1;
        Some((value, chain))
    }
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let track = self.track;
        let Some((value, chain)) = self.next_place() else {
            return Ok(None);
        };
        seed.deserialize(De::to(value, &chain, track))
            .map(Some)
            .map_err(|e| track.fail(&chain, e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// The entries of an object, each value under its key.
struct Entries<'a> {
    iter: serde_json::map::IntoIter,
    /// How many entries the object had.
    len: usize,
    /// The key last read, whether it was read as a name, and its value until that is decoded.
    /// (Held here, not moved out with the value: `next_value_seed` is compiled once per field
    /// type, and that way none of its copies drops a key.)
    key: String,
    named: bool,
    value: Option<Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'a> Entries<'a> {
    // `new`, `advance`, `key_failed`, `unread` and `take_value` are type-independent: out of
    // line, they are compiled once rather than into each struct's decoder
    #[inline(never)]
    fn new(object: Map<String, Value>, chain: &'a Chain<'a>, track: &'a Track) -> Self {
        Entries {
            len: object.len(),
            iter: object.into_iter(),
            key: String::new(),
            named: false,
            value: None,
            chain,
            track,
        }
    }

    /// Takes the next entry as the current key and value (false at the end).
    #[inline(never)]
    fn advance(&mut self) -> bool {
        let Some((key, value)) = self.iter.next() else {
            return false;
        };
        self.key = key;
        self.value = Some(value);
        self.track.key_named.set(true);
        true
    }

    /// The error of a key that did not decode, at its place.
    #[inline(never)]
    fn key_failed(&self, e: Error) -> Error {
        self.track.fail(&self.place(self.track.key_named.get()), e)
    }

    /// Where the current key's value sits: under the key, or under an unnamed one.
    fn place(&self, named: bool) -> Chain<'_> {
        if named {
            Chain::Key(self.chain, &self.key)
        } else {
            Chain::Unknown(self.chain)
        }
    }

    /// After the visitor: an entry it left unread is an error.
    #[inline(never)]
    fn unread(&self) -> Option<Error> {
        (self.iter.len() != 0).then(|| de::Error::invalid_length(self.len, &"fewer elements in map"))
    }

    /// The value of the key last read and its place.
    #[inline(never)]
    fn take_value(&mut self) -> Result<(Value, Chain<'_>), Error> {
        let Some(value) = self.value.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        Ok((value, self.place(self.named)))
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if !self.advance() {
            return Ok(None);
        }
        match seed.deserialize(Key {
            key: &self.key,
            track: self.track,
        }) {
            Ok(k) => {
                self.named = self.track.key_named.get();
                Ok(Some(k))
            }
            Err(e) => Err(self.key_failed(e)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let track = self.track;
        let (value, chain) = self.take_value()?;
        seed.deserialize(De::to(value, &chain, track))
            .map_err(|e| track.fail(&chain, e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A map key, decoded as serde_json decodes keys: a string, a number or `true`/`false` written as
/// one, or an enum's unit variant.
struct Key<'a> {
    key: &'a str,
    track: &'a Track,
}

/// `deserialize_*` methods of a number key: the whole key must be a JSON number, decoded as
/// serde_json decodes a number. (serde_path_to_error names the value under an integer key, not
/// under a float key, nor a malformed key. No prm input has number keys; a malformed one is
/// always "expected key to be a number in quotes" here, where serde_json words some of them as
/// a syntax error.)
macro_rules! number_key {
    ($named:literal => $($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.track.key_named.set($named);
            let key = self.key;
            let number = key
                .starts_with(|c: char| c.is_ascii_digit() || c == '-')
                .then(|| serde_json::from_str::<serde_json::Number>(key))
                .and_then(Result::ok)
                .filter(|_| !key.ends_with(|c: char| c.is_ascii_whitespace()));
            match number {
                Some(n) => n.deserialize_any(visitor),
                None => {
                    self.track.key_named.set(false);
                    Err(de::Error::custom("invalid value: expected key to be a number in quotes"))
                }
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Key<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(self.key)
    }

    number_key!(true => deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128);
    number_key!(false => deserialize_f32 deserialize_f64);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.key {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            other => Err(de::Error::invalid_type(Unexpected::Str(other), &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.track.key_named.set(false);
        IntoDeserializer::<Error>::into_deserializer(self.key).deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An enum: its variant's name, and the value under it (none for a string).
struct Enum<'a> {
    variant: String,
    value: Option<Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de, 'a> EnumAccess<'de> for Enum<'a> {
    type Error = Error;
    type Variant = Content<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Content<'a>), Error> {
        let Enum {
            variant,
            value,
            chain,
            track,
        } = self;
        let v = seed.deserialize(IntoDeserializer::<Error>::into_deserializer(variant.clone()))?;
        Ok((
            v,
            Content {
                variant,
                value,
                chain,
                track,
            },
        ))
    }
}

/// The value of an enum variant, decoded under the variant's name.
struct Content<'a> {
    variant: String,
    value: Option<Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> VariantAccess<'de> for Content<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        let chain = Chain::Key(self.chain, &self.variant);
        match self.value {
            Some(value) => de::Deserialize::deserialize(De::to(value, &chain, self.track))
                .map_err(|e| self.track.fail(&chain, e)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        let chain = Chain::Key(self.chain, &self.variant);
        match self.value {
            Some(value) => seed
                .deserialize(De::to(value, &chain, self.track))
                .map_err(|e| self.track.fail(&chain, e)),
            None => Err(self.track.fail(
                &chain,
                de::Error::invalid_type(Unexpected::UnitVariant, &"newtype variant"),
            )),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        let chain = Chain::Key(self.chain, &self.variant);
        let out = match self.value {
            Some(Value::Array(a)) if a.is_empty() => visitor.visit_unit(),
            Some(Value::Array(a)) => De::visit_array(a, &chain, self.track, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"tuple variant")),
            None => Err(de::Error::invalid_type(Unexpected::UnitVariant, &"tuple variant")),
        };
        out.map_err(|e| self.track.fail(&chain, e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let chain = Chain::Key(self.chain, &self.variant);
        let out = match self.value {
            Some(Value::Object(o)) => De::visit_object(o, &chain, self.track, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"struct variant")),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        };
        out.map_err(|e| self.track.fail(&chain, e))
    }
}
