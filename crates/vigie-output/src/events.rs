//! Events found by a search, in the same formats as detections: JSON lines, CSV, a table.

use std::io::{self, Write};

use serde_json::{json, Map, Value as Json};
use vigie_hunt::Found;

use crate::{rfc3339, DisplayZone};

/// A found event as a JSON object: its identity, then every field.
pub fn event_json(f: &Found) -> Json {
    let fields: Map<String, Json> = f
        .event
        .fields()
        .iter()
        .map(|x| (x.name.to_string(), x.value.to_json()))
        .collect();
    json!({
        "timestamp": f.event.timestamp.as_ref().map(rfc3339),
        "computer": f.identity.computer,
        "channel": f.identity.channel,
        "event_id": f.identity.event_id,
        "record_id": f.event.record_id,
        "source": f.source,
        "event": fields,
    })
}

pub fn write_events_jsonl(out: &mut dyn Write, found: &[Found]) -> io::Result<()> {
    for f in found {
        serde_json::to_writer(&mut *out, &event_json(f))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

pub fn write_events_csv(out: &mut dyn Write, found: &[Found]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "timestamp",
        "computer",
        "channel",
        "event_id",
        "record_id",
        "source",
        "event",
    ])?;
    for f in found {
        w.write_record([
            f.event.timestamp.as_ref().map(rfc3339).unwrap_or_default(),
            f.identity.computer.clone().unwrap_or_default(),
            f.identity.channel.clone().unwrap_or_default(),
            f.identity
                .event_id
                .map(|e| e.to_string())
                .unwrap_or_default(),
            f.event.record_id.to_string(),
            f.source.clone(),
            event_json(f)["event"].to_string(),
        ])?;
    }
    w.flush()
}

/// One line per event: time, host, event id and record, then its fields as `name=value`.
pub fn write_events_table(
    out: &mut dyn Write,
    found: &[Found],
    zone: DisplayZone,
) -> io::Result<()> {
    for f in found {
        let fields = f
            .event
            .fields()
            .iter()
            .map(|x| format!("{}={}", x.name, x.value))
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['\n', '\r', '\t'], " ");
        writeln!(
            out,
            "{}  {}  {}#{}  {}  {}",
            f.event
                .timestamp
                .as_ref()
                .map(|t| zone.format(t))
                .unwrap_or_else(|| "-".into()),
            f.identity.computer.as_deref().unwrap_or("-"),
            f.identity
                .event_id
                .map(|e| e.to_string())
                .unwrap_or_else(|| "-".into()),
            f.event.record_id,
            f.source,
            fields
        )?;
    }
    Ok(())
}
