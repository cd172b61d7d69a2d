//! `vigie templates` end to end on the small logs of `tests/fixtures/templates/` (written for
//! these tests): CSV and JSON lines, several files, `--log-format` with a line it does not
//! match, a store carried from one run to the next, and the error texts; pinned as snapshots.

use std::path::{Path, PathBuf};
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

const FIX: &str = "tests/fixtures/templates";
const SYSLOG: &str = "<Month> <Day> <Time> <Host> <Component>: <Content>";

#[test]
fn templates_csv_one_file() {
    let (out, err, code) = vigie(&["templates", &format!("{FIX}/app.txt")]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("templates_csv", out);
    insta::assert_snapshot!("templates_csv_stderr", err);
}

#[test]
fn templates_jsonl_two_files() {
    let (out, err, code) = vigie(&[
        "templates",
        &format!("{FIX}/app.txt"),
        &format!("{FIX}/later.txt"),
        "--format",
        "jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert!(v["file"].is_string() && v["template_id"].is_u64(), "{line}");
    }
    insta::assert_snapshot!("templates_jsonl_two_files", out);
}

#[test]
fn templates_log_format_reports_lines_it_does_not_match() {
    let (out, err, code) = vigie(&[
        "templates",
        &format!("{FIX}/sshd.log"),
        "--log-format",
        SYSLOG,
    ]);
    assert_eq!(code, 1, "a skipped line gives exit code 1");
    assert!(!out.contains("\n6,"), "line 6 has no row");
    insta::assert_snapshot!("templates_log_format", out);
    insta::assert_snapshot!("templates_log_format_stderr", err);
}

fn store_run(store: &Path, file: &str) -> (String, String, i32) {
    vigie(&[
        "templates",
        &format!("{FIX}/{file}"),
        "--store",
        store.to_str().expect("utf-8 temp path"),
    ])
}

#[test]
fn templates_store_keeps_ids_across_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let (first, err, code) = store_run(&store, "app.txt");
    assert_eq!(code, 0, "{err}");
    assert!(store.join("templates.json").is_file());
    let (second, err, code) = store_run(&store, "later.txt");
    assert_eq!(code, 0, "{err}");
    // The cache line is template 2 in both runs, and only the disk template is new.
    assert!(
        first.contains("\n3,2,Cache hit ratio <*> over <*> lookups,true"),
        "{first}"
    );
    assert!(
        second.contains("\n1,2,Cache hit ratio <*> over <*> lookups,false"),
        "{second}"
    );
    insta::assert_snapshot!("templates_store_second_run", second);
    insta::assert_snapshot!("templates_store_second_run_stderr", err);
    // A third run over the same file finds nothing new.
    let (third, _, _) = store_run(&store, "later.txt");
    assert!(!third.contains(",true"), "{third}");
}

#[test]
fn templates_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("templates.json"), "{ not a store").expect("write");
    let (out, err, code) = vigie(&[
        "templates",
        &format!("{FIX}/app.txt"),
        "--store",
        dir.path().to_str().expect("utf-8 temp path"),
    ]);
    assert_eq!((out.as_str(), code), ("", 2));
    let err = err.replace(dir.path().to_str().unwrap_or("?"), "STORE");
    insta::assert_snapshot!("templates_bad_store", err);

    let (_, err, code) = vigie(&[
        "templates",
        &format!("{FIX}/app.txt"),
        "--log-format",
        "<Date> <Message>",
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("templates_bad_log_format", err);

    let (out, err, code) = vigie(&[
        "templates",
        &format!("{FIX}/missing.txt"),
        &format!("{FIX}/app.txt"),
    ]);
    assert_eq!(
        code, 1,
        "a missing file is reported and the others are mined"
    );
    assert!(out.contains("app.txt,1,1,"), "{out}");
    insta::assert_snapshot!("templates_missing_file", err);
}

#[test]
fn templates_standard_input_with_crlf() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["templates", "-", "--format", "jsonl"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run vigie");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"disk sda1 at 91%\r\ndisk sdb2 at 97%\r\nlink eth0 up\n")
        .expect("write");
    let out = child.wait_with_output().expect("vigie ends");
    assert!(out.status.success());
    insta::assert_snapshot!("templates_stdin", String::from_utf8_lossy(&out.stdout));
}
