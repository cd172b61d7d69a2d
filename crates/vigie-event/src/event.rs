//! One decoded log record: named fields, an optional time and the record's number in its source.

use chrono::{DateTime, Utc};

use crate::shape::ShapeId;
use crate::value::Value;

/// A field's name: kept inline up to 24 bytes (nearly every name), so that decoding a
/// record does not allocate for its names, nor copying them from a template's plan.
pub type Name = compact_str::CompactString;

/// A named field of an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Name,
    pub value: Value,
}

/// One log record, flattened.
#[derive(Clone, Default)]
pub struct Event {
    fields: Vec<Field>,
    /// When the event happened (UTC), when the record says.
    pub timestamp: Option<DateTime<Utc>>,
    /// The record's identity in its source: the EVTX EventRecordID, or the 1-based line
    /// or object number of a JSON input.
    pub record_id: u64,
    /// The id of the fields' names in order, when a decoder's [`crate::Shapes`] or
    /// [`crate::KeyedShapes`] gave it (only there, and dropped when a field is added).
    pub(crate) shape: Option<ShapeId>,
}

/// Events are equal by their contents: the shape id says how they were made.
impl PartialEq for Event {
    fn eq(&self, other: &Event) -> bool {
        self.fields == other.fields
            && self.timestamp == other.timestamp
            && self.record_id == other.record_id
    }
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("fields", &self.fields)
            .field("timestamp", &self.timestamp)
            .field("record_id", &self.record_id)
            .finish()
    }
}

impl Event {
    pub fn new(fields: Vec<Field>) -> Self {
        Event {
            fields,
            timestamp: None,
            record_id: 0,
            shape: None,
        }
    }

    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The id of the fields' names in order, when the decoder gave one.
    pub fn shape(&self) -> Option<ShapeId> {
        self.shape
    }

    pub fn push(&mut self, name: impl Into<Name>, value: Value) {
        self.shape = None;
        self.fields.push(Field {
            name: name.into(),
            value,
        });
    }

    /// The value of a field: the exact name first, then the same name in another case.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|f| &*f.name == name)
            .or_else(|| {
                self.fields
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(name))
            })
            .map(|f| &f.value)
    }

    /// The first of several field names that is present with a non-null value.
    pub fn get_any(&self, names: &[&str]) -> Option<&Value> {
        names
            .iter()
            .filter_map(|n| self.get(n))
            .find(|v| !v.is_null())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_name_wins_then_case_insensitive() {
        let mut e = Event::default();
        e.push("image", Value::str("a"));
        e.push("Image", Value::str("b"));
        assert_eq!(e.get("Image"), Some(&Value::str("b")));
        assert_eq!(e.get("IMAGE"), Some(&Value::str("a")));
        assert_eq!(e.get("Other"), None);
    }
}
