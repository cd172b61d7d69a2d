//! Typed errors: a value that is not what its type says, a problem with one object or line of
//! an import (which skips that object only), an import that cannot start (an unreadable or
//! too large file, a format that is not what was asked), and store failures.

use std::path::PathBuf;

use crate::indicator::IndicatorType;

/// A value that cannot be normalised as its type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NormalizeError {
    #[error("empty {0} value")]
    Empty(IndicatorType),
    #[error("{value:?} is not a valid {}: {reason}", what(*.kind))]
    Invalid {
        kind: IndicatorType,
        value: String,
        reason: &'static str,
    },
    #[error("invalid STIX pattern {pattern:?}: {reason}")]
    Pattern { pattern: String, reason: String },
    #[error("cannot tell the type of {0:?}")]
    Unguessable(String),
}

/// What a value of this type is, in words.
fn what(kind: IndicatorType) -> &'static str {
    match kind {
        IndicatorType::Ipv4 => "IPv4 address",
        IndicatorType::Ipv6 => "IPv6 address",
        IndicatorType::Cidr => "IP address or network",
        IndicatorType::Domain => "domain name",
        IndicatorType::Url => "URL",
        IndicatorType::Md5 => "MD5 hash",
        IndicatorType::Sha1 => "SHA-1 hash",
        IndicatorType::Sha256 => "SHA-256 hash",
        IndicatorType::Sha512 => "SHA-512 hash",
        IndicatorType::Email => "e-mail address",
        IndicatorType::Filename => "file name",
        IndicatorType::StixPattern => "STIX pattern",
    }
}

/// One object, event or line that was not imported, and why; the rest of the file imports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {place}: {reason}")]
pub struct Problem {
    /// The file (or feed folder) it is in.
    pub file: String,
    /// The object id, `event <uuid>`, `attribute <uuid>`, `objects[3]` or `line 12`.
    pub place: String,
    pub reason: String,
}

impl Problem {
    pub fn new(file: &str, place: impl Into<String>, reason: impl Into<String>) -> Problem {
        Problem {
            file: file.to_owned(),
            place: place.into(),
            reason: reason.into(),
        }
    }
}

/// Why an import could not read a file at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is {size} bytes, more than the import limit of {limit} bytes")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path} is not JSON: {reason}")]
    NotJson { path: PathBuf, reason: String },
    #[error("{path} is not STIX: {reason}")]
    NotStix { path: PathBuf, reason: String },
    #[error("{path} is not a MISP event: {reason}")]
    NotMisp { path: PathBuf, reason: String },
    #[error("{path} is not a MISP feed: {reason}")]
    NotFeed { path: PathBuf, reason: String },
    #[error("{path} is not text: {reason}")]
    NotText { path: PathBuf, reason: String },
    #[error("{path}: {reason}")]
    Csv { path: PathBuf, reason: String },
    #[error("{path}: no column named {column:?} (the header has: {header})")]
    UnknownColumn {
        path: PathBuf,
        column: String,
        header: String,
    },
    #[error("{path}: nothing to import here (no .json files)")]
    Empty { path: PathBuf },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The store cannot be opened, migrated, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the store folder {path}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the intel store {path}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the intel store {path} has schema version {found}, newer than this Vigie knows ({supported}); use a newer Vigie")]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("intel store {path}: SQLite failed")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("intel store {path}: unknown source {name:?}")]
    UnknownSource { path: PathBuf, name: String },
}
