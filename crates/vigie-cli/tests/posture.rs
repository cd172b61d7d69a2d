//! `vigie posture` end to end: two audits of a host recorded a month apart (findings and OVAL
//! results written by the test), then the history as a table, JSON lines and the HTML report.

mod common;

use common::{root, vigie};

const VULNS_1: &str = r#"{"ecosystem":"Debian:12","package":"openssl","version":"3.0.11","advisory_id":"DSA-0001","aliases":["CVE-2099-1"],"severity":{"score":9.8,"severity":"Critical"},"fixed_versions":["3.0.13"],"status":"affected","kev":true}
{"ecosystem":"PyPI","package":"jinja2","version":"2.10.1","advisory_id":"GHSA-0002","aliases":[],"severity":{"score":null,"severity":"Medium"},"fixed_versions":["2.11.3"],"status":"affected","kev":false}
{"ecosystem":"Go","package":"example.org/x","version":"1.0.0","advisory_id":"GO-0003","aliases":[],"severity":{"score":null,"severity":""},"fixed_versions":[],"status":"not_evaluated","kev":false}
"#;
const VULNS_2: &str = r#"{"ecosystem":"PyPI","package":"jinja2","version":"2.10.1","advisory_id":"GHSA-0002","aliases":[],"severity":{"score":null,"severity":"Medium"},"fixed_versions":["2.11.3"],"status":"affected","kev":false}
"#;
const OVAL_1: &str = r#"{"definition_id":"oval:t:def:1","result":"false","title":"sshd: root login disabled","class":"compliance"}
{"definition_id":"oval:t:def:2","result":"true","title":"sshd: MaxAuthTries at most 4","class":"compliance"}
{"definition_id":"oval:t:def:3","result":"error","title":"auditd running","class":"compliance"}
not json
"#;
const OVAL_2: &str = r#"{"definition_id":"oval:t:def:1","result":"true","title":"sshd: root login disabled","class":"compliance"}
{"definition_id":"oval:t:def:2","result":"false","title":"sshd: MaxAuthTries at most 4","class":"compliance"}
{"definition_id":"oval:t:def:3","result":"true","title":"auditd running","class":"compliance"}
"#;

#[test]
fn posture_history_table_jsonl_and_html() {
    let dir = root().join("target/posture-cli-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (name, text) in [
        ("v1", VULNS_1),
        ("v2", VULNS_2),
        ("o1", OVAL_1),
        ("o2", OVAL_2),
    ] {
        std::fs::write(dir.join(format!("{name}.jsonl")), text).expect("write");
    }
    let store = "target/posture-cli-test/store";
    let f = |n: &str| format!("target/posture-cli-test/{n}.jsonl");
    let mut report = String::new();
    for (v, o, at) in [
        ("v1", "o1", "2026-10-01T09:00:00Z"),
        ("v2", "o2", "2026-11-01T09:00:00Z"),
    ] {
        let (out, err, code) = vigie(&[
            "posture",
            "record",
            "--host",
            "srv-web-02",
            "--store",
            store,
            "--vulns",
            &f(v),
            "--config",
            &f(o),
            "--at",
            at,
        ]);
        report.push_str(&format!("[record: exit {code}]\n{out}{err}\n"));
    }
    for format in ["table", "jsonl"] {
        let (out, err, code) = vigie(&[
            "posture",
            "show",
            "--host",
            "srv-web-02",
            "--store",
            store,
            "-f",
            format,
        ]);
        report.push_str(&format!("[show {format}: exit {code}]\n{out}{err}\n"));
    }
    let (_, err, code) = vigie(&["posture", "show", "--host", "nobody", "--store", store]);
    report.push_str(&format!("[unknown host: exit {code}]\n{err}"));
    insta::assert_snapshot!(report);

    let (html, _, code) = vigie(&[
        "posture",
        "show",
        "--host",
        "srv-web-02",
        "--store",
        store,
        "-f",
        "html",
    ]);
    assert_eq!(code, 0);
    for expected in [
        "<svg",
        "<polyline",
        "Security posture of srv-web-02",
        "Since the previous run: 2 fixed, 1 new, 1 still failing.",
        "sshd: MaxAuthTries at most 4 (oval:t:def:2)",
        "jinja2 2.10.1 — GHSA-0002",
    ] {
        assert!(
            html.contains(expected),
            "{expected:?} missing from the report"
        );
    }
    for external in ["<script", "<link", "src=\"http", "href=\"http", "url(http"] {
        assert!(
            !html.contains(external),
            "the report must stand alone: {external}"
        );
    }
}
