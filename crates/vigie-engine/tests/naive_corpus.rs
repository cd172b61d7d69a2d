//! The compiled engine against the naive evaluator (`naive_eval/`) on the corpus: SigmaHQ's
//! rules over real events (SigmaHQ's regression EVTX files, the ATT&CK EVTX recordings, the
//! security-datasets JSON recordings), compared for every (rule, event) pair the rule is routed
//! to, through the built-in mapping's routes and field maps.
//!
//! CI runs a deterministic sample: every 10th rule file and the rules SigmaHQ has regression
//! events for, over every 10th EVTX / dataset file and all of `sigmahq/regression_data`. The
//! whole corpus, every rule on every event:
//!
//! `VIGIE_FULL=1 cargo test --release -p vigie-engine --test naive_corpus -- --nocapture`
//!
//! Every disagreement must be listed, with its cause, in `naive-expected-disagreements.tsv`;
//! the test fails when an unlisted one appears and when a listed one (of a rule and file this
//! run covers) no longer occurs. The corpus is found through `VIGIE_CORPUS` (default
//! `../shared/corpus` beside the repository); without it the test says SKIPPED and passes.

mod naive_eval;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;
use vigie_decode::{read_path, Item, ReadOptions};
use vigie_engine::{Mapping, Placeholders, RuleKind, RuleSetBuilder, Scratch};
use vigie_sigma::{parse_str, Document};

use naive_eval::routing::{NaiveMapping, Reach, RouteCache};
use naive_eval::{filter_applies, NaiveRule};

const EXPECTED: &str = "tests/naive-expected-disagreements.tsv";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus(test: &str) -> Option<PathBuf> {
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

/// Files under `dir` whose name ends with one of `exts`, sorted by path.
fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| exts.contains(&x))
        })
        .collect();
    out.sort();
    out
}

/// Every `k`-th item (the first, then every k-th), or all of them.
fn sample<T>(items: Vec<T>, full: bool, k: usize) -> Vec<T> {
    if full {
        items
    } else {
        items.into_iter().step_by(k).collect()
    }
}

/// The rule files of SigmaHQ's regression tests: `regression_data/<path>/info.yml` is the
/// test of rule `<path>.yml`.
fn regression_rule_files(sigmahq: &Path) -> Vec<PathBuf> {
    let data = sigmahq.join("regression_data");
    files(&data, &["yml"])
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "info.yml"))
        .filter_map(|info| {
            let dir = info.parent()?.strip_prefix(&data).ok()?;
            let rule = sigmahq.join(dir).with_extension("yml");
            rule.is_file().then_some(rule)
        })
        .collect()
}

/// One disagreement: `(rule id, file relative to the corpus, record id, side)`.
type Key = (String, String, u64, &'static str);

struct Loaded {
    /// Per rule index of the rule set: the naive rule and how it is routed (`None`: a
    /// correlation, or a rule the naive evaluator does not support).
    naive: Vec<Option<(NaiveRule, Reach)>>,
    set: vigie_engine::RuleSet,
    /// Rule ids of the rules compared.
    compared_ids: BTreeSet<String>,
    unsupported: Vec<String>,
}

fn load_rules(rule_files: &[PathBuf], mapping: &NaiveMapping) -> Loaded {
    let mut builder = RuleSetBuilder::new(Mapping::builtin(), Placeholders::default());
    // (source, document line) -> the rule as parsed, for the naive side.
    let mut parsed_rules = HashMap::new();
    let mut filters = Vec::new();
    for f in rule_files {
        let text = std::fs::read_to_string(f).expect("rule file is UTF-8 text");
        let source = f.display().to_string();
        for d in parse_str(&text).documents {
            match d {
                Document::Rule(r) => {
                    parsed_rules.insert((source.clone(), r.meta.line), r);
                }
                Document::Filter(f) => filters.push(f),
                Document::Correlation(_) => {}
            }
        }
        builder.add_text(&source, &text);
    }
    let (set, issues) = builder.build();
    let errors: Vec<String> = issues
        .iter()
        .filter(|i| i.is_error())
        .map(|i| i.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "rules fail to load:\n{}",
        errors.join("\n")
    );
    let mut naive = Vec::new();
    let mut compared_ids = BTreeSet::new();
    let mut unsupported = Vec::new();
    for info in set.rules() {
        if info.kind != RuleKind::Detection {
            naive.push(None);
            continue;
        }
        let rule = parsed_rules
            .get(&(info.source.clone(), info.meta.line))
            .expect("every compiled rule was parsed");
        let naive_rule = NaiveRule::new(rule).and_then(|mut n| {
            for f in filters.iter().filter(|f| filter_applies(f, rule)) {
                n.add_filter(f)?;
            }
            Ok(n)
        });
        match naive_rule {
            Ok(n) => {
                compared_ids.insert(info.id().to_owned());
                naive.push(Some((n, mapping.reach(&rule.logsource))));
            }
            Err(e) => {
                unsupported.push(format!("{}: {}", info.id(), e.0));
                naive.push(None);
            }
        }
    }
    Loaded {
        naive,
        set,
        compared_ids,
        unsupported,
    }
}

#[derive(Default)]
struct Counts {
    events: AtomicUsize,
    decode_errors: AtomicUsize,
    pairs: AtomicUsize,
    engine_hits: AtomicUsize,
    naive_hits: AtomicUsize,
}

/// Runs every event of `file` through both sides; returns the disagreements.
fn compare_file(
    file: &Path,
    corpus: &Path,
    loaded: &Loaded,
    mapping: &NaiveMapping,
    counts: &Counts,
) -> Vec<Key> {
    let mut scratch = Scratch::default();
    let mut hits = Vec::new();
    let mut out = Vec::new();
    let prefix = format!("{}/", corpus.display());
    read_path(file, &ReadOptions::default(), &mut |item| {
        let (source, event) = match item {
            Item::Event(source, event) => (source, event),
            Item::Error(_) => {
                counts.decode_errors.fetch_add(1, Ordering::Relaxed);
                return;
            }
        };
        counts.events.fetch_add(1, Ordering::Relaxed);
        hits.clear();
        loaded.set.evaluate(&event, &mut scratch, &mut hits);
        let engine: BTreeSet<usize> = hits
            .iter()
            .map(|h| h.rule)
            .filter(|&r| loaded.naive[r].is_some())
            .collect();
        let mut naive = BTreeSet::new();
        let mut cache = RouteCache::new();
        let mut pairs = 0;
        for (i, n) in loaded.naive.iter().enumerate() {
            let Some((rule, reach)) = n else { continue };
            if let Some(fires) = mapping.rule_fires(rule, reach, &event, &mut cache) {
                pairs += 1;
                if fires {
                    naive.insert(i);
                }
            }
        }
        counts.pairs.fetch_add(pairs, Ordering::Relaxed);
        counts
            .engine_hits
            .fetch_add(engine.len(), Ordering::Relaxed);
        counts.naive_hits.fetch_add(naive.len(), Ordering::Relaxed);
        let rel = source.strip_prefix(&prefix).unwrap_or(source);
        let id = |r: usize| loaded.set.rules()[r].id().to_owned();
        for &r in engine.difference(&naive) {
            out.push((id(r), rel.to_owned(), event.record_id, "engine-only"));
        }
        for &r in naive.difference(&engine) {
            out.push((id(r), rel.to_owned(), event.record_id, "naive-only"));
        }
    });
    out
}

/// The listed disagreements: key -> cause.
fn expected() -> HashMap<Key, String> {
    let text = std::fs::read_to_string(EXPECTED).expect("read the expectation file");
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "{EXPECTED}:{}: expected 5 columns", n + 1);
        let side = match cols[3] {
            "engine-only" => "engine-only",
            "naive-only" => "naive-only",
            other => panic!("{EXPECTED}:{}: unknown side {other:?}", n + 1),
        };
        let record: u64 = cols[2].parse().expect("record id");
        out.insert(
            (cols[0].to_owned(), cols[1].to_owned(), record, side),
            cols[4].to_owned(),
        );
    }
    out
}

#[test]
fn corpus_engine_agrees_with_naive_evaluator() {
    let Some(corpus) = corpus("corpus_engine_agrees_with_naive_evaluator") else {
        return;
    };
    let full = std::env::var_os("VIGIE_FULL").is_some();
    let sigmahq = corpus.join("sigmahq");
    let rule_dirs = [
        "rules",
        "rules-emerging-threats",
        "rules-threat-hunting",
        "rules-placeholder",
        "rules-compliance",
    ];
    let all_rule_files: Vec<PathBuf> = rule_dirs
        .iter()
        .flat_map(|d| files(&sigmahq.join(d), &["yml", "yaml"]))
        .collect();
    // The sample adds the rules SigmaHQ has regression events for, so that it sees positives.
    let with_regression = regression_rule_files(&sigmahq);
    assert!(
        with_regression.len() > 150,
        "regression rules not found: {}",
        with_regression.len()
    );
    let rule_files: Vec<PathBuf> = if full {
        all_rule_files
    } else {
        let mut f: Vec<PathBuf> = all_rule_files.into_iter().step_by(10).collect();
        f.extend(with_regression);
        f.sort();
        f.dedup();
        f
    };
    let mut event_files = files(&sigmahq.join("regression_data"), &["evtx"]);
    event_files.extend(sample(files(&corpus.join("evtx"), &["evtx"]), full, 10));
    event_files.extend(sample(
        files(&corpus.join("security-datasets/datasets"), &["zip"]),
        full,
        10,
    ));

    let mapping = NaiveMapping::builtin();
    let started = std::time::Instant::now();
    let loaded = load_rules(&rule_files, &mapping);
    let counts = Counts::default();
    let found = Mutex::new(Vec::new());
    event_files.par_iter().for_each(|f| {
        let d = compare_file(f, &corpus, &loaded, &mapping, &counts);
        found.lock().expect("lock").extend(d);
    });
    let mut found: Vec<Key> = found.into_inner().expect("lock");
    found.sort();

    let rel = |p: &PathBuf| p.strip_prefix(&corpus).unwrap_or(p).display().to_string();
    let covered_files: BTreeSet<String> = event_files.iter().map(rel).collect();
    // A listed line is in this run's scope when its rule was compared and its file read (a
    // zip member's file is the archive).
    let in_scope = |k: &Key| {
        let file = k.1.split('!').next().unwrap_or(&k.1);
        loaded.compared_ids.contains(&k.0) && covered_files.contains(file)
    };
    let expected = expected();
    let found_set: BTreeSet<&Key> = found.iter().collect();
    let new: Vec<&Key> = found
        .iter()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let mut fixed: Vec<(&Key, &String)> = expected
        .iter()
        .filter(|(k, _)| in_scope(k) && !found_set.contains(k))
        .collect();
    fixed.sort();

    let c = |a: &AtomicUsize| a.load(Ordering::Relaxed);
    eprintln!(
        "naive vs compiled ({}): {} rule files, {} detection rules compared ({} unsupported by the naive evaluator), \
         {} event files, {} events ({} decode errors), {} (rule, event) pairs compared, \
         {} engine hits, {} naive hits, {} disagreements ({} listed), {:.1} s",
        if full { "whole corpus" } else { "sample" },
        rule_files.len(),
        loaded.compared_ids.len(),
        loaded.unsupported.len(),
        event_files.len(),
        c(&counts.events),
        c(&counts.decode_errors),
        c(&counts.pairs),
        c(&counts.engine_hits),
        c(&counts.naive_hits),
        found.len(),
        found.len() - new.len(),
        started.elapsed().as_secs_f64(),
    );
    for u in &loaded.unsupported {
        eprintln!("  unsupported: {u}");
    }
    assert!(
        c(&counts.events) > 1000,
        "too few events read: {}",
        c(&counts.events)
    );
    let mut report = String::new();
    for (id, file, record, side) in new.iter().take(200) {
        report.push_str(&format!("NEW\t{id}\t{file}\t{record}\t{side}\n"));
    }
    if new.len() > 200 {
        report.push_str(&format!("... and {} more NEW\n", new.len() - 200));
    }
    for ((id, file, record, side), cause) in &fixed {
        report.push_str(&format!(
            "FIXED (remove the line)\t{id}\t{file}\t{record}\t{side}\t{cause}\n"
        ));
    }
    assert!(
        new.is_empty() && fixed.is_empty(),
        "the disagreements are not those listed in {EXPECTED}:\n{report}"
    );
}
