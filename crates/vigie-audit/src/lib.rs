//! Vulnerability audit: a software inventory (vigie-inventory) matched against the advisory
//! index (vigie-vulndb), versions decided by vigie-osv's range evaluation, severities scored
//! by vigie-cvss, exploitation priority from the KEV catalogue and EPSS scores; one finding per
//! (package version, file, advisory), ignore files in osv-scanner's format, the report formats
//! (table, JSON lines, SARIF 2.1.0) and the history of runs.
//!
//! This crate knows no terminal and no argument: it takes an open index, packages and a date,
//! and writes to `io::Write`.

mod error;
mod finding;
pub mod format;
mod ignore;
mod matcher;
mod severity;
mod store;

pub use error::AuditError;
pub use finding::{priority_order, Epss, Finding, SeverityInfo, Status};
pub use ignore::{IgnoreEntry, IgnoreList};
pub use matcher::{audit, audit_on_threads, AuditReport, Silenced};
pub use severity::severity_of;
pub use store::{RunInfo, RunStore, RunSummary, StoredFinding, STORE_FILE};

/// Whether a finding meets a `--fail-on` threshold: affected, with a rating at or above it.
/// Findings without any severity meet no threshold ([`meets_any`] counts them).
pub fn meets(finding: &Finding, threshold: vigie_cvss::Severity) -> bool {
    finding.status == Status::Affected && finding.rating().is_some_and(|r| r >= threshold)
}

/// Whether a finding is affected at all (`--fail-on any`).
pub fn meets_any(finding: &Finding) -> bool {
    finding.status == Status::Affected
}
