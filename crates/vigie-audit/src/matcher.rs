//! The audit itself: each package of an inventory looked up in the advisory index by
//! (ecosystem, name) (Debian and Alpine packages by their source package and its version, as
//! their advisories name source packages), each advisory's ranges evaluated by vigie-osv, one
//! finding per (package version, file, advisory); withdrawn advisories left out, advisories
//! that cannot be evaluated kept as `not_evaluated`; then KEV and EPSS looked up, the ignore
//! file applied, and the findings put in priority order.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::NaiveDate;
use vigie_inventory::Package;
use vigie_osv::{affects, matching_entries, Affected, Record, Verdict};
use vigie_vulndb::VulnDb;

use crate::error::AuditError;
use crate::finding::{priority_order, Epss, Finding, Status};
use crate::ignore::{IgnoreEntry, IgnoreList};
use crate::severity::severity_of;

/// A finding an ignore entry silenced.
#[derive(Debug, Clone, PartialEq)]
pub struct Silenced {
    pub finding: Finding,
    pub entry: IgnoreEntry,
}

/// What an audit found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditReport {
    /// Packages audited (inventory entries).
    pub packages: usize,
    /// Distinct (ecosystem, name, version, file) looked up.
    pub lookups: usize,
    /// Findings, affected and not evaluated, in priority order ([`priority_order`]).
    pub findings: Vec<Finding>,
    /// Findings an ignore entry silenced, in the same order.
    pub silenced: Vec<Silenced>,
    /// Ignore entries whose date has come: they silence nothing any more.
    pub expired: Vec<IgnoreEntry>,
}

/// The name and version advisories use for a package: the source package for OS packages
/// that have one (Debian `Source:`, Alpine origin).
fn advisory_name(p: &Package) -> (&str, &str) {
    match &p.source_package {
        Some(src) => (src, p.source_version.as_deref().unwrap_or(&p.version)),
        None => (&p.name, &p.version),
    }
}

type Key = (String, String, String, PathBuf);

/// Audits `packages` against the index on `today` (the day ignore entries expire against).
pub fn audit(
    db: &VulnDb,
    packages: &[Package],
    ignore: Option<&IgnoreList>,
    today: NaiveDate,
) -> Result<AuditReport, AuditError> {
    let mut groups: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for p in packages {
        let (name, version) = advisory_name(p);
        let key = (
            p.ecosystem.clone(),
            name.to_owned(),
            version.to_owned(),
            p.source.clone(),
        );
        let binaries = groups.entry(key).or_default();
        if p.source_package.is_some() && !binaries.contains(&p.name) {
            binaries.push(p.name.clone());
        }
    }
    let mut cache: HashMap<(String, String), Vec<Record>> = HashMap::new();
    let mut report = AuditReport {
        packages: packages.len(),
        lookups: groups.len(),
        ..AuditReport::default()
    };
    for ((ecosystem, name, version, source), binaries) in groups {
        let cache_key = (ecosystem.clone(), name.clone());
        if !cache.contains_key(&cache_key) {
            let records = db.advisories_for(&ecosystem, &name)?;
            cache.insert(cache_key.clone(), records);
        }
        let records = cache.get(&cache_key).map_or(&[][..], Vec::as_slice);
        for record in records.iter().filter(|r| !r.is_withdrawn()) {
            let (status, fixed, reason) = match affects(record, &ecosystem, &name, &version) {
                Verdict::NotAffected => continue,
                Verdict::Affected { fixed } => (Status::Affected, fixed, None),
                Verdict::NotEvaluated(why) => {
                    (Status::NotEvaluated, Vec::new(), Some(why.to_string()))
                }
            };
            let entries: Vec<&Affected> = matching_entries(record, &ecosystem, &name).collect();
            let mut finding = Finding {
                ecosystem: ecosystem.clone(),
                package: name.clone(),
                version: version.clone(),
                binaries: binaries.clone(),
                advisory_id: record.id.clone(),
                aliases: record.aliases.clone(),
                summary: record.summary.clone(),
                severity: severity_of(record, &entries),
                fixed_versions: fixed,
                source: source.clone(),
                status,
                reason,
                kev: false,
                epss: None,
            };
            prioritise(db, &mut finding)?;
            match ignore.and_then(|i| i.silencing(&finding, today)) {
                Some(entry) => report.silenced.push(Silenced {
                    finding,
                    entry: entry.clone(),
                }),
                None => report.findings.push(finding),
            }
        }
    }
    report.findings.sort_by(priority_order);
    report
        .silenced
        .sort_by(|a, b| priority_order(&a.finding, &b.finding));
    if let Some(i) = ignore {
        report.expired = i.expired(today).cloned().collect();
    }
    Ok(report)
}

/// KEV listing and the highest EPSS score of the finding's CVE ids.
fn prioritise(db: &VulnDb, f: &mut Finding) -> Result<(), AuditError> {
    let cves: Vec<String> = f.cves().map(str::to_owned).collect();
    for cve in &cves {
        f.kev |= db.kev(cve)?.is_some();
        if let Some(e) = db.epss(cve)? {
            if f.epss.is_none_or(|old| e.score > old.score) {
                f.epss = Some(Epss {
                    score: e.score,
                    percentile: e.percentile,
                });
            }
        }
    }
    Ok(())
}
