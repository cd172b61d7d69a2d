//! The timeline is the same whether it stays in memory or goes through temporary files, and
//! whatever the number of threads: checked on the example incident with the starter rules and
//! threat-intel indicators.

mod common;

use std::sync::Arc;

use vigie_hunt::{hunt, HuntOptions};
use vigie_intel::{IndicatorType, IndicatorView, Tlp};
use vigie_intel_match::IntelIndex;

/// Indicators of the example incident's attacker, as a partner would share them.
fn intel() -> Arc<IntelIndex> {
    let view = |id, kind, value: &str| {
        IndicatorView::active(id, kind, value, Tlp::Amber, vec!["partner".into()])
    };
    Arc::new(IntelIndex::build([
        view(1, IndicatorType::Ipv4, "203.0.113.66"),
        view(2, IndicatorType::Domain, "cdn-update-check.com"),
        view(
            3,
            IndicatorType::Sha256,
            "94f3aebb24285cc1addff67d7a14b609a8579d72fdd954b9cf92497a6572c5e6",
        ),
    ]))
}

#[test]
fn spilled_timeline_equals_in_memory_one() {
    let root = common::repo_root();
    let (rules, issues) = common::load(vec![root.join("rules")]);
    assert!(issues.iter().all(|i| !i.is_error()), "{issues:?}");
    let inputs = vec![root.join("examples/incident")];
    let in_memory = hunt(
        &inputs,
        &rules,
        &HuntOptions {
            intel: Some(intel()),
            ..Default::default()
        },
        &(),
    );
    let spilled = hunt(
        &inputs,
        &rules,
        &HuntOptions {
            threads: 2,
            memory_budget: 4 << 10,
            intel: Some(intel()),
            ..Default::default()
        },
        &(),
    );
    assert_eq!(in_memory.detections.spilled_runs(), 0);
    assert!(
        spilled.detections.spilled_runs() > 1,
        "a 4 KB budget should spill: {:?}",
        spilled.detections
    );
    let a = in_memory.detections.to_vec().expect("reads back");
    let b = spilled.detections.to_vec().expect("reads back");
    assert!(
        a.len() > 50,
        "the incident should give detections: {}",
        a.len()
    );
    assert_eq!(a.len(), in_memory.summary.detections);
    let intel_hits = a.iter().filter(|d| d.intel.is_some()).count();
    assert!(
        intel_hits > 10,
        "the indicators should be seen: {intel_hits}"
    );
    assert_eq!(a, b);
    assert_eq!(in_memory.summary, spilled.summary);
    let times: Vec<_> = a.iter().map(|d| d.timestamp).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "not in time order");
}
