//! The model: the training vocabulary and the invariants mined from it; training from event
//! sequences (labels never enter) and scoring a session into a [`Verdict`].

use serde::{Deserialize, Serialize};

use crate::counts::{count_vector, index_of, CountTable};
use crate::invariant::{holds_on, Invariant};
use crate::mining::{mine, MiningConfig};
use crate::verdict::{Verdict, Violation};
use crate::vocabulary::vocabulary_of;

/// The version of the JSON layout written by [`Model::to_json`].
pub const MODEL_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub format: u32,
    pub config: MiningConfig,
    /// Every event id seen in training, in natural order.
    pub vocabulary: Vec<String>,
    pub training_sessions: u64,
    pub invariants: Vec<Invariant>,
    /// Each invariant's terms as (vocabulary index, coefficient), rebuilt after loading.
    #[serde(skip)]
    pub(crate) resolved: Vec<Vec<(usize, i64)>>,
}

impl Model {
    /// Learns from the event sequences of training sessions (deterministic: the same sequences
    /// in any order give the same model).
    pub fn train<S: AsRef<str>>(sequences: &[Vec<S>], config: MiningConfig) -> Model {
        let vocabulary = vocabulary_of(sequences);
        let index = index_of(&vocabulary);
        let table = CountTable::new(sequences, &index);
        let invariants = mine(&table, &vocabulary, &config);
        let mut model = Model {
            format: MODEL_FORMAT,
            config,
            training_sessions: table.sessions,
            vocabulary,
            invariants,
            resolved: Vec::new(),
        };
        // Cannot fail: the invariants were mined over this vocabulary.
        let _ = model.resolve();
        model
    }

    /// Rebuilds `resolved`; `Err(event)` names an invariant event missing from the vocabulary.
    pub(crate) fn resolve(&mut self) -> Result<(), String> {
        let index = index_of(&self.vocabulary);
        let mut resolved = Vec::with_capacity(self.invariants.len());
        for inv in &self.invariants {
            let mut terms = Vec::with_capacity(inv.terms.len());
            for t in &inv.terms {
                match index.get(t.event.as_str()) {
                    Some(&i) => terms.push((i, t.coefficient)),
                    None => return Err(t.event.clone()),
                }
            }
            resolved.push(terms);
        }
        self.resolved = resolved;
        Ok(())
    }

    /// The verdict on one session's event sequence.
    pub fn score<S: AsRef<str>>(&self, sequence: &[S]) -> Verdict {
        let index = index_of(&self.vocabulary);
        let counts = count_vector(sequence, &index);
        let mut unseen: Vec<(String, u64)> = Vec::new();
        for e in sequence {
            let e = e.as_ref();
            if index.contains_key(e) {
                continue;
            }
            match unseen.iter_mut().find(|(u, _)| u == e) {
                Some((_, n)) => *n += 1,
                None => unseen.push((e.to_owned(), 1)),
            }
        }
        let mut violations: Vec<Violation> = unseen
            .into_iter()
            .map(|(event, count)| Violation::UnseenEvent {
                event,
                count,
                training_sessions: self.training_sessions,
            })
            .collect();
        let mut broken: Vec<&Invariant> = self
            .invariants
            .iter()
            .zip(&self.resolved)
            .filter(|(_, terms)| !holds_on(terms, &counts))
            .map(|(inv, _)| inv)
            .collect();
        // Stable: ties keep the model's order.
        broken.sort_by(|a, b| b.support().total_cmp(&a.support()));
        violations.extend(broken.into_iter().map(|inv| {
            let counts = inv
                .terms
                .iter()
                .map(|t| {
                    let n = index.get(t.event.as_str()).map_or(0, |&i| counts[i]);
                    (t.event.clone(), n)
                })
                .collect();
            Violation::BrokenInvariant {
                invariant: inv.clone(),
                counts,
            }
        }));
        Verdict { violations }
    }
}
