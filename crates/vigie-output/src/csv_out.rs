//! CSV timelines: Vigie's own columns, and the layout Timesketch imports.

use std::borrow::Borrow;
use std::io::{self, Write};

use vigie_hunt::Detection;

use crate::{rfc3339, write_each};

/// One detection in [`CSV_HEADER`] order (the scalar fields of the jsonl format).
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
    write_each(out, CSV_HEADER, push_csv_row, detections)
}

/// Timesketch's CSV: `message`, `datetime`, `timestamp_desc` and `timestamp` (microseconds),
/// then Vigie's columns.
pub fn write_timesketch<D: Borrow<Detection>>(
    out: &mut dyn Write,
    detections: impl IntoIterator<Item = io::Result<D>>,
) -> io::Result<()> {
    write_each(out, TIMESKETCH_HEADER, push_timesketch_row, detections)
}

/// The header line of [`write_csv`].
pub const CSV_HEADER: &str = "timestamp,level,rule_title,rule_id,status,author,tags,computer,channel,event_id,record_id,source,matched\n";

/// The header line of [`write_timesketch`].
pub const TIMESKETCH_HEADER: &str = "message,datetime,timestamp_desc,timestamp,level,rule_title,rule_id,status,author,tags,computer,channel,event_id,record_id,source,matched\n";

/// Appends one CSV record to `out` (in memory: writing cannot fail).
fn push_record<'a>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'a String>) {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 10)
        .from_writer(out);
    let _ = w.write_record(fields);
    let _ = w.flush();
}

/// Appends a detection's [`write_csv`] row, with its newline, to `out`. A hunt runs this on
/// its worker threads (`vigie_hunt::Renderer`).
pub fn push_csv_row(d: &Detection, out: &mut Vec<u8>) {
    push_record(out, &row(d));
}

/// Appends a detection's [`write_timesketch`] row, with its newline, to `out`.
pub fn push_timesketch_row(d: &Detection, out: &mut Vec<u8>) {
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
    push_record(out, first.iter().chain(&rest));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The rows of `text` (a header line, then rows) as column name → value.
    fn records(text: &[u8]) -> Vec<HashMap<String, String>> {
        let mut r = csv::Reader::from_reader(text);
        let head = r.headers().expect("a header").clone();
        r.records()
            .map(|row| {
                let row = row.expect("a row");
                head.iter()
                    .zip(row.iter())
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .collect()
    }

    /// Each value lands under its own header, in both layouts, with quoting where needed.
    #[test]
    fn values_land_under_their_headers() {
        let mut d = Detection::default();
        d.rule_id = "id-1".into();
        d.rule_title = "Title, \"quoted\"".into();
        d.level = "high".into();
        d.tags = vec!["attack.t1059".into(), "attack.execution".into()];
        d.computer = Some("pc".into());
        d.event_id = Some(4688);
        d.record_id = 7;
        d.source = "a.evtx".into();
        d.matched = vec![("Image".into(), vigie_event::Value::str("C:\\x.exe"))];
        let mut out = Vec::new();
        write_csv(&mut out, [Ok(&d), Ok(&d)]).expect("in memory");
        let rows = records(&out);
        assert_eq!(rows.len(), 2);
        let want = [
            ("rule_id", "id-1"),
            ("rule_title", "Title, \"quoted\""),
            ("level", "high"),
            ("tags", "attack.t1059;attack.execution"),
            ("computer", "pc"),
            ("channel", ""),
            ("event_id", "4688"),
            ("record_id", "7"),
            ("source", "a.evtx"),
            ("matched", "Image=C:\\x.exe"),
        ];
        for (k, v) in want {
            assert_eq!(rows[0].get(k).map(String::as_str), Some(v), "{k}");
        }
        assert_eq!(rows[0].len(), 13);
        let mut out = Vec::new();
        write_timesketch(&mut out, [Ok(&d)]).expect("in memory");
        let rows = records(&out);
        assert_eq!(rows[0].len(), 16);
        assert_eq!(rows[0]["message"], "[high] Title, \"quoted\"");
        assert_eq!(rows[0]["timestamp_desc"], "Event Recorded");
        for (k, v) in want {
            assert_eq!(rows[0].get(k).map(String::as_str), Some(v), "{k}");
        }
    }
}
