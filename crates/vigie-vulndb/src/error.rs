//! The errors of the index: each names the file, folder or address it concerns and why.

use std::path::PathBuf;

use thiserror::Error;

/// Why an index operation failed as a whole (a bad record is not this: it is listed in the
/// import report and the rest imports).
#[derive(Debug, Error)]
pub enum DbError {
    /// The index file could not be opened or created.
    #[error("cannot open the advisory index {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    /// The index was written by a newer Vigie.
    #[error(
        "the advisory index {path} has schema version {found}; this Vigie knows up to {known}"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
    /// A query or a write failed.
    #[error("advisory index {path}: {what}: {source}")]
    Sql {
        path: PathBuf,
        what: &'static str,
        source: rusqlite::Error,
    },
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The import source is neither a folder, a zip archive nor an OSV record file.
    #[error("{path}: {reason}")]
    Source { path: PathBuf, reason: String },
    /// A download failed.
    #[error("cannot download {url}: {message}")]
    Download { url: String, message: String },
}

impl DbError {
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> DbError + '_ {
        move |source| DbError::Io {
            path: path.to_owned(),
            source,
        }
    }
}
