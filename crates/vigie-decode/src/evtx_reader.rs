//! EVTX input through the `evtx` crate: each record flattened into Sigma field names.

use std::path::Path;

use evtx::{EvtxParser, ParserSettings};
use vigie_event::flatten_evtx_json;

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
    for rec in parser.records_json_value() {
        match rec {
            Ok(r) => match flatten_evtx_json(&r.data) {
                Some(mut ev) => {
                    // EventRecordID from the record itself; the header's number only when the
                    // record has none (exported logs renumber the headers).
                    if ev.get("EventRecordID").is_none() {
                        ev.record_id = r.event_record_id;
                    }
                    last_id = Some(r.event_record_id);
                    sink(Item::Event(source, ev));
                }
                None => sink(Item::Error(DecodeError::new(
                    source,
                    Some(format!("record {}", r.event_record_id)),
                    "the record has no Event/System section; skipped",
                ))),
            },
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
