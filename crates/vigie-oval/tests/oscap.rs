//! Agreement with OpenSCAP on a fake root: `tests/fixtures/oval/checks.xml` evaluated by
//! Vigie and by `oscap oval eval` under `OSCAP_PROBE_ROOT` on the same freshly built folder
//! (`tests/fixtures/oval/fake_root.rs`). Every definition must get oscap's result, except the differences listed
//! with their cause in `tests/fixtures/oval/checks.expected-differences.tsv` (a listed one that
//! agrees fails the test too). Without oscap the test says SKIPPED loudly
//! (`tests/oval/run.sh` installs it).

#[path = "../../../tests/fixtures/oval/fake_root.rs"]
mod fake_root;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/oval")
}

fn vigie_results(doc: &Path, variables: Option<&Path>, root: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(doc).expect("read the OVAL fixture");
    let loaded = vigie_oval::parse(&text, &doc.display().to_string()).expect("fixture parses");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let externals = variables
        .map(|v| {
            let t = std::fs::read_to_string(v).expect("read the variables fixture");
            vigie_oval::parse_variables(&t, &v.display().to_string()).expect("variables parse")
        })
        .unwrap_or_default();
    let (results, notes) = vigie_oval::evaluate_with(&loaded.document, root, &externals);
    for n in notes {
        eprintln!("vigie note: {n}");
    }
    results
        .into_iter()
        .map(|r| (r.definition_id, r.result))
        .collect()
}

/// oscap's per-definition results, or `None` when oscap is not installed.
fn oscap_results(
    doc: &Path,
    variables: Option<&Path>,
    root: &Path,
    out: &Path,
) -> Option<BTreeMap<String, String>> {
    let mut cmd = Command::new("oscap");
    cmd.env("OSCAP_PROBE_ROOT", root)
        .args(["oval", "eval", "--results"])
        .arg(out.join("oscap-results.xml"));
    if let Some(v) = variables {
        cmd.arg("--variables").arg(v);
    }
    let run = cmd.arg(doc).output();
    let run = match run {
        Ok(r) => r,
        Err(_) => return None,
    };
    let stdout = String::from_utf8_lossy(&run.stdout);
    // oscap exits with 2 when some definition is in error (or false), 1 when a probe failed
    // (environmentvariable58 under OSCAP_PROBE_ROOT) though every definition has a result.
    assert!(
        matches!(run.status.code(), Some(0..=2)) && stdout.contains("Definition "),
        "oscap failed: {}\n{}",
        stdout,
        String::from_utf8_lossy(&run.stderr)
    );
    Some(
        stdout
            .lines()
            .filter_map(|l| l.strip_prefix("Definition "))
            .filter_map(|l| l.split_once(": "))
            .map(|(id, r)| (id.to_owned(), r.to_owned()))
            .collect(),
    )
}

/// `definition id -> (vigie, oscap)` of the listed differences.
fn expected_differences(path: &Path) -> BTreeMap<String, (String, String)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Some((
                c.first()?.to_string(),
                (c.get(1)?.to_string(), c.get(2)?.to_string()),
            ))
        })
        .collect()
}

/// Evaluates `doc` on a fresh fake root with Vigie and oscap and checks the differences are
/// exactly those listed in `expected`.
fn compare_on_fake_root(name: &str, doc: &Path, variables: Option<&Path>, expected: &Path) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("root");
    fake_root::build(&root);
    let ours = vigie_results(doc, variables, &root);
    let Some(theirs) = oscap_results(doc, variables, &root, tmp.path()) else {
        eprintln!(
            "\n*** SKIPPED {name}: `oscap` is not installed \
             (apt-get install openscap-scanner, or run tests/oval/run.sh) ***\n"
        );
        assert!(
            std::env::var_os("VIGIE_OVAL_REQUIRE_OSCAP").is_none(),
            "VIGIE_OVAL_REQUIRE_OSCAP is set but oscap is not installed"
        );
        return;
    };
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "the same definitions"
    );
    let expected = expected_differences(expected);
    let mut failures = Vec::new();
    for (id, theirs) in &theirs {
        let ours = &ours[id];
        match (ours == theirs, expected.get(id)) {
            (true, None) => {}
            (false, Some((v, o))) if v == ours && o == theirs => {}
            (true, Some(_)) => {
                failures.push(format!("{id}: listed as a difference but both say {ours}"))
            }
            (false, _) => failures.push(format!(
                "{id}\t{ours}\t{theirs}\t(vigie, oscap): not listed"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{name}: disagreements with oscap:\n{}",
        failures.join("\n")
    );
    eprintln!(
        "{name}: {} definitions, {} agree with oscap, {} listed differences",
        theirs.len(),
        theirs.len() - expected.len(),
        expected.len()
    );
}

/// A fixture written for these tests, `tests/fixtures/oval/{name}.xml`, with its
/// `{name}.expected-differences.tsv`.
fn written_fixture(test: &str, name: &str) {
    compare_on_fake_root(
        test,
        &fixtures().join(format!("{name}.xml")),
        None,
        &fixtures().join(format!("{name}.expected-differences.tsv")),
    );
}

#[test]
fn fake_root_agrees_with_oscap() {
    written_fixture("fake_root_agrees_with_oscap", "checks");
}

/// External variables given by an OVAL variables document (`oscap --variables`).
#[test]
fn external_variables_agree_with_oscap() {
    compare_on_fake_root(
        "external_variables_agree_with_oscap",
        &fixtures().join("checks.xml"),
        Some(&fixtures().join("checks.variables.xml")),
        &fixtures().join("checks.expected-differences.tsv"),
    );
}

/// rpminfo and systemd tests on a root without an RPM database or systemd (the fake root).
#[test]
fn cannot_look_fixture_agrees_with_oscap() {
    written_fixture("cannot_look_fixture_agrees_with_oscap", "cannot-look");
}

/// A SCAP Security Guide OVAL file (Debian packages ssg-debian, ssg-debderived) on the fake
/// root; `SKIPPED` when it is not installed.
fn ssg_on_fake_root(test: &str, content: &str) {
    let doc = Path::new("/usr/share/xml/scap/ssg/content").join(format!("ssg-{content}-oval.xml"));
    if !doc.is_file() {
        eprintln!(
            "\n*** SKIPPED {test}: {} not found \
             (apt-get install ssg-debian ssg-debderived, or run tests/oval/run.sh) ***\n",
            doc.display()
        );
        assert!(
            std::env::var_os("VIGIE_OVAL_REQUIRE_OSCAP").is_none(),
            "VIGIE_OVAL_REQUIRE_OSCAP is set but the SCAP Security Guide content is not installed"
        );
        return;
    }
    compare_on_fake_root(
        test,
        &doc,
        None,
        &fixtures().join(format!("ssg-{content}.fake-root.expected-differences.tsv")),
    );
}

#[test]
fn ssg_debian11_on_fake_root_agrees_with_oscap() {
    ssg_on_fake_root("ssg_debian11_on_fake_root_agrees_with_oscap", "debian11");
}

#[test]
fn ssg_ubuntu2204_on_fake_root_agrees_with_oscap() {
    ssg_on_fake_root(
        "ssg_ubuntu2204_on_fake_root_agrees_with_oscap",
        "ubuntu2204",
    );
}
