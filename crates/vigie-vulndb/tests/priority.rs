//! KEV and EPSS imports: the fixture files of `tests/fixtures/audit/` (written in the
//! published formats), gzipped EPSS, each import replacing the previous one, bad entries
//! listed while the rest imports, bad files refused with the index left as it was, and
//! `sniff` telling prioritisation files from OSV sources.

use std::io::Write;
use std::path::{Path, PathBuf};

use vigie_vulndb::{sniff, PriorityKind, VulnDb};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/audit")
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

#[test]
fn kev_and_epss_import_and_look_up() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut db = VulnDb::open(tmp.path()).expect("open");
    let kev = db.import_kev(&fixtures().join("kev.json")).expect("kev");
    assert_eq!(kev.rows, 2);
    assert_eq!(kev.version.as_deref(), Some("2099.01.02"));
    assert_eq!(
        kev.errors,
        [(
            "vulnerabilities[2]".to_owned(),
            "\"not-a-cve\" is not a CVE id".to_owned()
        )]
    );
    let entry = db.kev("CVE-2099-0003").expect("lookup").expect("listed");
    assert_eq!(entry.due_date.as_deref(), Some("2099-01-22"));
    assert_eq!(entry.ransomware.as_deref(), Some("Known"));
    assert_eq!(db.kev("CVE-2099-0001").expect("lookup"), None);
    let mut ids: Vec<String> = db.kev_ids().expect("ids").into_iter().collect();
    ids.sort();
    assert_eq!(ids, ["CVE-2099-0002", "CVE-2099-0003"]);

    assert!(!db.has_epss().expect("epss?"));
    let epss = db.import_epss(&fixtures().join("epss.csv")).expect("epss");
    assert_eq!(
        (
            epss.rows,
            epss.version.as_deref(),
            epss.published.as_deref()
        ),
        (4, Some("v2025.03.14"), Some("2099-01-02T00:00:00+0000"))
    );
    assert_eq!(epss.errors.len(), 1);
    assert_eq!(epss.errors[0].0, "line 7");
    assert!(db.has_epss().expect("epss?"));
    let s = db.epss("CVE-2099-0003").expect("lookup").expect("scored");
    assert_eq!((s.score, s.percentile), (0.941, 0.999));

    let stats = db.stats().expect("stats");
    let kinds: Vec<(&str, u64)> = stats
        .priority
        .iter()
        .map(|p| (p.kind.as_str(), p.rows))
        .collect();
    assert_eq!(kinds, [("epss", 4), ("kev", 2)]);
}

#[test]
fn a_new_import_replaces_the_old_and_gzip_is_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut db = VulnDb::open(&tmp.path().join("db")).expect("open");
    db.import_epss(&fixtures().join("epss.csv")).expect("epss");
    // A later day's scores, gzipped, without CVE-2099-0003.
    let gz = tmp.path().join("epss_scores-2099-01-03.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("create"),
        flate2::Compression::default(),
    );
    enc.write_all(b"#model_version:v2025.03.14,score_date:2099-01-03T00:00:00+0000\ncve,epss,percentile\nCVE-2099-0001,0.50000,0.97000\n")
        .expect("gzip");
    enc.finish().expect("gzip");
    assert_eq!(sniff(&gz), Some(PriorityKind::Epss));
    let r = db.import_epss(&gz).expect("gz");
    assert_eq!(r.rows, 1);
    assert_eq!(db.epss("CVE-2099-0003").expect("lookup"), None);
    assert_eq!(
        db.epss("CVE-2099-0001").expect("lookup").map(|s| s.score),
        Some(0.5)
    );

    // A file that is not EPSS is refused and the scores stay.
    let bad = tmp.path().join("scores.csv");
    write(&bad, "id,score\nCVE-2099-0001,0.1\n");
    let e = db.import_epss(&bad).expect_err("no header");
    assert!(e.to_string().contains("line 1: not an EPSS header"), "{e}");
    assert!(db.epss("CVE-2099-0001").expect("lookup").is_some());

    let bad = tmp.path().join("kev.json");
    write(&bad, "{\"vulnerabilities\": 3}");
    assert!(db.import_kev(&bad).is_err());
}

#[test]
fn sniff_tells_priority_files_from_advisories() {
    let f = fixtures();
    assert_eq!(sniff(&f.join("kev.json")), Some(PriorityKind::Kev));
    assert_eq!(sniff(&f.join("epss.csv")), Some(PriorityKind::Epss));
    assert_eq!(sniff(&f.join("advisories/VIGIE-2099-0001.json")), None);
    assert_eq!(sniff(&f.join("advisories")), None);
    assert_eq!(sniff(&f.join("missing.csv")), None);
}
