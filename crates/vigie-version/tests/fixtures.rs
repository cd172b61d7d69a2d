//! The OSV version-ordering fixtures (corpus `vuln/osv-version-fixtures/`, 71,818
//! comparisons): every comparison must hold, except those listed with a reason in
//! `tests/expected-failures.tsv`, and every listed one must still fail.

use std::collections::BTreeSet;
use std::path::PathBuf;

use vigie_version::{compare, Ecosystem};

fn corpus() -> PathBuf {
    std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

/// The ecosystem a fixture file is for, from its name.
fn ecosystem_of(file: &str) -> Ecosystem {
    let base = file.split('-').next().unwrap_or(file);
    let name = match base {
        "redhat" => "Red Hat",
        "semver" => "npm",
        other => other,
    };
    name.parse().expect("fixture file names an ecosystem")
}

#[test]
fn osv_version_fixtures() {
    let dir = corpus().join("vuln/osv-version-fixtures");
    if !dir.is_dir() {
        eprintln!(
            "SKIPPED osv_version_fixtures: corpus not found at {} (set VIGIE_CORPUS)",
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

    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "txt")
                && p.file_name().is_some_and(|n| n != "SOURCE.txt")
        })
        .collect();
    files.sort();

    let (mut total, mut passed) = (0usize, 0usize);
    let mut unexpected = Vec::new();
    let mut seen = BTreeSet::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("utf-8 name")
            .to_owned();
        let eco = ecosystem_of(&name);
        let text = std::fs::read_to_string(path).expect("read fixture");
        for line in text.lines() {
            if line.is_empty() || line.starts_with("# ") || line.starts_with("// ") {
                continue;
            }
            let parts: Vec<&str> = line.split(' ').collect();
            let [a, op, b] = parts[..] else {
                panic!("{name}: malformed line {line:?}");
            };
            total += 1;
            let want = match op {
                "<" => std::cmp::Ordering::Less,
                "=" => std::cmp::Ordering::Equal,
                ">" => std::cmp::Ordering::Greater,
                _ => panic!("{name}: bad operator in {line:?}"),
            };
            let got = compare(eco, a, b);
            // The reverse comparison must agree too.
            let back = compare(eco, b, a);
            let ok = got == Ok(want) && back == Ok(want.reverse());
            let key = format!("{name}\t{line}");
            seen.insert(key.clone());
            if ok {
                passed += 1;
                if expected.contains(&key) {
                    unexpected.push(format!("listed but passes: {key}"));
                }
            } else {
                if !expected.contains(&key) {
                    unexpected.push(format!("{key}\tgot {got:?}, reverse {back:?}"));
                }
            }
        }
    }
    for key in expected.difference(&seen) {
        unexpected.push(format!("listed but not in the corpus: {key}"));
    }
    println!(
        "osv-version-fixtures: {passed} passed, {} failed, of {total} comparisons ({} listed as expected failures)",
        total - passed,
        expected.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} unexpected results:\n{}",
        unexpected.len(),
        unexpected
            .iter()
            .take(200)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
