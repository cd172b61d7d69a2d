//! JSON lines: one detection per line.

use std::borrow::Borrow;
use std::io::{self, Write};

use serde_json::{json, Map, Value as Json};
use vigie_hunt::Detection;

use crate::rfc3339;

/// A detection as a JSON object (the jsonl format's line).
pub fn detection_json(d: &Detection) -> Json {
    let matched: Map<String, Json> = d
        .matched
        .iter()
        .map(|(k, v)| (k.clone(), v.to_json()))
        .collect();
    let mut line = json!({
        "timestamp": d.timestamp.as_ref().map(rfc3339),
        "rule_id": d.rule_id,
        "rule_title": d.rule_title,
        "level": d.level,
        "status": d.status,
        "author": d.author,
        "tags": d.tags,
        "techniques": d.techniques(),
        "kind": d.kind,
        "computer": d.computer,
        "channel": d.channel,
        "event_id": d.event_id,
        "record_id": d.record_id,
        "source": d.source,
        "matched": matched,
    });
    if let (Some(i), Some(obj)) = (&d.intel, line.as_object_mut()) {
        obj.insert("indicator_id".into(), i.indicator_id.into());
        obj.insert("indicator_type".into(), i.indicator_type.clone().into());
        obj.insert("indicator".into(), i.indicator.clone().into());
        obj.insert("intel_source".into(), i.intel_source.clone().into());
        obj.insert("tlp".into(), i.tlp.clone().into());
    }
    line
}

/// Writes detections as JSON lines, in the order given.
pub fn write_jsonl<D: Borrow<Detection>>(
    out: &mut dyn Write,
    detections: impl IntoIterator<Item = io::Result<D>>,
) -> io::Result<()> {
    for d in detections {
        serde_json::to_writer(&mut *out, &detection_json(d?.borrow()))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
