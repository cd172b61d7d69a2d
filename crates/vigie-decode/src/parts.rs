//! Splitting large inputs into parts decoded on their own, so that one big file keeps every
//! core busy: a plain JSON-lines file is cut at line boundaries, each part numbering its
//! lines after those of the parts before it (record ids stay the file's line numbers); an
//! EVTX file is cut into runs of its 64 KB chunks, which are independent.
//!
//! A part's lines are counted as it is read, so that parts read in file order (one thread)
//! read the file once; a part that needs the count of one not read yet counts that one's
//! lines itself, once for all.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::archive::{read_path, ReadOptions};
use crate::error::DecodeError;
use crate::evtx_reader::read_evtx_chunks;
use crate::json::read_json_from;
use crate::Item;

/// Files smaller than this are read whole.
pub const PART_SIZE: u64 = 16 << 20;

/// A part of an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub path: PathBuf,
    range: Range,
}

/// Which part of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Range {
    /// The whole input, of `len` bytes (0: unknown).
    Whole { len: u64 },
    /// Bytes `start..end` of a JSON-lines file, its part number `index` among `cut`'s.
    Lines {
        start: u64,
        end: u64,
        index: usize,
        cut: Arc<Cut>,
    },
    /// Chunks `first..end` of an EVTX file.
    Chunks { first: u64, end: u64 },
}

/// The parts a JSON-lines file is cut into, and the number of lines of each once counted
/// (by the reader of the part, or by the reader of a later part that needed it first).
#[derive(Debug)]
struct Cut {
    ranges: Vec<(u64, u64)>,
    lines: Vec<OnceLock<u64>>,
}

impl PartialEq for Cut {
    fn eq(&self, other: &Cut) -> bool {
        self.ranges == other.ranges
    }
}

impl Eq for Cut {}

impl Cut {
    /// The lines of the parts before part `index`, counted now where no reader of theirs
    /// has; `None` when one cannot be read.
    fn lines_before(&self, path: &Path, index: usize) -> Option<u64> {
        let mut before = 0u64;
        for (i, &(start, end)) in self.ranges.iter().enumerate().take(index) {
            let lines = self.lines.get(i)?;
            let n = match lines.get() {
                Some(&n) => n,
                None => {
                    let n = count_lines(path, start, end).ok()?;
                    *lines.get_or_init(|| n)
                }
            };
            before += n;
        }
        Some(before)
    }
}

impl Part {
    /// The whole input (its size unknown: standard input, say).
    pub fn whole(path: PathBuf) -> Part {
        Part {
            path,
            range: Range::Whole { len: 0 },
        }
    }

    /// The size of the part in bytes (0 when unknown).
    pub fn len(&self) -> u64 {
        match self.range {
            Range::Lines { start, end, .. } => end - start,
            Range::Chunks { first, end } => (end - first) * EVTX_CHUNK_SIZE,
            Range::Whole { len } => len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Splits an input into parts of about `PART_SIZE` when it is a plain JSON-lines file
/// (its first line a whole JSON object); anything else is one part.
pub fn split(path: &Path) -> Vec<Part> {
    split_with(path, PART_SIZE)
}

fn split_with(path: &Path, part_size: u64) -> Vec<Part> {
    let Ok(meta) = std::fs::metadata(path) else {
        return vec![Part::whole(path.to_owned())];
    };
    // The size taken here is the part's (no second look at the file).
    let whole = || {
        vec![Part {
            path: path.to_owned(),
            range: Range::Whole { len: meta.len() },
        }]
    };
    if meta.len() < 2 * part_size {
        return whole();
    }
    if is_evtx(path) {
        return evtx_parts(path, meta.len(), part_size);
    }
    if !is_json_lines(path) {
        return whole();
    }
    match cut(path, meta.len(), part_size) {
        Ok(parts) => parts,
        Err(_) => whole(),
    }
}

const EVTX_HEADER_SIZE: u64 = 4096;
const EVTX_CHUNK_SIZE: u64 = 65536;

fn is_evtx(path: &Path) -> bool {
    let mut head = [0u8; 8];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"ElfFile\0"
}

/// Runs of about `part_size` bytes of chunks; the last run takes any incomplete tail, which
/// reading then reports.
fn evtx_parts(path: &Path, len: u64, part_size: u64) -> Vec<Part> {
    let chunks = len
        .saturating_sub(EVTX_HEADER_SIZE)
        .div_ceil(EVTX_CHUNK_SIZE);
    let per_part = (part_size / EVTX_CHUNK_SIZE).max(1);
    let mut parts = Vec::new();
    let mut first = 0;
    while first < chunks {
        let end = (first + per_part).min(chunks);
        parts.push(Part {
            path: path.to_owned(),
            range: Range::Chunks { first, end },
        });
        first = end;
    }
    parts
}

fn is_json_lines(path: &Path) -> bool {
    let Ok(f) = File::open(path) else {
        return false;
    };
    let mut first = Vec::new();
    if BufReader::new(f)
        .take(1 << 20)
        .read_until(b'\n', &mut first)
        .is_err()
    {
        return false;
    }
    let line = first.trim_ascii();
    line.starts_with(b"{") && serde_json::from_slice::<serde_json::Value>(line).is_ok()
}

/// Cut points after the newline that follows each multiple of `PART_SIZE`; the parts' lines
/// are counted as they are read.
fn cut(path: &Path, len: u64, part_size: u64) -> std::io::Result<Vec<Part>> {
    let mut f = File::open(path)?;
    let mut cuts = vec![0u64];
    let mut buf = vec![0u8; 1 << 16];
    let mut target = part_size;
    while target < len {
        f.seek(SeekFrom::Start(target))?;
        let mut offset = target;
        let mut at = None;
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
                at = Some(offset + i as u64 + 1);
                break;
            }
            offset += n as u64;
        }
        match at {
            Some(a) if a < len => {
                cuts.push(a);
                target = a + part_size;
            }
            _ => break,
        }
    }
    cuts.push(len);
    let ranges: Vec<(u64, u64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let cut = Arc::new(Cut {
        lines: ranges.iter().map(|_| OnceLock::new()).collect(),
        ranges: ranges.clone(),
    });
    Ok(ranges
        .iter()
        .enumerate()
        .map(|(index, &(start, end))| Part {
            path: path.to_owned(),
            range: Range::Lines {
                start,
                end,
                index,
                cut: Arc::clone(&cut),
            },
        })
        .collect())
}

/// The newlines in bytes `start..end` of a file.
fn count_lines(path: &Path, start: u64, end: u64) -> std::io::Result<u64> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(start))?;
    let mut reader = BufReader::with_capacity(1 << 20, f.take(end - start));
    let mut lines = 0u64;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(lines);
        }
        lines += memchr::memchr_iter(b'\n', chunk).count() as u64;
        let n = chunk.len();
        reader.consume(n);
    }
}

/// Reads one part; events are numbered as lines of the whole file.
pub fn read_part(part: &Part, opts: &ReadOptions, sink: &mut dyn FnMut(Item)) {
    let (start, end, index, cut) = match &part.range {
        Range::Whole { .. } => return read_path(&part.path, opts, sink),
        &Range::Chunks { first, end } => {
            let source = part.path.display().to_string();
            return read_evtx_chunks(&source, &part.path, first, end, sink);
        }
        Range::Lines {
            start,
            end,
            index,
            cut,
        } => (*start, *end, *index, cut),
    };
    let source = part.path.display().to_string();
    let lines_before = cut.lines_before(&part.path, index).unwrap_or_else(|| {
        // Its events are still read, numbered from the part's first line.
        sink(Item::Error(
            DecodeError::new(
                &source,
                Some(format!("byte {start}")),
                "the lines before this byte could not be counted: the record ids of the events after it count from it",
            )
            .with_hint("check that the file can be read whole"),
        ));
        0
    });
    let opened = File::open(&part.path).and_then(|mut f| f.seek(SeekFrom::Start(start)).map(|_| f));
    let f = match opened {
        Ok(f) => f,
        Err(e) => {
            return sink(Item::Error(
                DecodeError::new(&source, None, format!("cannot open: {e}"))
                    .with_hint("check the path and its permissions"),
            ))
        }
    };
    let mut reader = BufReader::with_capacity(
        1 << 16,
        Newlines {
            inner: f.take(end - start),
            bytes: 0,
            newlines: 0,
        },
    );
    read_json_from(&source, &mut reader, lines_before, sink);
    // Read to its end: its lines are counted for the parts after it.
    let counted = reader.get_ref();
    if counted.bytes == end - start {
        if let Some(lines) = cut.lines.get(index) {
            let _ = lines.set(counted.newlines);
        }
    }
}

/// A reader that counts the bytes and newlines read through it.
struct Newlines<R> {
    inner: R,
    bytes: u64,
    newlines: u64,
}

impl<R: Read> Read for Newlines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        self.bytes += n as u64;
        self.newlines += memchr::memchr_iter(b'\n', read).count() as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn parts_cover_the_file_and_number_lines_as_the_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.jsonl");
        let mut f = std::io::BufWriter::new(File::create(&path).expect("create"));
        let mut n = 0u64;
        while n < 2000 {
            n += 1;
            writeln!(
                f,
                "{{\"n\":{n},\"pad\":\"{}\"}}",
                "x".repeat((n % 40) as usize)
            )
            .expect("write");
        }
        drop(f);
        assert_eq!(split(&path).len(), 1, "small files are read whole");
        let read = |parts: &[Part], order: &[usize]| {
            let mut seen = Vec::new();
            for &i in order {
                read_part(&parts[i], &ReadOptions::default(), &mut |item| match item {
                    Item::Event(_, ev) => {
                        let value =
                            ev.get("n").and_then(vigie_event::Value::as_f64).expect("n") as u64;
                        assert_eq!(
                            ev.record_id, value,
                            "record id is the line number of the whole file (order {order:?})"
                        );
                        seen.push(value);
                    }
                    Item::Error(e) => panic!("{e}"),
                });
            }
            seen.sort_unstable();
            seen
        };
        let parts = split_with(&path, 4096);
        let count = parts.len();
        assert!(count >= 10, "{parts:?}");
        // In file order, each part's lines are counted by its reader, as a count of the
        // newlines of its bytes does.
        let seen = read(&parts, &(0..count).collect::<Vec<_>>());
        let total = seen.len() as u64;
        assert_eq!(seen, (1..=total).collect::<Vec<_>>());
        for (i, p) in parts.iter().enumerate() {
            let Range::Lines {
                start, end, cut, ..
            } = &p.range
            else {
                panic!("{p:?}");
            };
            let counted = count_lines(&path, *start, *end).expect("count");
            assert_eq!(cut.lines[i].get(), Some(&counted), "part {i}");
        }
        // In any other order, parts read before those they follow count those themselves.
        let backwards: Vec<usize> = (0..count).rev().collect();
        let mixed: Vec<usize> = (0..count).map(|i| (i * 7 + 3) % count).collect();
        for order in [backwards, mixed] {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..count).collect::<Vec<_>>());
            assert_eq!(read(&split_with(&path, 4096), &order), seen);
        }
        let mut whole = 0;
        read_path(&path, &ReadOptions::default(), &mut |i| {
            whole += u64::from(matches!(i, Item::Event(..)))
        });
        assert_eq!(whole, total);
    }
}

#[cfg(test)]
mod evtx_tests {
    use super::*;

    /// Every record of an EVTX file is read once whether the file is read whole or as runs of
    /// chunks (the corpus' DeepBlueCLI samples, several MB each).
    #[test]
    fn chunk_parts_read_the_same_records_as_the_whole_file() {
        let Some(dir) = crate::test_corpus::corpus_dir(
            "chunk_parts_read_the_same_records_as_the_whole_file",
            "evtx/DeepBlueCLI",
        ) else {
            return;
        };
        let mut checked = 0;
        for name in [
            "many-events-application.evtx",
            "smb-password-guessing-security.evtx",
            "Powershell-Invoke-Obfuscation-many.evtx",
        ] {
            let path = dir.join(name);
            let records = |parts: &[Part]| {
                let mut ids = Vec::new();
                let mut errors = 0;
                for p in parts {
                    read_part(p, &ReadOptions::default(), &mut |item| match item {
                        Item::Event(_, ev) => ids.push(ev.record_id),
                        Item::Error(_) => errors += 1,
                    });
                }
                ids.sort_unstable();
                (ids, errors)
            };
            let whole = records(&[Part::whole(path.clone())]);
            let parts = split_with(&path, 4 * EVTX_CHUNK_SIZE);
            assert!(parts.len() > 3, "{name}: {parts:?}");
            assert!(parts
                .iter()
                .all(|p| matches!(p.range, Range::Chunks { .. })));
            let split = records(&parts);
            assert!(whole.0.len() > 200, "{name}: {} records", whole.0.len());
            assert_eq!(whole, split, "{name}");
            checked += 1;
        }
        assert_eq!(checked, 3);
    }
}
