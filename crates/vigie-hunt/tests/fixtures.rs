//! Data-driven Sigma semantics tests: each folder of `tests/fixtures/sigma/` holds a
//! `rule.yml`, `events.jsonl` and `expected.txt` (one `rule title record_id` per line).

mod common;

use vigie_hunt::{hunt, HuntOptions};

#[test]
fn sigma_fixture_folders() {
    let root = common::repo_root().join("tests/fixtures/sigma");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 10, "fixtures missing in {}", root.display());
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (rules, issues) = common::load(vec![dir.join("rule.yml")]);
        let errors: Vec<_> = issues.iter().filter(|i| i.is_error()).collect();
        if !errors.is_empty() {
            failures.push(format!("{name}: rule errors {errors:?}"));
            continue;
        }
        let report = hunt(
            &[dir.join("events.jsonl")],
            &rules,
            &HuntOptions::default(),
            &(),
        );
        assert!(report.errors.is_empty(), "{name}: {:?}", report.errors);
        let mut got: Vec<String> = report
            .detections
            .to_vec()
            .expect("the timeline reads back")
            .iter()
            .map(|d| format!("{} {}", d.rule_title, d.record_id))
            .collect();
        got.sort();
        let mut want: Vec<String> = std::fs::read_to_string(dir.join("expected.txt"))
            .expect("expected.txt")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect();
        want.sort();
        if got != want {
            failures.push(format!("{name}:\n  expected {want:?}\n  got      {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
