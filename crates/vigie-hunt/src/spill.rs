//! Timeline entries written to and read back from temporary run files, so that a hunt's
//! timeline can be sorted without holding every detection in memory: a detection as one JSON
//! line, a rendered line as its sort key and its bytes.
//!
//! A detection's record leaves out what the rule says (title, tags, ...): it names the rule by
//! index and gets those back from the rule's template detection when read.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::marker::PhantomData;
use std::path::Path;

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use vigie_event::Value;

use crate::detection::{Detection, IntelRef, RuleHead};
use crate::timeline::{footprint, Entry, Key, Rendered};

/// A value as stored in a run file (floats by their bits, so they come back exact). Written
/// borrowed from the detection, read back owned.
#[derive(Serialize, Deserialize)]
enum Val<'a> {
    N,
    B(bool),
    I(i64),
    F(u64),
    S(Cow<'a, str>),
    L(Vec<Val<'a>>),
}

impl<'a> Val<'a> {
    fn of(v: &'a Value) -> Val<'a> {
        match v {
            Value::Null => Val::N,
            Value::Bool(b) => Val::B(*b),
            Value::Int(i) => Val::I(*i),
            Value::Float(f) => Val::F(f.to_bits()),
            Value::Str(s) => Val::S(Cow::Borrowed(s.as_str())),
            Value::List(l) => Val::L(l.iter().map(Val::of).collect()),
        }
    }

    fn into_value(self) -> Value {
        match self {
            Val::N => Value::Null,
            Val::B(b) => Value::Bool(b),
            Val::I(i) => Value::Int(i),
            Val::F(f) => Value::Float(f64::from_bits(f)),
            Val::S(s) => Value::str(s.into_owned()),
            Val::L(l) => Value::List(l.into_iter().map(Val::into_value).collect()),
        }
    }
}

/// One detection in a run file (written borrowed, read back owned).
#[derive(Serialize, Deserialize)]
struct Record<'a> {
    rule: usize,
    /// Seconds and nanoseconds since the epoch.
    time: Option<(i64, u32)>,
    computer: Option<Cow<'a, str>>,
    channel: Option<Cow<'a, str>>,
    event_id: Option<i64>,
    record_id: u64,
    source: Cow<'a, str>,
    matched: Vec<(Cow<'a, str>, Val<'a>)>,
    file_index: usize,
    seq: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    intel: Option<Cow<'a, IntelRef>>,
}

/// Reads a run file back, entry by entry.
pub(crate) struct RunReader<'a, T> {
    input: BufReader<File>,
    /// Per rule: the detection with the rule's data and no event data.
    templates: &'a [RuleHead],
    /// The text of the current record (reused).
    buf: Vec<u8>,
    _entries: PhantomData<T>,
}

impl<'a, T> RunReader<'a, T> {
    pub(crate) fn open(path: &Path, templates: &'a [RuleHead]) -> io::Result<Self> {
        Ok(RunReader {
            input: BufReader::with_capacity(1 << 16, File::open(path)?),
            templates,
            buf: Vec::new(),
            _entries: PhantomData,
        })
    }
}

impl<T: Entry> Iterator for RunReader<'_, T> {
    type Item = io::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        T::read(&mut self.input, &mut self.buf, self.templates).transpose()
    }
}

/// A detection in a run file: one JSON line ([`Record`]).
impl Entry for Detection {
    fn key(&self) -> Key {
        (self.timestamp, self.file_index, self.record_id, self.seq)
    }

    fn footprint(&self) -> usize {
        footprint(self)
    }

    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let r = Record {
            rule: self.rule,
            time: self
                .timestamp
                .map(|t| (t.timestamp(), t.timestamp_subsec_nanos())),
            computer: self.computer.as_deref().map(Cow::Borrowed),
            channel: self.channel.as_deref().map(Cow::Borrowed),
            event_id: self.event_id,
            record_id: self.record_id,
            source: Cow::Borrowed(&self.source),
            matched: self
                .matched
                .iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Val::of(v)))
                .collect(),
            file_index: self.file_index,
            seq: self.seq,
            intel: self.intel.as_deref().map(Cow::Borrowed),
        };
        serde_json::to_writer(&mut *out, &r)?;
        out.write_all(b"\n")
    }

    fn read(
        input: &mut dyn BufRead,
        buf: &mut Vec<u8>,
        templates: &[RuleHead],
    ) -> io::Result<Option<Self>> {
        buf.clear();
        if input.read_until(b'\n', buf)? == 0 {
            return Ok(None);
        }
        let line = std::str::from_utf8(buf).map_err(|e| damaged(e.to_string()))?;
        decode(line.trim_end_matches('\n'), templates).map(Some)
    }
}

/// A rendered line in a run file: its sort key (time flag, seconds, nanoseconds, file, record,
/// order; little-endian), the length of its bytes, and the bytes.
impl Entry for Rendered {
    fn key(&self) -> Key {
        self.key
    }

    fn footprint(&self) -> usize {
        64 + self.line.len()
    }

    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let (time, file, record, seq) = self.key;
        let (flag, secs, nanos) = match time {
            Some(t) => (1u8, t.timestamp(), t.timestamp_subsec_nanos()),
            None => (0, 0, 0),
        };
        let mut head = [0u8; 45];
        head[0] = flag;
        head[1..9].copy_from_slice(&secs.to_le_bytes());
        head[9..13].copy_from_slice(&nanos.to_le_bytes());
        head[13..21].copy_from_slice(&(file as u64).to_le_bytes());
        head[21..29].copy_from_slice(&record.to_le_bytes());
        head[29..37].copy_from_slice(&seq.to_le_bytes());
        head[37..45].copy_from_slice(&(self.line.len() as u64).to_le_bytes());
        out.write_all(&head)?;
        out.write_all(&self.line)
    }

    fn read(input: &mut dyn BufRead, _: &mut Vec<u8>, _: &[RuleHead]) -> io::Result<Option<Self>> {
        let mut head = [0u8; 45];
        if input.fill_buf()?.is_empty() {
            return Ok(None);
        }
        input.read_exact(&mut head)?;
        let u64_at = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&head[at..at + 8]);
            u64::from_le_bytes(b)
        };
        let time = match head[0] {
            0 => None,
            _ => {
                let mut n = [0u8; 4];
                n.copy_from_slice(&head[9..13]);
                let t = DateTime::from_timestamp(u64_at(1) as i64, u32::from_le_bytes(n));
                Some(t.ok_or_else(|| damaged("a bad time".into()))?)
            }
        };
        let len = usize::try_from(u64_at(37)).map_err(|e| damaged(e.to_string()))?;
        // Its room made at once (a damaged length is not trusted beyond 1 MB).
        let mut line = Vec::with_capacity(len.min(1 << 20));
        input.take(len as u64).read_to_end(&mut line)?;
        if line.len() != len {
            return Err(damaged("a line is cut short".into()));
        }
        Ok(Some(Rendered {
            key: (time, u64_at(13) as usize, u64_at(21), u64_at(29)),
            line: line.into_boxed_slice(),
        }))
    }
}

fn damaged(what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("a temporary run file is damaged: {what}"),
    )
}

fn decode(line: &str, templates: &[RuleHead]) -> io::Result<Detection> {
    let bad = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
    let r: Record = serde_json::from_str(line).map_err(|e| damaged(e.to_string()))?;
    let template = templates
        .get(r.rule)
        .ok_or_else(|| bad(format!("a temporary run file names rule {}", r.rule)))?;
    let timestamp = match r.time {
        Some((s, n)) => Some(
            DateTime::from_timestamp(s, n)
                .ok_or_else(|| bad("a temporary run file holds a bad time".into()))?,
        ),
        None => None,
    };
    Ok(Detection {
        timestamp,
        computer: r.computer.map(Cow::into_owned),
        channel: r.channel.map(Cow::into_owned),
        event_id: r.event_id,
        record_id: r.record_id,
        source: r.source.into_owned(),
        matched: r
            .matched
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_value()))
            .collect(),
        file_index: r.file_index,
        seq: r.seq,
        intel: r.intel.map(|i| Box::new(i.into_owned())),
        ..template.detection()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(time: Option<(i64, u32)>, line: &str) -> Rendered {
        let time = time.and_then(|(s, n)| DateTime::from_timestamp(s, n));
        Rendered {
            key: (time, 3, 42, 7),
            line: line.as_bytes().into(),
        }
    }

    /// A rendered line comes back as written; a cut or damaged record is an error, not a
    /// panic.
    #[test]
    fn rendered_lines_round_trip() {
        let lines = [
            rendered(Some((1_700_000_000, 123_456_789)), "{\"a\":1}\n"),
            rendered(None, ""),
            rendered(Some((-5, 0)), "é\n"),
        ];
        let mut file = Vec::new();
        for l in &lines {
            l.write(&mut file).expect("writes");
        }
        let mut input = &file[..];
        for l in &lines {
            assert_eq!(
                Rendered::read(&mut input, &mut Vec::new(), &[])
                    .expect("reads")
                    .as_ref(),
                Some(l)
            );
        }
        assert_eq!(
            Rendered::read(&mut input, &mut Vec::new(), &[]).expect("reads"),
            None
        );
        // Cut anywhere inside a record: reading on gives an error before the end.
        for cut in [1, 44, 46, file.len() - 1] {
            let mut input = &file[..cut];
            let end =
                std::iter::from_fn(|| Rendered::read(&mut input, &mut Vec::new(), &[]).transpose())
                    .last();
            assert!(matches!(end, Some(Err(_))), "cut at {cut}");
        }
        let mut bad_time = file.clone();
        bad_time[1..9].copy_from_slice(&i64::MAX.to_le_bytes());
        assert!(Rendered::read(&mut &bad_time[..], &mut Vec::new(), &[]).is_err());
    }
}
