//! What Vigie cannot look at is "not evaluated", never a pass: an RPM database and systemd units
//! on a root that has them (`tests/fixtures/oval/cannot-look.xml`); without them the answers
//! are OpenSCAP's (no RPM database: no package; no systemd running: error).

use std::path::PathBuf;

fn results(root: &std::path::Path) -> Vec<(String, String)> {
    let doc =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/oval/cannot-look.xml");
    let text = std::fs::read_to_string(&doc).expect("fixture");
    let loaded = vigie_oval::parse(&text, "cannot-look.xml").expect("parses");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    vigie_oval::evaluate(&loaded.document, root)
        .0
        .into_iter()
        .map(|r| (r.definition_id, r.result))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn rpm_database_and_running_systemd_are_not_evaluated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("var/lib/rpm")).expect("mkdir");
    std::fs::write(tmp.path().join("var/lib/rpm/rpmdb.sqlite"), b"").expect("write");
    std::fs::create_dir_all(tmp.path().join("run/systemd/system")).expect("mkdir");
    assert_eq!(
        results(tmp.path()),
        pairs(&[
            ("oval:look:def:1", "not evaluated"),
            ("oval:look:def:2", "not evaluated"),
            ("oval:look:def:3", "not evaluated"),
        ])
    );
}

#[test]
fn without_them_the_answers_are_oscaps() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        results(tmp.path()),
        pairs(&[
            ("oval:look:def:1", "true"),
            ("oval:look:def:2", "true"),
            ("oval:look:def:3", "true"),
        ])
    );
}
