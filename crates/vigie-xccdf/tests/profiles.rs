//! A small benchmark written for these tests (`tests/fixtures/xccdf/bench-xccdf.xml` and its
//! OVAL checks) evaluated on fake roots: profiles, a refine-value that turns a pass into a fail,
//! a platform that does not match, --ignore-platform, a deselected group, an OCIL check, a rule
//! whose role is unchecked, a check whose first OVAL file is missing (the second is used).

mod common;

use std::path::{Path, PathBuf};

use common::{fixtures, verdicts};
use vigie_xccdf::{Options, RuleResult};

fn run(root: &Path, profile: Option<&str>, ignore_platform: bool) -> Vec<RuleResult> {
    common::evaluate("bench-xccdf.xml", root, profile, ignore_platform).results
}

/// The common fake root with the application's configuration file.
fn fake_root() -> tempfile::TempDir {
    let tmp = common::fake_root();
    std::fs::write(tmp.path().join("etc/app/app.conf"), "max_retries = 3\n").expect("write");
    tmp
}

#[test]
fn base_profile() {
    let root = fake_root();
    let results = run(root.path(), Some("xccdf_org.vigie_profile_base"), false);
    insta::assert_json_snapshot!(results);
}

#[test]
fn refine_value_changes_the_verdict() {
    let root = fake_root();
    let base = run(root.path(), Some("xccdf_org.vigie_profile_base"), false);
    let strict = run(root.path(), Some("xccdf_org.vigie_profile_strict"), false);
    assert_eq!(verdicts(&base)[0], ("max_retries", "pass"));
    assert_eq!(verdicts(&strict)[0], ("max_retries", "fail"));
    assert_eq!(
        strict[0].fix.as_deref(),
        Some("Set max_retries in /etc/app/app.conf to the allowed value.")
    );
    insta::assert_json_snapshot!(strict);
}

#[test]
fn ignore_platform_evaluates_the_mainframe_rule() {
    let root = fake_root();
    let on = run(root.path(), Some("xccdf_org.vigie_profile_base"), false);
    let off = run(root.path(), Some("xccdf_org.vigie_profile_base"), true);
    assert!(verdicts(&on).contains(&("mainframe", "notapplicable")));
    assert!(verdicts(&off).contains(&("mainframe", "pass")));
    insta::assert_json_snapshot!(off);
}

#[test]
fn group_platform_makes_its_rules_notapplicable() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("etc")).expect("mkdir");
    std::fs::write(tmp.path().join("etc/passwd"), "root:x:0:0::/root:/bin/sh\n").expect("write");
    let results = run(tmp.path(), Some("xccdf_org.vigie_profile_base"), false);
    assert_eq!(
        verdicts(&results),
        vec![
            ("max_retries", "notapplicable"),
            ("banner", "notapplicable"),
            ("no_banner", "notapplicable"),
            ("passwd", "pass"),
            ("mainframe", "notapplicable"),
            ("manual", "notchecked"),
            ("unchecked", "notchecked"),
            ("second_ref", "pass"),
        ]
    );
}

#[test]
fn without_a_profile_the_default_selection() {
    let root = fake_root();
    let results = run(root.path(), None, false);
    // Every rule says selected="false" except the one in the extra group.
    assert_eq!(verdicts(&results), vec![("extra", "pass")]);
}

#[test]
fn unknown_profile_is_an_error_naming_it() {
    let dir = fixtures();
    let text = std::fs::read_to_string(dir.join("bench-xccdf.xml")).expect("fixture");
    let content = vigie_xccdf::parse(&text, "bench-xccdf.xml").expect("parses");
    let opts = Options {
        profile: Some("nope".into()),
        root: PathBuf::from("/"),
        ignore_platform: false,
    };
    let err = vigie_xccdf::evaluate(&content, &text, "bench-xccdf.xml", &dir, &opts)
        .expect_err("unknown profile");
    let msg = err.to_string();
    assert!(
        msg.contains("nope") && msg.contains("xccdf_org.vigie_profile_strict"),
        "{msg}"
    );
}
