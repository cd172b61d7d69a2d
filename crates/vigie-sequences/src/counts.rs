//! Event count vectors: how many times each event of the vocabulary occurs in a session, the
//! training sessions grouped by distinct vector (with how many sessions share it).

use std::collections::{BTreeMap, HashMap};

/// Index of each event id in the vocabulary.
pub type EventIndex<'a> = HashMap<&'a str, usize>;

pub fn index_of(vocabulary: &[String]) -> EventIndex<'_> {
    vocabulary
        .iter()
        .enumerate()
        .map(|(i, e)| (e.as_str(), i))
        .collect()
}

/// The count vector of one sequence; ids outside the vocabulary are left out.
pub fn count_vector<S: AsRef<str>>(sequence: &[S], index: &EventIndex<'_>) -> Vec<u64> {
    let mut v = vec![0u64; index.len()];
    for e in sequence {
        if let Some(&i) = index.get(e.as_ref()) {
            v[i] += 1;
        }
    }
    v
}

/// Distinct count vectors of the training sessions, each with its number of sessions, in a
/// fixed (sorted) order.
pub struct CountTable {
    pub rows: Vec<(Vec<u64>, u64)>,
    pub sessions: u64,
}

impl CountTable {
    pub fn new<S: AsRef<str>>(sequences: &[Vec<S>], index: &EventIndex<'_>) -> Self {
        let mut distinct: BTreeMap<Vec<u64>, u64> = BTreeMap::new();
        for s in sequences {
            *distinct.entry(count_vector(s, index)).or_default() += 1;
        }
        CountTable {
            rows: distinct.into_iter().collect(),
            sessions: sequences.len() as u64,
        }
    }
}
