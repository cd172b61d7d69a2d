//! Reading OVAL content: a SCAP source data stream gives the same definitions as the OVAL file
//! it carries (the CPE applicability component left aside), XML that is not well-formed or not
//! OVAL is refused with the file and line, malformed elements are named and left out.

#[path = "../../../tests/fixtures/oval/fake_root.rs"]
mod fake_root;

use std::path::{Path, PathBuf};

use vigie_oval::{evaluate, parse, OvalError};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/oval")
}

/// `checks.xml` wrapped in a SCAP 1.3 source data stream with a second, smaller OVAL
/// component (CPE checks), as the SCAP Security Guide ships them.
fn data_stream(oval: &str) -> String {
    let body = oval.split_once("?>").map(|(_, rest)| rest).unwrap_or(oval);
    let cpe = r#"<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"><definitions><definition id="oval:cpe:def:1" version="1" class="inventory"><metadata><title>cpe</title></metadata><criteria><extend_definition definition_ref="oval:cpe:def:1"/></criteria></definition></definitions></oval_definitions>"#;
    format!(
        r#"<?xml version="1.0"?>
<ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2" id="scap_vigie_collection_from_xccdf" schematron-version="1.3">
  <ds:data-stream id="scap_vigie_datastream" scap-version="1.3" use-case="OTHER"/>
  <ds:component id="scap_vigie_comp_cpe-oval.xml">{cpe}</ds:component>
  <ds:component id="scap_vigie_comp_oval.xml">{body}</ds:component>
</ds:data-stream-collection>"#
    )
}

#[test]
fn data_stream_gives_the_oval_component() {
    let text = std::fs::read_to_string(fixtures().join("checks.xml")).expect("fixture");
    let plain = parse(&text, "checks.xml").expect("parses");
    let ds = parse(&data_stream(&text), "checks-ds.xml").expect("data stream parses");
    assert!(ds.problems.is_empty(), "{:?}", ds.problems);
    let ids = |l: &vigie_oval::Loaded| {
        l.document
            .definitions
            .iter()
            .map(|d| d.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&plain), ids(&ds));
    assert_eq!(ids(&ds).len(), 30);
    let tmp = tempfile::tempdir().expect("tempdir");
    fake_root::build(tmp.path());
    let results = |l: &vigie_oval::Loaded| {
        evaluate(&l.document, tmp.path())
            .0
            .into_iter()
            .map(|r| (r.definition_id, r.result))
            .collect::<Vec<_>>()
    };
    assert_eq!(results(&plain), results(&ds));
}

#[test]
fn installed_ssg_data_stream_matches_its_oval_file() {
    let dir = Path::new("/usr/share/xml/scap/ssg/content");
    let (ds, oval) = (
        dir.join("ssg-debian11-ds.xml"),
        dir.join("ssg-debian11-oval.xml"),
    );
    if !ds.is_file() || !oval.is_file() {
        eprintln!(
            "\n*** SKIPPED installed_ssg_data_stream_matches_its_oval_file: {} not found \
             (apt-get install ssg-debian) ***\n",
            ds.display()
        );
        return;
    }
    let read = |p: &Path| {
        let text = std::fs::read_to_string(p).expect("read SSG content");
        let l = parse(&text, &p.display().to_string()).expect("SSG content parses");
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let mut ids: Vec<String> = l
            .document
            .definitions
            .iter()
            .map(|d| d.id.clone())
            .collect();
        ids.sort();
        (ids, l.document.tests.len(), l.document.objects.len())
    };
    let (a, b) = (read(&ds), read(&oval));
    assert_eq!(a, b);
    assert_eq!(a.0.len(), 487);
}

#[test]
fn not_xml_and_not_oval_are_refused() {
    match parse("<a>\n<b></a>", "broken.xml") {
        Err(OvalError::Xml { file, line, .. }) => {
            assert_eq!(file, "broken.xml");
            assert_eq!(line, 2);
        }
        other => panic!("expected an XML error, got {:?}", other.map(|_| ())),
    }
    let e = parse("<root xmlns=\"urn:x\"><definitions/></root>", "other.xml")
        .err()
        .expect("not OVAL");
    assert_eq!(
        e.to_string(),
        "other.xml: no OVAL definitions found (expected oval_definitions, or a SCAP source data stream with an OVAL component)"
    );
}

#[test]
fn malformed_elements_are_named_and_left_out() {
    let text = std::fs::read_to_string(fixtures().join("malformed.xml")).expect("fixture");
    let l = parse(&text, "malformed.xml").expect("parses");
    let msgs: Vec<String> = l.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        msgs,
        [
            "malformed.xml:10: oval:bad:def:2 (criterion): criterion without test_ref",
            "malformed.xml:28: oval:bad:tst:3: invalid check \"most\"",
            "malformed.xml:40: oval:bad:ste:7 (size): invalid datatype \"integer\"",
        ]
    );
    assert!(!l.document.tests.contains_key("oval:bad:tst:3"));
    assert!(l.document.tests.contains_key("oval:bad:tst:1"));
    assert_eq!(
        l.document.definitions.len(),
        9,
        "broken definitions stay listed"
    );
}
