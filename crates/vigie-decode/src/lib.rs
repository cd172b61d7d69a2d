//! Log decoding: files and streams to [`vigie_event::Event`]s.
//!
//! Reads EVTX (its records through each template's compiled plan straight to fields, the
//! `evtx` crate's JSON for other shapes), JSON lines, JSON arrays and concatenated
//! (pretty-printed) JSON objects, inside `.gz`, `.zst` and `.zip` archives transparently,
//! folders recursively, and standard input. A bad record is reported as a [`DecodeError`]
//! naming the source and the place, and decoding goes on with the next one.

mod archive;
mod binxml_skeleton;
mod binxml_template;
mod binxml_value;
mod error;
mod evtx_fast;
mod evtx_reader;
mod json;
mod parts;
mod read_all;
#[cfg(test)]
mod test_corpus;
mod time_field;
mod walk;

pub use archive::{read_bytes, read_path, read_stdin, ReadOptions};
pub use error::DecodeError;
#[doc(hidden)]
pub use evtx_reader::read_evtx_chunk_bytes;
pub use parts::{read_part, split, Part, PART_SIZE};
pub use walk::discover;

use vigie_event::Event;

/// What a decoder hands out: an event of a named source, or a problem found there.
pub enum Item<'a> {
    Event(&'a str, Event),
    Error(DecodeError),
}
