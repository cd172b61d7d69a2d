//! The timeline is the same whether it stays in memory or goes through temporary files, and
//! whatever the number of threads: checked on the example incident with the starter rules and
//! threat-intel indicators.

mod common;

use std::sync::Arc;

use vigie_hunt::{hunt, Detection, HuntOptions, HuntReport, Renderer};
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

/// The example incident hunted with the starter rules and the indicators, as `opts` say.
fn incident(opts: HuntOptions) -> HuntReport {
    let root = common::repo_root();
    let (rules, issues) = common::load(vec![root.join("rules")]);
    assert!(issues.iter().all(|i| !i.is_error()), "{issues:?}");
    let opts = HuntOptions {
        intel: Some(intel()),
        ..opts
    };
    hunt(&[root.join("examples/incident")], &rules, &opts, &())
}

#[test]
fn spilled_timeline_equals_in_memory_one() {
    let in_memory = incident(HuntOptions::default());
    let spilled = incident(HuntOptions {
        threads: 2,
        memory_budget: 4 << 10,
        ..Default::default()
    });
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

/// Lines rendered on the worker threads come out as rendering the detection timeline would
/// give them, in memory and through temporary files, on 1 thread and on 2.
#[test]
fn rendered_lines_equal_rendered_detections() {
    let render = |d: &Detection, out: &mut Vec<u8>| {
        let text = format!(
            "{:?} {} {} {} {}\n",
            d.timestamp,
            d.rule_id,
            d.record_id,
            d.source,
            d.matched_text(" ")
        );
        out.extend_from_slice(text.as_bytes());
    };
    let plain = incident(HuntOptions::default());
    let mut expected = Vec::new();
    for d in plain.detections.iter().expect("reads back") {
        render(&d.expect("reads back"), &mut expected);
    }
    assert!(plain.lines.is_empty());
    for (threads, budget) in [(1, 0), (2, 4 << 10)] {
        let rendered = incident(HuntOptions {
            threads,
            memory_budget: budget,
            render: Some(Renderer(Arc::new(render))),
            ..Default::default()
        });
        assert!(rendered.detections.is_empty());
        assert_eq!(budget > 0, rendered.lines.spilled_runs() > 1);
        let mut got = Vec::new();
        for line in rendered.lines.iter().expect("reads back") {
            got.extend_from_slice(line.expect("reads back").line());
        }
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected)
        );
        assert_eq!(rendered.summary, plain.summary);
    }
}
