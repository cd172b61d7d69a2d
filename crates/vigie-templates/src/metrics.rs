//! The Loghub-2.0 log-parsing metrics (GA, FGA, PA, PTA / RTA / FTA) over two equal-length lists
//! of templates, one per line, computed as the benchmark's evaluator defines them, and the
//! detection of never-seen templates (precision, recall, F1).

use std::collections::{HashMap, HashSet};

/// Parsing accuracy figures of one data set, each between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    /// Grouping accuracy: share of lines whose true group is exactly one parsed group.
    pub ga: f64,
    /// Harmonic mean of PGA (correct groups / parsed groups) and RGA (/ true groups).
    pub fga: f64,
    /// Parsing accuracy: share of lines whose parsed template equals the true one.
    pub pa: f64,
    /// Parsed templates whose lines have exactly one true template, equal to it, / parsed templates.
    pub pta: f64,
    /// The same correct templates / true templates.
    pub rta: f64,
    /// Harmonic mean of PTA and RTA.
    pub fta: f64,
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// All figures for `truth` and `parsed` (same length, not empty; each line's template).
pub fn grouping_metrics<S: AsRef<str>, T: AsRef<str>>(truth: &[S], parsed: &[T]) -> Metrics {
    let n = truth.len().min(parsed.len());
    if n == 0 {
        return Metrics::default();
    }
    let mut parsed_count: HashMap<&str, usize> = HashMap::new();
    let mut by_truth: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut by_parsed: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut exact = 0usize;
    for (g, p) in truth.iter().zip(parsed).take(n) {
        let (g, p) = (g.as_ref(), p.as_ref());
        *parsed_count.entry(p).or_default() += 1;
        by_truth.entry(g).or_default().push(p);
        by_parsed.entry(p).or_default().insert(g);
        exact += usize::from(g == p);
    }
    let (mut correct_lines, mut correct_groups) = (0usize, 0usize);
    for ps in by_truth.values() {
        let first = ps[0];
        if ps.iter().all(|p| *p == first) && parsed_count.get(first) == Some(&ps.len()) {
            correct_lines += ps.len();
            correct_groups += 1;
        }
    }
    let pga = correct_groups as f64 / parsed_count.len() as f64;
    let rga = correct_groups as f64 / by_truth.len() as f64;
    let correct_templates = by_parsed
        .iter()
        .filter(|(p, gs)| gs.len() == 1 && gs.contains(*p))
        .count();
    let pta = correct_templates as f64 / by_parsed.len() as f64;
    let rta = correct_templates as f64 / by_truth.len() as f64;
    Metrics {
        ga: correct_lines as f64 / n as f64,
        fga: harmonic(pga, rga),
        pa: exact as f64 / n as f64,
        pta,
        rta,
        fta: harmonic(pta, rta),
    }
}

/// Counts of never-seen-template detection: a line is truly new when its true template has not
/// occurred earlier in the stream; it is flagged new when the miner founded a group with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Detection {
    pub true_positives: u64,
    pub false_positives: u64,
    pub false_negatives: u64,
}

impl Detection {
    pub fn add(&mut self, other: Detection) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }

    pub fn precision(&self) -> f64 {
        let flagged = self.true_positives + self.false_positives;
        if flagged == 0 {
            0.0
        } else {
            self.true_positives as f64 / flagged as f64
        }
    }

    pub fn recall(&self) -> f64 {
        let real = self.true_positives + self.false_negatives;
        if real == 0 {
            0.0
        } else {
            self.true_positives as f64 / real as f64
        }
    }

    pub fn f1(&self) -> f64 {
        harmonic(self.precision(), self.recall())
    }
}

/// Detection counts for the true templates of a stream and the miner's new flags, line by line.
pub fn new_template_detection<S: AsRef<str>>(truth: &[S], flagged_new: &[bool]) -> Detection {
    let mut seen = HashSet::new();
    let mut d = Detection::default();
    for (g, &flag) in truth.iter().zip(flagged_new) {
        let real = seen.insert(g.as_ref());
        match (real, flag) {
            (true, true) => d.true_positives += 1,
            (false, true) => d.false_positives += 1,
            (true, false) => d.false_negatives += 1,
            (false, false) => {}
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_split_groups() {
        let truth = ["a <*>", "a <*>", "b", "c"];
        let m = grouping_metrics(&truth, &truth);
        assert_eq!((m.ga, m.fga, m.pa, m.fta), (1.0, 1.0, 1.0, 1.0));
        let parsed = ["a 1", "a 2", "b", "c"];
        let m = grouping_metrics(&truth, &parsed);
        assert_eq!(m.ga, 0.5);
        assert_eq!(m.pa, 0.5);
        // correct groups 2 of 4 parsed and of 3 true
        assert!((m.fga - harmonic(0.5, 2.0 / 3.0)).abs() < 1e-12);
    }

    #[test]
    fn detection_counts() {
        let d = new_template_detection(&["a", "a", "b", "a"], &[true, true, false, false]);
        assert_eq!(
            (d.true_positives, d.false_positives, d.false_negatives),
            (1, 1, 1)
        );
        assert_eq!(d.f1(), 0.5);
    }
}
