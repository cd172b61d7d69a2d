//! Helpers shared by the hunt tests: the repository root, the corpus, loading rules.

#![allow(dead_code)]

use std::path::PathBuf;

use vigie_engine::{LoadIssue, Mapping, Placeholders, RuleSet};
use vigie_hunt::{load_rules, RuleSources};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus folder (`VIGIE_CORPUS`, default `../shared/corpus` beside the repository),
/// or `None` after saying loudly that the test is skipped.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    if dir.join("sigmahq").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED {test}: corpus not found at {} (set VIGIE_CORPUS)",
            dir.display()
        );
        None
    }
}

/// The SigmaHQ rule folders of the corpus.
pub fn sigmahq_rule_dirs(corpus: &std::path::Path) -> Vec<PathBuf> {
    [
        "rules",
        "rules-emerging-threats",
        "rules-threat-hunting",
        "rules-placeholder",
        "rules-compliance",
    ]
    .iter()
    .map(|d| corpus.join("sigmahq").join(d))
    .collect()
}

pub fn load(paths: Vec<PathBuf>) -> (RuleSet, Vec<LoadIssue>) {
    load_rules(
        &RuleSources {
            paths,
            texts: Vec::new(),
        },
        Mapping::builtin(),
        Placeholders::new(),
    )
}
