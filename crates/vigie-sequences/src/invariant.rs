//! A linear invariant among event counts, `Σ coefficient × count(event) = 0`, with how often it
//! held in training, and its formula as a person reads it.

use serde::{Deserialize, Serialize};

/// One term of an invariant: a coefficient times the count of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub event: String,
    pub coefficient: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invariant {
    pub terms: Vec<Term>,
    /// Training sessions the support is counted over: all of them for a one-term invariant
    /// (`count(E) = 0`), else those where at least one of its events occurs.
    pub active: u64,
    /// Of those, the sessions where it held.
    pub held: u64,
}

impl Invariant {
    /// The share of `active` training sessions where it held.
    pub fn support(&self) -> f64 {
        if self.active == 0 {
            0.0
        } else {
            self.held as f64 / self.active as f64
        }
    }

    /// `count(T3) = count(T5)`, `3 × count(T1) = count(T2) + count(T6)`, `count(T7) = 0`.
    pub fn formula(&self) -> String {
        let side = |positive: bool| -> String {
            let parts: Vec<String> = self
                .terms
                .iter()
                .filter(|t| (t.coefficient > 0) == positive)
                .map(|t| match t.coefficient.unsigned_abs() {
                    1 => format!("count({})", t.event),
                    c => format!("{c} × count({})", t.event),
                })
                .collect();
            if parts.is_empty() {
                "0".to_owned()
            } else {
                parts.join(" + ")
            }
        };
        format!("{} = {}", side(true), side(false))
    }
}

/// Whether `Σ cᵢ × countᵢ = 0` for these (index, coefficient) terms over a count vector.
pub fn holds_on(terms: &[(usize, i64)], counts: &[u64]) -> bool {
    weighted_sum(terms, counts) == 0
}

pub fn weighted_sum(terms: &[(usize, i64)], counts: &[u64]) -> i128 {
    terms
        .iter()
        .map(|&(i, c)| c as i128 * counts.get(i).copied().unwrap_or(0) as i128)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(event: &str, coefficient: i64) -> Term {
        Term {
            event: event.into(),
            coefficient,
        }
    }

    #[test]
    fn formulas_put_negative_terms_on_the_right() {
        let inv = Invariant {
            terms: vec![term("T1", 3), term("T2", -1), term("T6", -1)],
            active: 4,
            held: 3,
        };
        assert_eq!(inv.formula(), "3 × count(T1) = count(T2) + count(T6)");
        assert_eq!(inv.support(), 0.75);
        let zero = Invariant {
            terms: vec![term("T7", 1)],
            active: 0,
            held: 0,
        };
        assert_eq!(zero.formula(), "count(T7) = 0");
        assert_eq!(zero.support(), 0.0);
    }
}
