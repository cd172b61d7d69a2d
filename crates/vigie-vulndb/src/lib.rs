//! The advisory index: OSV advisories imported from folders, zip archives (osv.dev's bulk
//! per-ecosystem `all.zip`) and OSV YAML into one SQLite file, `DIR/vulndb.sqlite`, indexed by
//! (ecosystem, package). Imports are incremental (a record is rewritten only when its content
//! hash changes, and never by an older `modified`), logged with their source and times, and
//! need no network; `update` downloads osv.dev's exports first. Schema changes are migrations
//! counted by SQLite's `user_version`. Beside the advisories, the CISA KEV catalogue and EPSS
//! scores, looked up by CVE id, order findings.
//!
//! This crate knows files, SQLite and HTTP downloads; it knows no terminal (progress is a
//! trait) and evaluates no versions (vigie-osv does).

mod canonical;
mod db;
mod error;
mod import;
mod priority;
mod schema;
mod source;
mod update;

pub use canonical::{canonical_json, content_hash};
pub use db::{EcosystemStats, ImportInfo, PrioritySource, Stats, VulnDb, DB_FILE};
pub use error::DbError;
pub use import::ImportReport;
pub use priority::{sniff, EpssScore, KevEntry, PriorityKind, PriorityReport};
pub use update::{export_url, Progress, DEFAULT_BASE};
