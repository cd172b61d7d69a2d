//! `vigie inventory` end to end on the fake roots and lockfiles of `tests/fixtures/inventory/`
//! (written for these tests): the table, JSON lines, broken lockfiles reported on stderr with
//! file and reason (exit code 1), and the error without any input; pinned as snapshots.

mod common;

use common::vigie;

const FIX: &str = "tests/fixtures/inventory";

#[test]
fn inventory_table_debian_root_and_lockfiles() {
    let (out, err, code) = vigie(&[
        "inventory",
        "--root",
        &format!("{FIX}/debian"),
        &format!("{FIX}/project/Cargo.lock"),
        &format!("{FIX}/project/api"),
        &format!("{FIX}/project/legacy"),
        &format!("{FIX}/project/web"),
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("inventory_table", out);
    insta::assert_snapshot!("inventory_table_stderr", err);
}

#[test]
fn inventory_jsonl_alpine_root() {
    let (out, err, code) = vigie(&[
        "inventory",
        "--root",
        &format!("{FIX}/alpine"),
        "--format",
        "jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert_eq!(v["ecosystem"], "Alpine:v3.19");
    }
    insta::assert_snapshot!("inventory_jsonl_alpine", out);
}

#[test]
fn inventory_jsonl_debian_root() {
    let (out, err, code) = vigie(&[
        "inventory",
        "--root",
        &format!("{FIX}/debian"),
        "-f",
        "jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("inventory_jsonl_debian", out);
}

#[test]
fn inventory_broken_lockfiles_reported_rest_goes_on() {
    let (out, err, code) = vigie(&["inventory", &format!("{FIX}/project")]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("smallvec"), "{out}");
    assert!(
        !out.contains("not-walked"),
        "node_modules is not entered: {out}"
    );
    insta::assert_snapshot!("inventory_broken_stdout", out);
    insta::assert_snapshot!("inventory_broken_stderr", err);
}

#[test]
fn inventory_without_input_or_missing_path() {
    let (out, err, code) = vigie(&["inventory"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    insta::assert_snapshot!("inventory_no_input", err);
    let (_, err, code) = vigie(&["inventory", &format!("{FIX}/missing")]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("inventory_missing_path", err);
}
