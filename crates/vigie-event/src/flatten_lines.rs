//! Many JSON lines flattened by one parser: [`crate::flatten_json_bytes`] line after line,
//! without a new parser for each. A parser copies every string that holds an escape (a
//! Windows path: all of them) into a buffer of its own, which a new parser grows again from
//! nothing on every line.

use serde::de::{Deserialize, DeserializeSeed, Deserializer};
use serde_json::de::StrRead;
use serde_json::StreamDeserializer;

use crate::event::{Event, Field};
use crate::flatten_bytes::Object;
use crate::shape::Shapes;

/// The fields of one JSON object, as [`crate::flatten_json_bytes`] reads them.
struct Flat(Vec<Field>);

impl<'de> Deserialize<'de> for Flat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Flat, D::Error> {
        let mut out = Vec::with_capacity(48);
        // Every member's name is written here first.
        let mut prefix = String::with_capacity(64);
        Object {
            out: &mut out,
            prefix: &mut prefix,
            top: true,
        }
        .deserialize(d)?;
        Ok(Flat(out))
    }
}

/// What [`FlatLines::line`] says of a line.
#[derive(Debug)]
pub enum FlatLine {
    /// The event of its fields, as [`crate::flatten_json_bytes`] gives them, stamped with
    /// their shape's id.
    Event(Event),
    /// [`crate::flatten_json_bytes`] declines it too (a name seen twice): the general path.
    Declined,
    /// The parser stopped on it (invalid JSON, a byte-order mark, an EVTX-shaped document,
    /// an object running past the line, ...): ask [`crate::flatten_json_bytes`].
    Unknown,
}

/// The JSON lines of one text, read in order by one parser.
pub struct FlatLines<'a> {
    text: &'a str,
    /// Where the parser started in `text`.
    base: usize,
    stream: StreamDeserializer<'a, StrRead<'a>, Flat>,
}

impl<'a> FlatLines<'a> {
    pub fn new(text: &'a str) -> Self {
        FlatLines {
            text,
            base: 0,
            stream: serde_json::Deserializer::from_str(text).into_iter(),
        }
    }

    /// The line `text[start..end]` (`end` at its newline or the text's end), asked after
    /// every earlier line of the text that holds anything but whitespace, and before any
    /// later one; `shapes` stamps its event (the caller keeps it from text to text).
    pub fn line(&mut self, start: usize, end: usize, shapes: &mut Shapes) -> FlatLine {
        if self.base + self.stream.byte_offset() > start {
            // Not where the parser stands (asked out of order): start again here.
            self.restart(start);
        }
        let parsed = self.stream.next();
        let at = self.base + self.stream.byte_offset();
        let rest_blank = self
            .text
            .as_bytes()
            .get(at..end)
            .is_some_and(|rest| rest.iter().all(u8::is_ascii_whitespace));
        match parsed {
            Some(Ok(Flat(fields))) if rest_blank => match shapes.event(fields) {
                (event, true) => FlatLine::Event(event),
                // Two fields of one name.
                (_, false) => FlatLine::Declined,
            },
            _ => {
                // After an error the parser's state is not defined: a new one for the
                // next line.
                self.restart(end);
                FlatLine::Unknown
            }
        }
    }

    fn restart(&mut self, at: usize) {
        let rest = self.text.get(at..).unwrap_or_default();
        self.base = at.min(self.text.len());
        self.stream = serde_json::Deserializer::from_str(rest).into_iter();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flatten_json_bytes;
    use proptest::prelude::*;

    /// A line's fields through [`FlatLines`], through `flatten_json_bytes` alone, and whether
    /// the one parser read the line itself.
    type Answers = (Option<Vec<Field>>, Option<Vec<Field>>, bool);

    /// Each line of `text` that holds anything, answered both ways.
    fn both(text: &str) -> Vec<Answers> {
        let mut lines = FlatLines::new(text);
        let mut shapes = Shapes::default();
        let mut out = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line = &text[start..end];
            if !line.trim().is_empty() {
                let single = flatten_json_bytes(line.trim().as_bytes());
                let known = lines.line(start, end, &mut shapes);
                let read = matches!(known, FlatLine::Event(_));
                let many = match known {
                    FlatLine::Event(e) => Some(e.fields().to_vec()),
                    FlatLine::Declined => None,
                    FlatLine::Unknown => flatten_json_bytes(line.trim().as_bytes()),
                };
                out.push((many, single, read));
            }
            start = end + 1;
        }
        out
    }

    fn same(a: &Option<Vec<Field>>, b: &Option<Vec<Field>>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x.name == y.name && x.value == y.value)
            }
            (None, None) => true,
            _ => false,
        }
    }

    #[test]
    fn lines_good_and_bad_read_as_one_by_one() {
        let text = concat!(
            "{\"a\":\"C:\\\\Windows\",\"b\":1}\n",
            "\n",
            "  {\"a\":2}  \r\n",
            "{\"a\":1,\"a\":2}\n",
            "{\"a\":1\n",
            "{\"b\":\"x\"}\n",
            "{\"a\":1} {\"b\":2}\n",
            "\u{feff}{\"c\":3}\n",
            "{\"Event\":{\"System\":{}}}\n",
            "not json\n",
            "{\"d\":{\"e\":[1,{\"f\":2}]}}"
        );
        let got = both(text);
        assert_eq!(got.len(), 10);
        for (i, (many, single, _)) in got.iter().enumerate() {
            assert!(same(many, single), "line {i}: {many:?} against {single:?}");
        }
        // Good lines after bad ones are still read by the one parser.
        let read: Vec<usize> = (0..got.len()).filter(|&i| got[i].2).collect();
        assert_eq!(read, [0, 1, 4, 9]);
    }

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            // Objects, some with escapes, names repeated at times.
            proptest::collection::vec(("[ab]{1,2}", "[a-z\\\\\"é]{0,6}"), 0..4).prop_map(|m| {
                let members: Vec<String> = m
                    .iter()
                    .map(|(k, v)| format!("{}:{}", Json::from(k.as_str()), Json::from(v.as_str())))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
            // Damage of every kind.
            "[ {}\\[\\]\":a-z0-9,]{0,12}",
            Just(String::new()),
        ]
    }

    use serde_json::Value as Json;

    proptest! {
        /// Line after line, one parser answers as a parser for each line does.
        #[test]
        fn one_parser_answers_as_one_per_line(lines in proptest::collection::vec(line(), 0..12)) {
            let text = lines.join("\n");
            for (i, (many, single, _)) in both(&text).iter().enumerate() {
                prop_assert!(same(many, single), "line {}: {:?} against {:?} in {:?}", i, many, single, text);
            }
        }
    }
}
