//! JSON lines: one detection per line.

use std::borrow::Borrow;
use std::io::{self, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value as Json;
use vigie_event::Value;
use vigie_hunt::{Detection, IntelRef};

use crate::{rfc3339, write_each};

/// A detection as a JSON object (the jsonl format's line).
pub fn detection_json(d: &Detection) -> Json {
    // Serializing plain data into a JSON value cannot fail (no maps with non-string keys).
    serde_json::to_value(Line::of(d)).unwrap_or(Json::Null)
}

/// Writes detections as JSON lines, in the order given: each line the text of
/// [`detection_json`], written straight from the detection without building the value.
pub fn write_jsonl<D: Borrow<Detection>>(
    out: &mut dyn Write,
    detections: impl IntoIterator<Item = io::Result<D>>,
) -> io::Result<()> {
    write_each(out, "", push_jsonl_line, detections)
}

/// Appends a detection's JSON line, with its newline, to `out`: what [`write_jsonl`] writes
/// for it. A hunt runs this on its worker threads (`vigie_hunt::Renderer`).
pub fn push_jsonl_line(d: &Detection, out: &mut Vec<u8>) {
    // Plain data into a vector: serializing cannot fail.
    let _ = serde_json::to_writer(&mut *out, &Line::of(d));
    out.push(b'\n');
}

/// A detection's line, borrowed from it: the one definition of the jsonl members and their
/// order.
#[derive(Serialize)]
struct Line<'a> {
    timestamp: Option<String>,
    rule_id: &'a str,
    rule_title: &'a str,
    level: &'a str,
    status: &'a str,
    author: &'a str,
    tags: &'a [String],
    techniques: Vec<String>,
    kind: &'a str,
    computer: &'a Option<String>,
    channel: &'a Option<String>,
    event_id: Option<i64>,
    record_id: u64,
    source: &'a str,
    matched: Matched<'a>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    intel: Option<&'a IntelRef>,
}

impl<'a> Line<'a> {
    fn of(d: &'a Detection) -> Self {
        Line {
            timestamp: d.timestamp.as_ref().map(rfc3339),
            rule_id: &d.rule_id,
            rule_title: &d.rule_title,
            level: &d.level,
            status: &d.status,
            author: &d.author,
            tags: &d.tags,
            techniques: d.techniques(),
            kind: d.kind,
            computer: &d.computer,
            channel: &d.channel,
            event_id: d.event_id,
            record_id: d.record_id,
            source: &d.source,
            matched: Matched(&d.matched),
            intel: d.intel.as_deref(),
        }
    }
}

/// The matched fields as an object, each value as `Value::to_json` gives it (a later
/// repeated name replaces the earlier one's value, in its place, as in a JSON map).
struct Matched<'a>(&'a [(String, Value)]);

impl Serialize for Matched<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = self.0;
        let mut map = s.serialize_map(None)?;
        for (i, (k, v)) in fields.iter().enumerate() {
            if fields[..i].iter().any(|(earlier, _)| earlier == k) {
                continue;
            }
            let last = fields
                .iter()
                .rev()
                .find(|(name, _)| name == k)
                .map_or(v, |(_, v)| v);
            map.serialize_entry(k, &JsonValue(last))?;
        }
        map.end()
    }
}

/// A field value serialized as `Value::to_json` gives it.
struct JsonValue<'a>(&'a Value);

impl Serialize for JsonValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => s.serialize_f64(*f),
            Value::Float(_) => s.serialize_unit(),
            Value::Str(v) => s.serialize_str(v.as_str()),
            Value::List(items) => s.collect_seq(items.iter().map(JsonValue)),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// Each line, whatever the values (repeated matched names, floats, lists, intel), is the
    /// text below (taken from the map-built lines of before), and the text of `detection_json`.
    #[test]
    fn lines_hold_every_member_in_order() {
        let mut d = Detection::default();
        d.rule_id = "r\"1".into();
        d.rule_title = "Tïtle\n".into();
        d.level = "high".into();
        d.status = "test".into();
        d.tags = vec!["attack.t1059.001".into(), "attack.execution".into()];
        d.timestamp = Some(
            chrono::Utc
                .with_ymd_and_hms(2024, 5, 1, 12, 0, 0)
                .single()
                .expect("a time"),
        );
        d.computer = Some("pc".into());
        d.event_id = Some(4688);
        d.record_id = 7;
        d.source = "a.evtx".into();
        d.matched = vec![
            ("Image".into(), Value::str("C:\\x.exe")),
            ("N".into(), Value::Float(1.5)),
            ("Image".into(), Value::Int(3)),
            ("Nan".into(), Value::Float(f64::NAN)),
            (
                "L".into(),
                Value::List([Value::Null, Value::Bool(true)].into()),
            ),
        ];
        d.kind = "detection";
        let text = |d: &Detection| {
            let mut out = Vec::new();
            write_jsonl(&mut out, [Ok(d)]).expect("written to memory");
            String::from_utf8(out).expect("JSON is UTF-8")
        };
        let line = r#"{"timestamp":"2024-05-01T12:00:00.000Z","rule_id":"r\"1","rule_title":"Tïtle\n","level":"high","status":"test","author":"","tags":["attack.t1059.001","attack.execution"],"techniques":["T1059.001"],"kind":"detection","computer":"pc","channel":null,"event_id":4688,"record_id":7,"source":"a.evtx","matched":{"Image":3,"N":1.5,"Nan":null,"L":[null,true]}}"#;
        assert_eq!(text(&d), format!("{line}\n"));
        assert_eq!(detection_json(&d).to_string(), line);
        d.intel = Some(Box::new(IntelRef {
            indicator_id: 9,
            indicator_type: "ipv4".into(),
            indicator: "10.0.0.1".into(),
            intel_source: "misp".into(),
            tlp: "clear".into(),
        }));
        d.timestamp = None;
        let line = r#"{"timestamp":null,"rule_id":"r\"1","rule_title":"Tïtle\n","level":"high","status":"test","author":"","tags":["attack.t1059.001","attack.execution"],"techniques":["T1059.001"],"kind":"detection","computer":"pc","channel":null,"event_id":4688,"record_id":7,"source":"a.evtx","matched":{"Image":3,"N":1.5,"Nan":null,"L":[null,true]},"indicator_id":9,"indicator_type":"ipv4","indicator":"10.0.0.1","intel_source":"misp","tlp":"clear"}"#;
        assert_eq!(text(&d), format!("{line}\n"));
        assert_eq!(detection_json(&d).to_string(), line);
    }
}
