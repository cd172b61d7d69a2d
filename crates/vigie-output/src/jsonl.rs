//! JSON lines: one detection per line.

use std::borrow::Borrow;
use std::io::{self, Write};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value as Json;
use vigie_event::Value;
use vigie_hunt::{Detection, IntelRef};

use crate::{json_text, rfc3339, write_each};

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
///
/// The rule's members are the same on every line of a rule: their text is kept per thread
/// and reused while the detection's rule members are equal to those it was written from.
pub fn push_jsonl_line(d: &Detection, out: &mut Vec<u8>) {
    let line = Line::of(d);
    out.extend_from_slice(b"{\"timestamp\":");
    // Plain data into a vector: serializing cannot fail.
    let _ = serde_json::to_writer(&mut *out, &line.timestamp);
    out.push(b',');
    RULE_TEXTS.with_borrow_mut(|texts| out.extend_from_slice(texts.text(&line.rule)));
    out.push(b',');
    line.event.push_members(out);
    out.push(b'}');
    out.push(b'\n');
}

/// The most rules whose members' text a thread keeps.
const RULE_TEXTS_MAX: usize = 1 << 13;

thread_local! {
    static RULE_TEXTS: std::cell::RefCell<RuleTexts> = Default::default();
}

/// Per rule id: the rule members last written, and their text (`"rule_id":…,"kind":…`).
#[derive(Default)]
struct RuleTexts(std::collections::HashMap<String, (OwnedRuleMembers, Vec<u8>)>);

impl RuleTexts {
    fn text(&mut self, m: &RuleMembers) -> &[u8] {
        let fresh = self.0.get(m.rule_id).is_none_or(|(kept, _)| !kept.is(m));
        if fresh {
            if self.0.len() >= RULE_TEXTS_MAX {
                self.0.clear();
            }
            let text = object_members(m);
            self.0
                .insert(m.rule_id.to_owned(), (OwnedRuleMembers::of(m), text));
        }
        self.0
            .get(m.rule_id)
            .map_or(&[], |(_, text)| text.as_slice())
    }
}

/// What a kept rule text was written from (the techniques follow from the tags).
struct OwnedRuleMembers {
    rule_title: String,
    level: String,
    status: String,
    author: String,
    tags: Vec<String>,
    kind: String,
}

impl OwnedRuleMembers {
    fn of(m: &RuleMembers) -> Self {
        OwnedRuleMembers {
            rule_title: m.rule_title.to_owned(),
            level: m.level.to_owned(),
            status: m.status.to_owned(),
            author: m.author.to_owned(),
            tags: m.tags.to_vec(),
            kind: m.kind.to_owned(),
        }
    }

    /// Whether `m` (of the same rule id) has these members.
    fn is(&self, m: &RuleMembers) -> bool {
        self.rule_title == m.rule_title
            && self.level == m.level
            && self.status == m.status
            && self.author == m.author
            && self.tags == m.tags
            && self.kind == m.kind
    }
}

/// A detection's line, borrowed from it: the definition of the jsonl members and their order
/// (`EventMembers::push_members` writes the event's part the same way, which the property
/// test `lines_are_the_serialized_line` holds it to).
#[derive(Serialize)]
struct Line<'a> {
    timestamp: Option<String>,
    #[serde(flatten)]
    rule: RuleMembers<'a>,
    #[serde(flatten)]
    event: EventMembers<'a>,
}

/// The members that come from the rule (after the timestamp).
#[derive(Serialize)]
struct RuleMembers<'a> {
    rule_id: &'a str,
    rule_title: &'a str,
    level: &'a str,
    status: &'a str,
    author: &'a str,
    tags: &'a [String],
    /// Worked out from the tags only when the rule's text is written.
    #[serde(serialize_with = "techniques")]
    techniques: &'a Detection,
    kind: &'a str,
}

/// The members that come from the event (after the rule's).
#[derive(Serialize)]
struct EventMembers<'a> {
    computer: &'a Option<String>,
    channel: &'a Option<String>,
    event_id: Option<i64>,
    record_id: u64,
    source: &'a str,
    matched: Matched<'a>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    intel: Option<&'a IntelRef>,
}

impl EventMembers<'_> {
    /// Appends the members (without braces) as serializing them writes them, their text
    /// written straight into the line (serde_json's escaping looks at each byte of every
    /// string: half of a line's instructions).
    fn push_members(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\"computer\":");
        json_text::push_opt_str(out, self.computer.as_deref());
        out.extend_from_slice(b",\"channel\":");
        json_text::push_opt_str(out, self.channel.as_deref());
        out.extend_from_slice(b",\"event_id\":");
        match self.event_id {
            Some(id) => json_text::push_int(out, id),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"record_id\":");
        json_text::push_int(out, self.record_id);
        out.extend_from_slice(b",\"source\":");
        json_text::push_str(out, self.source);
        out.extend_from_slice(b",\"matched\":{");
        for (i, (k, v)) in self.matched.firsts().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_text::push_str(out, k);
            out.push(b':');
            json_text::push_value(out, v);
        }
        out.push(b'}');
        if let Some(intel) = self.intel {
            // Rare: serialized.
            let members = object_members(intel);
            if !members.is_empty() {
                out.push(b',');
                out.extend_from_slice(&members);
            }
        }
    }
}

/// The members of `v` serialized as a JSON object, without its braces.
fn object_members(v: &impl Serialize) -> Vec<u8> {
    // Plain data into a vector: serializing cannot fail.
    let mut text = serde_json::to_vec(v).unwrap_or_default();
    text.pop();
    if !text.is_empty() {
        text.remove(0);
    }
    text
}

fn techniques<S: Serializer>(d: &&Detection, s: S) -> Result<S::Ok, S::Error> {
    d.techniques().serialize(s)
}

impl<'a> Line<'a> {
    fn of(d: &'a Detection) -> Self {
        Line {
            timestamp: d.timestamp.as_ref().map(rfc3339),
            rule: RuleMembers {
                rule_id: &d.rule_id,
                rule_title: &d.rule_title,
                level: &d.level,
                status: &d.status,
                author: &d.author,
                tags: &d.tags,
                techniques: d,
                kind: d.kind,
            },
            event: EventMembers {
                computer: &d.computer,
                channel: &d.channel,
                event_id: d.event_id,
                record_id: d.record_id,
                source: &d.source,
                matched: Matched(&d.matched),
                intel: d.intel.as_deref(),
            },
        }
    }
}

/// The matched fields as an object, each value as `Value::to_json` gives it (a later
/// repeated name replaces the earlier one's value, in its place, as in a JSON map).
struct Matched<'a>(&'a [(String, Value)]);

impl<'a> Matched<'a> {
    /// Each name where it first appears, with its last value.
    fn firsts(&self) -> impl Iterator<Item = (&'a str, &'a Value)> {
        let fields = self.0;
        fields.iter().enumerate().filter_map(move |(i, (k, v))| {
            if fields[..i].iter().any(|(earlier, _)| earlier == k) {
                return None;
            }
            let last = fields
                .iter()
                .rev()
                .find(|(name, _)| name == k)
                .map_or(v, |(_, v)| v);
            Some((k.as_str(), last))
        })
    }
}

impl Serialize for Matched<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (k, v) in self.firsts() {
            map.serialize_entry(k, &v.to_json())?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::json_text::props::{text, value};

    /// A line reusing its rule's kept text is the line written whole; a detection with the
    /// same rule id but other rule members (a rule edited between two hunts of a server, two
    /// rules sharing an id) gets its own members, not the kept ones.
    #[test]
    fn kept_rule_texts_follow_the_rule_members() {
        let whole = |d: &Detection| {
            let mut line = serde_json::to_vec(&Line::of(d)).expect("serialized");
            line.push(b'\n');
            String::from_utf8(line).expect("JSON is UTF-8")
        };
        let fast = |d: &Detection| {
            let mut out = Vec::new();
            push_jsonl_line(d, &mut out);
            String::from_utf8(out).expect("JSON is UTF-8")
        };
        let mut d = Detection::default();
        d.rule_id = "same-id".into();
        d.rule_title = "first".into();
        d.tags = vec!["attack.t1003".into()];
        d.kind = "detection";
        d.matched = vec![("CommandLine".into(), Value::Str("a \"b\"".into()))];
        let variants: [fn(&mut Detection); 8] = [
            |_| {},
            |d| d.rule_title = "second".into(),
            |d| d.level = "high".into(),
            |d| d.status = "test".into(),
            |d| d.author = "me".into(),
            |d| d.tags.push("attack.t1059.001".into()),
            |d| d.kind = "correlation",
            |d| d.record_id += 1,
        ];
        for round in 0..2 {
            for change in &variants {
                change(&mut d);
                let line = fast(&d);
                assert_eq!(line, whole(&d), "round {round}");
                assert!(line.contains(&format!("\"rule_title\":\"{}\"", d.rule_title)));
            }
        }
    }

    proptest::proptest! {
        /// The event members written straight into the line are those serializing the line
        /// writes, whatever the text, values, repeated names and intel.
        #[test]
        fn lines_are_the_serialized_line(
            computer in proptest::option::of(text()),
            channel in proptest::option::of(text()),
            event_id in proptest::option::of(proptest::prelude::any::<i64>()),
            record_id in proptest::prelude::any::<u64>(),
            source in text(),
            matched in proptest::collection::vec(
                (proptest::sample::select(vec!["Image", "C\"md", "x"]), value()),
                0..5,
            ),
            intel in proptest::option::of(text()),
        ) {
            let mut d = Detection::default();
            d.rule_id = "id".into();
            d.kind = "detection";
            d.computer = computer;
            d.channel = channel;
            d.event_id = event_id;
            d.record_id = record_id;
            d.source = source;
            d.matched = matched.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            d.intel = intel.map(|indicator| {
                Box::new(IntelRef {
                    indicator_id: 1,
                    indicator_type: "domain".into(),
                    indicator,
                    intel_source: "s".into(),
                    tlp: "TLP:CLEAR".into(),
                })
            });
            let mut want = serde_json::to_vec(&Line::of(&d)).expect("serialized");
            want.push(b'\n');
            let mut got = Vec::new();
            push_jsonl_line(&d, &mut got);
            proptest::prop_assert_eq!(String::from_utf8(got).expect("UTF-8"), String::from_utf8(want).expect("UTF-8"));
        }
    }

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
