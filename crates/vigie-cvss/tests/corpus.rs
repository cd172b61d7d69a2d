//! Every vector file of corpus `vuln/cvss-vectors/` (see its SOURCE.txt) must score exactly:
//! the RedHat python-cvss test vectors (v2, v3.0, v3.1, v4.0), the 50,000 random CVSS:3.1
//! vectors with temporal and environmental metrics, all 104,976 v4.0 base vectors, 50,000
//! random full v4.0 vectors, and the rounding-edge vectors where the first FIRST v4 calculator
//! was 0.1 low (their corrected values). A case that fails must be listed with its reason in
//! `tests/expected-failures.tsv`, and a listed case must still fail.
//!
//! All lines of all files are checked (about 2 s in release mode); `VIGIE_CORPUS` points at the
//! corpus (default `../shared/corpus` beside the repository).
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use vigie_cvss::{Scores, Vector};

fn corpus() -> PathBuf {
    std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

/// What a corpus line expects.
struct Case {
    vector: String,
    base: Option<String>,
    temporal: Option<String>,
    environmental: Option<String>,
    severity: Option<String>,
    macrovector: Option<String>,
}

/// Reads a file, transparently gunzipping `.gz`.
fn read_lines(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).expect("open corpus file");
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    BufReader::new(reader)
        .lines()
        .map(|l| l.expect("read corpus line"))
        .collect()
}

/// A score as the corpus writes it, in the form Vigie prints it ("5" -> "5.0", "-0.0" -> "0.0").
fn norm(score: &str) -> Option<String> {
    let s = score.trim();
    if s == "None" {
        return None;
    }
    let v: f64 = s.parse().unwrap_or_else(|_| panic!("bad score {s:?}"));
    Some(format!("{:.1}", v.abs()))
}

/// `VECTOR - (base, temporal, environmental)`, `VECTOR - (score,)` or `VECTOR - score`.
fn redhat_case(line: &str) -> Case {
    let (vector, scores) = line.split_once(" - ").expect("VECTOR - scores");
    let scores: Vec<&str> = scores
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    Case {
        vector: vector.trim().to_owned(),
        base: scores.first().and_then(|s| norm(s)),
        temporal: scores.get(1).and_then(|s| norm(s)),
        environmental: scores.get(2).and_then(|s| norm(s)),
        severity: None,
        macrovector: None,
    }
}

/// The tab-separated generated files; the header comment names the columns.
fn tsv_case(name: &str, line: &str) -> Case {
    let cols: Vec<&str> = line.split('\t').collect();
    let col = |i: usize| cols.get(i).map(|s| s.trim().to_owned());
    let mut case = Case {
        vector: col(0).expect("vector column"),
        base: col(1).and_then(|s| norm(&s)),
        temporal: None,
        environmental: None,
        severity: None,
        macrovector: None,
    };
    if name.starts_with("cvss31-") {
        case.temporal = col(2).and_then(|s| norm(&s));
        case.environmental = col(3).and_then(|s| norm(&s));
    } else if !name.contains("rounding-edge") {
        case.severity = col(2);
        case.macrovector = col(3);
    }
    case
}

/// Why a case fails, or `None` when Vigie scores it as expected.
fn check(case: &Case) -> Option<String> {
    let v = match Vector::parse(&case.vector) {
        Ok(v) => v,
        Err(e) => return Some(format!("parse error: {e}")),
    };
    let s: Scores = v.scores();
    let mut problems = Vec::new();
    let mut cmp = |what: &str, want: &Option<String>, got: Option<String>| {
        if let Some(want) = want {
            if got.as_deref() != Some(want.as_str()) {
                problems.push(format!(
                    "{what}: want {want}, got {}",
                    got.unwrap_or_default()
                ));
            }
        }
    };
    cmp("base", &case.base, Some(s.base.to_string()));
    cmp(
        "temporal",
        &case.temporal,
        s.temporal.map(|t| t.to_string()),
    );
    cmp(
        "environmental",
        &case.environmental,
        s.environmental.map(|t| t.to_string()),
    );
    cmp("severity", &case.severity, Some(s.severity.to_string()));
    cmp(
        "macrovector",
        &case.macrovector,
        s.v4.as_ref().map(|d| d.macrovector.clone()),
    );
    (!problems.is_empty()).then(|| problems.join("; "))
}

#[test]
fn cvss_vectors_corpus() {
    let dir = corpus().join("vuln/cvss-vectors");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED cvss_vectors_corpus: corpus not found at {} (set VIGIE_CORPUS)",
            dir.display()
        );
        return;
    }
    let expected_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expected-failures.tsv");
    let expected_text = std::fs::read_to_string(&expected_path).unwrap_or_default();
    let expected: BTreeSet<String> = expected_text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some(format!("{}\t{}", cols.next()?, cols.next()?))
        })
        .collect();

    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for sub in ["", "redhat-cvss-tests"] {
        let folder = dir.join(sub);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&folder)
            .expect("read corpus folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                n.starts_with("vectors_") || n.ends_with(".tsv") || n.ends_with(".tsv.gz")
            })
            .collect();
        entries.sort();
        for p in entries {
            let name = p.strip_prefix(&dir).expect("inside").display().to_string();
            files.push((name, p));
        }
    }
    assert!(!files.is_empty(), "no vector files in {}", dir.display());

    let started = std::time::Instant::now();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut seen = BTreeSet::new();
    for (name, path) in &files {
        let redhat = name.starts_with("redhat-cvss-tests/");
        let (mut passed, mut failed) = (0usize, 0usize);
        for line in read_lines(path) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let case = if redhat {
                redhat_case(&line)
            } else {
                tsv_case(name, &line)
            };
            let key = format!("{name}\t{}", case.vector);
            seen.insert(key.clone());
            match check(&case) {
                None => {
                    passed += 1;
                    if expected.contains(&key) {
                        unexpected.push(format!("listed but passes: {key}"));
                    }
                }
                Some(why) => {
                    failed += 1;
                    if !expected.contains(&key) {
                        unexpected.push(format!("{key}\t{why}"));
                    }
                }
            }
        }
        counts.insert(name.clone(), (passed, failed));
    }
    for key in expected.difference(&seen) {
        unexpected.push(format!("listed but not in the corpus: {key}"));
    }
    let (mut all_passed, mut all) = (0, 0);
    for (name, (passed, failed)) in &counts {
        println!("{name}: {passed} passed, {failed} failed");
        all_passed += passed;
        all += passed + failed;
    }
    println!(
        "cvss-vectors: {all_passed} / {all} vectors score exactly ({} listed as expected failures), {:.1} s",
        expected.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected results:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .take(100)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
