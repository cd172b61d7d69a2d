//! A detection as reported: the rule, the event's identity and the fields that made it fire.

use chrono::{DateTime, Utc};
use vigie_engine::RuleInfo;
use vigie_event::{Event, Value};

/// One rule firing on one event (or a correlation firing on a group of them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detection {
    pub rule_id: String,
    pub rule_title: String,
    pub level: String,
    pub status: String,
    pub author: String,
    pub tags: Vec<String>,
    pub timestamp: Option<DateTime<Utc>>,
    pub computer: Option<String>,
    pub channel: Option<String>,
    pub event_id: Option<i64>,
    /// EVTX EventRecordID, or the 1-based line / object number of JSON input.
    pub record_id: u64,
    /// The file (`archive.zip!member` inside an archive; `-` for stdin).
    pub source: String,
    /// Fields that made the rule fire, with their values.
    pub matched: Vec<(String, Value)>,
    /// `detection`, `correlation` or `intel`.
    pub kind: &'static str,
    /// For a threat-intel detection, the indicator that matched.
    pub intel: Option<Box<IntelRef>>,
    /// Index of the input file, to keep the order stable.
    pub(crate) file_index: usize,
    /// Order of finding within the input part (correlations come after), to break ties.
    pub(crate) seq: u64,
    /// Index of the rule in the rule set.
    pub(crate) rule: usize,
}

/// The indicator behind a threat-intel detection.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IntelRef {
    /// The indicator's id in the intel store it came from.
    pub indicator_id: i64,
    /// The indicator's type (`ipv4`, `domain`, `sha256`, ...).
    pub indicator_type: String,
    /// The indicator's value (a network for an address inside it, a parent domain for a
    /// subdomain).
    pub indicator: String,
    /// The sources that hold it, comma-separated.
    pub intel_source: String,
    /// The strictest TLP its sources give (`TLP:AMBER`).
    pub tlp: String,
}

/// Fields that name the host an event comes from, in order of preference.
const COMPUTER_FIELDS: [&str; 6] = [
    "Computer",
    "Hostname",
    "host.name",
    "host",
    "ComputerName",
    "hostname",
];

/// The host an event comes from, when it says.
pub(crate) fn computer_of(event: &Event) -> Option<String> {
    text_of(event, &COMPUTER_FIELDS)
}

/// The fields that identify an event in reports: host, channel and event id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Identity {
    pub computer: Option<String>,
    pub channel: Option<String>,
    pub event_id: Option<i64>,
}

impl Identity {
    pub fn of(event: &Event) -> Identity {
        Identity {
            computer: computer_of(event),
            channel: text_of(event, &["Channel", "winlog.channel"]),
            event_id: event
                .get_any(&["EventID", "winlog.event_id", "event.code"])
                .and_then(Value::as_f64)
                .map(|f| f as i64),
        }
    }
}

fn text_of(event: &Event, names: &[&str]) -> Option<String> {
    event
        .get_any(names)
        .and_then(|v| v.to_text().map(|t| t.into_owned()))
}

/// What a detection says of its rule, made once per rule.
#[derive(Clone, Debug)]
pub struct RuleHead {
    rule: usize,
    rule_id: String,
    rule_title: String,
    level: String,
    status: String,
    author: String,
    tags: Vec<String>,
    kind: &'static str,
}

impl RuleHead {
    pub(crate) fn new(rule: usize, info: &RuleInfo, kind: &'static str) -> Self {
        RuleHead {
            rule,
            rule_id: info.id().to_owned(),
            rule_title: info.meta.title.clone(),
            level: info.meta.level.map_or("medium", |l| l.as_str()).to_owned(),
            status: info.meta.status.clone().unwrap_or_default(),
            author: info.meta.author.clone().unwrap_or_default(),
            tags: info.meta.tags.clone(),
            kind,
        }
    }

    /// A head for detections that no Sigma rule makes (threat-intel matches).
    pub(crate) fn synthetic(
        rule: usize,
        rule_id: &str,
        rule_title: &str,
        level: &str,
        kind: &'static str,
    ) -> Self {
        RuleHead {
            rule,
            rule_id: rule_id.to_owned(),
            rule_title: rule_title.to_owned(),
            level: level.to_owned(),
            status: String::new(),
            author: "vigie".to_owned(),
            tags: Vec::new(),
            kind,
        }
    }

    /// A detection of the rule, with no event data yet.
    pub(crate) fn detection(&self) -> Detection {
        Detection {
            rule_id: self.rule_id.clone(),
            rule_title: self.rule_title.clone(),
            level: self.level.clone(),
            status: self.status.clone(),
            author: self.author.clone(),
            tags: self.tags.clone(),
            timestamp: None,
            computer: None,
            channel: None,
            event_id: None,
            record_id: 0,
            source: String::new(),
            matched: Vec::new(),
            kind: self.kind,
            intel: None,
            file_index: 0,
            seq: 0,
            rule: self.rule,
        }
    }
}

impl Detection {
    /// A detection of the rule `head` describes on `event`.
    pub(crate) fn from_event(
        head: &RuleHead,
        event: &Event,
        source: &str,
        matched: Vec<(Box<str>, Value)>,
    ) -> Self {
        let id = Identity::of(event);
        Detection {
            timestamp: event.timestamp,
            computer: id.computer,
            channel: id.channel,
            event_id: id.event_id,
            record_id: event.record_id,
            source: source.to_owned(),
            matched: matched
                .into_iter()
                .map(|(k, v)| (k.into_string(), v))
                .collect(),
            ..head.detection()
        }
    }

    /// The matched fields as `name=value`, joined with `sep`.
    pub fn matched_text(&self, sep: &str) -> String {
        self.matched_text_upto(sep, usize::MAX)
    }

    /// Appends [`Detection::matched_text`] to `out`.
    pub fn write_matched(&self, out: &mut String, sep: &str) {
        self.write_matched_upto(out, sep, usize::MAX);
    }

    /// The start of [`Detection::matched_text`]: the whole text, or a prefix of it of at
    /// least `bytes` bytes (a few more to end on a character): what a display that shows
    /// only its first characters needs, without copying a long script block whole.
    pub fn matched_text_upto(&self, sep: &str, bytes: usize) -> String {
        // Sized once for the usual case (text values), not grown value by value.
        let size: usize = self
            .matched
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::Str(s) => s.as_str().len(),
                    _ => 20,
                };
                k.len() + 1 + v + sep.len()
            })
            .sum();
        let mut out = String::with_capacity(size.min(bytes.saturating_add(64)));
        self.write_matched_upto(&mut out, sep, bytes);
        out
    }

    /// Appends [`Detection::matched_text`] to `out`, stopping once `out` holds at least
    /// `limit` bytes (at the first character boundary past them).
    fn write_matched_upto(&self, out: &mut String, sep: &str, limit: usize) {
        use std::fmt::Write;
        for (i, (k, v)) in self.matched.iter().enumerate() {
            if out.len() >= limit {
                return;
            }
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(k);
            out.push('=');
            match v {
                // What `Display` writes for text, without the formatting machinery.
                Value::Str(s) => {
                    let s = s.as_str();
                    let room = limit.saturating_sub(out.len());
                    out.push_str(s.get(..s.ceil_char_boundary(room)).unwrap_or(s));
                }
                _ => {
                    let _ = write!(out, "{v}");
                }
            }
        }
    }

    /// The MITRE ATT&CK technique ids among the tags (`attack.t1059.001` → `T1059.001`).
    pub fn techniques(&self) -> Vec<String> {
        self.technique_tags()
            .map(|rest| {
                let mut id = String::with_capacity(rest.len() + 1);
                push_technique(&mut id, rest);
                id
            })
            .collect()
    }

    /// Appends [`Detection::techniques`] joined with `sep` to `out`, without a string for
    /// each.
    pub fn push_techniques(&self, out: &mut String, sep: &str) {
        for (i, rest) in self.technique_tags().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            push_technique(out, rest);
        }
    }

    /// What follows `attack.t` in each technique tag.
    fn technique_tags(&self) -> impl Iterator<Item = &str> {
        self.tags
            .iter()
            .filter_map(|t| t.strip_prefix("attack.t"))
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    }
}

/// Appends the technique id of a tag's `rest` (after `attack.t`): `T` and `rest` upper-cased.
fn push_technique(out: &mut String, rest: &str) {
    out.push('T');
    let start = out.len();
    out.push_str(rest);
    if let Some(id) = out.get_mut(start..) {
        id.make_ascii_uppercase();
    }
}

#[cfg(test)]
mod tests {
    use super::{Detection, Value};

    proptest::proptest! {
        /// The techniques, as a list and appended in place, are `T` and each technique tag's
        /// rest upper-cased.
        #[test]
        fn pushed_techniques_are_the_techniques_joined(
            tags in proptest::collection::vec("(attack\\.(t[0-9]{1,4}(\\.[0-9a-z]{1,3})?|execution|tä1)|car\\.[0-9])", 0..6),
        ) {
            let want: Vec<String> = tags
                .iter()
                .filter_map(|t| t.strip_prefix("attack.t"))
                .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                .map(|rest| format!("T{}", rest.to_ascii_uppercase()))
                .collect();
            let d = Detection { tags, ..Detection::default() };
            proptest::prop_assert_eq!(&d.techniques(), &want);
            let mut out = String::from("x");
            d.push_techniques(&mut out, ", ");
            proptest::prop_assert_eq!(out, format!("x{}", want.join(", ")));
        }

        /// The start of the matched text is a prefix of the whole, and is the whole or at
        /// least as long as asked (texts of characters of one to four bytes).
        #[test]
        fn matched_text_upto_is_a_long_enough_prefix(
            matched in proptest::collection::vec(("[a-z]{1,3}", "[a-zé€😀 ]{0,30}", proptest::prelude::any::<bool>()), 0..5),
            bytes in 0usize..80,
        ) {
            let matched = matched
                .into_iter()
                .map(|(k, v, text)| (k, if text { Value::str(v) } else { Value::Int(v.len() as i64) }))
                .collect();
            let d = Detection { matched, ..Detection::default() };
            let whole = d.matched_text(" | ");
            let start = d.matched_text_upto(" | ", bytes);
            proptest::prop_assert!(whole.starts_with(&start));
            proptest::prop_assert!(start == whole || start.len() >= bytes, "{start:?} of {whole:?}");
        }
    }
}
