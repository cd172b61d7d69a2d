//! Accuracy of the miner on the Loghub 2k benchmark of the corpus: per set and on average, GA,
//! FGA, PA, PTA, RTA, FTA (as `loghub_metrics.py` computes them) and never-seen-template
//! detection (precision, recall, F1), for the 14 Loghub-2.0 sets (corrected truth) and the 16
//! original ones. Run: `cargo run --release -p vigie-templates --example loghub_eval`.
//! `--similarity X` and `--distinct-words N` try another configuration. `--show SET` prints that set's lines whose template is wrong, grouped by true template.

#[path = "../tests/common/loghub.rs"]
mod loghub;

use std::collections::BTreeMap;
use std::process::ExitCode;

use vigie_templates::{grouping_metrics, new_template_detection, Detection, Metrics};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show = args
        .iter()
        .position(|a| a == "--show")
        .and_then(|i| args.get(i + 1));
    let mut config = vigie_templates::Config::default();
    if let Some(x) = args
        .iter()
        .position(|a| a == "--similarity")
        .and_then(|i| args.get(i + 1)?.parse().ok())
    {
        config.similarity = x;
    }
    if let Some(x) = args
        .iter()
        .position(|a| a == "--distinct-words")
        .and_then(|i| args.get(i + 1)?.parse().ok())
    {
        config.distinct_words = x;
    }
    let root = loghub::corpus().join("anomaly/loghub-2k");
    let sets = match loghub::sets(&root) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}\nhint: set VIGIE_CORPUS to the corpus folder");
            return ExitCode::from(2);
        }
    };
    println!(
        "{:<11} {:<12} {:>5} {:>5} {:>5}  {:>5} {:>5} {:>5} {:>5} {:>5} {:>5}  {:>5} {:>5} {:>5}",
        "group",
        "set",
        "lines",
        "true",
        "found",
        "GA",
        "FGA",
        "PA",
        "PTA",
        "RTA",
        "FTA",
        "newP",
        "newR",
        "newF1"
    );
    let mut by_group: BTreeMap<&str, (Vec<Metrics>, Vec<Detection>)> = BTreeMap::new();
    for set in &sets {
        let (parsed, new) = loghub::mine_with(&set.contents, config.clone());
        let m = grouping_metrics(&set.truths, &parsed);
        let d = new_template_detection(&set.truths, &new);
        let found = new.iter().filter(|n| **n).count();
        let truths: std::collections::HashSet<&String> = set.truths.iter().collect();
        println!(
            "{:<11} {:<12} {:>5} {:>5} {:>5}  {:.3} {:.3} {:.3} {:.3} {:.3} {:.3}  {:.3} {:.3} {:.3}",
            set.group, set.name, set.truths.len(), truths.len(), found, m.ga, m.fga, m.pa, m.pta,
            m.rta, m.fta, d.precision(), d.recall(), d.f1()
        );
        let e = by_group.entry(set.group).or_default();
        e.0.push(m);
        e.1.push(d);
        if show.is_some_and(|s| {
            s.eq_ignore_ascii_case(&format!("{}/{}", set.group, set.name))
                || s.eq_ignore_ascii_case(&set.name) && set.group == "loghub-2.0"
        }) {
            print_mistakes(&set.contents, &set.truths, &parsed);
        }
    }
    for (group, (ms, ds)) in &by_group {
        let n = ms.len() as f64;
        let avg = |f: fn(&Metrics) -> f64| ms.iter().map(f).sum::<f64>() / n;
        let mut pooled = Detection::default();
        ds.iter().for_each(|d| pooled.add(*d));
        let mean_f1 = ds.iter().map(Detection::f1).sum::<f64>() / n;
        println!(
            "{group:<11} {:<12} {:>5} {:>5} {:>5}  {:.3} {:.3} {:.3} {:.3} {:.3} {:.3}  {:.3} {:.3} {:.3}  (new-template F1 averaged over sets: {mean_f1:.3})",
            format!("average/{}", ms.len()), "", "", "", avg(|m| m.ga), avg(|m| m.fga),
            avg(|m| m.pa), avg(|m| m.pta), avg(|m| m.rta), avg(|m| m.fta),
            pooled.precision(), pooled.recall(), pooled.f1()
        );
    }
    ExitCode::SUCCESS
}

/// Lines whose parsed template differs from the truth, a few per true template.
fn print_mistakes(contents: &[String], truths: &[String], parsed: &[String]) {
    let mut by_truth: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (t, p)) in truths.iter().zip(parsed).enumerate() {
        if t != p {
            by_truth.entry(t).or_default().push(i);
        }
    }
    let mut groups: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (t, p) in truths.iter().zip(parsed) {
        groups.entry(t).or_default().insert(p);
    }
    for (t, ps) in &groups {
        if ps.len() > 1 {
            println!(
                "SPLIT {t}   into {} groups, e.g. {:?}",
                ps.len(),
                ps.iter().take(3).collect::<Vec<_>>()
            );
        }
    }
    for (t, lines) in by_truth {
        println!("TRUE  {t}   ({} lines)", lines.len());
        for &i in lines.iter().take(3) {
            println!("  got {}\n   in {}", parsed[i], contents[i]);
        }
    }
}
