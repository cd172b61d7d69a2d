//! EVTX records from their JSON text (as the `evtx` crate renders them) to fields, without
//! serde_json's hashed maps: a light tree that keeps member order and serde_json's rule for a
//! repeated name (the later value, at the first place), then exactly the flattening of
//! [`crate::flatten_evtx_json`]. The `evtx` crate's own `serde_json::Value` is this text
//! parsed into such maps; skipping them is the point.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::event::{Event, Field};
use crate::flatten::{parse_timestamp, push};
use crate::value::Value;

/// A JSON value with its object members in order; text is borrowed from the record's JSON
/// where it holds no escape.
#[derive(Debug)]
enum Node<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// A whole number beyond i64.
    Big(u64),
    Float(f64),
    Str(Cow<'a, str>),
    Arr(Vec<Node<'a>>),
    Obj(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl<'a> Node<'a> {
    fn get(&self, key: &str) -> Option<&Node<'a>> {
        match self {
            Node::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn members(&self) -> Option<&[(Cow<'a, str>, Node<'a>)]> {
        match self {
            Node::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// As `Value::from_json` would make it of the same JSON.
    fn value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::Int(*i),
            Node::Big(u) => Value::str(u.to_string()),
            Node::Float(f) => Value::Float(*f),
            Node::Str(s) => Value::str(&**s),
            Node::Arr(items) => Value::List(items.iter().map(Node::value).collect()),
            Node::Obj(_) => Value::str(self.to_json().to_string()),
        }
    }

    fn from_json(v: &serde_json::Value) -> Node<'static> {
        use serde_json::Value as J;
        match v {
            J::Null => Node::Null,
            J::Bool(b) => Node::Bool(*b),
            J::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Node::Int(i),
                (None, Some(u)) => Node::Big(u),
                _ => Node::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Node::Str(Cow::Owned(s.clone())),
            J::Array(items) => Node::Arr(items.iter().map(Node::from_json).collect()),
            J::Object(m) => Node::Obj(
                m.iter()
                    .map(|(k, v)| (Cow::Owned(k.clone()), Node::from_json(v)))
                    .collect(),
            ),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Node::Null => J::Null,
            Node::Bool(b) => J::Bool(*b),
            Node::Int(i) => J::from(*i),
            Node::Big(u) => J::from(*u),
            Node::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Node::Str(s) => J::String(s.to_string()),
            Node::Arr(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Node::Obj(m) => J::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node<'de>, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// A member name, borrowed when it holds no escape.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(s))
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Node<'de>, E> {
        Ok(Node::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Node<'de>, E> {
        Ok(i64::try_from(u).map_or(Node::Big(u), Node::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Node<'de>, E> {
        Ok(Node::Float(f))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Node<'de>, E> {
        Ok(Node::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element()? {
            items.push(n);
        }
        Ok(Node::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut members: Vec<(Cow<'de, str>, Node<'de>)> = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let value: Node<'de> = map.next_value()?;
            // serde_json's ordered map: a repeated name keeps its first place, the last value.
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(Node::Obj(members))
    }
}

/// Flattens the JSON text of an EVTX record as [`crate::flatten_evtx_json`] flattens its
/// parsed form, numbered `number` (its record header's) when it has no `EventRecordID`.
/// `Err` when the text is not JSON; `Ok(None)` when it is not EVTX-shaped.
pub fn flatten_evtx_text(text: &str, number: u64) -> Result<Option<Event>, serde_json::Error> {
    // From text already known to be UTF-8: its strings are not validated again.
    let doc: Node = serde_json::from_str(text)?;
    Ok(flatten(&doc, number))
}

/// Flattens a parsed EVTX-shaped JSON document (see [`crate::flatten_evtx_json`]).
pub(crate) fn flatten_evtx_value(doc: &serde_json::Value) -> Option<Event> {
    flatten(&Node::from_json(doc), 0)
}

fn flatten(doc: &Node, number: u64) -> Option<Event> {
    let event = doc.get("Event")?;
    let event_members = event.members()?;
    let system = event.get("System")?.members()?;
    let mut out = Vec::with_capacity(32);
    for (key, value) in system {
        system_field(&mut out, key, value);
    }
    for (key, value) in event_members {
        match &**key {
            "System" | "#attributes" => {}
            "EventData" => data_fields(&mut out, value, "Data"),
            "UserData" => {
                if let Node::Obj(children) = value {
                    for (child_key, child) in children {
                        if child_key == "#attributes" {
                            continue;
                        }
                        data_fields(&mut out, child, child_key);
                    }
                }
            }
            other => data_fields(&mut out, value, other),
        }
    }
    Some(evtx_event_numbered(out, number))
}

/// An EVTX record's event from its flattened fields, as [`flatten_evtx_text`] gives them,
/// for decoders that make the fields some other way: its time from `TimeCreated_SystemTime`,
/// its number from `EventRecordID`, or `number` when it has none (a record header's). Both
/// fields are found in one pass over the names as written, and looked up as [`Event::get`]
/// does (in another case) only when that pass misses one.
pub fn evtx_event_numbered(out: Vec<Field>, number: u64) -> Event {
    const TIME: &str = "TimeCreated_SystemTime";
    const ID: &str = "EventRecordID";
    let (mut time, mut id) = (None, None);
    for (i, f) in out.iter().enumerate() {
        match &*f.name {
            TIME if time.is_none() => time = Some(i),
            ID if id.is_none() => id = Some(i),
            _ => continue,
        }
        if time.is_some() && id.is_some() {
            break;
        }
    }
    let mut ev = Event::new(out);
    let value = |at: Option<usize>, name: &str| match at {
        Some(i) => ev.fields().get(i).map(|f| &f.value),
        None => ev.get(name),
    };
    let timestamp = value(time, TIME).and_then(|v| v.to_text().and_then(|t| parse_timestamp(&t)));
    let record_id = match value(id, ID) {
        Some(v) => v.as_f64().map(|f| f as u64).unwrap_or(0),
        None => number,
    };
    ev.timestamp = timestamp;
    ev.record_id = record_id;
    ev
}

fn system_field(out: &mut Vec<Field>, key: &str, value: &Node) {
    match value {
        Node::Obj(map) => {
            if let Some(text) = value.get("#text") {
                push(out, key, text.value());
            }
            if let Some(Node::Obj(attrs)) = value.get("#attributes") {
                for (attr, v) in attrs {
                    push(out, &format!("{key}_{attr}"), v.value());
                }
            }
            for (k, v) in map {
                if k != "#text" && k != "#attributes" {
                    system_field(out, &format!("{key}_{k}"), v);
                }
            }
        }
        other => push(out, key, other.value()),
    }
}

fn data_fields(out: &mut Vec<Field>, value: &Node, name: &str) {
    match value {
        Node::Obj(map) => {
            for (k, v) in map {
                match &**k {
                    "#attributes" => {}
                    "#text" => push(out, name, v.value()),
                    _ => match v {
                        Node::Obj(_) => match v.get("#text") {
                            Some(text) => push(out, k, text.value()),
                            None => data_fields(out, v, k),
                        },
                        other => push(out, k, other.value()),
                    },
                }
            }
        }
        Node::Null => {}
        other => push(out, name, other.value()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, value: Value) -> Field {
        Field {
            name: name.into(),
            value,
        }
    }

    /// Numbered and timed as looking each field up would: the exact name first, another
    /// case after, the header's number only without any `EventRecordID`.
    #[test]
    fn numbered_as_each_field_looked_up() {
        let time = || Value::str("2021-10-23T21:50:11.6665197Z");
        let ev = evtx_event_numbered(
            vec![
                field("eventrecordid", Value::Int(7)),
                field("EventRecordID", Value::Int(9)),
            ],
            5,
        );
        assert_eq!(ev.record_id, 9);
        let ev = evtx_event_numbered(
            vec![
                field("EVENTRECORDID", Value::Int(7)),
                field("timecreated_systemtime", time()),
            ],
            5,
        );
        assert_eq!(ev.record_id, 7);
        assert!(ev.timestamp.is_some());
        let ev = evtx_event_numbered(vec![field("EventRecordID", Value::str("x"))], 5);
        assert_eq!(ev.record_id, 0, "present but not a number");
        let ev = evtx_event_numbered(vec![field("TimeCreated_SystemTime", time())], 5);
        assert_eq!((ev.record_id, ev.timestamp.is_some()), (5, true));
    }
}
