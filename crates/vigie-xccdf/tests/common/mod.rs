//! What the fixture tests share: the fixtures folder, a fake root, evaluating a fixture on it,
//! and the rule verdicts in short.

use std::path::{Path, PathBuf};

use vigie_xccdf::{Options, Report, RuleResult};

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/xccdf")
}

/// A root with `etc/passwd` and an empty `etc/app`.
pub fn fake_root() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("etc/app")).expect("mkdir");
    std::fs::write(tmp.path().join("etc/passwd"), "root:x:0:0::/root:/bin/sh\n").expect("write");
    tmp
}

/// The fixture `file` (an XCCDF file beside its OVAL checks) evaluated on `root`.
pub fn evaluate(file: &str, root: &Path, profile: Option<&str>, ignore_platform: bool) -> Report {
    let dir = fixtures();
    let text = std::fs::read_to_string(dir.join(file)).expect("fixture");
    let content = vigie_xccdf::parse(&text, file).expect("parses");
    let opts = Options {
        profile: profile.map(str::to_owned),
        root: root.to_path_buf(),
        ignore_platform,
    };
    vigie_xccdf::evaluate(&content, &text, file, &dir, &opts).expect("evaluates")
}

/// (rule id without the fixtures' prefix, result) of each rule.
pub fn verdicts(results: &[RuleResult]) -> Vec<(&str, &str)> {
    results
        .iter()
        .map(|r| {
            (
                r.rule_id.trim_start_matches("xccdf_org.vigie_rule_"),
                r.result.as_str(),
            )
        })
        .collect()
}
