//! `vigie audit vulns` end to end on the fixtures of `tests/fixtures/audit/` (written for these
//! tests): the advisories, KEV catalogue and EPSS scores imported with `vigie vulndb import`,
//! then the Debian root and the lockfiles audited; the table, JSON lines and SARIF outputs,
//! the stderr talk (files not read, expired ignore entries, the summary), exit codes for
//! `--fail-on`, the run history, and the errors; pinned as snapshots.

use std::path::Path;

mod common;

use common::vigie;

const FIX: &str = "tests/fixtures/audit";

/// A fresh index of the fixtures in `dir`, built by the CLI; its import output.
fn index(dir: &Path) -> String {
    let d = dir.display().to_string();
    let (out, err, code) = vigie(&[
        "vulndb",
        "import",
        &format!("{FIX}/advisories"),
        &format!("{FIX}/kev.json"),
        &format!("{FIX}/epss.csv"),
        "--db",
        &d,
    ]);
    assert_eq!(code, 0, "{err}");
    format!("stdout:\n{out}stderr:\n{err}")
}

/// The audit arguments over the fixtures, the broken lockfile left out.
fn audit_args<'a>(db: &'a str, format: &'a str) -> Vec<String> {
    [
        "audit",
        "vulns",
        "--root",
        &format!("{FIX}/root"),
        &format!("{FIX}/project/Cargo.lock"),
        &format!("{FIX}/project/api"),
        &format!("{FIX}/project/web"),
        "--db",
        db,
        "--ignore",
        &format!("{FIX}/osv-scanner.toml"),
        "--format",
        format,
        "--no-store",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run(args: &[String]) -> (String, String, i32) {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    vigie(&a)
}

#[test]
fn audit_vulns_table_jsonl_sarif() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().display().to_string();
    insta::assert_snapshot!("audit_index_import", index(tmp.path()));

    let (out, err, code) = run(&audit_args(&d, "table"));
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("audit_table", out);
    insta::assert_snapshot!("audit_table_stderr", err);

    let (out, err, code) = run(&audit_args(&d, "jsonl"));
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        for key in [
            "ecosystem",
            "package",
            "version",
            "advisory_id",
            "aliases",
            "summary",
            "severity",
            "fixed_versions",
            "source",
            "status",
            "kev",
            "epss",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
    insta::assert_snapshot!("audit_jsonl", out);

    let (out, err, code) = run(&audit_args(&d, "sarif"));
    assert_eq!(code, 0, "{err}");
    check_sarif(&out);
    insta::assert_snapshot!("audit_sarif", out);
}

/// What SARIF 2.1.0's schema requires of the parts Vigie writes.
fn check_sarif(text: &str) {
    let v: serde_json::Value = serde_json::from_str(text).expect("SARIF is JSON");
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "vigie");
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("rule id"))
        .collect();
    let results = runs[0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids.get(index), Some(&id), "ruleIndex points at ruleId");
        assert!(["none", "note", "warning", "error"].contains(&r["level"].as_str().expect("level")));
        assert!(!r["message"]["text"].as_str().expect("text").is_empty());
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(!uri.is_empty() && !uri.contains(' '), "{uri}");
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().display().to_string();
    index(tmp.path());
    let web = format!("{FIX}/project/web");
    let go = format!("{FIX}/project/api/go.mod");
    let code = |paths: &[&str], fail_on: &str| {
        let mut args = vec!["audit", "vulns", "--db", &d, "--no-store", "-f", "jsonl"];
        args.extend(paths);
        args.extend(["--fail-on", fail_on]);
        vigie(&args).2
    };
    // minimist 1.2.5 is High (7.5); lodash has no severity.
    assert_eq!(code(&[&web], "high"), 1);
    assert_eq!(code(&[&web], "critical"), 0);
    // golang.org/x/text has no severity: only `any` counts it; gitonly is not evaluated.
    assert_eq!(code(&[&go], "low"), 0);
    assert_eq!(code(&[&go], "any"), 1);
    // Without --fail-on: 0 whatever is found.
    let (_, err, c) = vigie(&["audit", "vulns", &web, "--db", &d, "--no-store"]);
    assert_eq!(c, 0, "{err}");
}

#[test]
fn broken_lockfiles_are_reported_and_the_rest_audited() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().display().to_string();
    index(tmp.path());
    let (out, err, code) = vigie(&[
        "audit",
        "vulns",
        &format!("{FIX}/project"),
        "--db",
        &d,
        "--no-store",
        "-f",
        "jsonl",
    ]);
    assert_eq!(code, 2, "an incomplete audit exits 2");
    assert!(out.contains("VIGIE-2099-0001"), "{out}");
    insta::assert_snapshot!("audit_broken_stderr", err);
}

#[test]
fn runs_are_stored_in_the_index_folder_or_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().display().to_string();
    index(tmp.path());
    let web = format!("{FIX}/project/web");
    for n in 1..=2 {
        let (_, err, code) = vigie(&["audit", "vulns", &web, "--db", &d]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains(&format!("run {n} stored in {d}/audit.sqlite")),
            "{err}"
        );
    }
    let (out, err, code) = vigie(&["audit", "runs", "--db", &d]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(" RUN  STARTED"), "{out}");
    let cells: Vec<&str> = lines[2].split_whitespace().collect();
    // run 2: 2 packages, 2 affected (lodash, minimist), 0 not evaluated, 0 silenced, no root.
    assert_eq!(
        (cells[0], cells[3], cells[4], cells[5], cells[6], cells[7]),
        ("2", "2", "2", "0", "0", "-"),
        "{out}"
    );
    let (out, err, code) = vigie(&["audit", "runs", "--db", &d, "--run", "1"]);
    assert_eq!(code, 0, "{err}");
    let ids: Vec<String> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            v["advisory_id"].as_str().unwrap_or("").to_owned()
        })
        .collect();
    assert_eq!(ids, ["VIGIE-2099-0007", "VIGIE-2099-0005"]);
    let store = tmp.path().join("history");
    let s = store.display().to_string();
    let (_, err, code) = vigie(&["audit", "vulns", &web, "--db", &d, "--store", &s]);
    assert_eq!(code, 0, "{err}");
    assert!(store.join("audit.sqlite").is_file(), "{err}");
}

#[test]
fn audit_errors_say_why_with_a_hint() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let t = tmp.path().display().to_string();
    let d = tmp.path().join("db");
    index(&d);
    let d = d.display().to_string();
    let bad_ignore = tmp.path().join("ignore.toml");
    std::fs::write(
        &bad_ignore,
        "[[IgnoredVulns]]\nid = \"X\"\nignoreUntil = \"next week\"\n",
    )
    .expect("write");
    let bad = bad_ignore.display().to_string();
    let web = format!("{FIX}/project/web");
    let mut report = String::new();
    for args in [
        vec!["audit", "vulns", "--db", d.as_str()],
        vec!["audit", "vulns", &web, "--db", &t],
        vec!["audit", "vulns", &web, "--db", &d, "--ignore", &bad],
        vec!["audit", "vulns", "--root", "/nonexistent/root", "--db", &d],
        vec!["audit", "runs", "--db", &t],
    ] {
        let (out, err, code) = vigie(&args);
        report.push_str(&format!(
            "$ vigie {}\nexit {code}\nstdout:\n{out}stderr:\n{err}\n",
            args.join(" ")
        ));
    }
    insta::assert_snapshot!("audit_errors", report.replace(&t, "TMP"));
}

#[test]
fn kev_and_epss_import_commands() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().display().to_string();
    let mut report = String::new();
    for args in [
        vec!["vulndb", "import-kev", "tests/fixtures/audit/kev.json"],
        vec!["vulndb", "import-epss", "tests/fixtures/audit/epss.csv"],
        vec!["vulndb", "import-epss", "tests/fixtures/audit/kev.json"],
        vec!["vulndb", "import-kev", "tests/fixtures/audit/epss.csv"],
    ] {
        let mut a = args.clone();
        a.extend(["--db", &d]);
        let (out, err, code) = vigie(&a);
        report.push_str(&format!(
            "$ vigie {}\nexit {code}\nstdout:\n{out}stderr:\n{err}\n",
            args.join(" ")
        ));
    }
    insta::assert_snapshot!("audit_priority_imports", report);
    let (out, _, code) = vigie(&["vulndb", "stats", "--db", &d, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows: Vec<(&str, u64)> = v["priority"]
        .as_array()
        .expect("priority")
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap_or(""),
                p["rows"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(rows, [("epss", 4), ("kev", 2)]);
    let (out, _, code) = vigie(&["vulndb", "stats", "--db", &d]);
    assert_eq!(code, 0);
    assert!(
        out.contains("epss: 4 entries, version v2025.03.14 from tests/fixtures/audit/epss.csv (")
            && out.contains(
                "kev: 2 entries, version 2099.01.02 from tests/fixtures/audit/kev.json ("
            ),
        "{out}"
    );
}
