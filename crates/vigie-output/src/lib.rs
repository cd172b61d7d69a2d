//! Output formats for detections and searched events: a readable table, JSON lines, a CSV timeline and the CSV
//! that Timesketch imports; and the hunt summary. Writers take any `io::Write`.

mod csv_out;
mod display_time;
mod events;
mod json_text;
mod jsonl;
mod summary;
mod table;

pub use csv_out::{
    push_csv_row, push_timesketch_row, write_csv, write_timesketch, CSV_HEADER, TIMESKETCH_HEADER,
};
pub use display_time::rfc3339;
pub use events::{event_json, write_events_csv, write_events_jsonl, write_events_table};
pub use jsonl::{detection_json, push_jsonl_line, write_jsonl};
pub use summary::write_summary;
pub use table::{push_table_cells, write_table, write_table_cells};

use chrono::{DateTime, Utc};

/// How times are shown in human-facing formats (table); data formats stay in UTC.
#[derive(Clone, Copy, Debug, Default)]
pub enum DisplayZone {
    #[default]
    Utc,
    Named(chrono_tz::Tz),
}

impl DisplayZone {
    pub fn parse(s: &str) -> Result<DisplayZone, String> {
        if s.eq_ignore_ascii_case("utc") {
            return Ok(DisplayZone::Utc);
        }
        s.parse::<chrono_tz::Tz>()
            .map(DisplayZone::Named)
            .map_err(|_| {
                format!("unknown time zone {s:?} (use an IANA name such as Europe/Paris, or UTC)")
            })
    }

    pub fn format(&self, t: &DateTime<Utc>) -> String {
        match self {
            DisplayZone::Utc => display_time::utc(t),
            DisplayZone::Named(tz) => display_time::zoned(t, tz),
        }
    }
}

/// Writes `header`, then each detection as `push` renders it (the formats of one line per
/// detection; a hunt runs the same `push` on its worker threads instead).
pub(crate) fn write_each<D: std::borrow::Borrow<vigie_hunt::Detection>>(
    out: &mut dyn std::io::Write,
    header: &str,
    push: fn(&vigie_hunt::Detection, &mut Vec<u8>),
    detections: impl IntoIterator<Item = std::io::Result<D>>,
) -> std::io::Result<()> {
    out.write_all(header.as_bytes())?;
    let mut line = Vec::new();
    for d in detections {
        line.clear();
        push(d?.borrow(), &mut line);
        out.write_all(&line)?;
    }
    Ok(())
}
