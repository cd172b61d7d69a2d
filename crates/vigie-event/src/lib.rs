//! The event model: one log record as a flat list of named, typed fields.
//!
//! Decoders turn EVTX records, JSON objects and other formats into [`Event`]s; the rule
//! engine reads them through [`Event::get`]. Nested JSON keys are flattened into dotted
//! paths (`process.parent.executable`); Windows EventData / UserData values appear under
//! their own names. This crate knows no files, formats or rules.

mod event;
mod evtx_text;
mod flatten;
mod flatten_bytes;
mod flatten_lines;
mod shape;
mod value;

pub use event::{Event, Field, Name};
pub use evtx_text::{evtx_event_numbered, flatten_evtx_text};
pub use flatten::{clean as field_name, flatten_evtx_json, flatten_json_object, parse_timestamp};
pub use flatten_bytes::flatten_json_bytes;
pub use flatten_lines::{FlatLine, FlatLines};
pub use shape::{ByShape, KeyedShapes, ShapeId, ShapeMemory, Shapes};
pub use value::{ascii_prefix, fold_case, lower_ascii, push_fold_case_bytes, Str, Value};
