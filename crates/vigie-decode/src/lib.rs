//! Log decoding: files and streams to [`vigie_event::Event`]s.
//!
//! Reads EVTX (through the `evtx` crate), JSON lines, JSON arrays and concatenated
//! (pretty-printed) JSON objects, inside `.gz`, `.zst` and `.zip` archives transparently,
//! folders recursively, and standard input. A bad record is reported as a [`DecodeError`]
//! naming the source and the place, and decoding goes on with the next one.

mod archive;
mod error;
mod evtx_reader;
mod json;
mod parts;
mod read_all;
mod walk;

pub use archive::{read_bytes, read_path, read_stdin, ReadOptions};
pub use error::DecodeError;
pub use parts::{read_part, split, Part, PART_SIZE};
pub use walk::discover;

use vigie_event::Event;

/// What a decoder hands out: an event of a named source, or a problem found there.
pub enum Item<'a> {
    Event(&'a str, Event),
    Error(DecodeError),
}
