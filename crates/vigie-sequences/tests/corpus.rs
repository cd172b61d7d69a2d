//! The model on the corpus's HDFS sessions (`$VIGIE_CORPUS/anomaly/hdfs-100k-sessions/`; SKIPPED
//! loudly without it): what it promises, checked session by session — every invariant holds on
//! its stated share, every violation's counts are the session's own and really break the
//! invariant, unflagged sessions break none, and the JSON round trip keeps every verdict.
//! Accuracy is not asserted here: `examples/hdfs_eval.rs` reports it.

use std::path::PathBuf;

use vigie_sequences::{MiningConfig, Model, Violation};

fn corpus() -> PathBuf {
    std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

/// (split, events) of every session, or None when the corpus is absent.
fn sessions() -> Option<Vec<(String, Vec<String>)>> {
    let path = corpus().join("anomaly/hdfs-100k-sessions/hdfs_100k_sessions.csv");
    let Ok(mut reader) = csv::Reader::from_path(&path) else {
        eprintln!(
            "SKIPPED hdfs corpus test: {} not found (set VIGIE_CORPUS)",
            path.display()
        );
        return None;
    };
    let headers = reader.headers().expect("header line").clone();
    let col = |n: &str| headers.iter().position(|h| h == n).expect("column");
    let (split, seq) = (col("split"), col("event_sequence"));
    Some(
        reader
            .records()
            .map(|r| {
                let r = r.expect("a CSV record");
                (
                    r[split].to_owned(),
                    r[seq].split_whitespace().map(str::to_owned).collect(),
                )
            })
            .collect(),
    )
}

fn count(events: &[String], event: &str) -> u64 {
    events.iter().filter(|e| *e == event).count() as u64
}

#[test]
fn verdicts_on_the_hdfs_sessions_keep_the_models_promises() {
    let Some(all) = sessions() else { return };
    let train: Vec<Vec<String>> = all
        .iter()
        .filter(|(s, _)| s == "train")
        .map(|(_, e)| e.clone())
        .collect();
    let config = MiningConfig::default();
    let model = Model::train(&train, config.clone());
    assert!(!model.invariants.is_empty());
    for inv in &model.invariants {
        assert!(inv.support() >= config.min_support, "{}", inv.formula());
    }
    let loaded = Model::from_json(&model.to_json(), "model.json").expect("round trip");
    let mut flagged = 0;
    for (_, events) in &all {
        let verdict = model.score(events);
        assert_eq!(loaded.score(events), verdict);
        flagged += usize::from(verdict.is_anomalous());
        for v in &verdict.violations {
            match v {
                Violation::BrokenInvariant { invariant, counts } => {
                    let mut sum = 0i128;
                    for ((event, n), term) in counts.iter().zip(&invariant.terms) {
                        assert_eq!(*n, count(events, event));
                        sum += i128::from(term.coefficient) * i128::from(*n);
                    }
                    assert_ne!(sum, 0, "{} is said broken", invariant.formula());
                }
                Violation::UnseenEvent {
                    event, count: n, ..
                } => {
                    assert!(!model.vocabulary.contains(event));
                    assert_eq!(*n, count(events, event));
                }
            }
        }
        if !verdict.is_anomalous() {
            for inv in &model.invariants {
                let sum: i128 = inv
                    .terms
                    .iter()
                    .map(|t| i128::from(t.coefficient) * i128::from(count(events, &t.event)))
                    .sum();
                assert_eq!(sum, 0, "unflagged yet {} breaks", inv.formula());
            }
        }
    }
    eprintln!("{} sessions, {flagged} flagged", all.len());
}
