//! The audit itself: each package of an inventory looked up in the advisory index by
//! (ecosystem, name) (Debian and Alpine packages by their source package and its version, as
//! their advisories name source packages), each advisory's ranges evaluated by vigie-osv, one
//! finding per (package version, file, advisory); withdrawn advisories left out, advisories
//! that cannot be evaluated kept as `not_evaluated`; then KEV and EPSS looked up, the ignore
//! file applied, and the findings put in priority order.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
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

/// Audits `packages` against the index on `today` (the day ignore entries expire against),
/// on up to one thread per core (at most four) for large inventories.
pub fn audit(
    db: &VulnDb,
    packages: &[Package],
    ignore: Option<&IgnoreList>,
    today: NaiveDate,
) -> Result<AuditReport, AuditError> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    audit_on_threads(db, packages, ignore, today, cores.min(MAX_THREADS))
}

/// [`audit`] on at most `threads` threads (each given at least 256 lookups); the report is
/// the same whatever the number.
pub fn audit_on_threads(
    db: &VulnDb,
    packages: &[Package],
    ignore: Option<&IgnoreList>,
    today: NaiveDate,
    threads: usize,
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
    let priorities = Priorities {
        kev: db.kev_ids()?,
        epss: db.has_epss()?,
    };
    let mut report = AuditReport {
        packages: packages.len(),
        lookups: groups.len(),
        ..AuditReport::default()
    };
    let groups: Vec<(Key, Vec<String>)> = groups.into_iter().collect();
    let job = Job {
        priorities: &priorities,
        ignore,
        today,
    };
    // Lookups decode JSON and evaluate ranges: large inventories are cut into one run of
    // neighbouring packages per core, each with its own connection to the index. The
    // findings are sorted afterwards, so the result does not depend on the cut.
    let threads = threads
        .min(groups.len().div_ceil(MIN_GROUPS_PER_THREAD))
        .max(1);
    if threads == 1 {
        job.run(db, &groups, &mut report)?;
    } else {
        let size = groups.len().div_ceil(threads);
        let mut chunks = groups.chunks(size);
        let first = chunks.next().unwrap_or(&[]);
        let others = chunks
            .map(|c| Ok((db.reopen()?, c)))
            .collect::<Result<Vec<_>, AuditError>>()?;
        let parts = std::thread::scope(|scope| {
            let handles: Vec<_> = others
                .into_iter()
                .map(|(conn, chunk)| {
                    let job = &job;
                    scope.spawn(move || -> Result<AuditReport, AuditError> {
                        let mut part = AuditReport::default();
                        job.run(&conn, chunk, &mut part)?;
                        Ok(part)
                    })
                })
                .collect();
            let mine = job.run(db, first, &mut report);
            let mut parts: Vec<_> = handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect();
            parts.push(mine.map(|()| AuditReport::default()));
            parts
        });
        for part in parts {
            let part = part?;
            report.findings.extend(part.findings);
            report.silenced.extend(part.silenced);
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

/// Most threads [`audit`] uses.
const MAX_THREADS: usize = 4;
/// Fewest (package, file) lookups worth a thread of their own.
const MIN_GROUPS_PER_THREAD: usize = 256;

/// What every part of an audit shares.
struct Job<'a> {
    priorities: &'a Priorities,
    ignore: Option<&'a IgnoreList>,
    today: NaiveDate,
}

impl Job<'_> {
    /// Audits `groups` (package, file and installed binaries) into `report`.
    fn run(
        &self,
        db: &VulnDb,
        groups: &[(Key, Vec<String>)],
        report: &mut AuditReport,
    ) -> Result<(), AuditError> {
        let mut cache: HashMap<(&str, &str), Vec<Record>> = HashMap::new();
        for ((ecosystem, name, version, source), binaries) in groups {
            let records = match cache.entry((ecosystem.as_str(), name.as_str())) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(db.advisories_for(ecosystem, name)?),
            };
            for record in records.iter().filter(|r| !r.is_withdrawn()) {
                let (status, fixed, reason) = match affects(record, ecosystem, name, version) {
                    Verdict::NotAffected => continue,
                    Verdict::Affected { fixed } => (Status::Affected, fixed, None),
                    Verdict::NotEvaluated(why) => {
                        (Status::NotEvaluated, Vec::new(), Some(why.to_string()))
                    }
                };
                let entries: Vec<&Affected> = matching_entries(record, ecosystem, name).collect();
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
                self.priorities.apply(db, &mut finding)?;
                match self.ignore.and_then(|i| i.silencing(&finding, self.today)) {
                    Some(entry) => report.silenced.push(Silenced {
                        finding,
                        entry: entry.clone(),
                    }),
                    None => report.findings.push(finding),
                }
            }
        }
        Ok(())
    }
}

/// What is known of exploitation: the KEV catalogue's CVE ids, and whether EPSS scores
/// were imported (looked up per CVE id only then).
struct Priorities {
    kev: HashSet<String>,
    epss: bool,
}

impl Priorities {
    /// Marks KEV listing and the highest EPSS score of the finding's CVE ids.
    fn apply(&self, db: &VulnDb, f: &mut Finding) -> Result<(), AuditError> {
        let kev = f.cves().any(|c| self.kev.contains(c));
        f.kev = kev;
        if !self.epss {
            return Ok(());
        }
        let cves: Vec<String> = f.cves().map(str::to_owned).collect();
        for cve in &cves {
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
}
