//! The audit's promises on the fixtures of `tests/fixtures/audit/` (advisories, a Debian root
//! and lockfiles written for these tests, imported into a fresh index): Debian packages
//! matched through their source package and its version, withdrawn and other-release
//! advisories left out, GIT-only advisories reported as not evaluated, fixes smallest first,
//! severities from the highest CVSS version, KEV and EPSS, the ignore file (silencing,
//! package overrides, expiry), the priority order, and the run history.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use vigie_audit::{
    audit, audit_on_threads, meets, AuditReport, Finding, IgnoreList, RunInfo, RunStore, Status,
};
use vigie_cvss::Severity;
use vigie_inventory::Inventory;
use vigie_vulndb::VulnDb;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/audit")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A fresh index of the fixture advisories, KEV catalogue and EPSS scores.
fn index(dir: &Path) -> VulnDb {
    let f = fixtures();
    let mut db = VulnDb::open(dir).expect("open");
    let r = db.import(&f.join("advisories")).expect("import");
    assert_eq!((r.added, r.errors.len()), (12, 1), "{:?}", r.errors);
    db.import_kev(&f.join("kev.json")).expect("kev");
    db.import_epss(&f.join("epss.csv")).expect("epss");
    db
}

fn inventory() -> Inventory {
    let f = fixtures();
    let mut inv = Inventory::default();
    inv.add_root(&f.join("root"));
    inv.add_path(&f.join("project"));
    inv
}

fn run(today: &str) -> AuditReport {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = index(tmp.path());
    let ignore = IgnoreList::load(&fixtures().join("osv-scanner.toml")).expect("ignore file");
    audit(&db, &inventory().packages, Some(&ignore), day(today)).expect("audit")
}

fn find<'a>(r: &'a AuditReport, id: &str) -> &'a Finding {
    r.findings
        .iter()
        .find(|f| f.advisory_id == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

#[test]
fn findings_in_priority_order() {
    let r = run("2026-11-29");
    let ids: Vec<(&str, &Status)> = r
        .findings
        .iter()
        .map(|f| (f.advisory_id.as_str(), &f.status))
        .collect();
    // KEV first (Critical before Medium), then by severity, then EPSS; not evaluated last.
    // Withdrawn (0006), not affected (0008), other release (0009) and silenced (0005,
    // 0011) are absent.
    assert_eq!(
        ids,
        [
            ("VIGIE-2099-0003", &Status::Affected),
            ("VIGIE-2099-0002", &Status::Affected),
            ("VIGIE-2099-0001", &Status::Affected),
            ("VIGIE-2099-0007", &Status::Affected),
            ("VIGIE-2099-0010", &Status::Affected),
            ("VIGIE-2099-0012", &Status::Affected),
            ("VIGIE-2099-0004", &Status::NotEvaluated),
        ]
    );
    assert_eq!(r.packages, 12);
}

#[test]
fn debian_packages_match_by_source_package() {
    let r = run("2026-11-29");
    let openssl = find(&r, "VIGIE-2099-0003");
    assert_eq!(
        (openssl.ecosystem.as_str(), openssl.package.as_str()),
        ("Debian:12", "openssl")
    );
    assert_eq!(openssl.binaries, ["libssl3:amd64", "openssl"]);
    assert_eq!(openssl.fixed_versions, ["3.0.13-1~deb12u1"]);
    // `Source: expat (2.5.0-1)`: the source version is evaluated, not the binary's +b1.
    let expat = find(&r, "VIGIE-2099-0010");
    assert_eq!(
        (expat.package.as_str(), expat.version.as_str()),
        ("expat", "2.5.0-1")
    );
    assert_eq!(expat.binaries, ["libexpat1:amd64"]);
    assert!(expat.source.ends_with("root/var/lib/dpkg/status"));
}

#[test]
fn severity_fixes_and_priority() {
    let r = run("2026-11-29");
    let openssl = find(&r, "VIGIE-2099-0003");
    let s = openssl.severity.as_ref().expect("severity");
    // The v4 vector wins over the (lower) v3 one.
    assert_eq!(
        (s.from.as_str(), s.score, s.severity),
        ("CVSS_V4", Some(9.3), Severity::Critical)
    );
    assert!(openssl.kev);
    assert_eq!(openssl.epss.map(|e| e.score), Some(0.941));

    let jinja = find(&r, "VIGIE-2099-0002");
    assert_eq!(jinja.fixed_versions, ["2.11.3", "3.1.3"]);
    let s = jinja.severity.as_ref().expect("severity");
    assert_eq!(
        (s.from.as_str(), s.score, s.severity),
        ("database_specific", None, Severity::Medium)
    );
    assert_eq!(jinja.aliases, ["CVE-2099-0002", "GHSA-vigi-0002-test"]);

    let minimist = find(&r, "VIGIE-2099-0007");
    let s = minimist.severity.as_ref().expect("severity");
    assert_eq!((s.score, s.severity), (Some(7.5), Severity::High));

    let text = find(&r, "VIGIE-2099-0012");
    assert_eq!(text.severity, None);
    assert!(
        !meets(text, Severity::None),
        "no severity meets no threshold"
    );
    assert!(meets(minimist, Severity::High));
    assert!(!meets(find(&r, "VIGIE-2099-0010"), Severity::High));

    let git = find(&r, "VIGIE-2099-0004");
    assert!(
        git.reason.as_deref().unwrap_or("").contains("GIT"),
        "{git:?}"
    );
    assert!(!meets(git, Severity::None));
}

#[test]
fn ignore_entries_silence_until_they_expire() {
    let r = run("2026-11-29");
    let silenced: Vec<(&str, Option<&str>)> = r
        .silenced
        .iter()
        .map(|s| (s.finding.advisory_id.as_str(), s.entry.reason.as_deref()))
        .collect();
    assert_eq!(
        silenced,
        [
            ("VIGIE-2099-0011", Some("reviewed: not reachable")),
            ("VIGIE-2099-0005", Some("lodash is only used at build time")),
        ]
    );
    // The minimist entry (by alias) expired in 2020: it no longer silences, and says so.
    let expired: Vec<usize> = r.expired.iter().map(|e| e.line).collect();
    assert_eq!(expired, [8]);

    // On the day the lodash entry expires, lodash is reported again.
    let later = run("2999-01-01");
    assert!(later
        .findings
        .iter()
        .any(|f| f.advisory_id == "VIGIE-2099-0005"));
    assert_eq!(later.expired.len(), 2);
    assert_eq!(later.silenced.len(), 1);
}

#[test]
fn without_ignore_file_everything_is_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = index(tmp.path());
    let r = audit(&db, &inventory().packages, None, day("2026-11-29")).expect("audit");
    assert_eq!(r.findings.len(), 9);
    assert!(r.silenced.is_empty() && r.expired.is_empty());
}

#[test]
fn runs_are_stored_with_their_findings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = run("2026-11-29");
    let info = RunInfo {
        started_at: "2026-11-29T10:00:00Z".into(),
        host: "test-host".into(),
        root: Some(PathBuf::from("/srv/root")),
        paths: vec![PathBuf::from("project")],
    };
    let mut store = RunStore::open(tmp.path()).expect("store");
    let first = store.record(&info, &r).expect("record");
    let second = store.record(&info, &r).expect("record");
    assert_ne!(first, second);
    drop(store);
    let store = RunStore::open(tmp.path()).expect("reopen");
    let runs = store.runs().expect("runs");
    assert_eq!(runs.len(), 2);
    assert_eq!(
        (
            runs[0].packages,
            runs[0].affected,
            runs[0].not_evaluated,
            runs[0].silenced
        ),
        (12, 6, 1, 2)
    );
    assert_eq!(runs[0].root.as_deref(), Some("/srv/root"));
    let stored = store.findings(first).expect("findings");
    let ids: Vec<&str> = stored.iter().map(|f| f.advisory_id.as_str()).collect();
    let reported: Vec<&str> = r.findings.iter().map(|f| f.advisory_id.as_str()).collect();
    assert_eq!(ids, reported);
    assert_eq!(stored[0].severity.as_deref(), Some("Critical"));
    assert!(stored[0].kev);
    assert_eq!(stored[1].fixed, ["2.11.3", "3.1.3"]);

    // A history written by a newer Vigie is refused, not rewritten.
    drop(store);
    let conn = rusqlite::Connection::open(tmp.path().join(vigie_audit::STORE_FILE)).expect("db");
    conn.pragma_update(None, "user_version", 42).expect("bump");
    drop(conn);
    let err = RunStore::open(tmp.path())
        .err()
        .expect("too new")
        .to_string();
    assert!(err.contains("schema version 42"), "{err}");
}

#[test]
fn threads_change_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = index(tmp.path());
    let ignore = IgnoreList::load(&fixtures().join("osv-scanner.toml")).expect("ignore file");
    // 100 copies of the fixture inventory, each from its own file: 1,200 packages, enough
    // lookups for four threads.
    let base = inventory().packages;
    let mut packages = Vec::new();
    for i in 0..100 {
        for p in &base {
            let mut p = p.clone();
            p.source = PathBuf::from(format!("/copy-{i:03}{}", p.source.display()));
            packages.push(p);
        }
    }
    let today = day("2026-11-29");
    let one = audit_on_threads(&db, &packages, Some(&ignore), today, 1).expect("audit");
    let four = audit_on_threads(&db, &packages, Some(&ignore), today, 4).expect("audit");
    assert_eq!(one.findings.len(), 700);
    assert_eq!(one.silenced.len(), 200);
    assert_eq!(one, four);
}
