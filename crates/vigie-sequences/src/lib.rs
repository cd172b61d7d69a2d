//! Sequence anomalies without labels: a [`Model`] learns, from the event sequences of ordinary
//! sessions, linear invariants among event counts (`count(T3) = count(T5)`, `3 × count(T1) =
//! count(T2)`, `count(T7) = 0`) that hold on (nearly) all of them, and flags a session that
//! breaks one, saying which and with what counts. No files, no terminals: it takes sequences of
//! event ids and JSON text.

mod counts;
mod error;
mod evaluation;
mod invariant;
mod mining;
mod model;
mod model_json;
mod occurrence;
mod verdict;
mod vocabulary;

pub use error::SequenceError;
pub use evaluation::{best_f1_of_any_detector, Scores};
pub use invariant::{Invariant, Term};
pub use mining::MiningConfig;
pub use model::Model;
pub use verdict::{Verdict, Violation};
