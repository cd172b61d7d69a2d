//! Typed errors of exports: the store cannot be read, an output cannot be written, a line of a
//! detections file is not a detection (that line only is skipped).

use std::path::PathBuf;

/// What stops an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read the intel store: {0}")]
    Store(#[from] vigie_intel::StoreError),
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One line of a detections file that is not a detection; the other lines go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: line {line}: {reason}")]
pub struct DetectionProblem {
    pub file: String,
    pub line: usize,
    pub reason: String,
}
