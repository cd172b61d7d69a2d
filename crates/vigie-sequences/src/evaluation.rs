//! Measuring a detector against labels: precision, recall and F1, and the best F1 any detector
//! that sees only the sessions' sequences could reach (sessions with identical sequences get the
//! same verdict, whatever their labels).

use std::collections::BTreeMap;

/// A confusion matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scores {
    pub true_positives: u64,
    pub false_positives: u64,
    pub false_negatives: u64,
    pub true_negatives: u64,
}

impl Scores {
    /// Counts (flagged, truly anomalous) pairs.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (bool, bool)>) -> Scores {
        let mut s = Scores::default();
        for (flagged, anomalous) in pairs {
            match (flagged, anomalous) {
                (true, true) => s.true_positives += 1,
                (true, false) => s.false_positives += 1,
                (false, true) => s.false_negatives += 1,
                (false, false) => s.true_negatives += 1,
            }
        }
        s
    }

    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The best F1 over every detector that is a function of `key` (e.g. the whole sequence, or
/// the count vector), found with the labels: groups of sessions sharing a key are flagged in
/// decreasing share of anomalies, and the best prefix is kept. An upper bound for any detector
/// reading only that key, not a detector.
pub fn best_f1_of_any_detector<K: Ord>(sessions: impl IntoIterator<Item = (K, bool)>) -> Scores {
    let mut groups: BTreeMap<K, (u64, u64)> = BTreeMap::new();
    for (key, anomalous) in sessions {
        let g = groups.entry(key).or_default();
        if anomalous {
            g.1 += 1;
        } else {
            g.0 += 1;
        }
    }
    let mut groups: Vec<(u64, u64)> = groups.into_values().collect();
    // a1 / (n1 + a1) > a2 / (n2 + a2), compared without division; stable.
    groups.sort_by(|x, y| (y.1 * (x.0 + x.1)).cmp(&(x.1 * (y.0 + y.1))));
    let positives: u64 = groups.iter().map(|g| g.1).sum();
    let negatives: u64 = groups.iter().map(|g| g.0).sum();
    let none = Scores {
        false_negatives: positives,
        true_negatives: negatives,
        ..Scores::default()
    };
    let mut best = none;
    let mut current = none;
    for (normal, anomalous) in groups {
        current.true_positives += anomalous;
        current.false_negatives -= anomalous;
        current.false_positives += normal;
        current.true_negatives -= normal;
        if current.f1() > best.f1() {
            best = current;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_from_pairs() {
        let s = Scores::from_pairs([(true, true), (true, false), (false, true), (false, false)]);
        assert_eq!(s.precision(), 0.5);
        assert_eq!(s.recall(), 0.5);
        assert_eq!(s.f1(), 0.5);
    }

    #[test]
    fn identical_sequences_cap_what_any_detector_reaches() {
        // "a b" is normal twice and anomalous once: flagging it costs two false alarms.
        let sessions = [
            ("a b", false),
            ("a b", false),
            ("a b", true),
            ("a c", true),
            ("a d", false),
        ];
        let best = best_f1_of_any_detector(sessions);
        assert_eq!((best.true_positives, best.false_positives), (1, 0));
        assert!((best.f1() - 2.0 / 3.0).abs() < 1e-12);
    }
}
