//! Mining invariants from count vectors (Invariants Mining, Lou et al., USENIX ATC'10, as a
//! search over sparse small-integer combinations): first the events that (nearly) never occur,
//! `count(E) = 0`; then, among the others, combinations of 2 to `max_terms` events whose
//! smallest-integer weighted sum is zero on at least `min_support` of the sessions where one of
//! them occurs. A combination containing an invariant already found is not searched again.

use serde::{Deserialize, Serialize};

use crate::counts::CountTable;
use crate::invariant::{holds_on, Invariant, Term};
use crate::occurrence::Occurrences;

/// The search's settings; one default for every data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MiningConfig {
    /// Share of the (active) training sessions an invariant must hold on (loglizer: 0.98).
    pub min_support: f64,
    /// Largest absolute coefficient tried.
    pub max_coefficient: i64,
    /// Most events in one invariant (the search grows with the vocabulary to this power).
    pub max_terms: usize,
    /// A combination is judged only when its events occur in at least this share of the
    /// training sessions (and in one session at least).
    pub min_active_share: f64,
}

impl Default for MiningConfig {
    fn default() -> Self {
        MiningConfig {
            min_support: 0.98,
            max_coefficient: 3,
            max_terms: 3,
            min_active_share: 0.01,
        }
    }
}

/// All invariants of the table, single-event ones first, then by number of terms and by event
/// order: the result depends only on the table and the settings.
pub fn mine(table: &CountTable, vocabulary: &[String], config: &MiningConfig) -> Vec<Invariant> {
    let total = table.sessions;
    let mut found = Vec::new();
    let mut found_sets: Vec<Vec<usize>> = Vec::new();
    let mut candidates = Vec::new();
    for (e, name) in vocabulary.iter().enumerate() {
        let held: u64 = table
            .rows
            .iter()
            .filter(|(v, _)| v[e] == 0)
            .map(|(_, n)| n)
            .sum();
        if total > 0 && held as f64 >= config.min_support * total as f64 {
            found.push(Invariant {
                terms: vec![term(name, 1)],
                active: total,
                held,
            });
        } else {
            candidates.push(e);
        }
    }
    let min_active = ((config.min_active_share * total as f64).ceil() as u64).max(1);
    let occurrences = Occurrences::new(table, vocabulary.len());
    for size in 2..=config.max_terms.max(1) {
        for combo in combinations(&candidates, size) {
            if found_sets
                .iter()
                .any(|s| s.iter().all(|e| combo.contains(e)))
            {
                continue;
            }
            // A session where exactly one of the events occurs breaks every relation among
            // them: when there are too many, no coefficients can do (same result, less work).
            let (active, lone) = occurrences.active_and_lone(&combo);
            if active < min_active || ((active - lone) as f64) < config.min_support * active as f64
            {
                continue;
            }
            if let Some((coefficients, active, held)) = best_relation(table, &combo, config) {
                found.push(Invariant {
                    terms: combo
                        .iter()
                        .zip(&coefficients)
                        .map(|(&e, &c)| term(&vocabulary[e], c))
                        .collect(),
                    active,
                    held,
                });
                found_sets.push(combo);
            }
        }
    }
    found
}

fn term(event: &str, coefficient: i64) -> Term {
    Term {
        event: event.to_owned(),
        coefficient,
    }
}

/// The coefficient vector (smallest integers, first one positive) holding on the most active
/// sessions of these events, if it holds on `min_support` of them: (coefficients, active, held).
fn best_relation(
    table: &CountTable,
    events: &[usize],
    config: &MiningConfig,
) -> Option<(Vec<i64>, u64, u64)> {
    let active: Vec<(Vec<u64>, u64)> = table
        .rows
        .iter()
        .filter(|(v, _)| events.iter().any(|&e| v[e] > 0))
        .map(|(v, n)| (events.iter().map(|&e| v[e]).collect(), *n))
        .collect();
    let sessions: u64 = active.iter().map(|(_, n)| n).sum();
    if sessions == 0 {
        return None;
    }
    let mut best: Option<(Vec<i64>, u64)> = None;
    for coefficients in coefficient_vectors(events.len(), config.max_coefficient) {
        let terms: Vec<(usize, i64)> = coefficients.iter().copied().enumerate().collect();
        let held: u64 = active
            .iter()
            .filter(|(v, _)| holds_on(&terms, v))
            .map(|(_, n)| n)
            .sum();
        if best.as_ref().is_none_or(|(_, h)| held > *h) {
            best = Some((coefficients, held));
        }
    }
    best.filter(|(_, held)| *held as f64 >= config.min_support * sessions as f64)
        .map(|(c, held)| (c, sessions, held))
}

/// Every vector of `n` non-zero coefficients in `-k..=k`, the first positive, without a common
/// divisor, in a fixed order.
fn coefficient_vectors(n: usize, k: i64) -> Vec<Vec<i64>> {
    let values: Vec<i64> = (1..=k).flat_map(|c| [c, -c]).collect();
    let mut out: Vec<Vec<i64>> = (1..=k).map(|c| vec![c]).collect();
    for _ in 1..n {
        out = out
            .into_iter()
            .flat_map(|v| {
                values.iter().map(move |&c| {
                    let mut w = v.clone();
                    w.push(c);
                    w
                })
            })
            .collect();
    }
    out.retain(|v| v.iter().fold(0, |g, &c| gcd(g, c.unsigned_abs())) == 1);
    out
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The `size`-element subsets of `items`, in lexicographic order.
fn combinations(items: &[usize], size: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = Vec::with_capacity(size);
    fn walk(
        items: &[usize],
        size: usize,
        start: usize,
        current: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if current.len() == size {
            out.push(current.clone());
            return;
        }
        for i in start..items.len() {
            current.push(items[i]);
            walk(items, size, i + 1, current, out);
            current.pop();
        }
    }
    walk(items, size, 0, &mut current, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coefficient_vectors_are_primitive_and_start_positive() {
        let v = coefficient_vectors(2, 2);
        assert!(v.contains(&vec![1, -1]) && v.contains(&vec![2, -1]) && v.contains(&vec![1, 2]));
        assert!(!v.contains(&vec![2, -2]) && !v.iter().any(|w| w[0] < 0));
    }

    #[test]
    fn combinations_in_order() {
        assert_eq!(
            combinations(&[1, 4, 7], 2),
            vec![vec![1, 4], vec![1, 7], vec![4, 7]]
        );
    }
}
