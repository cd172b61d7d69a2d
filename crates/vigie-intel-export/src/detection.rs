//! Detections as sightings need them: read from a line of `vigie hunt --format jsonl`, or
//! from a hunt's `Detection` through the same JSON, so that both paths agree.

use chrono::{DateTime, Utc};
use serde_json::Value;
use vigie_intel::{IndicatorType, Tlp};

use crate::error::DetectionProblem;

/// The indicator an intel detection came from.
#[derive(Debug, Clone, PartialEq)]
pub enum IndicatorRef {
    /// Its type and value in the store (its exported id follows from them).
    Value(IndicatorType, String),
    /// A STIX `indicator--...` id given as is.
    StixId(String),
    /// The indicator's row id in an intel store, to be resolved to its type and value with
    /// `resolve_store_ids` (unresolved, the sighting is of the rule instead).
    StoreId(i64),
}

/// What a sighting needs of one detection.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectionRecord {
    pub rule_id: String,
    pub rule_title: String,
    pub level: String,
    /// ATT&CK technique ids (`T1059.001`).
    pub techniques: Vec<String>,
    pub timestamp: Option<DateTime<Utc>>,
    pub computer: Option<String>,
    pub source: String,
    pub record_id: u64,
    /// Fields that made it fire, with their values as text (lists give one entry per item).
    pub matched: Vec<(String, String)>,
    pub indicator: Option<IndicatorRef>,
    /// The intel's TLP, for detections that came from intel.
    pub tlp: Option<Tlp>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn matched(v: Option<&Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(map) = v.and_then(Value::as_object) else {
        return out;
    };
    for (k, val) in map {
        match val {
            Value::String(s) => out.push((k.clone(), s.clone())),
            Value::Number(n) => out.push((k.clone(), n.to_string())),
            Value::Array(items) => {
                for i in items {
                    match i {
                        Value::String(s) => out.push((k.clone(), s.clone())),
                        Value::Number(n) => out.push((k.clone(), n.to_string())),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn indicator(v: &Value) -> Option<IndicatorRef> {
    if let Some(id) = text(v, "indicator_id").filter(|i| i.starts_with("indicator--")) {
        return Some(IndicatorRef::StixId(id));
    }
    let kind = text(v, "indicator_type").and_then(|t| IndicatorType::parse(&t));
    let value = text(v, "indicator_value").or_else(|| text(v, "indicator"));
    match (kind, value) {
        (Some(kind), Some(value)) => Some(IndicatorRef::Value(kind, value)),
        _ => v
            .get("indicator_id")
            .and_then(Value::as_i64)
            .map(IndicatorRef::StoreId),
    }
}

impl DetectionRecord {
    /// Reads one detection as `vigie hunt --format jsonl` writes it.
    pub fn from_json(v: &Value) -> Result<DetectionRecord, String> {
        if !v.is_object() {
            return Err("not a JSON object".into());
        }
        let rule_id = text(v, "rule_id")
            .ok_or("no \"rule_id\": not a detection as `vigie hunt --format jsonl` writes it")?;
        let timestamp = match v.get("timestamp") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(
                DateTime::parse_from_rfc3339(s)
                    .map_err(|e| format!("timestamp {s:?} is not RFC 3339: {e}"))?
                    .with_timezone(&Utc),
            ),
            Some(other) => return Err(format!("timestamp {other} is not a string")),
        };
        Ok(DetectionRecord {
            rule_title: text(v, "rule_title").unwrap_or_else(|| rule_id.clone()),
            rule_id,
            level: text(v, "level").unwrap_or_else(|| "unknown".into()),
            techniques: strings(v.get("techniques")),
            timestamp,
            computer: text(v, "computer"),
            source: text(v, "source").unwrap_or_default(),
            record_id: v.get("record_id").and_then(Value::as_u64).unwrap_or(0),
            matched: matched(v.get("matched")),
            indicator: indicator(v),
            tlp: text(v, "tlp").and_then(|t| Tlp::parse(&t)),
        })
    }

    /// A hunt's detection, through the JSON the jsonl format writes.
    pub fn from_detection(d: &vigie_hunt::Detection) -> Result<DetectionRecord, String> {
        DetectionRecord::from_json(&vigie_output::detection_json(d))
    }
}

/// Reads a detections file (JSON lines); blank lines are skipped, each bad line is a problem
/// and the others are read.
pub fn read_detections(text: &str, file: &str) -> (Vec<DetectionRecord>, Vec<DetectionProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed = serde_json::from_str::<Value>(line)
            .map_err(|e| format!("not JSON: {e}"))
            .and_then(|v| DetectionRecord::from_json(&v));
        match parsed {
            Ok(d) => out.push(d),
            Err(reason) => problems.push(DetectionProblem {
                file: file.to_owned(),
                line: i + 1,
                reason,
            }),
        }
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_lines_are_problems_not_panics() {
        let text = concat!(
            "[1, 2]\n",
            "{\"rule_id\": 5, \"timestamp\": 7}\n",
            "{\"rule_id\": \"r\", \"timestamp\": \"yesterday\"}\n",
            "{\"rule_id\": \"r\", \"matched\": {\"a\": [1, null, {\"x\": 1}], \"b\": true}, \"record_id\": -3}\n",
            "\n",
            "{\"rule_id\": \"r\", \"indicator_type\": \"ipv4\", \"indicator\": \"198.51.100.1\", \"tlp\": \"RED\"}\n",
        );
        let (ok, problems) = read_detections(text, "d.jsonl");
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        assert!(
            problems[2].reason.contains("not RFC 3339"),
            "{}",
            problems[2]
        );
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].matched, [("a".to_owned(), "1".to_owned())]);
        assert_eq!(ok[0].record_id, 0);
        assert_eq!(
            ok[1].indicator,
            Some(IndicatorRef::Value(
                IndicatorType::Ipv4,
                "198.51.100.1".into()
            ))
        );
        assert_eq!(ok[1].tlp, Some(Tlp::Red));
    }
}
