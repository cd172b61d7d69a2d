//! The errors of an audit: each names the file (and line) or the index it concerns, and why.

use std::path::PathBuf;

use thiserror::Error;

/// Why an audit step failed as a whole.
#[derive(Debug, Error)]
pub enum AuditError {
    /// The advisory index could not be read.
    #[error(transparent)]
    Db(#[from] vigie_vulndb::DbError),
    /// The ignore file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The ignore file is not what osv-scanner's `osv-scanner.toml` format allows.
    #[error("{}: line {line}: {reason}", path.display())]
    Ignore {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    /// The run history could not be opened, migrated or written.
    #[error("run history {}: {what}: {source}", path.display())]
    Store {
        path: PathBuf,
        what: &'static str,
        source: rusqlite::Error,
    },
    /// The run history was written by a newer Vigie.
    #[error("the run history {} has schema version {found}; this Vigie knows up to {known}", path.display())]
    StoreTooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    /// Output could not be written.
    #[error("cannot write the report: {0}")]
    Write(#[from] std::io::Error),
}
