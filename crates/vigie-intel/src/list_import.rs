//! Plain lists (one value per line; `#` starts a comment, at the start of a line or after a
//! space; blank lines ignored) and CSV files (one column, by header name or 1-based number) to
//! records. Values are refanged, then read as the forced type or as the type they look like.

use crate::error::NormalizeError;
use crate::indicator::{IndicatorType, Record};
use crate::normalize::{guess, normalize, refang};
use crate::report::Parsed;

/// Which CSV column holds the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    /// 1-based. The first row is taken as a header when its cell there is not a value.
    Number(usize),
    /// A header name (case-insensitive); the first row is the header.
    Name(String),
}

/// Reads one value as `forced` or as its guessed type.
fn read_value(
    raw: &str,
    forced: Option<IndicatorType>,
) -> Result<(IndicatorType, String), NormalizeError> {
    let v = refang(raw.trim());
    match forced {
        Some(t) => normalize(t, &v),
        None => guess(&v),
    }
}

/// Reads a plain list.
pub fn parse_list(text: &str, file: &str, forced: Option<IndicatorType>) -> Parsed {
    let mut parsed = Parsed::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, line) in text.lines().enumerate() {
        let value = strip_comment(line).trim();
        if value.is_empty() {
            continue;
        }
        parsed.objects += 1;
        let place = format!("line {}", i + 1);
        match read_value(value, forced) {
            Ok((kind, v)) => parsed.records.push(Record::new(kind, v, place)),
            Err(e) => parsed.problem(file, place, hint(e, forced)),
        }
    }
    parsed
}

fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => &line[..i],
        None => line,
    }
}

fn hint(e: NormalizeError, forced: Option<IndicatorType>) -> String {
    match (&e, forced) {
        (NormalizeError::Unguessable(_), None) => format!("{e} (give it with --type)"),
        _ => e.to_string(),
    }
}

/// Reads one column of a CSV file. `Err` with a reason when the column does not exist in the
/// header, or the file is not CSV at all.
pub fn parse_csv(
    bytes: &[u8],
    file: &str,
    column: &Column,
    forced: Option<IndicatorType>,
) -> Result<Parsed, CsvError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(bytes);
    let mut parsed = Parsed::default();
    let mut index: Option<usize> = match column {
        Column::Number(n) if *n >= 1 => Some(n - 1),
        Column::Number(_) => return Err(CsvError::BadColumn("column numbers start at 1".into())),
        Column::Name(_) => None,
    };
    let mut first = true;
    for (i, row) in reader.records().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(i + 1, |p| usize::try_from(p.line()).unwrap_or(i + 1));
                parsed.problem(file, format!("line {line}"), format!("not CSV: {e}"));
                if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    continue;
                }
                break;
            }
        };
        let line = row
            .position()
            .map_or(i + 1, |p| usize::try_from(p.line()).unwrap_or(i + 1));
        if first {
            first = false;
            if let Column::Name(name) = column {
                let found = row
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(name.trim()));
                match found {
                    Some(at) => index = Some(at),
                    None => {
                        return Err(CsvError::UnknownColumn {
                            column: name.clone(),
                            header: row.iter().collect::<Vec<_>>().join(", "),
                        })
                    }
                }
                continue;
            }
            // A numbered column: the first row is a header when its cell is not a value.
            let cell = index.and_then(|at| row.get(at)).unwrap_or("");
            if read_value(cell, forced).is_err() {
                continue;
            }
        }
        let Some(at) = index else { continue };
        let place = format!("line {line}");
        let Some(cell) = row.get(at) else {
            parsed.objects += 1;
            parsed.problem(file, place, format!("no column {} in this row", at + 1));
            continue;
        };
        if cell.trim().is_empty() {
            continue;
        }
        parsed.objects += 1;
        match read_value(cell, forced) {
            Ok((kind, v)) => parsed.records.push(Record::new(kind, v, place)),
            Err(e) => parsed.problem(file, place, hint(e, forced)),
        }
    }
    Ok(parsed)
}

/// Why a CSV file cannot be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CsvError {
    #[error("{0}")]
    BadColumn(String),
    #[error("no column named {column:?} (the header has: {header})")]
    UnknownColumn { column: String, header: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_with_comments_guesses_and_bad_lines() {
        let text = "# blocklist\n198.51.100.7\nevil[.]example # C2\n\nhxxp://evil.example/gate.php\nnot a value\n";
        let p = parse_list(text, "l.txt", None);
        assert_eq!(p.objects, 4);
        let kinds: Vec<_> = p.records.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            vec![
                IndicatorType::Ipv4,
                IndicatorType::Domain,
                IndicatorType::Url
            ]
        );
        assert_eq!(p.records[1].value, "evil.example");
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].place, "line 6");
        let forced = parse_list("a.example\n1.2.3.4\n", "l.txt", Some(IndicatorType::Domain));
        assert_eq!(forced.records.len(), 1);
        assert_eq!(forced.problems.len(), 1);
    }

    #[test]
    fn csv_by_name_and_number() {
        let csv = b"date,ioc,comment\n2024-01-01,198.51.100.7,\"c2, seen\"\n2024-01-02,evil.example,x\n2024-01-03\n";
        let p = parse_csv(csv, "c.csv", &Column::Name("IOC".into()), None).expect("csv");
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[1].reference, "line 3");
        assert_eq!(p.problems.len(), 1);
        let p = parse_csv(csv, "c.csv", &Column::Number(2), None).expect("csv");
        assert_eq!(p.records.len(), 2);
        let e = parse_csv(csv, "c.csv", &Column::Name("value".into()), None);
        assert!(matches!(e, Err(CsvError::UnknownColumn { .. })));
    }
}
