//! Each export format on the fixture store, pinned as snapshots, and the TLP ceiling: nothing
//! above it ever leaves, whichever format.

mod common;

use std::collections::BTreeSet;

use common::{chosen, fixture_store, t0};
use serde_json::Value;
use vigie_intel::Tlp;
use vigie_intel_export::{
    indicators_bundle, misp_event, pretty, tlp_marking_id, write_blocklists, write_feed,
    write_indicators_bundle, write_misp_event, EventMeta, ExportIndicator,
};

fn meta() -> EventMeta {
    EventMeta {
        info: "Vigie indicators".into(),
        org: "Vigie".into(),
        now: t0(),
    }
}

fn all(list: &[ExportIndicator]) -> Vec<&ExportIndicator> {
    list.iter().collect()
}

#[test]
fn stix_bundle_snapshot() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = fixture_store(dir.path());
    let sel = chosen(&store, Tlp::Red, true);
    assert_eq!(
        sel.withheld_not_for_detection, 1,
        "the CDN host is context only"
    );
    let mut streamed = Vec::new();
    write_indicators_bundle(&mut streamed, &sel.indicators, "Vigie", t0()).expect("write");
    let streamed = String::from_utf8(streamed).expect("UTF-8");
    let bundle = indicators_bundle(&sel.indicators, "Vigie", t0());
    assert_eq!(streamed, pretty(&bundle), "streamed and whole agree");
    insta::assert_snapshot!("stix_bundle", streamed);
}

#[test]
fn misp_event_snapshot() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = fixture_store(dir.path());
    let sel = chosen(&store, Tlp::Amber, false);
    let refs = all(&sel.indicators);
    let mut streamed = Vec::new();
    write_misp_event(&mut streamed, &refs, &meta()).expect("write");
    let streamed = String::from_utf8(streamed).expect("UTF-8");
    assert_eq!(
        streamed,
        pretty(&misp_event(&refs, &meta())),
        "streamed and whole agree"
    );
    insta::assert_snapshot!("misp_event", streamed);
}

#[test]
fn misp_feed_snapshot() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = fixture_store(&dir.path().join("store"));
    let sel = chosen(&store, Tlp::Green, false);
    let feed = dir.path().join("feed");
    let written = write_feed(&feed, &sel.indicators, "Vigie", "Vigie", t0()).expect("write feed");
    let mut report = String::new();
    for path in &written {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let text = std::fs::read_to_string(path).expect("read back");
        report.push_str(&format!("== {}\n{text}", name.unwrap_or_default()));
    }
    insta::assert_snapshot!("misp_feed", report);
}

#[test]
fn blocklist_snapshot() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = fixture_store(&dir.path().join("store"));
    let sel = chosen(&store, Tlp::Amber, true);
    let report = write_blocklists(&dir.path().join("edl"), &sel.indicators).expect("write");
    let mut text = String::new();
    for (path, n) in &report.files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let body = std::fs::read_to_string(path).expect("read back");
        text.push_str(&format!("== {} ({n})\n{body}", name.unwrap_or_default()));
    }
    text.push_str(&format!(
        "== left out: {:?}\n== other types: {}\n",
        report.left_out, report.other_types
    ));
    insta::assert_snapshot!("blocklists", text);
}

/// The TLP marking ids a document refers to, wherever they are.
fn markings(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "object_marking_refs" {
                    for r in x.as_array().into_iter().flatten() {
                        out.insert(r.as_str().unwrap_or_default().to_owned());
                    }
                } else {
                    markings(x, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| markings(x, out)),
        _ => {}
    }
}

/// `tlp:*` tags anywhere in a MISP document.
fn misp_tlps(v: &Value, out: &mut BTreeSet<Tlp>) {
    match v {
        Value::Object(m) => {
            if let Some(t) = m
                .get("name")
                .and_then(Value::as_str)
                .and_then(Tlp::from_misp_tag)
            {
                out.insert(t);
            }
            m.values().for_each(|x| misp_tlps(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| misp_tlps(x, out)),
        _ => {}
    }
}

#[test]
fn nothing_above_the_ceiling_leaves() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = fixture_store(dir.path());
    let everything = chosen(&store, Tlp::Red, false).indicators.len();
    let mut exported_counts = Vec::new();
    for ceiling in Tlp::ALL {
        let sel = chosen(&store, ceiling, false);
        assert_eq!(sel.indicators.len() + sel.withheld_tlp, everything);
        exported_counts.push(sel.indicators.len());
        let mut refs = BTreeSet::new();
        markings(
            &indicators_bundle(&sel.indicators, "Vigie", t0()),
            &mut refs,
        );
        let allowed: BTreeSet<String> = Tlp::ALL
            .iter()
            .filter(|t| **t <= ceiling)
            .map(|t| tlp_marking_id(*t).to_owned())
            .collect();
        assert!(refs.is_subset(&allowed), "{ceiling}: {refs:?}");
        let mut tags = BTreeSet::new();
        misp_tlps(&misp_event(&all(&sel.indicators), &meta()), &mut tags);
        assert!(tags.iter().all(|t| *t <= ceiling), "{ceiling}: {tags:?}");
        let values: Vec<&str> = sel
            .indicators
            .iter()
            .map(|e| e.view.value.as_str())
            .collect();
        assert_eq!(
            values.contains(&"drop.source-protegee.example"),
            ceiling == Tlp::Red,
            "the TLP:RED value leaves only under a red ceiling"
        );
    }
    assert!(
        exported_counts.windows(2).all(|w| w[0] < w[1]),
        "each level of the fixtures adds values: {exported_counts:?}"
    );
}

#[test]
fn re_exports_are_byte_identical() {
    let a = tempfile::tempdir().expect("tmp");
    let b = tempfile::tempdir().expect("tmp");
    let one = indicators_bundle(
        &chosen(&fixture_store(a.path()), Tlp::Red, true).indicators,
        "Vigie",
        t0(),
    );
    let two = indicators_bundle(
        &chosen(&fixture_store(b.path()), Tlp::Red, true).indicators,
        "Vigie",
        t0(),
    );
    assert_eq!(pretty(&one), pretty(&two));
}
