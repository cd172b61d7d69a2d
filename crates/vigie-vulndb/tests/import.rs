//! Importing into the index: incremental re-imports (unchanged, updated, older kept out),
//! folders, zip archives and YAML alike, malformed records reported with file and reason while
//! the rest imports, lookups by (ecosystem, package), and the whole corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

use vigie_vulndb::{ImportReport, VulnDb};

fn record_json(id: &str, modified: &str, ecosystem: &str, name: &str, fixed: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "{modified}", "aliases": ["CVE-{id}"], "summary": "test {id}",
  "affected": [{{"package": {{"ecosystem": "{ecosystem}", "name": "{name}"}},
    "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "{fixed}"}}]}}]}}]}}"#
    )
}

fn counts(r: &ImportReport) -> (usize, usize, usize, usize, usize) {
    (
        r.added,
        r.updated,
        r.unchanged,
        r.kept_newer,
        r.errors.len(),
    )
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

fn zip_of(dir: &Path, to: &Path) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(to).expect("create zip"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read_dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for f in files {
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        w.write_all(&std::fs::read(&f).expect("read"))
            .expect("write");
    }
    w.finish().expect("finish");
}

#[test]
fn imports_are_incremental_and_report_bad_records() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = tmp.path().join("src");
    write(
        &src.join("A-1.json"),
        &record_json("A-1", "2024-01-01T00:00:00Z", "PyPI", "Django_Foo", "1.2"),
    );
    write(
        &src.join("A-2.yaml"),
        "id: A-2\nmodified: 2024-01-01T00:00:00Z\naffected:\n- package: {ecosystem: 'Debian:12', name: openssl}\n  ranges:\n  - type: ECOSYSTEM\n    events: [{introduced: '0'}, {fixed: 3.0.11-1~deb12u2}]\n",
    );
    write(&src.join("broken.json"), "{\"id\": \"B-1\", ");
    write(&src.join("notes.txt"), "not a record, skipped");
    write(&src.join(".hidden/x.json"), "{}");
    let db_dir = tmp.path().join("db");
    let mut db = VulnDb::open(&db_dir).expect("open");

    let r = db.import(&src).expect("import");
    assert_eq!(counts(&r), (2, 0, 0, 0, 1));
    let (file, reason) = &r.errors[0];
    assert!(file.ends_with("broken.json"), "{file}");
    assert!(reason.starts_with("invalid JSON at line 1"), "{reason}");

    // Again: nothing changes.
    assert_eq!(counts(&db.import(&src).expect("import")), (0, 0, 2, 0, 1));

    // The same records from a zip archive, and as YAML with keys in another order: unchanged.
    let zip = tmp.path().join("all.zip");
    zip_of(&src, &zip);
    assert_eq!(counts(&db.import(&zip).expect("zip")), (0, 0, 2, 0, 1));
    let yaml = tmp.path().join("A-1.yaml");
    write(
        &yaml,
        "summary: test A-1\nmodified: 2024-01-01T00:00:00Z\nid: A-1\naliases: [CVE-A-1]\naffected:\n- ranges:\n  - type: ECOSYSTEM\n    events: [{introduced: '0'}, {fixed: '1.2'}]\n  package: {name: Django_Foo, ecosystem: PyPI}\n",
    );
    assert_eq!(counts(&db.import(&yaml).expect("yaml")), (0, 0, 1, 0, 0));

    // A later version replaces the record; an older one does not.
    let newer = tmp.path().join("newer/A-1.json");
    write(
        &newer,
        &record_json("A-1", "2024-02-01T00:00:00Z", "PyPI", "django-foo", "1.3"),
    );
    assert_eq!(counts(&db.import(&newer).expect("newer")), (0, 1, 0, 0, 0));
    let older = tmp.path().join("older/A-1.json");
    write(
        &older,
        &record_json("A-1", "2023-12-01T00:00:00.5Z", "PyPI", "django-foo", "1.1"),
    );
    assert_eq!(counts(&db.import(&older).expect("older")), (0, 0, 0, 1, 0));

    // Lookups: PyPI names normalised, Debian releases told apart.
    let found = db.advisories_for("PyPI", "DJANGO.foo").expect("lookup");
    assert_eq!(found.len(), 1);
    let fixed = match vigie_osv::affects(&found[0], "PyPI", "django-foo", "1.2") {
        vigie_osv::Verdict::Affected { fixed } => fixed,
        other => panic!("{other:?}"),
    };
    assert_eq!(fixed, ["1.3"]);
    assert_eq!(
        db.advisories_for("Debian:12", "openssl").expect("l").len(),
        1
    );
    assert_eq!(db.advisories_for("Debian", "openssl").expect("l").len(), 1);
    assert!(db
        .advisories_for("Debian:11", "openssl")
        .expect("l")
        .is_empty());
    assert!(db.advisories_for("npm", "openssl").expect("l").is_empty());
    assert_eq!(db.ids_for_alias("CVE-A-1").expect("alias"), ["A-1"]);
    assert!(db.advisory("A-2").expect("id").is_some());

    // The import log and the statistics survive reopening.
    drop(db);
    let db = VulnDb::open(&db_dir).expect("reopen");
    let stats = db.stats().expect("stats");
    assert_eq!(
        (stats.advisories, stats.packages, stats.schema_version),
        (2, 2, 2)
    );
    let names: Vec<&str> = stats.ecosystems.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Debian", "PyPI"]);
    assert_eq!(stats.imports.len(), 6);
    assert!(stats.imports.iter().all(|i| i.finished_at.is_some()));
    assert_eq!(stats.imports[0].source, src.display().to_string());
}

#[test]
fn sources_that_are_not_sources_are_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut db = VulnDb::open(&tmp.path().join("db")).expect("open");
    let err = db
        .import(&tmp.path().join("missing"))
        .expect_err("missing")
        .to_string();
    assert!(err.ends_with("missing: no such file or folder"), "{err}");
    let txt = tmp.path().join("x.txt");
    write(&txt, "x");
    assert!(db.import(&txt).is_err());
    let bad_zip = tmp.path().join("bad.zip");
    write(&bad_zip, "not a zip");
    let err = db.import(&bad_zip).expect_err("bad zip").to_string();
    assert!(err.contains("not a readable zip archive"), "{err}");
    assert_eq!(
        db.stats().expect("stats").imports.len(),
        0,
        "failed imports leave no trace"
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(VulnDb::open(tmp.path()).expect("open"));
    let conn = rusqlite::Connection::open(tmp.path().join(vigie_vulndb::DB_FILE)).expect("sqlite");
    conn.pragma_update(None, "user_version", 99).expect("bump");
    drop(conn);
    let err = VulnDb::open(tmp.path()).err().expect("too new").to_string();
    assert!(err.contains("schema version 99"), "{err}");
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    if dir.join("vuln").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED corpus import: corpus not found at {} (set VIGIE_CORPUS)",
            dir.display()
        );
        None
    }
}

#[test]
fn the_corpus_imports_whole_and_again_unchanged() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut db = VulnDb::open(tmp.path()).expect("open");
    let sources = [
        ("vuln/rustsec-advisory-db/osv", 1206),
        ("vuln/go-vulndb/osv", 4291),
        ("vuln/pypa-advisory-database/vulns", 2661),
    ];
    for (dir, n) in sources {
        let r = db.import(&corpus.join(dir)).expect("import");
        eprintln!("{dir}: {} added, {} errors", r.added, r.errors.len());
        assert_eq!((r.added, r.errors.len()), (n, 0), "{:?}", r.errors);
    }
    for (dir, n) in sources {
        let r = db.import(&corpus.join(dir)).expect("import");
        assert_eq!(counts(&r), (0, 0, n, 0, 0));
    }
    let stats = db.stats().expect("stats");
    assert_eq!(stats.advisories, 1206 + 4291 + 2661);
    let openssl = db.advisories_for("crates.io", "openssl").expect("lookup");
    assert!(openssl.iter().any(|r| r.id == "RUSTSEC-2016-0001"));
    let stdlib = db.advisories_for("Go", "stdlib").expect("lookup");
    assert!(stdlib.len() > 100, "{}", stdlib.len());
    let django = db.advisories_for("PyPI", "Django").expect("lookup");
    assert!(django.len() > 50, "{}", django.len());
}
