//! The library path `vigie hunt --format stix` will take: a hunt's `Detection` values (here the
//! example incident hunted with Vigie's own rules) become sighting records field for field,
//! and every detection is counted in exactly one sighting.

mod common;

use common::{root, t0};
use vigie_engine::{Mapping, Placeholders};
use vigie_hunt::{hunt, load_rules, HuntOptions, RuleSources};
use vigie_intel::Tlp;
use vigie_intel_export::{sightings_bundle, DetectionRecord, SightingOptions};

#[test]
fn hunt_detections_become_sightings() {
    let (rules, _) = load_rules(
        &RuleSources {
            paths: vec![root().join("rules")],
            texts: Vec::new(),
        },
        Mapping::builtin(),
        Placeholders::new(),
    );
    let report = hunt(
        &[root().join("examples/incident")],
        &rules,
        &HuntOptions::default(),
        &(),
    );
    let detections = report.detections.to_vec().expect("the timeline reads back");
    assert!(detections.len() > 20, "the example incident has detections");
    let mut records = Vec::new();
    for d in &detections {
        let r = DetectionRecord::from_detection(d).expect("a hunt's detection reads");
        assert_eq!(r.rule_id, d.rule_id);
        assert_eq!(r.timestamp, d.timestamp);
        assert_eq!(r.record_id, d.record_id);
        assert_eq!(r.techniques, d.techniques());
        assert!(
            r.matched.len() >= d.matched.len(),
            "every matched field kept"
        );
        records.push(r);
    }
    let opts = SightingOptions {
        producer: "Vigie".into(),
        tlp: Tlp::Amber,
        tlp_max: Tlp::Amber,
        now: t0(),
    };
    let bundle = sightings_bundle(&records, &opts);
    let counted: u64 = bundle["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["type"] == "sighting")
        .filter_map(|o| o["count"].as_u64())
        .sum();
    assert_eq!(counted, detections.len() as u64);
}
