//! The timeline is the same whether it stays in memory or goes through temporary files, and
//! whatever the number of threads: checked on the example incident with the starter rules.

mod common;

use vigie_hunt::{hunt, HuntOptions};

#[test]
fn spilled_timeline_equals_in_memory_one() {
    let root = common::repo_root();
    let (rules, issues) = common::load(vec![root.join("rules")]);
    assert!(issues.iter().all(|i| !i.is_error()), "{issues:?}");
    let inputs = vec![root.join("examples/incident")];
    let in_memory = hunt(&inputs, &rules, &HuntOptions::default(), &());
    let spilled = hunt(
        &inputs,
        &rules,
        &HuntOptions {
            threads: 2,
            memory_budget: 4 << 10,
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
    assert_eq!(a, b);
    assert_eq!(in_memory.summary, spilled.summary);
    let times: Vec<_> = a.iter().map(|d| d.timestamp).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "not in time order");
}
