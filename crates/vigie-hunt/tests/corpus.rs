//! Checks against the corpus' external truth: every SigmaHQ rule loads, SigmaHQ's own
//! regression tests pass through the hunt path, and a hunt over real data neither panics nor
//! depends on the number of threads. Skipped (loudly) when the corpus is absent.
//!
//! `VIGIE_FULL=1` hunts every corpus file instead of a deterministic sample.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use vigie_hunt::{hunt, HuntOptions};
use vigie_sigma::yaml::{parse_documents, Node, NodeKind};

#[test]
fn every_sigmahq_rule_loads() {
    let Some(corpus) = common::corpus("every_sigmahq_rule_loads") else {
        return;
    };
    let (rules, issues) = common::load(common::sigmahq_rule_dirs(&corpus));
    let errors: Vec<String> = issues
        .iter()
        .filter(|i| i.is_error())
        .map(|i| i.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert_eq!(rules.detection_count(), 3780);
}

/// `(rule id, evtx path, match_count)` from every `info.yml` of `regression_data`.
fn regression_cases(corpus: &Path) -> Vec<(String, PathBuf, usize)> {
    let root = corpus.join("sigmahq");
    let mut cases = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("regression_data")).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_name() != "info.yml" {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read info.yml");
        let doc = &parse_documents(&text).expect("info.yml parses")[0];
        let id = match doc.get("rule_metadata").map(|n| &n.kind) {
            Some(NodeKind::Seq(items)) => {
                items[0].get("id").and_then(Node::scalar_text).expect("id")
            }
            _ => panic!("no rule_metadata in {}", entry.path().display()),
        };
        if let Some(NodeKind::Seq(tests)) = doc.get("regression_tests_info").map(|n| &n.kind) {
            for t in tests {
                let path = t.get("path").and_then(Node::scalar_text).expect("path");
                let count = t
                    .get("match_count")
                    .and_then(Node::scalar_text)
                    .map_or(1, |c| c.parse().expect("count"));
                cases.push((id.clone(), root.join(path), count));
            }
        }
    }
    cases
}

#[test]
fn sigmahq_regression_tests_pass() {
    let Some(corpus) = common::corpus("sigmahq_regression_tests_pass") else {
        return;
    };
    let cases = regression_cases(&corpus);
    assert_eq!(
        cases.len(),
        202,
        "the corpus should hold 202 regression tests"
    );
    let (rules, _) = common::load(common::sigmahq_rule_dirs(&corpus));
    let files: Vec<PathBuf> = cases.iter().map(|c| c.1.clone()).collect();
    let report = hunt(&files, &rules, &HuntOptions::default(), &());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for d in &report.detections.to_vec().expect("the timeline reads back") {
        *counts
            .entry((d.rule_id.clone(), d.source.clone()))
            .or_default() += 1;
    }
    let failed: Vec<String> = cases
        .iter()
        .filter_map(|(id, path, want)| {
            let got = counts
                .get(&(id.clone(), path.display().to_string()))
                .copied()
                .unwrap_or(0);
            (got < *want).then(|| format!("{id} on {}: {got} < {want}", path.display()))
        })
        .collect();
    eprintln!(
        "SigmaHQ regression tests: {}/{} pass",
        cases.len() - failed.len(),
        cases.len()
    );
    assert!(
        failed.is_empty(),
        "{} failing:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// Every k-th file of the corpus' EVTX and security-datasets (all of them with VIGIE_FULL=1).
fn hunt_inputs(corpus: &Path) -> Vec<PathBuf> {
    let full = std::env::var_os("VIGIE_FULL").is_some();
    let mut files: Vec<PathBuf> = ["evtx", "security-datasets/datasets"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(corpus.join(d)).sort_by_file_name())
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "evtx" || x == "zip"))
        .collect();
    files.sort();
    if !full {
        files = files.into_iter().step_by(12).collect();
    }
    files
}

#[test]
fn corpus_hunt_is_robust_and_thread_independent() {
    let Some(corpus) = common::corpus("corpus_hunt_is_robust_and_thread_independent") else {
        return;
    };
    let (rules, _) = common::load(common::sigmahq_rule_dirs(&corpus));
    let files = hunt_inputs(&corpus);
    let one = hunt(
        &files,
        &rules,
        &HuntOptions {
            threads: 1,
            ..Default::default()
        },
        &(),
    );
    let two = hunt(
        &files,
        &rules,
        &HuntOptions {
            threads: 2,
            // Small enough that the timeline goes through temporary files.
            memory_budget: 256 << 10,
            ..Default::default()
        },
        &(),
    );
    eprintln!(
        "hunted {} files: {} events, {} detections, {} input errors",
        one.summary.files, one.summary.events, one.summary.detections, one.summary.errors
    );
    assert!(
        one.summary.events > 1000,
        "too few events read: {}",
        one.summary.events
    );
    assert!(
        two.detections.spilled_runs() > 1,
        "the small memory budget should have spilled the timeline"
    );
    assert_eq!(
        one.detections.to_vec().expect("the timeline reads back"),
        two.detections
            .to_vec()
            .expect("the spilled timeline reads back"),
        "detections differ between 1 thread in memory and 2 threads through temporary files"
    );
    assert_eq!(one.summary, two.summary);
    assert_eq!(one.errors, two.errors);
    for e in &one.errors {
        assert!(
            !e.file.is_empty() && !e.message.is_empty(),
            "an error without file or message: {e:?}"
        );
    }
}

/// The literal prefilter skips only rules that cannot match: with and without it, the same
/// detections over the corpus sample (and over everything with VIGIE_FULL=1), JSON included.
#[test]
fn prefilter_changes_no_detection() {
    let Some(corpus) = common::corpus("prefilter_changes_no_detection") else {
        return;
    };
    let (mut rules, _) = common::load(common::sigmahq_rule_dirs(&corpus));
    let mut files = hunt_inputs(&corpus);
    files.push(corpus.join("sigmahq/regression_data"));
    let opts = HuntOptions::default();
    let fast = hunt(&files, &rules, &opts, &());
    rules.set_prefilter(false);
    let plain = hunt(&files, &rules, &opts, &());
    eprintln!("prefilter check: {} detections", plain.detections.len());
    assert!(plain.detections.len() > 1000);
    assert_eq!(
        fast.detections.to_vec().expect("the timeline reads back"),
        plain.detections.to_vec().expect("the timeline reads back")
    );
}
