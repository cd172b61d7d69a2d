//! Helpers shared by this crate's tests and its `loghub_eval` example.

pub mod loghub;
