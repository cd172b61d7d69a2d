//! The corpus as truth (`$VIGIE_CORPUS/vuln/`): every RustSec, Go and PyPA advisory parses; and
//! where an entry carries both ranges and an explicit `versions` list, every listed version is
//! judged affected by the ranges alone. Entries whose list contradicts their own ranges are
//! listed, with the reason, in `tests/expected-contradictions.tsv`: an unlisted disagreement
//! fails the test, and so does a listed one that no longer disagrees.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use vigie_osv::{parse_file, ranges_verdict, RangeKind, Record, Verdict};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    if dir.join("vuln").is_dir() {
        Some(dir)
    } else {
        None
    }
}

fn skipped(test: &str) {
    let dir = std::env::var("VIGIE_CORPUS").unwrap_or_else(|_| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus")
            .display()
            .to_string()
    });
    eprintln!("SKIPPED {test}: corpus not found at {dir} (set VIGIE_CORPUS)");
}

/// The advisory sources of the corpus: name, folder, file extension.
const SOURCES: &[(&str, &str, &str)] = &[
    ("RustSec", "vuln/rustsec-advisory-db/osv", "json"),
    ("Go", "vuln/go-vulndb/osv", "json"),
    ("PyPA", "vuln/pypa-advisory-database/vulns", "yaml"),
];

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

/// Every record of a source, and the files that did not parse with the reason.
fn read_source(dir: &Path, ext: &str) -> (Vec<Record>, Vec<String>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for f in files(dir, ext) {
        let bytes = std::fs::read(&f).expect("read a corpus file");
        match parse_file(&f.display().to_string(), &bytes) {
            Ok(r) => records.push(r),
            Err(e) => errors.push(e.to_string()),
        }
    }
    (records, errors)
}

#[test]
fn every_corpus_advisory_parses() {
    let Some(corpus) = corpus() else {
        return skipped("every_corpus_advisory_parses");
    };
    let mut failures = Vec::new();
    for (name, dir, ext) in SOURCES {
        let (records, errors) = read_source(&corpus.join(dir), ext);
        let ids: BTreeSet<&str> = records.iter().map(|r| r.id.as_str()).collect();
        let ranges: usize = records
            .iter()
            .flat_map(|r| &r.affected)
            .map(|a| a.ranges.len())
            .sum();
        eprintln!(
            "{name}: {} records parsed ({} distinct ids, {} ranges), {} errors",
            records.len(),
            ids.len(),
            ranges,
            errors.len()
        );
        assert!(!records.is_empty(), "{name}: no records under {dir}");
        for r in &records {
            let json = serde_json::to_string(r).expect("a record writes as JSON");
            let again = parse_file("again.json", json.as_bytes()).expect("written JSON reads");
            assert_eq!(r, &again, "{} does not read back the same", r.id);
        }
        failures.extend(errors);
    }
    // The OSV linter's test records: real ones, and three broken on purpose that still read.
    let linter = corpus.join("vuln/osv-schema/tools/osv-linter/testdata");
    let (records, errors) = read_source(&linter, "json");
    eprintln!(
        "osv-linter testdata: {} records parsed, {} errors",
        records.len(),
        errors.len()
    );
    failures.extend(errors);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One listed version that the ranges alone do not judge affected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Disagreement {
    id: String,
    version: String,
    verdict: String,
}

fn expected() -> BTreeSet<(String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expected-contradictions.tsv");
    let text = std::fs::read_to_string(&path).expect("read expected-contradictions.tsv");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut cols = l.split('\t');
            let id = cols.next().unwrap_or_default().to_owned();
            let version = cols.next().unwrap_or_default().to_owned();
            let reason = cols.next().unwrap_or_default();
            assert!(!reason.trim().is_empty(), "no reason given in line {l:?}");
            (id, version)
        })
        .collect()
}

#[test]
fn listed_versions_are_affected_by_the_ranges() {
    let Some(corpus) = corpus() else {
        return skipped("listed_versions_are_affected_by_the_ranges");
    };
    let mut found = Vec::new();
    for (name, dir, ext) in SOURCES {
        let (records, _) = read_source(&corpus.join(dir), ext);
        let (mut entries, mut versions) = (0, 0);
        for r in &records {
            for entry in &r.affected {
                let evaluable = entry.ranges.iter().any(|g| g.kind != RangeKind::Git);
                if entry.versions.is_empty() || !evaluable {
                    continue;
                }
                entries += 1;
                for v in &entry.versions {
                    versions += 1;
                    match ranges_verdict(entry, v) {
                        Verdict::Affected { .. } => {}
                        Verdict::NotAffected => found.push(Disagreement {
                            id: r.id.clone(),
                            version: v.clone(),
                            verdict: "not affected".into(),
                        }),
                        Verdict::NotEvaluated(why) => found.push(Disagreement {
                            id: r.id.clone(),
                            version: v.clone(),
                            verdict: format!("not evaluated: {why}"),
                        }),
                    }
                }
            }
        }
        eprintln!(
            "{name}: {entries} entries with ranges and a versions list, {versions} listed versions checked"
        );
    }
    let expected = expected();
    let got: BTreeSet<(String, String)> = found
        .iter()
        .map(|d| (d.id.clone(), d.version.clone()))
        .collect();
    let unlisted: Vec<String> = found
        .iter()
        .filter(|d| !expected.contains(&(d.id.clone(), d.version.clone())))
        .map(|d| format!("{}\t{}\t{}", d.id, d.version, d.verdict))
        .collect();
    let passing: Vec<String> = expected
        .iter()
        .filter(|k| !got.contains(*k))
        .map(|(id, v)| format!("{id}\t{v}"))
        .collect();
    let ids: BTreeSet<&str> = found.iter().map(|d| d.id.as_str()).collect();
    eprintln!(
        "{} listed versions contradict their ranges, in {} advisories ({} listed in expected-contradictions.tsv)",
        found.len(),
        ids.len(),
        expected.len()
    );
    assert!(
        unlisted.is_empty(),
        "listed versions the ranges do not judge affected, not in expected-contradictions.tsv:\n{}",
        unlisted.join("\n")
    );
    assert!(
        passing.is_empty(),
        "listed in expected-contradictions.tsv but now agree (remove them):\n{}",
        passing.join("\n")
    );
}
