//! A MISP feed folder, as MISP's feed generator lays it out: one `<event uuid>.json` per
//! event, `manifest.json` (per event: Orgc, Tag, info, date, analysis, threat_level_id,
//! timestamp) and `hashes.csv` (`md5(value),event uuid` per attribute value, composite values
//! hashed part by part, object attributes included).

use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

use crate::error::ExportError;

/// The manifest entry of an event (`{"Event": {...}}` or the inner object).
pub fn manifest_entry(event: &Value) -> Value {
    let e = event.get("Event").unwrap_or(event);
    let number = |k: &str| match e.get(k) {
        Some(Value::String(s)) => s.parse::<i64>().map_or_else(|_| json!(s), |n| json!(n)),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    json!({
        "Orgc": e.get("Orgc").cloned().unwrap_or(Value::Null),
        "Tag": e.get("Tag").cloned().unwrap_or_else(|| json!([])),
        "info": e.get("info").cloned().unwrap_or(Value::Null),
        "date": e.get("date").cloned().unwrap_or(Value::Null),
        "analysis": number("analysis"),
        "threat_level_id": number("threat_level_id"),
        "timestamp": number("timestamp"),
    })
}

fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[][..], Vec::as_slice)
}

fn attributes(e: &Value) -> impl Iterator<Item = &Value> {
    let direct = list(e.get("Attribute")).iter();
    let in_objects = list(e.get("Object"))
        .iter()
        .flat_map(|o| list(o.get("Attribute")).iter());
    direct.chain(in_objects)
}

/// The `hashes.csv` lines of an event: the MD5 of each attribute value (each part of a
/// composite `a|b` type), with the event's uuid.
pub fn hash_lines(event: &Value) -> Vec<String> {
    let e = event.get("Event").unwrap_or(event);
    let uuid = e.get("uuid").and_then(Value::as_str).unwrap_or("");
    let mut out = Vec::new();
    for a in attributes(e) {
        let kind = a.get("type").and_then(Value::as_str).unwrap_or("");
        let Some(value) = a.get("value").and_then(Value::as_str) else {
            continue;
        };
        let parts: Vec<String> = if kind.contains('|') || kind == "malware-sample" {
            value.split('|').map(str::to_owned).collect()
        } else if kind == "datetime" {
            vec![python_datetime(value)]
        } else {
            vec![value.to_owned()]
        };
        for p in parts {
            out.push(format!("{:x},{uuid}", Md5::digest(p.as_bytes())));
        }
    }
    out
}

/// A `datetime` value as PyMISP hashes it: Python's `str(datetime)` (`2019-02-22 20:12:18`,
/// microseconds when not zero, the offset when the value has one); other text unchanged.
fn python_datetime(value: &str) -> String {
    use chrono::{DateTime, NaiveDateTime, Timelike};
    let micros = |ns: u32| {
        if ns / 1000 == 0 {
            String::new()
        } else {
            format!(".{:06}", ns / 1000)
        }
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return format!(
            "{}{}{}",
            t.format("%Y-%m-%d %H:%M:%S"),
            micros(t.nanosecond()),
            t.format("%:z")
        );
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(value, f) {
            return format!(
                "{}{}",
                t.format("%Y-%m-%d %H:%M:%S"),
                micros(t.nanosecond())
            );
        }
    }
    value.to_owned()
}

fn write(path: PathBuf, bytes: &[u8]) -> Result<(), ExportError> {
    std::fs::write(&path, bytes).map_err(|source| ExportError::Write { path, source })
}

/// Writes the events, the manifest and hashes.csv into `dir` (created if needed). Returns the
/// files written.
pub fn write_feed(dir: &Path, events: &[Value]) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut manifest = Map::new();
    let mut hashes = String::new();
    let mut written = Vec::new();
    for event in events {
        let e = event.get("Event").unwrap_or(event);
        let uuid = e.get("uuid").and_then(Value::as_str).unwrap_or("");
        let path = dir.join(format!("{uuid}.json"));
        write(path.clone(), pretty(event).as_bytes())?;
        written.push(path);
        manifest.insert(uuid.to_owned(), manifest_entry(event));
        for line in hash_lines(event) {
            hashes.push_str(&line);
            hashes.push('\n');
        }
    }
    let path = dir.join("manifest.json");
    write(path.clone(), pretty(&Value::Object(manifest)).as_bytes())?;
    written.push(path);
    let path = dir.join("hashes.csv");
    write(path.clone(), hashes.as_bytes())?;
    written.push(path);
    Ok(written)
}

/// Pretty JSON with a final newline.
pub fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
