//! Reading sessions from a CSV file for `vigie sequences`: an id column (`block_id`,
//! `session_id`, `id` or `session`; else the line number) and the space-separated event ids of
//! `event_sequence` (or `sequence`, `events`). Other columns, labels included, are not read. A
//! line that cannot be read is reported with file and line on stderr and skipped.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::ui::{paint, Hint};

const ID_COLUMNS: [&str; 4] = ["block_id", "session_id", "id", "session"];
const SEQUENCE_COLUMNS: [&str; 3] = ["event_sequence", "sequence", "events"];

/// One session of the file.
pub struct Session {
    /// 1-based line of the file where the record starts.
    pub line: u64,
    pub id: String,
    pub events: Vec<String>,
}

/// The sessions of `path` and how many lines were skipped as unreadable.
pub fn read_sessions(path: &Path) -> Result<(Vec<Session>, usize)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("cannot read the header line of {}", path.display()))?
        .clone();
    let find = |names: &[&str]| {
        names.iter().find_map(|n| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(n))
        })
    };
    let id_col = find(&ID_COLUMNS);
    let Some(seq_col) = find(&SEQUENCE_COLUMNS) else {
        bail!(anyhow::Error::new(Hint(format!(
            "the header line must name a column of event ids: {}",
            SEQUENCE_COLUMNS.join(", ")
        )))
        .context(format!("{}: no event sequence column", path.display())));
    };
    let mut sessions = Vec::new();
    let mut skipped = 0usize;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(e).with_context(|| format!("cannot read {}", path.display()));
                }
                problem(path, line, &e.to_string());
                skipped += 1;
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let Some(sequence) = record.get(seq_col) else {
            problem(
                path,
                line,
                &format!(
                    "{} fields, no event sequence (column {})",
                    record.len(),
                    seq_col + 1
                ),
            );
            skipped += 1;
            continue;
        };
        let id = id_col
            .and_then(|c| record.get(c))
            .map_or_else(|| line.to_string(), str::to_owned);
        sessions.push(Session {
            line,
            id,
            events: sequence.split_whitespace().map(str::to_owned).collect(),
        });
    }
    Ok((sessions, skipped))
}

fn problem(path: &Path, line: u64, reason: &str) {
    eprintln!(
        "{} {}: line {line}: {reason}; the line is skipped",
        paint("error:", "1;31"),
        path.display()
    );
}
