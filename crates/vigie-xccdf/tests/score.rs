//! The default scoring model (`urn:xccdf:scoring:default`) and the `informational` result on
//! `tests/fixtures/xccdf/score-xccdf.xml` (written for these tests; its OVAL checks are
//! checks-oval.xml) on a fake root: weighted groups and rules, unscored rules (informational,
//! pass or fail, left out of the score), a not applicable rule, a group of weight 0, a group with
//! nothing scored, a rule deselected by the profile, a profile's refine-rules. The expected scores are those
//! `oscap xccdf eval --results` writes for the same root (tests/xccdf/run.sh compares them).

mod common;

use std::path::Path;

use common::{fake_root, fixtures, verdicts};
use vigie_xccdf::{Report, RuleResult, DEFAULT_MODEL};

fn run(root: &Path, profile: Option<&str>) -> Report {
    common::evaluate("score-xccdf.xml", root, profile, false)
}

#[test]
fn unscored_rules_are_informational() {
    let root = fake_root();
    let report = run(root.path(), Some("xccdf_org.vigie_profile_scored"));
    assert_eq!(
        verdicts(&report.results),
        vec![
            ("a_pass", "pass"),
            ("a_fail", "fail"),
            ("a_unscored_fail", "informational"),
            ("a_unscored_pass", "informational"),
            ("b_pass", "pass"),
            ("b_mainframe", "notapplicable"),
            ("c_fail", "fail"),
            ("top_fail", "fail"),
            ("no_definition", "notchecked"),
            ("no_definition_unscored", "informational"),
            ("manual", "notchecked"),
            ("d_unchecked", "notchecked"),
        ]
    );
    // Informational results carry no fix text.
    assert!(report.results[2].fix.is_none());
    insta::assert_json_snapshot!(report.results);
}

#[test]
fn default_model_weights_groups_and_rules() {
    let root = fake_root();
    // Group a (weight 2): (100 × 1 + 0 × 3) / 4 = 25, unscored rules left out. Group b (weight
    // 1): (100 × 0.5 + group c's 0 × 0) / (0.5 + 0) = 100, the not applicable rule left out.
    // top_fail (weight 1): 0. manual (notchecked) and group d (nothing scored) left out.
    // Benchmark: (25 × 2 + 100 × 1 + 0 × 1) / (2 + 1 + 1) = 37.5.
    let report = run(root.path(), Some("xccdf_org.vigie_profile_scored"));
    assert_eq!(report.score.system, DEFAULT_MODEL);
    assert_eq!(report.score.maximum, 100.0);
    assert_eq!(report.score.score, 37.5);
}

#[test]
fn a_deselected_rule_is_not_scored_and_the_default_selection_scores_it() {
    let root = fake_root();
    // Without the profile, rule off (weight 4, failing) is selected: 150 / (2 + 1 + 1 + 4).
    let report = run(root.path(), None);
    assert!(verdicts(&report.results).contains(&("off", "fail")));
    assert_eq!(report.score.score, 18.75);
}

#[test]
fn everything_passing_scores_the_maximum_and_nothing_scored_scores_zero() {
    let root = fake_root();
    // The banner makes every failing rule pass.
    std::fs::write(root.path().join("etc/app/banner"), "Authorized use only\n").expect("write");
    let report = run(root.path(), Some("xccdf_org.vigie_profile_scored"));
    assert_eq!(report.score.score, 100.0);
    // Without /etc/passwd and the banner, every scored rule fails.
    let empty = tempfile::tempdir().expect("tempdir");
    let report = run(empty.path(), Some("xccdf_org.vigie_profile_scored"));
    assert_eq!(report.score.score, 0.0);
}

#[test]
fn score_of_hand_made_results() {
    // The model on results given directly: only rules listed are scored.
    let dir = fixtures();
    let text = std::fs::read_to_string(dir.join("score-xccdf.xml")).expect("fixture");
    let content = vigie_xccdf::parse(&text, "score-xccdf.xml").expect("parses");
    let r = |id: &str, result: &str| RuleResult {
        rule_id: format!("xccdf_org.vigie_rule_{id}"),
        title: String::new(),
        severity: String::new(),
        result: result.to_owned(),
        fix: None,
    };
    let score = |rs: &[RuleResult]| vigie_xccdf::default_score(&content.benchmark, rs).score;
    assert_eq!(score(&[]), 0.0, "nothing scored");
    assert_eq!(
        score(&[r("a_fail", "fixed")]),
        100.0,
        "fixed counts as pass"
    );
    assert_eq!(score(&[r("a_pass", "error")]), 0.0, "error counts as fail");
    // Unknown and error fail; a pass in group a (weight 2) and a fail at the top (weight 1).
    assert_eq!(
        score(&[r("a_pass", "pass"), r("top_fail", "unknown")]),
        200.0 / 3.0
    );
    // A rule of role unscored is left out whatever its result.
    assert_eq!(
        score(&[r("a_unscored_fail", "fail"), r("a_pass", "pass")]),
        100.0
    );
    // A group of weight 0 alone: its rules count, its weight is 0, the benchmark's sum of
    // weights is 0 and the score stays 0.
    assert_eq!(score(&[r("c_fail", "pass")]), 0.0);
    assert_eq!(score(&[r("b_pass", "notapplicable")]), 0.0);
}

#[test]
fn refine_rule_changes_roles_and_severities_not_scored_weights() {
    let root = fake_root();
    let report = run(root.path(), Some("xccdf_org.vigie_profile_refined"));
    let v = verdicts(&report.results);
    // role full: checked and scored; unscored: informational; unchecked: notchecked.
    assert!(v.contains(&("a_unscored_fail", "fail")));
    assert!(v.contains(&("top_fail", "informational")));
    assert!(v.contains(&("b_pass", "notchecked")));
    // The refined severity is reported.
    assert_eq!(report.results[1].severity, "low");
    // As oscap 1.3.7, the benchmark's weights are scored, not the refined ones: group a
    // (weight 2) (100 × 1 + 0 × 3 + 0 × 5) / 9, group b's only scored rule is in group c of
    // weight 0; (2 × 100 / 9 + 0) / (2 + 1) = 7.407407.
    assert_eq!(format!("{:.6}", report.score.score), "7.407407");
    insta::assert_json_snapshot!(report.results);
}
