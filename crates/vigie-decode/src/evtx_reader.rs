//! EVTX input through the `evtx` crate: each record flattened into Sigma field names.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use evtx::{EvtxChunkData, EvtxParser, ParserSettings};
use vigie_event::flatten_evtx_text;

use crate::error::DecodeError;
use crate::Item;

/// Reads an EVTX file from disk.
pub fn read_evtx_path(source: &str, path: &Path, threads: usize, sink: &mut dyn FnMut(Item)) {
    match EvtxParser::from_path(path) {
        Ok(p) => read_evtx(source, p, threads, sink),
        Err(e) => sink(Item::Error(
            DecodeError::new(source, None, format!("not a readable EVTX file: {e}"))
                .with_hint("the file header is damaged or this is not an .evtx file"),
        )),
    }
}

/// Reads an EVTX file held in memory (from an archive or stdin).
pub fn read_evtx_bytes(source: &str, bytes: Vec<u8>, threads: usize, sink: &mut dyn FnMut(Item)) {
    match EvtxParser::from_buffer(bytes) {
        Ok(p) => read_evtx(source, p, threads, sink),
        Err(e) => sink(Item::Error(
            DecodeError::new(source, None, format!("not a readable EVTX file: {e}"))
                .with_hint("the file header is damaged or this is not an .evtx file"),
        )),
    }
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
        Err(e) => {
            return sink(Item::Error(
                DecodeError::new(source, None, format!("cannot open: {e}"))
                    .with_hint("check the path and its permissions"),
            ))
        }
    };
    let settings = Arc::new(
        ParserSettings::new()
            .num_threads(1)
            .separate_json_attributes(false),
    );
    for number in first..end {
        let place = || Some(format!("chunk {number}"));
        let mut data = Vec::with_capacity(CHUNK_SIZE as usize);
        let read = file
            .seek(SeekFrom::Start(HEADER_SIZE + number * CHUNK_SIZE))
            .and_then(|_| (&mut file).take(CHUNK_SIZE).read_to_end(&mut data));
        match read {
            Ok(n) if n as u64 == CHUNK_SIZE => {}
            Ok(_) => {
                if data.iter().any(|&b| b != 0) {
                    sink(Item::Error(
                        DecodeError::new(source, place(), "the file ends inside this chunk")
                            .with_hint("the file was cut short; the records before it were read"),
                    ));
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
        // Empty chunks occur in the middle of a dirty file.
        if data.iter().all(|&b| b == 0) {
            continue;
        }
        let damaged = |e: String| {
            Item::Error(
                DecodeError::new(source, place(), format!("damaged record or chunk: {e}"))
                    .with_hint("the rest of the file is still read; a copy made with the log service stopped may be cleaner"),
            )
        };
        let mut chunk = match EvtxChunkData::new(data, false) {
            Ok(c) => c,
            Err(e) => {
                sink(damaged(e.to_string()));
                continue;
            }
        };
        let mut parsed = match chunk.parse(settings.clone()) {
            Ok(p) => p,
            Err(e) => {
                sink(damaged(e.to_string()));
                continue;
            }
        };
        for rec in parsed.iter() {
            match rec.and_then(|r| r.into_json()) {
                Ok(r) => record(source, r, sink),
                Err(e) => sink(damaged(e.to_string())),
            }
        }
    }
}

const HEADER_SIZE: u64 = 4096;
const CHUNK_SIZE: u64 = 65536;

/// One decoded record (its JSON text) to the sink.
fn record(source: &str, r: evtx::SerializedEvtxRecord<String>, sink: &mut dyn FnMut(Item)) {
    match flatten_evtx_text(&r.data) {
        Err(e) => sink(Item::Error(DecodeError::new(
            source,
            Some(format!("record {}", r.event_record_id)),
            format!("the record's JSON cannot be read ({e}); skipped"),
        ))),
        Ok(Some(mut ev)) => {
            // EventRecordID from the record itself; the header's number only when the record
            // has none (exported logs renumber the headers).
            if ev.get("EventRecordID").is_none() {
                ev.record_id = r.event_record_id;
            }
            sink(Item::Event(source, ev));
        }
        Ok(None) => sink(Item::Error(DecodeError::new(
            source,
            Some(format!("record {}", r.event_record_id)),
            "the record has no Event/System section; skipped",
        ))),
    }
}

fn read_evtx<T: std::io::Read + std::io::Seek>(
    source: &str,
    parser: EvtxParser<T>,
    threads: usize,
    sink: &mut dyn FnMut(Item),
) {
    let settings = ParserSettings::new()
        .num_threads(threads)
        .separate_json_attributes(false);
    let mut parser = parser.with_configuration(settings);
    let mut last_id: Option<u64> = None;
    for rec in parser.records_json() {
        match rec {
            Ok(r) => {
                last_id = Some(r.event_record_id);
                record(source, r, sink);
            }
            Err(e) => {
                let place = last_id.map(|id| format!("after record {id}"));
                sink(Item::Error(
                    DecodeError::new(source, place, format!("damaged record or chunk: {e}"))
                        .with_hint("the rest of the file is still read; a copy made with the log service stopped may be cleaner"),
                ));
            }
        }
    }
}
