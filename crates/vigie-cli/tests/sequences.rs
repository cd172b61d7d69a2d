//! `vigie sequences train | detect` end to end on `tests/fixtures/sequences/` (written for these
//! tests: 24 training sessions whose labels must not matter, and sessions to judge with one line
//! that cannot be read): the model, the table and JSON lines, and the error texts, as snapshots.

mod common;

use common::vigie;

const FIX: &str = "tests/fixtures/sequences";

/// Trains on the fixture into a temporary folder: (the folder, the model's path as text).
fn trained() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let model = dir.path().join("model.json").display().to_string();
    let (out, err, code) = vigie(&[
        "sequences",
        "train",
        &format!("{FIX}/train.csv"),
        "--model",
        &model,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    insta::assert_snapshot!("sequences_train_stderr", err.replace(&model, "MODEL"));
    (dir, model)
}

#[test]
fn training_ignores_labels_and_writes_the_model() {
    let (_dir, model) = trained();
    let text = std::fs::read_to_string(&model).expect("model written");
    insta::assert_snapshot!("sequences_model", text);
    // Labels flipped: the same model.
    let dir = tempfile::tempdir().expect("temporary folder");
    let flipped = dir.path().join("flipped.csv");
    let source =
        std::fs::read_to_string(common::root().join(FIX).join("train.csv")).expect("fixture");
    let relabelled: String = source
        .lines()
        .map(|l| {
            l.replacen(",0,", ",X,", 1)
                .replacen(",1,", ",0,", 1)
                .replacen(",X,", ",1,", 1)
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&flipped, relabelled).expect("write");
    let other = dir.path().join("m.json").display().to_string();
    let (_, err, code) = vigie(&[
        "sequences",
        "train",
        &flipped.display().to_string(),
        "--model",
        &other,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&other).expect("model"), text);
}

/// `vigie sequences detect` of the fixture with a freshly trained model, then FORMAT ARGS.
fn detect(format: &[&str]) -> (String, String, i32) {
    let (_dir, model) = trained();
    let mut args = vec![
        "sequences".to_owned(),
        "detect".to_owned(),
        format!("{FIX}/detect.csv"),
        "--model".to_owned(),
        model,
    ];
    args.extend(format.iter().map(|a| (*a).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    vigie(&args)
}

#[test]
fn detect_table_explains_each_anomaly_and_reports_the_bad_line() {
    let (out, err, code) = detect(&[]);
    assert_eq!(code, 1, "a line was skipped: {err}");
    insta::assert_snapshot!("sequences_detect_table", out);
    insta::assert_snapshot!("sequences_detect_stderr", err);
}

#[test]
fn detect_jsonl_carries_the_violations() {
    let (out, err, code) = detect(&["--format", "jsonl"]);
    assert_eq!(code, 1, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert!(v["violations"][0]["sentence"].is_string(), "{line}");
    }
    insta::assert_snapshot!("sequences_detect_jsonl", out);
}

#[test]
fn errors_name_the_file_and_what_is_wrong() {
    let (_, err, code) = vigie(&[
        "sequences",
        "detect",
        &format!("{FIX}/detect.csv"),
        "--model",
        &format!("{FIX}/train.csv"),
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("sequences_bad_model", err);
    let dir = tempfile::tempdir().expect("temporary folder");
    let model = dir.path().join("m.json").display().to_string();
    let (_, err, code) = vigie(&[
        "sequences",
        "train",
        "tests/fixtures/templates/app.txt",
        "--model",
        &model,
    ]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("sequences_no_sequence_column", err);
}
