//! A readable timeline table for the terminal.

use std::borrow::Borrow;
use std::io::{self, Write};

use vigie_hunt::{Detection, Rendered};

use crate::DisplayZone;

const MAX_CELL: usize = 60;

/// `s` cut to at most `max` characters, the last of them `…` when it was longer.
fn cut(s: &str, max: usize) -> String {
    // No more bytes than `max`: no more characters either.
    if s.len() <= max || s.char_indices().nth(max).is_none() {
        return s.to_owned();
    }
    let end = s
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(s.len(), |(i, _)| i);
    let mut t = String::with_capacity(end + '…'.len_utf8());
    t.push_str(s.get(..end).unwrap_or(s));
    t.push('…');
    t
}

/// `s` with line breaks and tabs as spaces (each one byte for one byte: the same whether
/// done before [`cut`] or after).
fn one_line(s: String) -> String {
    if s.bytes().any(|b| matches!(b, b'\n' | b'\r' | b'\t')) {
        s.replace(['\n', '\r', '\t'], " ")
    } else {
        s
    }
}

/// Rows read before the column widths are fixed; later rows reuse those widths.
const WIDTH_SAMPLE: usize = 10_000;

const HEADER: [&str; 7] = [
    "time",
    "level",
    "rule",
    "techniques",
    "computer",
    "event",
    "matched",
];

/// A detection's cells, as its row shows them (before padding).
fn cells(d: &Detection, zone: DisplayZone) -> [String; 7] {
    // Enough of the matched text for its cell: a prefix of at least four bytes for each
    // character shown, and one more, holds as many characters as the whole when the whole
    // has no more than fit, and more than fit otherwise; `cut` makes the same cell of both.
    let matched = d.matched_text_upto(" ", 4 * (2 * MAX_CELL + 1));
    [
        d.timestamp
            .as_ref()
            .map(|t| zone.format(t))
            .unwrap_or_else(|| "-".into()),
        d.level.clone(),
        cut(&d.rule_title, MAX_CELL),
        {
            let mut t = String::new();
            d.push_techniques(&mut t, ",");
            t
        },
        cut(d.computer.as_deref().unwrap_or("-"), 32),
        {
            let mut t = String::new();
            if let Some(e) = d.event_id {
                t.push_str(itoa::Buffer::new().format(e));
            }
            t.push('#');
            t.push_str(itoa::Buffer::new().format(d.record_id));
            t
        },
        one_line(cut(&matched, 2 * MAX_CELL)),
    ]
}

/// Writes detections as an aligned table, one row per detection, in time order. Column widths
/// come from the first rows, so that a long timeline streams.
pub fn write_table<D: Borrow<Detection>>(
    out: &mut dyn Write,
    detections: impl IntoIterator<Item = io::Result<D>>,
    zone: DisplayZone,
) -> io::Result<()> {
    let rows = detections
        .into_iter()
        .map(|d| d.map(|d| cells(d.borrow(), zone)));
    write_rows(out, rows)
}

/// Appends a detection's table cells to `out`, each as its length (4 bytes, little-endian)
/// and its text: what [`write_table_cells`] lays out. A hunt runs this on its worker threads
/// (`vigie_hunt::Renderer`), the padding being known only at the end.
pub fn push_table_cells(d: &Detection, zone: DisplayZone, out: &mut Vec<u8>) {
    for c in cells(d, zone) {
        out.extend_from_slice(&(c.len() as u32).to_le_bytes());
        out.extend_from_slice(c.as_bytes());
    }
}

/// Writes rows of cells from [`push_table_cells`] as [`write_table`] would write their
/// detections.
pub fn write_table_cells<R: Borrow<Rendered>>(
    out: &mut dyn Write,
    rows: impl IntoIterator<Item = io::Result<R>>,
) -> io::Result<()> {
    let rows = rows
        .into_iter()
        .map(|r| r.and_then(|r| unpack(r.borrow().line())));
    write_rows(out, rows)
}

/// The cells [`push_table_cells`] packed.
fn unpack(mut bytes: &[u8]) -> io::Result<[String; 7]> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "a damaged table row");
    let mut cells: [String; 7] = Default::default();
    for c in &mut cells {
        let (len, rest) = bytes.split_first_chunk::<4>().ok_or_else(bad)?;
        let len = u32::from_le_bytes(*len) as usize;
        let text = rest.get(..len).ok_or_else(bad)?;
        *c = String::from_utf8(text.to_vec()).map_err(|_| bad())?;
        bytes = &rest[len..];
    }
    Ok(cells)
}

/// Lays out rows of cells: widths from the first rows, then every row padded to them.
fn write_rows(
    out: &mut dyn Write,
    rows: impl IntoIterator<Item = io::Result<[String; 7]>>,
) -> io::Result<()> {
    let mut rows = rows.into_iter();
    let mut first: Vec<[String; 7]> = Vec::new();
    for r in rows.by_ref() {
        first.push(r?);
        if first.len() >= WIDTH_SAMPLE {
            break;
        }
    }
    let mut widths = HEADER.map(|h| h.chars().count());
    for r in &first {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    // Each line laid out in one reused buffer: the cells padded to their column, trailing
    // blanks dropped, then the newline.
    let mut buf = String::new();
    let mut line = |out: &mut dyn Write, cells: &[String]| -> io::Result<()> {
        buf.clear();
        for (i, c) in cells.iter().enumerate() {
            buf.push_str(c);
            if i + 1 < cells.len() {
                let pad = widths[i].saturating_sub(c.chars().count()) + 2;
                buf.extend(std::iter::repeat_n(' ', pad));
            }
        }
        buf.truncate(buf.trim_end().len());
        buf.push('\n');
        out.write_all(buf.as_bytes())
    };
    line(out, &HEADER.map(String::from))?;
    line(out, &widths.map(|w| "-".repeat(w)))?;
    for r in &first {
        line(out, r)?;
    }
    for r in rows {
        line(out, &r?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_event::Value;

    proptest::proptest! {
        /// The cut by byte positions is the one by counting characters.
        #[test]
        fn cut_counts_characters(
            s in proptest::collection::vec(
                proptest::sample::select(vec!["a", "é", "日", "🦀", " ", "\n"]),
                0..20,
            ),
            max in 0usize..22,
        ) {
            let s = s.concat();
            let naive = if s.chars().count() <= max {
                s.clone()
            } else {
                let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
                t.push('…');
                t
            };
            proptest::prop_assert_eq!(cut(&s, max), naive);
        }

        /// The matched cell, made from the start of the matched text, is the one made from
        /// the whole text (values of one- to four-byte characters, around the cell's width).
        #[test]
        fn matched_cell_from_the_start_is_from_the_whole(
            values in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec!["a", "é", "日", "🦀", " ", "\t"]),
                    0..200,
                ),
                1..4,
            ),
        ) {
            let mut d = Detection::default();
            d.matched = values
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("F{i}"), Value::str(v.concat())))
                .collect();
            let whole = one_line(cut(&d.matched_text(" "), 2 * MAX_CELL));
            proptest::prop_assert_eq!(&cells(&d, DisplayZone::default())[6], &whole);
        }
    }

    /// Packed cells come back as they were; a cut or damaged row is an error, not a panic.
    #[test]
    fn packed_cells_round_trip() {
        let mut d = Detection::default();
        d.rule_title = "Tïtle with a long name ".repeat(5);
        d.level = "high".into();
        d.tags = vec!["attack.t1059.001".into()];
        d.matched = vec![("CommandLine".into(), Value::str("a\tb\nc"))];
        d.event_id = Some(4688);
        let zone = DisplayZone::default();
        let mut packed = Vec::new();
        push_table_cells(&d, zone, &mut packed);
        assert_eq!(unpack(&packed).expect("unpacks"), cells(&d, zone));
        for cut in [0, 3, 5, packed.len() - 1] {
            assert!(unpack(&packed[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = packed.clone();
        bad[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(unpack(&bad).is_err());
    }
}
