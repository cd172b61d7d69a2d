//! Detections written to and read back from temporary run files, one JSON line each, so that
//! a hunt's timeline can be sorted without holding every detection in memory.
//!
//! A record leaves out what the rule says (title, tags, ...): it names the rule by index and
//! gets those back from the rule's template detection when read.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use chrono::DateTime;
use serde::{Deserialize, Serialize};
use vigie_event::Value;

use crate::detection::{Detection, IntelRef, RuleHead};

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

/// Writes detections, in the order given, to a new run file.
pub(crate) fn write_run<'a>(
    path: &Path,
    detections: impl Iterator<Item = &'a Detection>,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
    for d in detections {
        write_record(&mut out, d)?;
    }
    out.flush()
}

/// Writes one detection as a line of a run file.
pub(crate) fn write_record(out: &mut impl Write, d: &Detection) -> io::Result<()> {
    let r = Record {
        rule: d.rule,
        time: d
            .timestamp
            .map(|t| (t.timestamp(), t.timestamp_subsec_nanos())),
        computer: d.computer.as_deref().map(Cow::Borrowed),
        channel: d.channel.as_deref().map(Cow::Borrowed),
        event_id: d.event_id,
        record_id: d.record_id,
        source: Cow::Borrowed(&d.source),
        matched: d
            .matched
            .iter()
            .map(|(k, v)| (Cow::Borrowed(k.as_str()), Val::of(v)))
            .collect(),
        file_index: d.file_index,
        seq: d.seq,
        intel: d.intel.as_deref().map(Cow::Borrowed),
    };
    serde_json::to_writer(&mut *out, &r)?;
    out.write_all(b"\n")
}

/// Reads a run file back, detection by detection.
pub(crate) struct RunReader<'a> {
    lines: io::Lines<BufReader<File>>,
    /// Per rule: the detection with the rule's data and no event data.
    templates: &'a [RuleHead],
}

impl<'a> RunReader<'a> {
    pub(crate) fn open(path: &Path, templates: &'a [RuleHead]) -> io::Result<Self> {
        Ok(RunReader {
            lines: BufReader::with_capacity(1 << 16, File::open(path)?).lines(),
            templates,
        })
    }
}

impl Iterator for RunReader<'_> {
    type Item = io::Result<Detection>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = match self.lines.next()? {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        Some(decode(&line, self.templates))
    }
}

fn decode(line: &str, templates: &[RuleHead]) -> io::Result<Detection> {
    let bad = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
    let r: Record = serde_json::from_str(line)
        .map_err(|e| bad(format!("a temporary run file is damaged: {e}")))?;
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
