//! What scoring a session gives: the invariants it breaks and the events training never saw,
//! each with a sentence a person can check against the counts.

use serde::Serialize;

use crate::invariant::Invariant;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    /// The session's counts break an invariant; `counts` are the session's counts of its events.
    BrokenInvariant {
        invariant: Invariant,
        counts: Vec<(String, u64)>,
    },
    /// An event id no training session had.
    UnseenEvent {
        event: String,
        count: u64,
        training_sessions: u64,
    },
}

impl Violation {
    pub fn sentence(&self) -> String {
        match self {
            Violation::UnseenEvent {
                event,
                count,
                training_sessions,
            } => format!(
                "{event} appears {} but never occurred in the {training_sessions} training sessions",
                times(*count)
            ),
            Violation::BrokenInvariant { invariant, counts } => {
                let names: Vec<&str> = counts.iter().map(|(e, _)| e.as_str()).collect();
                let support = percent(invariant.held, invariant.active);
                if let [(event, count)] = &counts[..] {
                    return format!(
                        "{event} appears {}; in {support} of the {} training sessions {event} never \
                         appears ({})",
                        times(*count),
                        invariant.active,
                        invariant.formula()
                    );
                }
                let seen: Vec<String> = counts
                    .iter()
                    .enumerate()
                    .map(|(i, (e, c))| {
                        if i == 0 {
                            format!("{e} appears {}", times(*c))
                        } else {
                            format!("{e} {}", times(*c))
                        }
                    })
                    .collect();
                format!(
                    "{}; in {support} of the {} training sessions with {}, {}",
                    join_words(&seen, if counts.len() == 2 { "but" } else { "and" }),
                    invariant.active,
                    join_words(&names, "or"),
                    invariant.formula()
                )
            }
        }
    }
}

/// The verdict on one session: anomalous when anything is violated.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Verdict {
    /// Unseen events first, then broken invariants, most reliable (highest support) first.
    pub violations: Vec<Violation>,
}

impl Verdict {
    pub fn is_anomalous(&self) -> bool {
        !self.violations.is_empty()
    }

    /// The first violation's sentence, and how many more there are; empty when normal.
    pub fn explanation(&self) -> String {
        match self.violations.split_first() {
            None => String::new(),
            Some((first, [])) => first.sentence(),
            Some((first, rest)) => format!(
                "{} (and {} more violation{})",
                first.sentence(),
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

fn times(n: u64) -> String {
    match n {
        1 => "1 time".to_owned(),
        n => format!("{n} times"),
    }
}

/// `held / active` as a percentage with two decimals, never rounded up to 100% when it was
/// broken.
fn percent(held: u64, active: u64) -> String {
    if active == 0 {
        return "0%".to_owned();
    }
    let hundredths = (held as u128 * 10_000) / active as u128;
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// `a, b or c` / `a but b`.
fn join_words<S: AsRef<str>>(words: &[S], last: &str) -> String {
    match words {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., tail] => {
            let init: Vec<&str> = init.iter().map(|w| w.as_ref()).collect();
            format!("{} {last} {}", init.join(", "), tail.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_truncated() {
        assert_eq!(percent(9999, 10000), "99.99%");
        assert_eq!(percent(99_999, 100_000), "99.99%");
        assert_eq!(percent(1, 3), "33.33%");
    }

    #[test]
    fn word_lists() {
        assert_eq!(join_words(&["a", "b", "c"], "or"), "a, b or c");
        assert_eq!(join_words(&["a"], "or"), "a");
    }
}
