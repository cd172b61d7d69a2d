//! A readable timeline table for the terminal.

use std::borrow::Borrow;
use std::io::{self, Write};

use vigie_hunt::Detection;

use crate::DisplayZone;

const MAX_CELL: usize = 60;

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Rows read before the column widths are fixed; later rows reuse those widths.
const WIDTH_SAMPLE: usize = 10_000;

/// Writes detections as an aligned table, one row per detection, in time order. Column widths
/// come from the first rows, so that a long timeline streams.
pub fn write_table<D: Borrow<Detection>>(
    out: &mut dyn Write,
    detections: impl IntoIterator<Item = io::Result<D>>,
    zone: DisplayZone,
) -> io::Result<()> {
    let header = [
        "time",
        "level",
        "rule",
        "techniques",
        "computer",
        "event",
        "matched",
    ];
    let cells = |d: &Detection| -> [String; 7] {
        let matched = d.matched_text(" ");
        [
            d.timestamp
                .as_ref()
                .map(|t| zone.format(t))
                .unwrap_or_else(|| "-".into()),
            d.level.clone(),
            cut(&d.rule_title, MAX_CELL),
            d.techniques().join(","),
            cut(d.computer.as_deref().unwrap_or("-"), 32),
            match d.event_id {
                Some(e) => format!("{e}#{}", d.record_id),
                None => format!("#{}", d.record_id),
            },
            cut(&matched.replace(['\n', '\r', '\t'], " "), 2 * MAX_CELL),
        ]
    };
    let mut detections = detections.into_iter();
    let mut rows: Vec<[String; 7]> = Vec::new();
    for d in detections.by_ref() {
        rows.push(cells(d?.borrow()));
        if rows.len() >= WIDTH_SAMPLE {
            break;
        }
    }
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < cells.len() {
                let pad = widths[i].saturating_sub(c.chars().count()) + 2;
                s.push_str(&" ".repeat(pad));
            }
        }
        s.trim_end().to_owned()
    };
    writeln!(out, "{}", line(&header.map(String::from)))?;
    writeln!(out, "{}", line(&widths.map(|w| "-".repeat(w))))?;
    for r in &rows {
        writeln!(out, "{}", line(r))?;
    }
    for d in detections {
        writeln!(out, "{}", line(&cells(d?.borrow())))?;
    }
    Ok(())
}
