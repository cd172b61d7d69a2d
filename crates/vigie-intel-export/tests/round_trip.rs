//! What Vigie exports, Vigie imports back as the same indicators: a STIX bundle gives the same
//! values, TLPs, labels, kill-chain phases and ATT&CK ids; a MISP event the same values
//! (STIX patterns as `stix2-pattern` attributes included), TLPs, `to_ids` and ATT&CK ids.

mod common;

use common::{chosen, fixture_store, in_force, store_from, t0};
use vigie_intel::{IndicatorType, Store, Tlp};
use vigie_intel_export::{indicators_bundle, misp_event, pretty, EventMeta};

/// An indicator's value, labels, kill-chain phases and ATT&CK ids.
type Metadata = (String, Vec<String>, Vec<String>, Vec<String>);

/// Labels, kill-chain phases and ATT&CK ids of each indicator, sorted.
fn metadata(store: &Store) -> Vec<Metadata> {
    chosen(store, Tlp::Red, false)
        .indicators
        .into_iter()
        .map(|mut e| {
            e.labels.sort();
            e.kill_chain.sort();
            e.attack.sort();
            (e.view.value, e.labels, e.kill_chain, e.attack)
        })
        .collect()
}

#[test]
fn stix_bundle_reimports_as_the_same_indicators() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = fixture_store(&dir.path().join("a"));
    let sel = chosen(&store, Tlp::Red, true);
    let file = dir.path().join("export.json");
    std::fs::write(
        &file,
        pretty(&indicators_bundle(&sel.indicators, "Vigie", t0())),
    )
    .expect("write");
    let back = store_from(&dir.path().join("b"), &[file]);
    let mut expected = in_force(&store);
    expected.retain(|(_, _, _, to_ids)| *to_ids);
    assert_eq!(in_force(&back), expected);
    let mut want = metadata(&store);
    want.retain(|(v, ..)| expected.iter().any(|e| &e.1 == v));
    assert_eq!(metadata(&back), want);
}

#[test]
fn misp_event_reimports_as_the_same_indicators() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = fixture_store(&dir.path().join("a"));
    let sel = chosen(&store, Tlp::Red, false);
    let meta = EventMeta {
        info: "round trip".into(),
        org: "Vigie".into(),
        now: t0(),
    };
    let file = dir.path().join("event.json");
    std::fs::write(
        &file,
        pretty(&misp_event(
            &sel.indicators.iter().collect::<Vec<_>>(),
            &meta,
        )),
    )
    .expect("write");
    let back = store_from(&dir.path().join("b"), &[file]);
    let mut expected = in_force(&store);
    assert!(
        expected
            .iter()
            .any(|(kind, ..)| kind == IndicatorType::StixPattern.as_str()),
        "the fixtures hold a pattern"
    );
    expected.sort();
    let mut got = in_force(&back);
    got.sort();
    assert_eq!(got, expected);
    let attack: Vec<_> = metadata(&back)
        .into_iter()
        .map(|(v, _, _, a)| (v, a))
        .collect();
    let want: Vec<_> = metadata(&store)
        .into_iter()
        .filter(|(v, ..)| expected.iter().any(|e| &e.1 == v))
        .map(|(v, _, _, a)| (v, a))
        .collect();
    assert_eq!(attack, want, "ATT&CK ids travel as galaxy clusters");
}
