//! Ignore files in osv-scanner's format (`osv-scanner.toml`): `[[IgnoredVulns]]` entries
//! (`id`, optional `ignoreUntil` date, `reason`) silence an advisory, matched by its id or an
//! alias; `[[PackageOverrides]]` entries with `ignore = true` or `vulnerability.ignore = true`
//! (and `name`, `version`, `ecosystem` to match, optional `effectiveUntil`, `reason`) silence
//! every advisory of a package. As a Vigie extension an `[[IgnoredVulns]]` entry may be scoped
//! to a package with `package` and `ecosystem`. An entry whose date has come (today on or after
//! it) no longer silences anything and is listed by [`IgnoreList::expired`].

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;
use vigie_osv::{ecosystem_matches, package_key};

use crate::error::AuditError;
use crate::finding::Finding;

/// One entry of an ignore file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreEntry {
    /// The line the entry starts on.
    pub line: usize,
    /// The advisory id or alias silenced; None for a package override (every advisory).
    pub id: Option<String>,
    pub package: Option<String>,
    pub ecosystem: Option<String>,
    pub version: Option<String>,
    /// The first day it no longer silences.
    pub until: Option<NaiveDate>,
    pub reason: Option<String>,
}

impl IgnoreEntry {
    /// Whether the entry no longer silences on `today`.
    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.until.is_some_and(|u| today >= u)
    }

    /// What the entry silences, for messages: the id, the package, or both.
    pub fn describe(&self) -> String {
        let package = self.package.as_deref().map(|p| match &self.version {
            Some(v) => format!("{p} {v}"),
            None => p.to_owned(),
        });
        match (&self.id, package) {
            (Some(id), Some(p)) => format!("{id} for {p}"),
            (Some(id), None) => id.clone(),
            (None, Some(p)) => format!("every advisory of {p}"),
            (None, None) => "every advisory".into(),
        }
    }

    fn matches(&self, f: &Finding) -> bool {
        let id_ok = self
            .id
            .as_deref()
            .is_none_or(|id| f.ids().any(|i| i.eq_ignore_ascii_case(id)));
        let eco_ok = self
            .ecosystem
            .as_deref()
            .is_none_or(|e| ecosystem_matches(&f.ecosystem, e));
        let version_ok = self.version.as_deref().is_none_or(|v| v == f.version);
        let package_ok = self.package.as_deref().is_none_or(|p| {
            let key = package_key(&f.ecosystem, p);
            std::iter::once(&f.package)
                .chain(&f.binaries)
                .any(|n| package_key(&f.ecosystem, n.split(':').next().unwrap_or(n)) == key)
        });
        id_ok && eco_ok && version_ok && package_ok
    }
}

/// The entries of one ignore file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreList {
    pub file: PathBuf,
    pub entries: Vec<IgnoreEntry>,
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default, rename = "IgnoredVulns")]
    ignored: Vec<Spanned<RawIgnored>>,
    #[serde(default, rename = "PackageOverrides")]
    overrides: Vec<Spanned<RawOverride>>,
}

#[derive(Deserialize)]
struct RawIgnored {
    id: Option<String>,
    #[serde(rename = "ignoreUntil")]
    ignore_until: Option<toml::Value>,
    reason: Option<String>,
    package: Option<String>,
    ecosystem: Option<String>,
}

#[derive(Deserialize)]
struct RawOverride {
    name: Option<String>,
    version: Option<String>,
    ecosystem: Option<String>,
    #[serde(default)]
    ignore: bool,
    vulnerability: Option<RawVulnOverride>,
    #[serde(rename = "effectiveUntil")]
    effective_until: Option<toml::Value>,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct RawVulnOverride {
    #[serde(default)]
    ignore: bool,
}

fn line_of(text: &str, at: usize) -> usize {
    1 + text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

/// A date written as a TOML date, a TOML date-time, or a string holding either.
fn date(value: &toml::Value) -> Option<NaiveDate> {
    let text = match value {
        toml::Value::Datetime(d) => d.date.map(|d| format!("{d}"))?,
        toml::Value::String(s) => s.clone(),
        _ => return None,
    };
    let day = text.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

impl IgnoreList {
    /// Reads an ignore file.
    pub fn load(path: &Path) -> Result<IgnoreList, AuditError> {
        let text = std::fs::read_to_string(path).map_err(|source| AuditError::Read {
            path: path.to_owned(),
            source,
        })?;
        IgnoreList::parse(&text, path)
    }

    /// Reads the text of an ignore file; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<IgnoreList, AuditError> {
        let err = |line, reason: String| AuditError::Ignore {
            path: path.to_owned(),
            line,
            reason,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = line_of(text, e.span().map_or(0, |s| s.start));
            err(line, e.message().to_owned())
        })?;
        let until = |v: &Option<toml::Value>, key: &str, line| match v {
            None => Ok(None),
            Some(v) => date(v).map(Some).ok_or_else(|| {
                err(
                    line,
                    format!("{key} must be a date such as 2026-12-31, not {v}"),
                )
            }),
        };
        let mut entries = Vec::new();
        for s in raw.ignored {
            let line = line_of(text, s.span().start);
            let r = s.into_inner();
            let Some(id) = r.id.filter(|i| !i.trim().is_empty()) else {
                return Err(err(
                    line,
                    "an [[IgnoredVulns]] entry needs an id (the advisory id or an alias)".into(),
                ));
            };
            entries.push(IgnoreEntry {
                line,
                id: Some(id.trim().to_owned()),
                package: r.package,
                ecosystem: r.ecosystem,
                version: None,
                until: until(&r.ignore_until, "ignoreUntil", line)?,
                reason: r.reason,
            });
        }
        for s in raw.overrides {
            let line = line_of(text, s.span().start);
            let r = s.into_inner();
            if !(r.ignore || r.vulnerability.is_some_and(|v| v.ignore)) {
                continue;
            }
            if r.name.is_none() && r.ecosystem.is_none() {
                return Err(err(
                    line,
                    "a [[PackageOverrides]] entry that ignores needs a name or an ecosystem".into(),
                ));
            }
            entries.push(IgnoreEntry {
                line,
                id: None,
                package: r.name,
                ecosystem: r.ecosystem,
                version: r.version,
                until: until(&r.effective_until, "effectiveUntil", line)?,
                reason: r.reason,
            });
        }
        entries.sort_by_key(|e| e.line);
        Ok(IgnoreList {
            file: path.to_owned(),
            entries,
        })
    }

    /// The entry silencing a finding on `today`, if any (expired entries silence nothing).
    pub fn silencing(&self, finding: &Finding, today: NaiveDate) -> Option<&IgnoreEntry> {
        self.entries
            .iter()
            .find(|e| !e.is_expired(today) && e.matches(finding))
    }

    /// The entries whose date has come.
    pub fn expired(&self, today: NaiveDate) -> impl Iterator<Item = &IgnoreEntry> {
        self.entries.iter().filter(move |e| e.is_expired(today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn entries_dates_and_lines() {
        let text = r#"
[[IgnoredVulns]]
id = "GO-2022-0968"
ignoreUntil = 2022-11-09
reason = "No ssh servers"

[[IgnoredVulns]]
id = "CVE-2024-1"
ignoreUntil = "2030-01-01T00:00:00Z"

[[PackageOverrides]]
name = "lib"
ecosystem = "Go"
vulnerability.ignore = true
effectiveUntil = 2031-01-01T10:00:00Z
reason = "vendored, patched"

[[PackageOverrides]]
name = "license-only"
license.override = ["MIT"]
"#;
        let l = IgnoreList::parse(text, Path::new("osv-scanner.toml")).expect("parses");
        assert_eq!(l.entries.len(), 3);
        assert_eq!(l.entries[0].line, 2);
        assert_eq!(l.entries[0].until, Some(day("2022-11-09")));
        assert_eq!(l.entries[1].until, Some(day("2030-01-01")));
        assert_eq!(l.entries[2].id, None);
        assert_eq!(l.entries[2].until, Some(day("2031-01-01")));
        let expired: Vec<_> = l.expired(day("2026-01-01")).map(|e| e.line).collect();
        assert_eq!(expired, vec![2]);
        assert!(l.entries[0].is_expired(day("2022-11-09")));
        assert!(!l.entries[0].is_expired(day("2022-11-08")));
    }

    #[test]
    fn bad_files_name_the_line() {
        let p = Path::new("ignore.toml");
        let e = IgnoreList::parse("[[IgnoredVulns]]\nreason = \"x\"\n", p).expect_err("no id");
        assert_eq!(
            e.to_string(),
            "ignore.toml: line 1: an [[IgnoredVulns]] entry needs an id (the advisory id or an alias)"
        );
        let e = IgnoreList::parse("\n[[IgnoredVulns]]\nid = \"A\"\nignoreUntil = 12\n", p)
            .expect_err("bad date");
        assert_eq!(
            e.to_string(),
            "ignore.toml: line 2: ignoreUntil must be a date such as 2026-12-31, not 12"
        );
        let e = IgnoreList::parse("[[IgnoredVulns]\n", p).expect_err("syntax");
        assert!(e.to_string().starts_with("ignore.toml: line 1: "), "{e}");
    }
}
