//! Flattening a JSON object straight from its text into fields, without building a JSON
//! tree first: the fast path for JSON-lines input. It gives exactly what
//! [`crate::flatten_json_object`] gives; where that is not easy (an EVTX-shaped document, a
//! name seen twice, anything invalid) it declines and the caller takes the general path.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use crate::event::Field;
use crate::flatten::flatten_entry;
use crate::value::Value;

/// The fields of the JSON object in `text` (dotted paths for nested keys), or `None` when the
/// general path must be taken: not an object, invalid JSON, a top-level `Event` key (an EVTX
/// export), or two fields of the same name.
pub fn flatten_json_bytes(text: &[u8]) -> Option<Vec<Field>> {
    // The whole line checked as UTF-8 once (word at a time), rather than each string as the
    // parser meets it; invalid text goes the general way, which reports it.
    let text = std::str::from_utf8(text).ok()?;
    let mut out = Vec::with_capacity(48);
    let mut prefix = String::with_capacity(64);
    let mut de = serde_json::Deserializer::from_str(text);
    Object {
        out: &mut out,
        prefix: &mut prefix,
        top: true,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    if has_duplicate_names(&out) {
        return None;
    }
    Some(out)
}

/// Whether two fields share a name: their names' hashes put in a small open-addressing table
/// on the stack (or, for a large event, sorted in a buffer reused by the thread), and only on
/// equal hashes an exact check.
pub(crate) fn has_duplicate_names(fields: &[Field]) -> bool {
    use std::hash::BuildHasher;
    const SLOTS: usize = 128;
    let state = foldhash::fast::FixedState::default();
    let maybe = if fields.len() <= SLOTS / 2 {
        let mut table = [0u64; SLOTS];
        fields.iter().any(|f| {
            // 0 marks a free slot.
            let h = state.hash_one(&*f.name).max(1);
            let mut at = h as usize % SLOTS;
            loop {
                match table[at] {
                    0 => {
                        table[at] = h;
                        return false;
                    }
                    seen if seen == h => return true,
                    _ => at = (at + 1) % SLOTS,
                }
            }
        })
    } else {
        sorted_hashes_repeat(fields, &state)
    };
    maybe && {
        let mut seen =
            foldhash::HashSet::with_capacity_and_hasher(fields.len(), Default::default());
        !fields.iter().all(|f| seen.insert(&*f.name))
    }
}

/// Whether two of the fields' name hashes are equal, sorted in a buffer reused by the thread.
fn sorted_hashes_repeat(fields: &[Field], state: &foldhash::fast::FixedState) -> bool {
    use std::hash::BuildHasher;
    thread_local! {
        static HASHES: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    HASHES.with_borrow_mut(|hashes| {
        hashes.clear();
        hashes.extend(fields.iter().map(|f| state.hash_one(&*f.name)));
        hashes.sort_unstable();
        hashes.windows(2).any(|w| w[0] == w[1])
    })
}

/// A JSON object whose members go to `out` under `prefix`.
pub(crate) struct Object<'a> {
    pub(crate) out: &'a mut Vec<Field>,
    pub(crate) prefix: &'a mut String,
    pub(crate) top: bool,
}

impl<'de> DeserializeSeed<'de> for Object<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Object<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let base = self.prefix.len();
        let mut members = 0usize;
        while map
            .next_key_seed(Key {
                prefix: self.prefix,
                top: self.top,
            })?
            .is_some()
        {
            members += 1;
            map.next_value_seed(Member {
                out: self.out,
                prefix: self.prefix,
            })?;
            self.prefix.truncate(base);
        }
        if members == 0 && !self.top {
            // An empty nested object is a value of its own, written as JSON.
            self.out.push(Field {
                name: self.prefix.as_str().into(),
                value: Value::str("{}"),
            });
        }
        Ok(())
    }
}

/// A member name, appended to the path.
struct Key<'a> {
    prefix: &'a mut String,
    top: bool,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        if self.top && key == "Event" {
            return Err(E::custom("an EVTX-shaped document"));
        }
        if !self.prefix.is_empty() {
            self.prefix.push('.');
        }
        self.prefix.push_str(key);
        Ok(())
    }
}

/// A member's value at the path.
struct Member<'a> {
    out: &'a mut Vec<Field>,
    prefix: &'a mut String,
}

impl Member<'_> {
    /// Inlined in each visit, so that the value is written into the list where it is made
    /// (passed by reference, it was stored piecewise and read back whole, which the store
    /// buffer cannot forward).
    #[inline(always)]
    fn push(self, value: Value) {
        self.out.push(Field {
            name: self.prefix.as_str().into(),
            value,
        });
    }
}

impl<'de> DeserializeSeed<'de> for Member<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Member<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<(), E> {
        self.push(Value::Bool(b));
        Ok(())
    }

    fn visit_i64<E>(self, i: i64) -> Result<(), E> {
        self.push(Value::Int(i));
        Ok(())
    }

    fn visit_u64<E>(self, u: u64) -> Result<(), E> {
        // As `Value::from_json`: beyond i64 the exact digits are kept as text.
        self.push(match i64::try_from(u) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::str(u.to_string()),
        });
        Ok(())
    }

    fn visit_f64<E>(self, f: f64) -> Result<(), E> {
        self.push(Value::Float(f));
        Ok(())
    }

    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        self.push(Value::str(s));
        Ok(())
    }

    fn visit_string<E>(self, s: String) -> Result<(), E> {
        self.push(Value::str(s));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.push(Value::Null);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Object {
            out: self.out,
            prefix: self.prefix,
            top: false,
        }
        .visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Arrays are rarer: read as JSON and flattened by the general rules.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Json>()? {
            items.push(item);
        }
        flatten_entry(self.out, self.prefix, &Json::Array(items));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flatten_json_object;
    use proptest::prelude::*;

    fn general(text: &str) -> Vec<Field> {
        let doc: Json = serde_json::from_str(text).expect("valid JSON");
        flatten_json_object(doc.as_object().expect("an object"))
    }

    fn same(a: &[Field], b: &[Field]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.name == y.name && x.value == y.value)
    }

    #[test]
    fn examples_agree_with_the_general_path() {
        for text in [
            r#"{"a":1,"b":{"c":"x","d":[1,2]},"e":null,"f":-3,"g":1.5,"h":true}"#,
            r#"{"a":{},"b":[{"x":1},{"x":2,"y":"z"}],"c":18446744073709551615}"#,
            r#"{"k\"ey":"v\u00e9","n":{"m":{"o":"deep"}},"l":[]}"#,
        ] {
            let fast = flatten_json_bytes(text.as_bytes()).expect("fast path");
            assert!(same(&fast, &general(text)), "{text}");
        }
    }

    #[test]
    fn declines_what_it_does_not_take() {
        for text in [
            r#"{"Event":{"System":{}}}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a.b":1,"a":{"b":2}}"#,
            r#"[1,2]"#,
            r#"{"a":1"#,
            r#"{"a":1} trailing"#,
        ] {
            assert!(flatten_json_bytes(text.as_bytes()).is_none(), "{text}");
        }
    }

    fn json_value() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            any::<i64>().prop_map(Json::from),
            any::<u64>().prop_map(Json::from),
            (-1e6f64..1e6).prop_map(Json::from),
            "[a-zA-Z0-9 \\\\\"é.]{0,8}".prop_map(Json::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
                proptest::collection::btree_map("[a-c.]{1,3}", inner, 0..4)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// The duplicate check says what a set of the names says, for events small enough for
        /// the stack table and larger ones.
        #[test]
        fn duplicate_names_as_a_set_finds_them(
            names in proptest::collection::vec("[a-e]{1,3}|F[0-9]{1,3}", 0..150)
        ) {
            let fields: Vec<Field> = names
                .iter()
                .map(|n| Field { name: n.as_str().into(), value: Value::Null })
                .collect();
            let mut seen = std::collections::HashSet::new();
            let naive = !names.iter().all(|n| seen.insert(n));
            prop_assert_eq!(has_duplicate_names(&fields), naive);
        }

        /// Whenever the fast path answers, it answers as the general path does.
        #[test]
        fn fast_path_equals_general_path(
            members in proptest::collection::btree_map("[a-cE.]{1,3}", json_value(), 0..6)
        ) {
            let doc = Json::Object(members.into_iter().collect());
            let text = doc.to_string();
            if let Some(fast) = flatten_json_bytes(text.as_bytes()) {
                prop_assert!(same(&fast, &general(&text)), "{}", text);
            }
        }
    }
}
