//! CSV timelines: Vigie's own columns, and the layout Timesketch imports.

use std::io::{self, Write};

use vigie_hunt::Detection;

use crate::rfc3339;

fn matched_text(d: &Detection) -> String {
    d.matched
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The timeline as CSV, with the same scalar columns as jsonl.
pub fn write_csv(out: &mut dyn Write, detections: &[Detection]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "timestamp",
        "level",
        "rule_title",
        "rule_id",
        "status",
        "author",
        "tags",
        "computer",
        "channel",
        "event_id",
        "record_id",
        "source",
        "matched",
    ])?;
    for d in detections {
        w.write_record([
            d.timestamp.as_ref().map(rfc3339).unwrap_or_default(),
            d.level.clone(),
            d.rule_title.clone(),
            d.rule_id.clone(),
            d.status.clone(),
            d.author.clone(),
            d.tags.join(";"),
            d.computer.clone().unwrap_or_default(),
            d.channel.clone().unwrap_or_default(),
            d.event_id.map(|e| e.to_string()).unwrap_or_default(),
            d.record_id.to_string(),
            d.source.clone(),
            matched_text(d),
        ])?;
    }
    w.flush()
}

/// Timesketch's CSV: `message`, `datetime`, `timestamp_desc`, then the fields.
pub fn write_timesketch(out: &mut dyn Write, detections: &[Detection]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "message",
        "datetime",
        "timestamp_desc",
        "timestamp",
        "rule_title",
        "rule_id",
        "level",
        "author",
        "tags",
        "computer",
        "channel",
        "event_id",
        "record_id",
        "source",
        "matched",
    ])?;
    for d in detections {
        let micros = d
            .timestamp
            .map(|t| t.timestamp_micros().to_string())
            .unwrap_or_default();
        w.write_record([
            format!("[{}] {}", d.level, d.rule_title),
            d.timestamp.as_ref().map(rfc3339).unwrap_or_default(),
            "Event Recorded".to_owned(),
            micros,
            d.rule_title.clone(),
            d.rule_id.clone(),
            d.level.clone(),
            d.author.clone(),
            d.tags.join(";"),
            d.computer.clone().unwrap_or_default(),
            d.channel.clone().unwrap_or_default(),
            d.event_id.map(|e| e.to_string()).unwrap_or_default(),
            d.record_id.to_string(),
            d.source.clone(),
            matched_text(d),
        ])?;
    }
    w.flush()
}
