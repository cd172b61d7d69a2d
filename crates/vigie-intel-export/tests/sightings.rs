//! Detections as STIX sightings, on `tests/fixtures/intel-export/detections.jsonl`: bad lines
//! reported with their line, one sighting per rule or indicator with its count and times, an
//! intel hit sighting the very indicator the STIX export gives, observables as SCOs.

mod common;

use common::{fixtures, t0};
use serde_json::Value;
use vigie_intel::{IndicatorType, Tlp};
use vigie_intel_export::{
    indicator_id, pretty, read_detections, resolve_store_ids, sightings_bundle, tlp_marking_id,
    SightingOptions,
};

fn bundle() -> (Value, Vec<String>) {
    let path = fixtures().join("detections.jsonl");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let (detections, problems) = read_detections(&text, "detections.jsonl");
    let opts = SightingOptions {
        producer: "Agence test".into(),
        tlp: Tlp::Amber,
        tlp_max: Tlp::Amber,
        now: t0(),
    };
    (
        sightings_bundle(&detections, &opts),
        problems.iter().map(ToString::to_string).collect(),
    )
}

fn of_type<'a>(b: &'a Value, t: &str) -> Vec<&'a Value> {
    b["objects"]
        .as_array()
        .map(|o| o.iter().filter(|x| x["type"] == t).collect())
        .unwrap_or_default()
}

#[test]
fn sightings_snapshot() {
    let (b, problems) = bundle();
    insta::assert_snapshot!("sightings_problems", problems.join("\n"));
    insta::assert_snapshot!("sightings_bundle", pretty(&b));
}

#[test]
fn one_sighting_per_thing_sighted_with_counts_and_times() {
    let (b, _) = bundle();
    let sightings = of_type(&b, "sighting");
    assert_eq!(sightings.len(), 3, "two rules and one indicator");
    let office = sightings
        .iter()
        .find(|s| s["count"] == 2)
        .expect("the Office rule fired twice");
    assert_eq!(office["first_seen"], "2026-03-02T08:47:19.518Z");
    assert_eq!(office["last_seen"], "2026-03-02T09:12:02.000Z");
    assert_eq!(
        office["observed_data_refs"].as_array().map(Vec::len),
        Some(2)
    );
    let intel_id = indicator_id(IndicatorType::Ipv4, "203.0.113.80");
    let intel = sightings
        .iter()
        .find(|s| s["sighting_of_ref"] == intel_id.as_str())
        .expect("the intel hit sights the exported indicator's id");
    assert_eq!(
        intel["object_marking_refs"][0],
        tlp_marking_id(Tlp::Amber),
        "green intel under an amber export stays amber"
    );
    let cleared = sightings
        .iter()
        .find(|s| {
            s["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("Security Event Log Cleared"))
        })
        .expect("log cleared");
    assert!(
        cleared.get("observed_data_refs").is_none(),
        "an event with nothing observable gives no observed-data"
    );
    let types: Vec<&str> = b["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["type"].as_str())
        .collect();
    for t in [
        "process",
        "file",
        "directory",
        "ipv4-addr",
        "domain-name",
        "user-account",
    ] {
        assert!(types.contains(&t), "{t} among the observables");
    }
    for od in of_type(&b, "observed-data") {
        for r in od["object_refs"].as_array().into_iter().flatten() {
            assert!(
                b["objects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|o| o["id"] == *r),
                "{r} is in the bundle"
            );
        }
    }
}

#[test]
fn store_ids_resolve_to_the_exported_indicator() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = common::fixture_store(dir.path());
    let row = common::chosen(&store, Tlp::Red, false)
        .indicators
        .into_iter()
        .find(|e| e.view.value == "203.0.113.80")
        .expect("in the fixtures")
        .view
        .id;
    let line = |id: i64| {
        format!(
            "{{\"rule_id\": \"intel\", \"timestamp\": \"2026-03-02T09:00:00Z\", \"indicator_id\": {id}, \"matched\": {{\"DestinationIp\": \"203.0.113.80\"}}}}\n"
        )
    };
    let text = line(row) + &line(999_999);
    let (mut records, problems) = read_detections(&text, "hits.jsonl");
    assert!(problems.is_empty());
    let unknown = resolve_store_ids(&mut records, &store, t0()).expect("store read");
    assert_eq!(unknown, 1, "an id the store does not hold");
    let opts = SightingOptions {
        producer: "Vigie".into(),
        tlp: Tlp::Amber,
        tlp_max: Tlp::Amber,
        now: t0(),
    };
    let b = sightings_bundle(&records, &opts);
    let targets: Vec<&str> = of_type(&b, "sighting")
        .iter()
        .filter_map(|s| s["sighting_of_ref"].as_str())
        .collect();
    let want = indicator_id(IndicatorType::Ipv4, "203.0.113.80");
    assert!(targets.contains(&want.as_str()), "{targets:?}");
    assert!(
        targets.iter().any(|t| t.starts_with("attack-pattern--")),
        "the unknown id is sighted as its rule"
    );
}

#[test]
fn intel_above_the_ceiling_is_not_sighted() {
    let text = concat!(
        "{\"rule_id\": \"intel\", \"indicator_type\": \"domain\", \"indicator\": \"drop.source-protegee.example\", \"tlp\": \"red\"}\n",
        "{\"rule_id\": \"intel\", \"indicator_type\": \"ipv4\", \"indicator\": \"203.0.113.80\", \"tlp\": \"amber\"}\n",
    );
    let (records, _) = read_detections(text, "hits.jsonl");
    for (ceiling, kept) in [(Tlp::Amber, 1), (Tlp::Red, 2)] {
        let opts = SightingOptions {
            producer: "Vigie".into(),
            tlp: Tlp::Green,
            tlp_max: ceiling,
            now: t0(),
        };
        let b = sightings_bundle(&records, &opts);
        assert_eq!(of_type(&b, "sighting").len(), kept, "{ceiling}");
        assert_eq!(vigie_intel_export::withheld(&records, &opts), 2 - kept);
        assert_eq!(
            pretty(&b).contains("drop.source-protegee.example"),
            ceiling == Tlp::Red,
            "the RED value appears only under a red ceiling"
        );
    }
}
