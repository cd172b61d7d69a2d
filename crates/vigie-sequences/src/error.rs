//! Typed errors of this crate: a model file that cannot be read back.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SequenceError {
    /// The model's JSON cannot be read; `line` and `column` are 1-based (0 when unknown).
    #[error("sequence model {name}: line {line}, column {column}: {reason}")]
    BadModel {
        name: String,
        line: usize,
        column: usize,
        reason: String,
    },
}
