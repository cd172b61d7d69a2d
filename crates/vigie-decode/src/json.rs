//! JSON input: JSON lines, a JSON array, or concatenated (pretty-printed) objects.

use std::io::BufRead;

use serde_json::Value as Json;
use vigie_event::{
    flatten_evtx_json, flatten_json_bytes, flatten_json_object, ByShape, Event, FlatLine,
    FlatLines, Shapes,
};

use crate::error::DecodeError;
use crate::read_all::read_all;
use crate::time_field::{set_time, set_time_by_shape, TimePlaces};
use crate::Item;

/// A UTF-8 byte-order mark, which some writers put before the text.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Turns one JSON object into an event numbered `number` (1-based line or object number).
pub fn event_from_json(doc: &Json, number: u64) -> Option<Event> {
    let obj = doc.as_object()?;
    let mut ev = match flatten_evtx_json(doc) {
        Some(ev) => ev,
        None => event_from_fields(flatten_json_object(obj), number),
    };
    ev.record_id = number;
    Some(ev)
}

/// An event of flattened JSON fields, its time from the first known time field.
fn event_from_fields(fields: Vec<vigie_event::Field>, number: u64) -> Event {
    let mut ev = Event::new(fields);
    set_time(&mut ev);
    ev.record_id = number;
    ev
}

/// What a reader of JSON lines remembers of the shapes of its events (field names in
/// order), from one read buffer to the next.
#[derive(Default)]
struct LineShapes {
    /// The ids of recent shapes.
    shapes: Shapes,
    /// Where each holds its time fields.
    times: ByShape<TimePlaces>,
}

fn not_object(source: &str, place: String) -> DecodeError {
    DecodeError::new(source, Some(place), "not a JSON object; skipped")
        .with_hint("each event must be a JSON object")
}

/// Reads JSON events from a stream; `sink` gets each event or problem.
pub fn read_json(source: &str, reader: impl BufRead, sink: &mut dyn FnMut(Item)) {
    read_json_from(source, reader, 0, sink);
}

/// Reads JSON events from a stream whose first line is line `lines_before + 1` of its source
/// (a part of a JSON-lines file read on its own).
pub fn read_json_from(
    source: &str,
    mut reader: impl BufRead,
    lines_before: u64,
    sink: &mut dyn FnMut(Item),
) {
    let first = loop {
        match reader.fill_buf() {
            Ok([]) => return,
            Ok(buf) => {
                // A byte-order mark (PowerShell's `Out-File` writes one) is not content.
                let bom = if buf.starts_with(BOM) { BOM.len() } else { 0 };
                let skip = bom
                    + buf[bom..]
                        .iter()
                        .take_while(|b| b.is_ascii_whitespace())
                        .count();
                if skip < buf.len() {
                    let b = buf[skip];
                    reader.consume(0);
                    break b;
                }
                let n = buf.len();
                reader.consume(n);
            }
            Err(e) => {
                sink(Item::Error(DecodeError::new(
                    source,
                    None,
                    format!("read error: {e}"),
                )));
                return;
            }
        }
    };
    if first == b'[' {
        let mut all = Vec::new();
        if read_all(source, reader, &mut all, sink) {
            read_array(source, &all, sink);
        }
        return;
    }
    if first != b'{' {
        sink(Item::Error(
            DecodeError::new(
                source,
                Some("line 1".into()),
                "not JSON (nor EVTX); file skipped",
            )
            .with_hint(
                "Vigie reads .evtx files and JSON events (lines, arrays or concatenated objects)",
            ),
        ));
        return;
    }
    // JSON lines, unless the first object spans several lines. Lines are read where they
    // lie in the reader's buffer; only one that runs past its end is copied.
    let mut carry = Vec::new();
    let mut number = lines_before;
    let mut shapes = LineShapes::default();
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) => {
                sink(Item::Error(DecodeError::new(
                    source,
                    Some(format!("line {}", number + 1)),
                    format!("read error: {e}"),
                )));
                return;
            }
        };
        // The whole lines in the buffer, read by one parser.
        if let (true, Some(last)) = (carry.is_empty(), memchr::memrchr(b'\n', buf)) {
            let block = &buf[..=last];
            match read_block(source, block, &mut number, lines_before, &mut shapes, sink) {
                None => reader.consume(last + 1),
                // Pretty-printed objects one after another: read them as a stream.
                Some(first_end) => {
                    let mut all = block[..first_end].to_vec();
                    reader.consume(first_end);
                    if read_all(source, reader, &mut all, sink) {
                        read_concatenated(source, &all, sink);
                    }
                    return;
                }
            }
            continue;
        }
        let (line, used) = match memchr::memchr(b'\n', buf) {
            Some(i) if carry.is_empty() => (&buf[..=i], i + 1),
            Some(i) => {
                carry.extend_from_slice(&buf[..=i]);
                (carry.as_slice(), i + 1)
            }
            None if buf.is_empty() && carry.is_empty() => return,
            None if buf.is_empty() => (carry.as_slice(), 0),
            None => {
                carry.extend_from_slice(buf);
                let n = buf.len();
                reader.consume(n);
                continue;
            }
        };
        number += 1;
        match json_line(source, line, number, FlatLine::Unknown, &mut shapes, sink) {
            Line::Read => {}
            // Pretty-printed objects one after another: read them as a stream.
            Line::Unfinished(_) if number == lines_before + 1 => {
                let mut all = line.to_vec();
                reader.consume(used);
                if read_all(source, reader, &mut all, sink) {
                    read_concatenated(source, &all, sink);
                }
                return;
            }
            Line::Unfinished(e) => invalid_line(source, number, &e, sink),
        }
        let last = used == 0;
        reader.consume(used);
        carry.clear();
        if last {
            return;
        }
    }
}

/// What became of one line.
enum Line {
    /// An event or a problem went to the sink.
    Read,
    /// It ends inside a JSON value: the start of pretty-printed objects, or a damaged line.
    Unfinished(serde_json::Error),
}

/// Reads the whole lines of `block` (it ends with a newline), the first numbered
/// `number + 1`; `number` ends at the last one's. `Some(end)` when the source's first line
/// is unfinished JSON (pretty-printed objects follow): nothing was read, and the line ends at
/// `block[..end]`.
fn read_block(
    source: &str,
    block: &[u8],
    number: &mut u64,
    lines_before: u64,
    shapes: &mut LineShapes,
    sink: &mut dyn FnMut(Item),
) -> Option<usize> {
    // Valid UTF-8 (nearly always) is read by one parser; otherwise line by line.
    let text = std::str::from_utf8(block).ok();
    let mut flat = text.map(FlatLines::new);
    let mut start = 0;
    while let Some(i) = memchr::memchr(b'\n', &block[start..]) {
        let end = start + i;
        let line = &block[start..=end];
        *number += 1;
        let known = match &mut flat {
            Some(flat) if !trim(line).is_empty() => flat.line(start, end, &mut shapes.shapes),
            _ => FlatLine::Unknown,
        };
        match json_line(source, line, *number, known, shapes, sink) {
            Line::Read => {}
            Line::Unfinished(_) if *number == lines_before + 1 => return Some(end + 1),
            Line::Unfinished(e) => invalid_line(source, *number, &e, sink),
        }
        start = end + 1;
    }
    None
}

/// Turns one line (numbered `number`) into an event or a problem; `known`: what a parser of
/// many lines made of it.
fn json_line(
    source: &str,
    line: &[u8],
    number: u64,
    known: FlatLine,
    shapes: &mut LineShapes,
    sink: &mut dyn FnMut(Item),
) -> Line {
    let text = trim(line);
    if text.is_empty() {
        return Line::Read;
    }
    // The fast path: fields straight from the text; anything it declines goes the general
    // way (which also reports what is wrong).
    let fast = match known {
        FlatLine::Event(event) => Some(event),
        FlatLine::Declined => None,
        FlatLine::Unknown => flatten_json_bytes(text).map(Event::new),
    };
    if let Some(mut ev) = fast {
        set_time_by_shape(&mut ev, &mut shapes.times);
        ev.record_id = number;
        sink(Item::Event(source, ev));
        return Line::Read;
    }
    match serde_json::from_slice::<Json>(text) {
        Ok(doc) => match event_from_json(&doc, number) {
            Some(ev) => sink(Item::Event(source, ev)),
            None => sink(Item::Error(not_object(source, format!("line {number}")))),
        },
        Err(e) if e.is_eof() => return Line::Unfinished(e),
        Err(e) => invalid_line(source, number, &e, sink),
    }
    Line::Read
}

/// Reports a line that is not valid JSON.
fn invalid_line(source: &str, number: u64, e: &serde_json::Error, sink: &mut dyn FnMut(Item)) {
    sink(Item::Error(
        DecodeError::new(
            source,
            Some(format!("line {number}")),
            format!("invalid JSON ({e}); line skipped"),
        )
        .with_hint("fix or remove this line; the other lines were read"),
    ));
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    let end = b.len()
        - b[start..]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_whitespace())
            .count();
    let t = &b[start..end];
    t.strip_prefix(BOM).unwrap_or(t)
}

fn read_array(source: &str, all: &[u8], sink: &mut dyn FnMut(Item)) {
    match serde_json::from_slice::<Json>(trim(all)) {
        Ok(Json::Array(items)) => {
            for (i, doc) in items.iter().enumerate() {
                let n = i as u64 + 1;
                match event_from_json(doc, n) {
                    Some(ev) => sink(Item::Event(source, ev)),
                    None => sink(Item::Error(not_object(source, format!("array item {n}")))),
                }
            }
        }
        Ok(_) => sink(Item::Error(not_object(source, "line 1".into()))),
        Err(e) => {
            let line = e.line();
            sink(Item::Error(
                DecodeError::new(
                    source,
                    Some(format!("line {line}")),
                    format!("invalid JSON array ({e}); reading the objects one by one"),
                )
                .with_hint(
                    "the file is damaged; the objects before and after the damage are still read",
                ),
            ));
            // Recover what can be: the objects inside the array.
            let start = all.iter().position(|&b| b == b'[').map_or(0, |p| p + 1);
            read_concatenated(source, &all[start..], sink);
        }
    }
}

/// Concatenated objects (optionally separated by commas); resynchronises after damage at the
/// next line that starts with `{`.
fn read_concatenated(source: &str, all: &[u8], sink: &mut dyn FnMut(Item)) {
    let mut pos = 0usize;
    let mut number = 0u64;
    while pos < all.len() {
        while pos < all.len()
            && (all[pos].is_ascii_whitespace() || all[pos] == b',' || all[pos] == b']')
        {
            pos += 1;
        }
        if pos >= all.len() {
            break;
        }
        let mut stream = serde_json::Deserializer::from_slice(&all[pos..]).into_iter::<Json>();
        match stream.next() {
            Some(Ok(doc)) => {
                number += 1;
                pos += stream.byte_offset();
                match event_from_json(&doc, number) {
                    Some(ev) => sink(Item::Event(source, ev)),
                    None => sink(Item::Error(not_object(source, format!("object {number}")))),
                }
            }
            Some(Err(e)) => {
                number += 1;
                let line = 1
                    + all[..pos].iter().filter(|&&b| b == b'\n').count()
                    + e.line().saturating_sub(1);
                sink(Item::Error(
                    DecodeError::new(
                        source,
                        Some(format!("object {number}, line {line}")),
                        format!("invalid JSON ({e}); object skipped"),
                    )
                    .with_hint("the file is damaged here; reading resumes at the next object"),
                ));
                // Skip to the next line that starts an object.
                let rest = &all[pos + 1..];
                match rest.windows(2).position(|w| w == b"\n{") {
                    Some(p) => pos += 1 + p + 1,
                    None => break,
                }
            }
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str) -> (Vec<Event>, Vec<DecodeError>) {
        let mut evs = Vec::new();
        let mut errs = Vec::new();
        read_json("t.json", text.as_bytes(), &mut |i| match i {
            Item::Event(_, e) => evs.push(e),
            Item::Error(e) => errs.push(e),
        });
        (evs, errs)
    }

    #[test]
    fn lines_with_a_bad_one() {
        let (evs, errs) = collect("{\"a\":1}\n{bad\n\n{\"a\":3}\n");
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[1].record_id, 4);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].place.as_deref(), Some("line 2"));
    }

    #[test]
    fn array_and_pretty() {
        let (evs, errs) = collect("[{\"a\":1},{\"a\":2}]");
        assert_eq!((evs.len(), errs.len()), (2, 0));
        let (evs, errs) = collect("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n");
        assert_eq!((evs.len(), errs.len()), (2, 0));
        assert_eq!(evs[1].record_id, 2);
    }

    #[test]
    fn damaged_pretty_resumes() {
        let (evs, errs) = collect("{\n  \"a\": 1\n}\n{\n  \"a\": ,\n}\n{\n  \"a\": 3\n}\n");
        assert_eq!(evs.len(), 2, "{errs:?}");
        assert_eq!(errs.len(), 1);
    }

    #[test]
    fn timestamps_from_known_fields() {
        let (evs, _) = collect("{\"@timestamp\":\"2026-03-02T08:14:07Z\"}\n");
        assert!(evs[0].timestamp.is_some());
    }

    #[test]
    fn a_byte_order_mark_is_not_content() {
        let (evs, errs) = collect("\u{feff}{\"a\":1}\n{\"b\":2}\n");
        assert_eq!((evs.len(), errs.len()), (2, 0));
        let (evs, errs) = collect("\u{feff}[{\"a\":1},{\"b\":2}]");
        assert_eq!((evs.len(), errs.len()), (2, 0));
    }

    /// Lines are read where they lie in the reader's buffer; one that runs past its end,
    /// the last one without a newline, and blank ones are read as whole lines.
    #[test]
    fn lines_across_buffer_ends() {
        let text = "{\"a\":1}\n\n  {\"b\":\"xxxxxxxxxxxxxxxxxxxx\"}\r\n{\"c\":3}";
        for capacity in [1, 2, 7, 16, 64] {
            let mut evs = Vec::new();
            let reader = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            read_json("t.json", reader, &mut |i| {
                if let Item::Event(_, e) = i {
                    evs.push(e.record_id);
                }
            });
            assert_eq!(evs, vec![1, 3, 4], "buffer of {capacity}");
        }
    }
}
