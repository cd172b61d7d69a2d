//! `vigie audit sca` on a policy and a root folder written for the tests: one line per check,
//! and the messages for bad input.

mod common;

use common::vigie;

#[test]
fn sca_policy_on_a_root() {
    let mut report = String::new();
    for format in ["table", "jsonl"] {
        let (out, err, code) = vigie(&[
            "audit",
            "sca",
            "tests/fixtures/sca/policy.yml",
            "--root",
            "tests/fixtures/sca/root",
            "-f",
            format,
        ]);
        report.push_str(&format!("[{format}: exit {code}]\n{out}{err}\n"));
    }
    let (out, err, code) = vigie(&[
        "audit",
        "sca",
        "tests/fixtures/sca/policy.yml",
        "--root",
        "tests/fixtures/sca",
    ]);
    report.push_str(&format!("[requirements not met: exit {code}]\n{out}{err}"));
    insta::assert_snapshot!(report);
}
