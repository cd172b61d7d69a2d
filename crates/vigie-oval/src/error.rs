//! Typed errors: what could not be read or evaluated, naming the file, the line and the OVAL
//! id of the offending element.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum OvalError {
    /// The file is not well-formed XML; nothing in it can be used.
    #[error("{file}:{line}: not well-formed XML: {reason}")]
    Xml {
        file: String,
        line: u32,
        reason: String,
    },
    /// The XML holds no OVAL definitions document (neither at its root nor as a data-stream
    /// component).
    #[error("{file}: no OVAL definitions found (expected oval_definitions, or a SCAP source data stream with an OVAL component)")]
    NotOval { file: String },
    /// One element is malformed; it is left out (tests using it give "error") and the rest
    /// is evaluated.
    #[error("{file}:{line}: {id}: {reason}")]
    Element {
        file: String,
        line: u32,
        id: String,
        reason: String,
    },
    /// A reference to an id the document does not define, or an evaluation that failed for an
    /// element; the definitions using it give "error".
    #[error("{file}: {id}: {reason}")]
    Reference {
        file: String,
        id: String,
        reason: String,
    },
}
