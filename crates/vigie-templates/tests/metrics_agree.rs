//! The figures `loghub_eval` reports must be those of the shared reference script
//! `loghub_metrics.py` (the Loghub-2.0 evaluator re-implemented, stdlib-only): the same
//! (truth, parsed) lists go to both, on generated cases and on the miner's own output for
//! every Loghub 2k set of the corpus, and every figure must be equal to the last bit.
//! Skips loudly without python3, the script (`$VIGIE_TOOLS`, default `../shared/tools`) or the
//! corpus.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::loghub;
use vigie_templates::{grouping_metrics, Metrics};

fn tools() -> PathBuf {
    std::env::var_os("VIGIE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| loghub::corpus().join("../tools"))
}

const DRIVER: &str = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
from loghub_metrics import all_metrics
cases = json.load(sys.stdin)
# repr() is exact; JSON numbers could lose the last bit on the way
print(json.dumps([{k: repr(v) for k, v in all_metrics(c[0], c[1]).items()} for c in cases]))
"#;

/// Figures of the reference script for each (truth, parsed) case; `None` when it cannot run.
fn reference(cases: &[(Vec<String>, Vec<String>)]) -> Option<Vec<Metrics>> {
    let dir = tools();
    if !dir.join("loghub_metrics.py").is_file() {
        eprintln!(
            "SKIPPED metrics agreement: {} not found (set VIGIE_TOOLS)",
            dir.join("loghub_metrics.py").display()
        );
        return None;
    }
    let child = Command::new("python3")
        .args(["-c", DRIVER])
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED metrics agreement: python3 cannot be started");
        return None;
    };
    let input = serde_json::to_vec(cases).expect("cases as JSON");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&input)
        .expect("feed python");
    let out = child.wait_with_output().expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("python's JSON");
    Some(
        v.iter()
            .map(|m| {
                let f = |k: &str| {
                    m[k].as_str()
                        .and_then(|s| s.parse::<f64>().ok())
                        .expect("a number")
                };
                Metrics {
                    ga: f("GA"),
                    fga: f("FGA"),
                    pa: f("PA"),
                    pta: f("PTA"),
                    rta: f("RTA"),
                    fta: f("FTA"),
                }
            })
            .collect(),
    )
}

fn check(names: &[String], cases: &[(Vec<String>, Vec<String>)]) {
    let Some(want) = reference(cases) else { return };
    assert_eq!(want.len(), cases.len());
    for ((name, (truth, parsed)), want) in names.iter().zip(cases).zip(&want) {
        let got = grouping_metrics(truth, parsed);
        assert_eq!(&got, want, "case {name}");
    }
    eprintln!("{} cases agree with loghub_metrics.py", cases.len());
}

/// Generated cases: small alphabets so that groups split, merge and coincide in every way.
#[test]
fn generated_cases_agree_with_loghub_metrics() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let (mut names, mut cases) = (Vec::new(), Vec::new());
    for case in 0..300 {
        let len = 1 + next(60) as usize;
        let (kt, kp) = (1 + next(8), 1 + next(8));
        let truth: Vec<String> = (0..len).map(|_| format!("t{}", next(kt))).collect();
        let parsed: Vec<String> = truth
            .iter()
            .map(|t| match next(4) {
                0 => format!("t{}", next(kp)),
                1 => format!("p{}", next(kp)),
                _ => t.clone(),
            })
            .collect();
        names.push(format!("generated {case}"));
        cases.push((truth, parsed));
    }
    check(&names, &cases);
}

/// The miner's output on every Loghub 2k set, as `loghub_eval` computes it.
#[test]
fn miner_output_figures_agree_with_loghub_metrics() {
    let root = loghub::corpus().join("anomaly/loghub-2k");
    if !root.is_dir() {
        eprintln!(
            "SKIPPED miner metrics agreement: corpus not found at {} (set VIGIE_CORPUS)",
            root.display()
        );
        return;
    }
    let sets = loghub::sets(&root).expect("the Loghub sets read");
    assert_eq!(sets.len(), 30, "14 Loghub-2.0 sets and 16 original ones");
    let names: Vec<String> = sets
        .iter()
        .map(|s| format!("{}/{}", s.group, s.name))
        .collect();
    let cases: Vec<_> = sets
        .iter()
        .map(|s| (s.truths.clone(), loghub::mine(&s.contents).0))
        .collect();
    check(&names, &cases);
}
