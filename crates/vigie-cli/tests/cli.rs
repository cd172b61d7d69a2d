//! The `vigie` command end to end: every output format on the shipped example incident,
//! and the messages for broken rules and damaged input, pinned as snapshots.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vigie(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("run vigie");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn hunt_examples_table() {
    let (out, err, code) = vigie(&["hunt", "examples/incident", "--threads", "2"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("hunt_examples_table", out);
    insta::assert_snapshot!("hunt_examples_summary", err);
}

#[test]
fn hunt_examples_jsonl() {
    let (out, err, code) = vigie(&["hunt", "examples/incident", "-f", "jsonl", "-q"]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        for key in [
            "rule_id",
            "rule_title",
            "level",
            "status",
            "author",
            "tags",
            "timestamp",
            "computer",
            "channel",
            "event_id",
            "record_id",
            "source",
            "matched",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
    insta::assert_snapshot!("hunt_examples_jsonl", out);
}

#[test]
fn hunt_examples_csv_and_timesketch() {
    let (csv, err, code) = vigie(&["hunt", "examples/incident", "-f", "csv", "-q"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("hunt_examples_csv", csv);
    let (ts, err, code) = vigie(&[
        "hunt",
        "examples/incident",
        "-f",
        "timesketch",
        "-q",
        "--min-level",
        "high",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(ts.starts_with("message,datetime,timestamp_desc,"));
    insta::assert_snapshot!("hunt_examples_timesketch_high", ts);
}

#[test]
fn hunt_time_window_and_zone() {
    let (out, err, code) = vigie(&[
        "hunt",
        "examples/incident",
        "--from",
        "2026-03-04T01:58:00Z",
        "--to",
        "2026-03-04 02:05:00",
        "--timezone",
        "Europe/Paris",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("hunt_window_paris", out);
}

#[test]
fn broken_rule_and_damaged_input_are_reported_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("good.yml"),
        "title: Whoami\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n    CommandLine|contains: whoami\n  condition: sel\nlevel: low\n",
    )
    .expect("write");
    std::fs::write(
        rules.join("broken.yml"),
        "title: Broken\nid: 11111111-2222-4333-8444-555555555555\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine|contians: x\n  condition: sel\n",
    )
    .expect("write");
    let logs = dir.path().join("logs.jsonl");
    std::fs::write(
        &logs,
        "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"whoami\"}\n{not json\n{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"whoami /all\"}\n",
    )
    .expect("write");
    let rules_s = rules.display().to_string();
    let (out, err, code) = vigie(&["rules", "check", &rules_s, "--format", "json"]);
    assert_eq!(code, 1);
    let out = out.replace(&rules_s, "RULES");
    insta::assert_snapshot!("rules_check_broken_json", out);
    let (out, _, _) = vigie(&["rules", "check", &rules_s]);
    insta::assert_snapshot!("rules_check_broken_text", out.replace(&rules_s, "RULES"));
    let logs_s = logs.display().to_string();
    let (out, err2, code) = vigie(&["hunt", &logs_s, "-r", &rules_s, "-f", "csv"]);
    assert_eq!(code, 0, "{err}{err2}");
    assert_eq!(out.lines().count(), 3, "header and two detections: {out}");
    let err2 = err2.replace(&rules_s, "RULES").replace(&logs_s, "LOGS");
    insta::assert_snapshot!("hunt_broken_inputs_stderr", err2);
}

#[test]
fn errors_end_with_a_hint() {
    let (_, err, code) = vigie(&["hunt", "examples/incident", "--min-level", "severe"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("error_unknown_level", err);
}

#[test]
fn rules_list_filters() {
    let (out, err, code) = vigie(&["rules", "list", "--level", "critical", "--format", "jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_eq!(v["level"], "critical");
    }
}

#[test]
fn search_by_string_regex_and_field() {
    let (out, err, code) = vigie(&["search", "examples/incident", "--string", "mega:", "-q"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("search_string_table", out);
    let (out, err, code) = vigie(&[
        "search",
        "examples/incident",
        "-F",
        "CommandLine|contains=vssadmin",
        "-F",
        "EventID=1",
        "-f",
        "jsonl",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("search_field_jsonl", out);
    let (out, err, code) = vigie(&[
        "search",
        "examples/incident",
        "--regex",
        r"LISEZ-MOI_\w+\.txt",
        "-f",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().count(),
        21,
        "a header and the 20 events naming the ransom note file: {out}"
    );
    insta::assert_snapshot!("search_regex_summary", err);
    // A literal star in --string is not a wildcard.
    let (out, _, _) = vigie(&[
        "search",
        "examples/incident",
        "--string",
        "LISEZ*",
        "-q",
        "-f",
        "jsonl",
    ]);
    assert!(out.is_empty(), "{out}");
}

#[test]
fn search_needs_a_condition() {
    let (_, err, code) = vigie(&["search", "examples/incident"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("search_without_condition", err);
}
