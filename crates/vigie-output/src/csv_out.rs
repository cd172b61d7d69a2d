//! CSV timelines: Vigie's own columns, and the layout Timesketch imports.

use std::borrow::Borrow;
use std::io::{self, Write};

use vigie_hunt::Detection;

use crate::rfc3339;

/// Vigie's CSV columns, the scalar fields of the jsonl format.
const COLUMNS: [&str; 13] = [
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
];

/// One detection in [`COLUMNS`] order.
fn row(d: &Detection) -> [String; 13] {
    let matched = d.matched_text(" | ");
    [
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
        matched,
    ]
}

/// The timeline as CSV, with the same scalar columns as jsonl.
pub fn write_csv<D: Borrow<Detection>>(
    out: &mut dyn Write,
    detections: impl IntoIterator<Item = io::Result<D>>,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(COLUMNS)?;
    for d in detections {
        w.write_record(row(d?.borrow()))?;
    }
    w.flush()
}

/// Timesketch's CSV: `message`, `datetime`, `timestamp_desc` and `timestamp` (microseconds),
/// then Vigie's columns.
pub fn write_timesketch<D: Borrow<Detection>>(
    out: &mut dyn Write,
    detections: impl IntoIterator<Item = io::Result<D>>,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let head = ["message", "datetime", "timestamp_desc", "timestamp"];
    w.write_record(head.iter().chain(&COLUMNS[1..]))?;
    for d in detections {
        let d = d?;
        let d = d.borrow();
        let [datetime, rest @ ..] = row(d);
        let micros = d
            .timestamp
            .map(|t| t.timestamp_micros().to_string())
            .unwrap_or_default();
        let first = [
            format!("[{}] {}", d.level, d.rule_title),
            datetime,
            "Event Recorded".to_owned(),
            micros,
        ];
        w.write_record(first.iter().chain(&rest))?;
    }
    w.flush()
}
