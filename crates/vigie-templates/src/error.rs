//! Typed errors of this crate: bad log formats, lines a format does not match, unreadable stores.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// The `--log-format` text cannot be turned into a pattern.
    #[error("log format {format:?}: {reason}")]
    BadLogFormat { format: String, reason: String },
    /// A line the log format does not match (line numbers are 1-based).
    #[error("line {line}: does not match the log format {format:?}")]
    LineDoesNotMatch { line: u64, format: String },
    /// The store's JSON cannot be read; `place` says where (line and column, or the template id).
    #[error("template store {name}: {place}: {reason}")]
    BadStore {
        name: String,
        place: String,
        reason: String,
    },
}
