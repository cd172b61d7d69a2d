//! The documented formula on small cases, the history's changes between runs, and reading
//! `audit config` output (its score trailer skipped).

use vigie_posture::{changes, failing, score, Failing, Finding, RuleResult};

fn rule(id: &str, severity: &str, result: &str) -> RuleResult {
    RuleResult {
        id: id.into(),
        title: String::new(),
        severity: severity.into(),
        result: result.into(),
    }
}

fn finding(advisory: &str, score: Option<f64>, severity: &str, kev: bool) -> Finding {
    Finding {
        package: "openssl".into(),
        version: "3.0.11".into(),
        advisory: advisory.into(),
        score,
        severity: severity.into(),
        kev,
    }
}

#[test]
fn compliance_weighs_rules_by_severity_and_ignores_other_results() {
    let rules = [
        rule("a", "high", "pass"),
        rule("b", "low", "fail"),
        rule("c", "", "fail"),
        rule("d", "medium", "error"),
    ];
    let s = score(Some(&rules), None);
    // Passed weight 3 of 3 + 1 + 2.
    assert_eq!(s.compliance, Some(50.0));
    assert_eq!(s.vulnerabilities, None);
    assert_eq!(s.score, 50.0);
}

#[test]
fn vulnerabilities_decay_with_weighted_findings() {
    assert_eq!(score(None, Some(&[])).vulnerabilities, Some(100.0));
    let one = [finding("X-1", Some(10.0), "Critical", false)];
    let v = score(None, Some(&one)).vulnerabilities.expect("scored");
    assert!((v - 100.0 * (-0.1f64).exp()).abs() < 1e-9, "{v}");
    let kev = [finding("X-1", None, "High", true)];
    let v = score(None, Some(&kev)).vulnerabilities.expect("scored");
    assert!((v - 100.0 * (-0.16f64).exp()).abs() < 1e-9, "{v}");
    let both = score(Some(&[rule("a", "high", "pass")]), Some(&one));
    assert!((both.score - (100.0 + 100.0 * (-0.1f64).exp()) / 2.0).abs() < 1e-9);
}

#[test]
fn changes_between_runs() {
    let before = failing(&[rule("a", "high", "fail"), rule("b", "low", "fail")], &[]);
    let now = failing(
        &[rule("b", "low", "fail")],
        &[finding("X-2", Some(7.5), "High", false)],
    );
    let c = changes(&before, &now);
    let keys = |v: &[Failing]| v.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&c.fixed), vec!["rule:a"]);
    assert_eq!(keys(&c.new), vec!["vuln:X-2:openssl"]);
    assert_eq!(keys(&c.still), vec!["rule:b"]);
}

#[test]
fn audit_config_score_trailer_is_not_a_result() {
    let text = concat!(
        r#"{"rule_id":"r1","title":"t","severity":"high","result":"fail"}"#,
        "\n",
        r#"{"system":"urn:xccdf:scoring:default","score":37.5,"maximum":100.0}"#,
        "\n"
    );
    let (rules, problems) = vigie_posture::read_rules(text, "config.jsonl");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].id, "r1");
}
