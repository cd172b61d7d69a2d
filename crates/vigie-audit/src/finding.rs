//! A finding: one advisory against one package version of one file, with its severity, the
//! versions that fix it and its exploitation priority; and the order findings are shown in.

use std::cmp::Ordering;
use std::path::PathBuf;

use serde::Serialize;

/// Whether the advisory was found to affect the version, or could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Affected,
    /// The advisory's ranges could not be evaluated for this version (GIT-only ranges, a
    /// version the ecosystem's order cannot read, ...): reported, never dropped.
    NotEvaluated,
}

/// How severe an advisory is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityInfo {
    /// The CVSS base score (None when only a severity word was given).
    pub score: Option<f64>,
    /// The CVSS vector the score comes from.
    pub vector: Option<String>,
    /// None, Low, Medium, High or Critical.
    #[serde(serialize_with = "rating_name")]
    pub severity: vigie_cvss::Severity,
    /// Where it comes from: `CVSS_V4`, `CVSS_V3`, `CVSS_V2`, or `database_specific`.
    pub from: String,
}

fn rating_name<S: serde::Serializer>(r: &vigie_cvss::Severity, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.as_str())
}

/// An EPSS score of one of the advisory's CVE ids.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Epss {
    pub score: f64,
    pub percentile: f64,
}

/// One advisory against one package version found in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// OSV ecosystem of the package (with its release: `Debian:12`).
    pub ecosystem: String,
    /// The package as advisories name it: the source package for Debian and Alpine packages.
    pub package: String,
    /// The version evaluated (the source package's version for Debian and Alpine).
    pub version: String,
    /// The installed binary packages built from `package` (OS packages; empty otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub binaries: Vec<String>,
    pub advisory_id: String,
    /// The advisory's aliases (CVE, GHSA ids).
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// None when the advisory gives neither a CVSS vector nor a severity word.
    pub severity: Option<SeverityInfo>,
    /// The versions that fix it, smallest first: the first is the smallest upgrade.
    pub fixed_versions: Vec<String>,
    /// The file the package came from.
    pub source: PathBuf,
    pub status: Status,
    /// Why the advisory could not be evaluated (status `not_evaluated`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether CISA's KEV catalogue lists one of its CVE ids as exploited.
    pub kev: bool,
    /// The highest EPSS score of its CVE ids, when EPSS scores were imported.
    pub epss: Option<Epss>,
}

impl Finding {
    /// The advisory's id and aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.advisory_id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// The CVE ids among the id and aliases.
    pub fn cves(&self) -> impl Iterator<Item = &str> {
        self.ids().filter(|i| i.starts_with("CVE-"))
    }

    /// The severity rating, if any.
    pub fn rating(&self) -> Option<vigie_cvss::Severity> {
        self.severity.as_ref().map(|s| s.severity)
    }
}

/// The order findings are reported in: affected before not evaluated, then exploited (KEV)
/// first, then by severity (rating, then score), then by EPSS score, then by ecosystem,
/// package, version, file and advisory id.
pub fn priority_order(a: &Finding, b: &Finding) -> Ordering {
    let score = |f: &Finding| f.severity.as_ref().and_then(|s| s.score).unwrap_or(-1.0);
    let epss = |f: &Finding| f.epss.map_or(-1.0, |e| e.score);
    (a.status == Status::NotEvaluated)
        .cmp(&(b.status == Status::NotEvaluated))
        .then(b.kev.cmp(&a.kev))
        .then(b.rating().cmp(&a.rating()))
        .then(score(b).total_cmp(&score(a)))
        .then(epss(b).total_cmp(&epss(a)))
        .then_with(|| {
            (
                &a.ecosystem,
                &a.package,
                &a.version,
                &a.source,
                &a.advisory_id,
            )
                .cmp(&(
                    &b.ecosystem,
                    &b.package,
                    &b.version,
                    &b.source,
                    &b.advisory_id,
                ))
        })
}
