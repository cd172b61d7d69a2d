//! `vigie audit config` end to end: `tests/fixtures/xccdf/bench-xccdf.xml` on a fake root as a
//! table and as JSON lines (profiles base and strict, `--ignore-platform`),
//! `score-xccdf.xml` (informational results, the score line in each format), and the errors
//! that stop a run (unknown profile, not XCCDF); pinned as snapshots.

mod common;

use std::path::Path;

use common::vigie;

fn fake_root(dir: &Path) -> String {
    std::fs::create_dir_all(dir.join("etc/app")).expect("mkdir");
    std::fs::write(dir.join("etc/passwd"), "root:x:0:0::/root:/bin/sh\n").expect("write");
    std::fs::write(dir.join("etc/app/app.conf"), "max_retries = 3\n").expect("write");
    dir.display().to_string()
}

const BENCH: &str = "tests/fixtures/xccdf/bench-xccdf.xml";

/// `vigie audit config` of `content`'s `profile` on `root`, with `extra` arguments.
fn audit_config(content: &str, root: &str, profile: &str, extra: &[&str]) -> (String, String, i32) {
    let args = [
        "audit",
        "config",
        "--content",
        content,
        "--root",
        root,
        "--profile",
        profile,
    ];
    vigie(&[&args[..], extra].concat())
}

#[test]
fn audit_config_table_strict() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = fake_root(tmp.path());
    let (out, err, code) = audit_config(BENCH, &root, "xccdf_org.vigie_profile_strict", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("fix: Set max_retries"), "{out}");
    insta::assert_snapshot!("audit_config_table_strict", out);
    insta::assert_snapshot!("audit_config_table_strict_stderr", err);
}

#[test]
fn audit_config_jsonl_ignore_platform() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = fake_root(tmp.path());
    let (out, err, code) = audit_config(
        BENCH,
        &root,
        "xccdf_org.vigie_profile_base",
        &["--ignore-platform", "-f", "jsonl"],
    );
    assert_eq!(code, 0, "{err}");
    let mut lines: Vec<&str> = out.lines().collect();
    // The last line is the score: the one without a rule_id.
    let trailer: serde_json::Value =
        serde_json::from_str(lines.pop().expect("a trailer")).expect("JSON");
    assert_eq!(trailer["system"], "urn:xccdf:scoring:default");
    assert_eq!(trailer["maximum"], 100.0);
    assert!(trailer["score"].is_number() && trailer["rule_id"].is_null());
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        for key in ["rule_id", "title", "severity", "result"] {
            assert!(v[key].is_string(), "{key} in {line}");
        }
        assert_eq!(v["fix"].is_string(), v["result"] == "fail", "{line}");
    }
    insta::assert_snapshot!("audit_config_jsonl_ignore_platform", out);
}

#[test]
fn audit_config_errors() {
    let (out, err, code) = vigie(&["audit", "config", "--content", BENCH, "--profile", "nope"]);
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert!(err.contains("no profile nope"), "{err}");
    let (_, err, code) = vigie(&[
        "audit",
        "config",
        "--content",
        "tests/fixtures/oval/checks.xml",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("no XCCDF 1.2 Benchmark"), "{err}");
}

#[test]
fn audit_config_html_stands_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = fake_root(tmp.path());
    let (out, err, code) = audit_config(
        BENCH,
        &root,
        "xccdf_org.vigie_profile_strict",
        &["-f", "html"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>"));
    assert!(
        out.contains("<pre class=\"fix\">"),
        "failures carry their fix text"
    );
    for external in ["<script", "<link", "src=\"http", "href=\"http"] {
        assert!(!out.contains(external), "standalone: {external}");
    }
    let root_text = root.replace('&', "&amp;");
    insta::assert_snapshot!(out.replace(&root_text, "ROOT"));
}

#[test]
fn audit_config_score_in_every_format() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = fake_root(tmp.path());
    let run = |format: &str| {
        let (out, err, code) = audit_config(
            "tests/fixtures/xccdf/score-xccdf.xml",
            &root,
            "xccdf_org.vigie_profile_scored",
            &["-f", format],
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    let table = run("table");
    assert!(
        table.ends_with("score: 37.50 of 100 (urn:xccdf:scoring:default)\n"),
        "{table}"
    );
    insta::assert_snapshot!("audit_config_score_table", table);
    let jsonl = run("jsonl");
    assert_eq!(
        jsonl.lines().last(),
        Some(r#"{"system":"urn:xccdf:scoring:default","score":37.5,"maximum":100.0}"#)
    );
    insta::assert_snapshot!("audit_config_score_jsonl", jsonl);
    let html = run("html");
    assert!(
        html.contains("<p id=\"score\">Score: <b>37.50</b> of 100"),
        "{html}"
    );
}
