//! A MISP feed folder, as MISP's feed generator lays it out: one `<event uuid>.json` per
//! event, `manifest.json` (per event: Orgc, Tag, info, date, analysis, threat_level_id,
//! timestamp) and `hashes.csv` (`md5(value),event uuid` per attribute value, composite values
//! hashed part by part, object attributes included).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

use crate::error::ExportError;
use crate::misp_event::{attribute, by_source, event_fields, write_misp_event, EventMeta};
use crate::selection::ExportIndicator;

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

/// The `hashes.csv` lines of one attribute: the MD5 of its value (of each part of a composite
/// `a|b` type or a `malware-sample`; of a `datetime` as Python prints it), with the event uuid.
pub fn attribute_hash_lines(a: &Value, event_uuid: &str) -> Vec<String> {
    let kind = a.get("type").and_then(Value::as_str).unwrap_or("");
    let Some(value) = a.get("value").and_then(Value::as_str) else {
        return Vec::new();
    };
    let parts: Vec<String> = if kind.contains('|') || kind == "malware-sample" {
        value.split('|').map(str::to_owned).collect()
    } else if kind == "datetime" {
        vec![python_datetime(value)]
    } else {
        vec![value.to_owned()]
    };
    parts
        .iter()
        .map(|p| format!("{:x},{event_uuid}", Md5::digest(p.as_bytes())))
        .collect()
}

/// The `hashes.csv` lines of an event (`{"Event": ...}` or the inner object), object
/// attributes included.
pub fn hash_lines(event: &Value) -> Vec<String> {
    let e = event.get("Event").unwrap_or(event);
    let uuid = e.get("uuid").and_then(Value::as_str).unwrap_or("");
    attributes(e)
        .flat_map(|a| attribute_hash_lines(a, uuid))
        .collect()
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

/// Writes a feed of the indicators into `dir` (created if needed): one event per source
/// (titled `{prefix}: {source}`), `manifest.json`, `hashes.csv`. Returns the files written.
pub fn write_feed(
    dir: &Path,
    indicators: &[ExportIndicator],
    org: &str,
    prefix: &str,
    now: DateTime<Utc>,
) -> Result<Vec<PathBuf>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut manifest = Map::new();
    let mut hashes = String::new();
    let mut written = Vec::new();
    for (source, members) in by_source(indicators) {
        let meta = EventMeta {
            info: format!("{prefix}: {source}"),
            org: org.to_owned(),
            now,
        };
        let uuid = meta.uuid();
        let path = dir.join(format!("{uuid}.json"));
        write_with(&path, |out| write_misp_event(out, &members, &meta))?;
        written.push(path);
        manifest.insert(
            uuid.clone(),
            manifest_entry(&Value::Object(event_fields(&members, &meta))),
        );
        for e in &members {
            for line in attribute_hash_lines(&attribute(e, now), &uuid) {
                hashes.push_str(&line);
                hashes.push('\n');
            }
        }
    }
    let path = dir.join("manifest.json");
    write_with(&path, |out| {
        out.write_all(pretty(&Value::Object(manifest)).as_bytes())
    })?;
    written.push(path);
    let path = dir.join("hashes.csv");
    write_with(&path, |out| out.write_all(hashes.as_bytes()))?;
    written.push(path);
    Ok(written)
}

/// Creates `path` and writes it through a buffer.
pub fn write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let err = |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(path).map_err(err)?;
    let mut out = std::io::BufWriter::new(file);
    write(&mut out).and_then(|()| out.flush()).map_err(err)
}

/// Pretty JSON with a final newline.
pub fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
