//! Why a file is not an OSV record: the file it came from and the reason, typed.

use thiserror::Error;

/// A file that could not be read as an OSV record.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}: {reason}")]
pub struct OsvError {
    /// Where the record came from (a path, or `archive.zip!member`).
    pub file: String,
    /// What is wrong with it.
    pub reason: Reason,
}

/// What is wrong with a record file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Reason {
    /// The bytes are not UTF-8 text.
    #[error("not UTF-8 text (byte {offset})")]
    NotUtf8 {
        /// Where the first invalid byte is.
        offset: usize,
    },
    /// JSON syntax error.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// YAML syntax error.
    #[error("invalid YAML at line {line}: {message}")]
    Yaml { line: usize, message: String },
    /// The document is well-formed but holds no single record (an empty file, several YAML
    /// documents, an alias bomb).
    #[error("{0}")]
    Document(String),
    /// The document does not have the shape of an OSV record (a missing `id`, a field of the
    /// wrong type, an event with two kinds).
    #[error("not an OSV record: {0}")]
    Shape(String),
    /// The file name ends in neither `.json`, `.yaml` nor `.yml`.
    #[error("unknown record format (expected .json, .yaml or .yml)")]
    UnknownFormat,
}

impl OsvError {
    pub(crate) fn new(file: &str, reason: Reason) -> Self {
        OsvError {
            file: file.to_owned(),
            reason,
        }
    }
}
