//! OSV advisories: a model of OSV records (schema 1.x) read from JSON or YAML, tolerant of
//! unknown fields, with typed errors naming the file and the reason; and range evaluation
//! exactly as the OSV schema specifies it, over vigie-version's per-ecosystem version orders.
//! This crate knows no files, sockets or databases: it takes bytes and a name for messages.
//!
//! ```
//! use vigie_osv::{affects, parse_file, Verdict};
//!
//! let json = br#"{"id": "X-1", "modified": "2024-01-01T00:00:00Z",
//!   "affected": [{"package": {"ecosystem": "PyPI", "name": "Django"},
//!     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.2.1"}]}]}]}"#;
//! let record = parse_file("X-1.json", json).expect("a record");
//! assert_eq!(
//!     affects(&record, "PyPI", "django", "4.2"),
//!     Verdict::Affected { fixed: vec!["4.2.1".into()] }
//! );
//! assert_eq!(affects(&record, "PyPI", "django", "4.2.1"), Verdict::NotAffected);
//! ```

mod ecosystem;
mod error;
mod evaluate;
mod parse;
mod record;
mod verdict;
mod yaml;

pub use ecosystem::{base, ecosystem_key, ecosystem_matches, package_key, scheme_for};
pub use error::{OsvError, Reason};
pub use evaluate::{affects, matching_entries, range_verdict, ranges_verdict};
pub use parse::{parse, parse_file, parse_value, record_from_value, Format};
pub use record::{Affected, Credit, Event, Package, Range, RangeKind, Record, Reference, Severity};
pub use verdict::{NotEvaluated, Verdict};

/// Reads a record from JSON text (as an index stores it); `file` names it in errors.
pub fn parse_json_str(file: &str, text: &str) -> Result<Record, OsvError> {
    serde_json::from_str(text).map_err(|e| OsvError {
        file: file.to_owned(),
        reason: Reason::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        },
    })
}
