//! EVTX input: files walked chunk by chunk in record order, each record flattened into Sigma
//! field names (through its template's plan, or the `evtx` crate's JSON).

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use evtx::{EvtxChunkData, EvtxChunkHeader, EvtxFileHeader, ParserSettings};
use vigie_event::flatten_evtx_text;

use crate::error::DecodeError;
use crate::evtx_fast::FastEvtx;
use crate::read_all::read_up_to;
use crate::Item;

/// Reads an EVTX file held in memory (from an archive or stdin).
pub fn read_evtx_bytes(source: &str, bytes: Vec<u8>, sink: &mut dyn FnMut(Item)) {
    read_evtx(source, Cursor::new(bytes), sink)
}

/// Reads chunks `first..end` of an EVTX file (a part of a large file), in file order.
pub fn read_evtx_chunks(
    source: &str,
    path: &Path,
    first: u64,
    end: u64,
    sink: &mut dyn FnMut(Item),
) {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return sink(cannot_open(source, e)),
    };
    let mut reader = ChunkReader::new(true);
    for number in first..end {
        let place = || Some(format!("chunk {number}"));
        match reader.read_chunk(&mut file, number) {
            Ok(Chunk::Data(data)) => reader.chunk(source, data, number, sink),
            Ok(Chunk::Empty) => {}
            Ok(Chunk::Short { blank }) => {
                if !blank {
                    sink(ends_inside(source, number));
                }
                return;
            }
            Err(e) => {
                return sink(Item::Error(DecodeError::new(
                    source,
                    place(),
                    format!("cannot read: {e}"),
                )))
            }
        }
    }
}

/// Reads one chunk held in memory (the 64 KB after a file's header; shorter bytes are padded
/// with zeroes), its problems placed at "chunk 0". For fuzzing the chunk and record decoders
/// without a file around them.
#[doc(hidden)]
pub fn read_evtx_chunk_bytes(source: &str, mut bytes: Vec<u8>, sink: &mut dyn FnMut(Item)) {
    bytes.resize(CHUNK_SIZE as usize, 0);
    ChunkReader::new(true).chunk(source, bytes, 0, sink)
}

const HEADER_SIZE: u64 = 4096;
const CHUNK_SIZE: u64 = 65536;

/// What is at a chunk's place in the file.
enum Chunk {
    Data(Vec<u8>),
    /// All zeroes: a chunk never written, in the middle of a dirty file.
    Empty,
    /// The file ends inside it; `blank` when what there is of it is all zeroes.
    Short {
        blank: bool,
    },
}

/// Whether every byte is zero: 4 KB at a time, each block OR-ed without a branch (which the
/// compiler turns into vector code), as log files hold many unused chunks.
fn all_zero(data: &[u8]) -> bool {
    data.chunks(4096)
        .all(|block| block.iter().fold(0u8, |acc, &b| acc | b) == 0)
}

/// Reads a whole EVTX file in record order, as the `evtx` crate and Windows do: from the chunk
/// that holds the oldest records to the end of the file (past what the header counts, for a
/// dirty file), then from the start of the file up to that chunk.
/// The file is read from its start, wherever it stands now.
pub(crate) fn read_evtx<R: Read + Seek>(source: &str, mut file: R, sink: &mut dyn FnMut(Item)) {
    let not_evtx = |e: String| {
        Item::Error(
            DecodeError::new(source, None, format!("not a readable EVTX file: {e}"))
                .with_hint("the file header is damaged or this is not an .evtx file"),
        )
    };
    // The header block in one read (the crate reads it field by field).
    let mut head = [0u8; HEADER_SIZE as usize];
    let header = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| read_up_to(&mut file, &mut head))
        .map_err(|e| e.to_string())
        .and_then(|n| {
            EvtxFileHeader::from_stream(&mut Cursor::new(&head[..n])).map_err(|e| e.to_string())
        });
    let header = match header {
        Ok(h) => h,
        Err(e) => return sink(not_evtx(e)),
    };
    let count = match file.seek(SeekFrom::End(0)).map(|size| {
        size.checked_sub(u64::from(header.header_block_size))
            .map(|data| data / CHUNK_SIZE)
    }) {
        Ok(Some(count)) => count,
        Ok(None) => return sink(not_evtx("shorter than its header".into())),
        Err(e) => return sink(not_evtx(e.to_string())),
    };
    let oldest = oldest_chunk(&mut file, count);
    let mut reader = ChunkReader::new(false);
    let (mut number, mut wrapped) = (oldest, false);
    loop {
        if wrapped && number >= oldest {
            return;
        }
        let chunk = reader.read_chunk(&mut file, number);
        match chunk {
            Ok(Chunk::Data(data)) => reader.chunk(source, data, number, sink),
            Ok(Chunk::Empty) => {}
            // Past the chunks the file's size counts, the end; before, a chunk lost.
            Ok(Chunk::Short { .. }) | Err(_) if number >= count => {
                if let Ok(Chunk::Short { blank: false }) = chunk {
                    sink(ends_inside(source, number));
                }
                if wrapped || oldest == 0 {
                    return;
                }
                (number, wrapped) = (0, true);
                continue;
            }
            Ok(Chunk::Short { .. }) => {
                sink(reader.damaged(source, number, "the chunk is incomplete"))
            }
            Err(e) => sink(reader.damaged(source, number, e)),
        }
        number += 1;
    }
}

/// The chunk whose header names the lowest first record id (the `evtx` crate's rule): where
/// a log that has wrapped around starts.
fn oldest_chunk<R: Read + Seek>(file: &mut R, count: u64) -> u64 {
    let mut oldest = (u64::MAX, 0);
    let mut header = [0u8; 512];
    for number in 0..count {
        let read = file
            .seek(SeekFrom::Start(HEADER_SIZE + number * CHUNK_SIZE))
            .and_then(|_| file.read_exact(&mut header));
        if read.is_err() {
            break;
        }
        if let Ok(chunk) = EvtxChunkHeader::from_bytes(&header) {
            if chunk.first_event_record_id <= chunk.last_event_record_id
                && chunk.first_event_record_id < oldest.0
            {
                oldest = (chunk.first_event_record_id, number);
            }
        }
    }
    oldest.1
}

fn cannot_open(source: &str, e: std::io::Error) -> Item<'_> {
    Item::Error(
        DecodeError::new(source, None, format!("cannot open: {e}"))
            .with_hint("check the path and its permissions"),
    )
}

/// The file is cut short inside chunk `number`.
fn ends_inside(source: &str, number: u64) -> Item<'_> {
    Item::Error(
        DecodeError::new(
            source,
            Some(format!("chunk {number}")),
            "the file ends inside this chunk",
        )
        .with_hint("the file was cut short; the records before it were read"),
    )
}

/// One decoded record (its JSON text) to the sink, numbered by its own EventRecordID, or by
/// its header's when it has none (exported logs renumber the headers).
fn record(source: &str, r: evtx::SerializedEvtxRecord<String>, sink: &mut dyn FnMut(Item)) {
    match flatten_evtx_text(&r.data, r.event_record_id) {
        Err(e) => sink(Item::Error(DecodeError::new(
            source,
            Some(format!("record {}", r.event_record_id)),
            format!("the record's JSON cannot be read ({e}); skipped"),
        ))),
        Ok(Some(ev)) => sink(Item::Event(source, ev)),
        Ok(None) => sink(Item::Error(DecodeError::new(
            source,
            Some(format!("record {}", r.event_record_id)),
            "the record has no Event/System section; skipped",
        ))),
    }
}

/// What reading a file's chunks keeps from one to the next: the parser settings, the plans'
/// memory, and the last record read.
struct ChunkReader {
    settings: Arc<ParserSettings>,
    fast: FastEvtx,
    last_id: Option<u64>,
    /// Problems are placed at their chunk ("chunk 7": a part of a file, or a chunk alone)
    /// rather than after the last record read (a whole file, read in record order).
    by_chunk: bool,
    /// The buffer of the last chunk, reused for the next one.
    spare: Vec<u8>,
}

thread_local! {
    /// The chunk buffer of the thread's last reader, for its next one: a new buffer is
    /// zeroed before its first read, 64 KB for every file.
    static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Drop for ChunkReader {
    fn drop(&mut self) {
        SPARE.set(std::mem::take(&mut self.spare));
    }
}

impl ChunkReader {
    fn new(by_chunk: bool) -> Self {
        ChunkReader {
            settings: Arc::new(
                ParserSettings::new()
                    .num_threads(1)
                    .separate_json_attributes(false),
            ),
            fast: FastEvtx::default(),
            last_id: None,
            by_chunk,
            spare: SPARE.take(),
        }
    }

    /// Reads chunk `number` of `file`, in one read where the system allows, into the spare
    /// buffer (which keeps it when the chunk is not handed out as data).
    fn read_chunk<R: Read + Seek>(&mut self, file: &mut R, number: u64) -> std::io::Result<Chunk> {
        let mut data = std::mem::take(&mut self.spare);
        data.resize(CHUNK_SIZE as usize, 0);
        file.seek(SeekFrom::Start(HEADER_SIZE + number * CHUNK_SIZE))?;
        let n = read_up_to(file, &mut data)?;
        // A written chunk starts with its signature; only one that does not can be all zeroes.
        let read = &data[..n];
        let blank = !read.starts_with(b"ElfChnk\0") && all_zero(read);
        let chunk = match (n as u64 == CHUNK_SIZE, blank) {
            (true, false) => return Ok(Chunk::Data(data)),
            (true, true) => Chunk::Empty,
            (false, blank) => Chunk::Short { blank },
        };
        self.spare = data;
        Ok(chunk)
    }

    /// A problem of chunk `number`, or of one of its records.
    fn damaged<'a>(&self, source: &'a str, number: u64, e: impl std::fmt::Display) -> Item<'a> {
        let (place, what) = match self.by_chunk {
            true => (Some(format!("chunk {number}")), e.to_string()),
            false => (
                self.last_id.map(|id| format!("after record {id}")),
                format!("chunk {number}: {e}"),
            ),
        };
        Item::Error(
            DecodeError::new(source, place, format!("damaged record or chunk: {what}"))
                .with_hint("the rest of the file is still read; a copy made with the log service stopped may be cleaner"),
        )
    }

    /// Every record of chunk `number`, whose bytes are `data`: through its template's plan
    /// when it has one, through the crate's JSON otherwise.
    fn chunk(&mut self, source: &str, data: Vec<u8>, number: u64, sink: &mut dyn FnMut(Item)) {
        let mut data = match EvtxChunkData::new(data, false) {
            Ok(d) => d,
            Err(e) => return sink(self.damaged(source, number, e)),
        };
        self.records(source, &mut data, number, sink);
        self.spare = std::mem::take(&mut data.data);
    }

    fn records(
        &mut self,
        source: &str,
        data: &mut EvtxChunkData,
        number: u64,
        sink: &mut dyn FnMut(Item),
    ) {
        self.fast.new_chunk();
        // Most chunks are read by their plans alone, without the crate building its records
        // or even its table of the chunk's strings (a plan reads its names where the
        // template holds them).
        if let Some(events) = self.fast.whole_chunk(&data.data, &data.header) {
            for (id, event) in events {
                sink(Item::Event(source, event));
                self.last_id = Some(id);
            }
            return;
        }
        let mut parsed = match data.parse(self.settings.clone()) {
            Ok(c) => c,
            Err(e) => return sink(self.damaged(source, number, e)),
        };
        for rec in parsed.iter() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    sink(self.damaged(source, number, e));
                    continue;
                }
            };
            let id = rec.event_record_id;
            let event = self.fast.record(
                rec.chunk.data,
                rec.binxml_offset as usize,
                rec.binxml_size as usize,
                id,
            );
            match event {
                Some(event) => sink(Item::Event(source, event)),
                None => match rec.into_json() {
                    Ok(r) => record(source, r, sink),
                    Err(e) => sink(self.damaged(source, number, e)),
                },
            }
            self.last_id = Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events a reading gives, counted, and its errors as text.
    fn counted(read: impl FnOnce(&mut dyn FnMut(Item))) -> (usize, Vec<String>) {
        let (mut events, mut errors) = (0, Vec::new());
        read(&mut |item| match item {
            Item::Event(..) => events += 1,
            Item::Error(e) => errors.push(e.to_string()),
        });
        (events, errors)
    }

    /// A chunk read on its own gives its records; bytes that are no chunk give an error
    /// naming the chunk, and no panic.
    #[test]
    fn one_chunk_from_bytes() {
        let Some(dir) = crate::test_corpus::corpus_dir("one_chunk_from_bytes", "evtx/DeepBlueCLI")
        else {
            return;
        };
        let file = std::fs::read(dir.join("many-events-application.evtx")).expect("corpus file");
        let chunk = file[HEADER_SIZE as usize..(HEADER_SIZE + CHUNK_SIZE) as usize].to_vec();
        let (events, errors) = counted(|sink| read_evtx_chunk_bytes("t", chunk, sink));
        assert!(events > 50, "{events} events");
        assert!(errors.is_empty(), "{errors:?}");
        let (_, errors) = counted(|sink| read_evtx_chunk_bytes("t", b"not a chunk".to_vec(), sink));
        assert!(
            errors.len() == 1 && errors[0].contains("chunk 0"),
            "{errors:?}"
        );
    }

    /// A chunk whose table of common strings is damaged (an offset past its end) is still
    /// read through its templates' plans, which take names where the templates hold them:
    /// the crate's reading, which builds that table first, gave up on the whole chunk.
    #[test]
    fn a_damaged_string_table_loses_no_record() {
        let Some(dir) = crate::test_corpus::corpus_dir(
            "a_damaged_string_table_loses_no_record",
            "evtx/DeepBlueCLI",
        ) else {
            return;
        };
        let file = std::fs::read(dir.join("many-events-application.evtx")).expect("corpus file");
        let chunk = file[HEADER_SIZE as usize..(HEADER_SIZE + CHUNK_SIZE) as usize].to_vec();
        let (events, _) = counted(|sink| read_evtx_chunk_bytes("t", chunk.clone(), sink));
        // The 64 offsets of common strings start at 0x80 of the chunk header.
        let mut damaged = chunk;
        let at = (0x80..0x180)
            .step_by(4)
            .find(|&at| damaged[at..at + 4] != [0; 4])
            .expect("a common string");
        damaged[at..at + 4].copy_from_slice(&0xffff_fff0u32.to_le_bytes());
        let mut data = EvtxChunkData::new(damaged.clone(), false).expect("a chunk header");
        assert!(
            data.parse(Arc::new(ParserSettings::default())).is_err(),
            "the crate refuses the chunk"
        );
        let (read, errors) = counted(|sink| read_evtx_chunk_bytes("t", damaged, sink));
        assert_eq!((read, errors.len()), (events, 0), "{errors:?}");
    }

    /// A file cut at a chunk's end reads without complaint (the chunk buffer, reused, still
    /// holds the last chunk when the next read finds nothing); one cut inside a chunk says so,
    /// once.
    #[test]
    fn cut_files_say_where() {
        let Some(dir) = crate::test_corpus::corpus_dir("cut_files_say_where", "evtx/DeepBlueCLI")
        else {
            return;
        };
        let file = std::fs::read(dir.join("many-events-application.evtx")).expect("corpus file");
        let read =
            |len: u64| counted(|sink| read_evtx_bytes("t", file[..len as usize].to_vec(), sink));
        let at_end = HEADER_SIZE + 2 * CHUNK_SIZE;
        let (events, errors) = read(at_end);
        assert!(events > 100, "{events} events");
        assert!(errors.is_empty(), "{errors:?}");
        let (inside, errors) = read(at_end + 1000);
        assert_eq!(inside, events);
        assert!(
            errors.len() == 1 && errors[0].contains("chunk 2") && errors[0].contains("ends inside"),
            "{errors:?}"
        );
    }
}
