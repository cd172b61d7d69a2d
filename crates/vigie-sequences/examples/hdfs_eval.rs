//! Accuracy on corpus `anomaly/hdfs-100k-sessions/` (found through `$VIGIE_CORPUS`, default
//! `../shared/corpus` from the repository root): a model trained on the event sequences of ALL
//! train sessions (labels never read for training; `in_normal_only_train` not used, it was
//! filtered with the labels), then precision, recall and F1 on the train and test splits, the
//! invariants, training time, and the best F1 any detector reading only the sequences (or only
//! the count vectors) could reach on each split.
//!
//! `cargo run --release -p vigie-sequences --example hdfs_eval [-- --show-invariants]
//! [--min-support 0.98]` (the default is `MiningConfig::default()`'s).

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use vigie_sequences::{best_f1_of_any_detector, MiningConfig, Model, Scores};

struct Session {
    split: String,
    anomalous: bool,
    /// deep-loglizer's anomaly-free training set (chosen WITH the labels).
    normal_only: bool,
    events: Vec<String>,
}

fn corpus() -> PathBuf {
    std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

fn main() {
    let path = corpus().join("anomaly/hdfs-100k-sessions/hdfs_100k_sessions.csv");
    let mut reader = match csv::Reader::from_path(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!(
                "SKIPPED hdfs_eval: cannot read {}: {e} (set VIGIE_CORPUS)",
                path.display()
            );
            return;
        }
    };
    let headers = reader.headers().cloned().unwrap_or_default();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(split), Some(label), Some(seq), Some(normal_only)) = (
        col("split"),
        col("label"),
        col("event_sequence"),
        col("in_normal_only_train"),
    ) else {
        eprintln!(
            "{}: missing split / label / event_sequence / in_normal_only_train columns",
            path.display()
        );
        std::process::exit(1);
    };
    let mut sessions = Vec::new();
    for (i, record) in reader.records().enumerate() {
        match record {
            Ok(r) => sessions.push(Session {
                split: r.get(split).unwrap_or("").to_owned(),
                anomalous: r.get(label) == Some("1"),
                normal_only: r.get(normal_only) == Some("1"),
                events: r
                    .get(seq)
                    .unwrap_or("")
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            }),
            Err(e) => eprintln!("{}: line {}: {e}", path.display(), i + 2),
        }
    }
    let all_train = |s: &Session| s.split == "train";
    let normal_only = |s: &Session| s.split == "train" && s.normal_only;
    evaluate(
        &sessions,
        "ALL train sessions (labels not read)",
        &all_train,
    );
    println!();
    evaluate(
        &sessions,
        "in_normal_only_train sessions (filtered WITH the labels: for comparison only)",
        &normal_only,
    );
}

fn evaluate(sessions: &[Session], what: &str, chosen: &dyn Fn(&Session) -> bool) {
    let train: Vec<Vec<String>> = sessions
        .iter()
        .filter(|s| chosen(s))
        .map(|s| s.events.clone())
        .collect();
    let start = Instant::now();
    let mut config = MiningConfig::default();
    let args: Vec<String> = std::env::args().collect();
    if let Some(v) = args
        .windows(2)
        .find(|w| w[0] == "--min-support")
        .and_then(|w| w[1].parse().ok())
    {
        config.min_support = v;
    }
    println!("min_support {}", config.min_support);
    let model = Model::train(&train, config);
    let elapsed = start.elapsed();
    let sizes = |n: usize| {
        model
            .invariants
            .iter()
            .filter(|i| i.terms.len() == n)
            .count()
    };
    println!(
        "trained on {} {what} in {:.1} ms: {} events, {} invariants \
         ({} single-event, {} pairs, {} triples)",
        train.len(),
        elapsed.as_secs_f64() * 1000.0,
        model.vocabulary.len(),
        model.invariants.len(),
        sizes(1),
        sizes(2),
        sizes(3)
    );
    if std::env::args().any(|a| a == "--show-invariants") {
        for inv in &model.invariants {
            println!("  {}  ({} of {})", inv.formula(), inv.held, inv.active);
        }
    }
    println!();
    println!("| split | sessions | anomalies | TP | FP | FN | precision | recall | F1 | best F1 of any detector on sequences (on count vectors) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut hidden = Vec::new();
    for name in ["train", "test"] {
        let part: Vec<&Session> = sessions.iter().filter(|s| s.split == name).collect();
        let scores = Scores::from_pairs(
            part.iter()
                .map(|s| (model.score(&s.events).is_anomalous(), s.anomalous)),
        );
        let by_sequence =
            best_f1_of_any_detector(part.iter().map(|s| (s.events.join(" "), s.anomalous)));
        let by_counts = best_f1_of_any_detector(part.iter().map(|s| {
            let mut sorted = s.events.clone();
            sorted.sort();
            (sorted.join(" "), s.anomalous)
        }));
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.3} ({:.3}) |",
            part.len(),
            part.iter().filter(|s| s.anomalous).count(),
            scores.true_positives,
            scores.false_positives,
            scores.false_negatives,
            scores.precision(),
            scores.recall(),
            scores.f1(),
            by_sequence.f1(),
            by_counts.f1()
        );
        let normal: HashSet<&[String]> = part
            .iter()
            .filter(|s| !s.anomalous)
            .map(|s| &s.events[..])
            .collect();
        let twins = part
            .iter()
            .filter(|s| s.anomalous && normal.contains(&s.events[..]))
            .count();
        hidden.push(format!(
            "{name}: {twins} anomalies have the very event sequence of a normal session"
        ));
    }
    println!("{}", hidden.join("; "));
    let start = Instant::now();
    let flagged = sessions
        .iter()
        .filter(|s| model.score(&s.events).is_anomalous())
        .count();
    println!(
        "scored all {} sessions in {:.1} ms ({flagged} flagged)",
        sessions.len(),
        start.elapsed().as_secs_f64() * 1000.0
    );
}
