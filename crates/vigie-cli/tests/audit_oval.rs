//! `vigie audit oval` end to end: `tests/fixtures/oval/checks.xml` on the fake root of
//! `tests/fixtures/oval/fake_root.rs` as a table and as JSON lines, malformed and unsupported
//! content (`tests/fixtures/oval/malformed.xml`) named on stderr while the rest is evaluated,
//! and the errors that stop a run; pinned as snapshots.

#[path = "../../../tests/fixtures/oval/fake_root.rs"]
mod fake_root;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vigie(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("run vigie");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn fake_root() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("root");
    fake_root::build(&root);
    let s = root.display().to_string();
    (tmp, s)
}

const CHECKS: &str = "tests/fixtures/oval/checks.xml";
const MALFORMED: &str = "tests/fixtures/oval/malformed.xml";

#[test]
fn audit_oval_jsonl_on_fake_root() {
    let (_tmp, root) = fake_root();
    let (out, err, code) = vigie(&["audit", "oval", CHECKS, "--root", &root, "-f", "jsonl"]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        for key in ["definition_id", "result", "title", "class"] {
            assert!(v[key].is_string(), "{key} in {line}");
        }
    }
    insta::assert_snapshot!("audit_oval_jsonl", out);
    insta::assert_snapshot!("audit_oval_jsonl_stderr", err);
}

#[test]
fn audit_oval_table_on_fake_root() {
    let (_tmp, root) = fake_root();
    let (out, err, code) = vigie(&["audit", "oval", CHECKS, "--root", &root]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("audit_oval_table", out);
}

#[test]
fn audit_oval_malformed_content_names_each_element() {
    let (_tmp, root) = fake_root();
    let (out, err, code) = vigie(&["audit", "oval", MALFORMED, "--root", &root, "-f", "jsonl"]);
    assert_eq!(code, 1, "malformed content gives exit code 1: {err}");
    // The sound definition is still evaluated; the unsupported kind is never a pass.
    assert!(
        out.contains(r#""definition_id":"oval:bad:def:1","result":"true""#),
        "{out}"
    );
    assert!(
        out.contains(r#""definition_id":"oval:bad:def:5","result":"not evaluated""#),
        "{out}"
    );
    insta::assert_snapshot!("audit_oval_malformed", out);
    insta::assert_snapshot!("audit_oval_malformed_stderr", err);
}

#[test]
fn audit_oval_errors() {
    let missing = vigie(&["audit", "oval", "tests/fixtures/oval/nonexistent.xml"]);
    let not_oval = vigie(&["audit", "oval", "Cargo.toml"]);
    let not_oval_xml = vigie(&["audit", "oval", "tests/fixtures/oval/fake_root.rs"]);
    let bad_root = vigie(&[
        "audit",
        "oval",
        CHECKS,
        "--root",
        "tests/fixtures/oval/none",
    ]);
    assert!(!Path::new("tests/fixtures/oval/none").exists());
    let all = [missing, not_oval, not_oval_xml, bad_root]
        .iter()
        .map(|(o, e, c)| format!("exit {c}\nstdout: {o}\nstderr: {e}"))
        .collect::<Vec<_>>()
        .join("\n---\n");
    insta::assert_snapshot!("audit_oval_errors", all);
}

#[test]
fn audit_oval_variables_give_external_values() {
    let (_tmp, root) = fake_root();
    let def19 = |out: &str| {
        out.lines()
            .find(|l| l.contains(r#""definition_id":"oval:vigie:def:19""#))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let (without, _, _) = vigie(&["audit", "oval", CHECKS, "--root", &root, "-f", "jsonl"]);
    let (with, err, code) = vigie(&[
        "audit",
        "oval",
        CHECKS,
        "--root",
        &root,
        "--variables",
        "tests/fixtures/oval/checks.variables.xml",
        "-f",
        "jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        def19(&without).contains(r#""result":"unknown""#),
        "{without}"
    );
    assert!(def19(&with).contains(r#""result":"false""#), "{with}");
    assert!(!err.contains("no value was supplied"), "{err}");
}
