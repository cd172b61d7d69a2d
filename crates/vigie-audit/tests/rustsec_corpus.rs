//! The audit against RustSec's own statement of who is affected: every advisory of the
//! corpus's RustSec database in its native format (`main/crates/*/RUSTSEC-*.md`: TOML with
//! `patched` and `unaffected` semver requirements, read with Cargo's semantics by the `semver`
//! crate) says, for each version its requirements name (and 0.0.0), whether that version is
//! affected; the audit of those crate versions against the index of the corpus's OSV export of
//! the same database must find exactly the affected ones. Disagreements that cannot pass are
//! listed with their reason in `rustsec-expected-disagreements.tsv`; a listed one that passes
//! fails the test too. Withdrawn advisories are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use semver::{Version, VersionReq};
use vigie_audit::{audit, Status};
use vigie_inventory::Package;
use vigie_vulndb::VulnDb;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    let rustsec = dir.join("vuln/rustsec-advisory-db");
    if rustsec.is_dir() {
        Some(rustsec)
    } else {
        eprintln!(
            "SKIPPED rustsec_corpus: corpus not found at {} (set VIGIE_CORPUS)",
            dir.display()
        );
        None
    }
}

/// One advisory as RustSec writes it.
struct Advisory {
    id: String,
    package: String,
    reqs: Vec<VersionReq>,
}

/// The TOML front matter of a RustSec advisory file.
fn front_matter(text: &str) -> Option<&str> {
    let start = text.find("```toml")? + "```toml".len();
    let end = start + text[start..].find("```")?;
    Some(&text[start..end])
}

fn read_advisory(path: &Path) -> Result<Option<Advisory>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let toml_text = front_matter(&text).ok_or("no ```toml block")?;
    let doc: toml::Table = toml::from_str(toml_text).map_err(|e| e.to_string())?;
    let adv = doc
        .get("advisory")
        .and_then(|a| a.as_table())
        .ok_or("no [advisory]")?;
    if adv.contains_key("withdrawn") {
        return Ok(None);
    }
    let field = |k: &str| adv.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    let (Some(id), Some(package)) = (field("id"), field("package")) else {
        return Err("no id or package".into());
    };
    let mut reqs = Vec::new();
    let versions = doc.get("versions").and_then(|v| v.as_table());
    for key in ["patched", "unaffected"] {
        let list = versions
            .and_then(|v| v.get(key))
            .and_then(|l| l.as_array())
            .cloned()
            .unwrap_or_default();
        for r in list {
            let r = r.as_str().ok_or("a requirement is not a string")?;
            reqs.push(VersionReq::parse(r).map_err(|e| format!("{r:?}: {e}"))?);
        }
    }
    Ok(Some(Advisory { id, package, reqs }))
}

/// The versions a requirement names, completed to x.y.z, and 0.0.0.
fn candidates(reqs: &[VersionReq]) -> BTreeSet<Version> {
    let mut out = BTreeSet::from([Version::new(0, 0, 0)]);
    for c in reqs.iter().flat_map(|r| &r.comparators) {
        let mut v = Version::new(c.major, c.minor.unwrap_or(0), c.patch.unwrap_or(0));
        v.pre = c.pre.clone();
        out.insert(v);
    }
    out
}

fn expected_disagreements() -> BTreeMap<(String, String), String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rustsec-expected-disagreements.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cells = l.splitn(3, '\t');
            Some((
                (cells.next()?.to_owned(), cells.next()?.to_owned()),
                cells.next().unwrap_or("").to_owned(),
            ))
        })
        .collect()
}

#[test]
fn audit_agrees_with_rustsec_requirements() {
    let Some(rustsec) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut db = VulnDb::open(tmp.path()).expect("open");
    let r = db.import(&rustsec.join("osv")).expect("import");
    assert!(r.errors.is_empty(), "{:?}", r.errors);

    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![rustsec.join("main/crates")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() > 1000, "{} advisory files", files.len());

    // Truth per (advisory, version), and the inventory that asks the same question.
    let mut truth: BTreeMap<(String, String), bool> = BTreeMap::new();
    let mut packages = Vec::new();
    let mut unreadable = Vec::new();
    for f in &files {
        let adv = match read_advisory(f) {
            Ok(Some(a)) => a,
            Ok(None) => continue,
            Err(e) => {
                unreadable.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        for v in candidates(&adv.reqs) {
            let affected = !adv.reqs.iter().any(|r| r.matches(&v));
            let version = v.to_string();
            truth.insert((adv.id.clone(), version.clone()), affected);
            // One lockfile per (advisory, version), so that findings map back to questions.
            let source = PathBuf::from(format!("{}/{version}/Cargo.lock", adv.id));
            packages.push(Package::new("crates.io", &adv.package, &version, &source));
        }
    }
    assert!(unreadable.is_empty(), "{unreadable:#?}");
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
    let report = audit(&db, &packages, None, today).expect("audit");
    let mut found: BTreeSet<(String, String)> = BTreeSet::new();
    let mut not_evaluated = Vec::new();
    for f in &report.findings {
        let asked = f
            .source
            .to_string_lossy()
            .starts_with(&format!("{}/", f.advisory_id));
        if !asked {
            continue;
        }
        match f.status {
            Status::Affected => {
                found.insert((f.advisory_id.clone(), f.version.clone()));
            }
            Status::NotEvaluated => not_evaluated.push((f.advisory_id.clone(), f.version.clone())),
        }
    }
    let expected = expected_disagreements();
    let mut unexpected = Vec::new();
    let mut listed_but_agree = Vec::new();
    let mut agree = 0;
    for ((id, version), affected) in &truth {
        let key = (id.clone(), version.clone());
        let vigie = found.contains(&key);
        let disagrees = vigie != *affected || not_evaluated.contains(&key);
        match (disagrees, expected.contains_key(&key)) {
            (true, false) => unexpected.push(format!(
                "{id}\t{version}\tRustSec says {}, Vigie {}",
                if *affected {
                    "affected"
                } else {
                    "not affected"
                },
                if not_evaluated.contains(&key) {
                    "not evaluated"
                } else if vigie {
                    "affected"
                } else {
                    "not affected"
                }
            )),
            (false, true) => listed_but_agree.push(format!("{id}\t{version}")),
            (false, false) => agree += 1,
            (true, true) => {}
        }
    }
    let affected = truth.values().filter(|a| **a).count();
    eprintln!(
        "rustsec_corpus: {} advisory files, {} (advisory, version) questions ({affected} affected \
         by RustSec's requirements, {} found affected by the audit), {agree} agree, {} listed \
         disagreements",
        files.len(),
        truth.len(),
        found.len(),
        expected.len()
    );
    // Both answers must be asked often, or agreement would say little.
    assert!(
        affected > 500 && truth.len() - affected > 500,
        "{affected} of {}",
        truth.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} unlisted disagreements:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(
        listed_but_agree.is_empty(),
        "listed in rustsec-expected-disagreements.tsv but now agreeing:\n{}",
        listed_but_agree.join("\n")
    );
}
