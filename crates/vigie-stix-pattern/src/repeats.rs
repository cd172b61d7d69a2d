//! REPEATS n TIMES: the combinations of `n` bindings of the qualified expression whose
//! instances together suffice, produced lazily as stix2-matcher does: for each new binding of
//! the inner stream, the combinations it completes with the earlier ones (the same binding may
//! be picked again when its observed-data were seen often enough).
//!
//! The search is depth-first over non-decreasing positions and prunes as the matcher does:
//! a capacity bound (instances left over the fewest instances one pick needs) and, when the
//! sub-search after a pick falls short by `d`, the knowledge that the later candidates can
//! add at most `size(pick)` picks that the pick excluded. Without this, packing problems such
//! as `([a] FOLLOWEDBY [b]) REPEATS 10 TIMES` over twenty observations run for minutes.

use std::collections::{HashSet, VecDeque};

use crate::bindings::{Binding, Bindings, Budget, Stream};
use crate::error::EvalError;

pub(crate) struct Repeats {
    inner: Stream,
    n: u128,
    generated: Vec<Binding>,
    pending: VecDeque<Binding>,
    seen: HashSet<Binding>,
    done: bool,
    /// The search in progress (for the latest inner binding), resumed on each pull.
    stack: Vec<Frame>,
    returned: Option<Outcome>,
}

/// A node of the search: `need` more picks from `candidates` (positions in `generated`,
/// ascending, each fitting with `sum`), trying `candidates[pos]` next.
struct Frame {
    need: u128,
    sum: Binding,
    candidates: Vec<usize>,
    pos: usize,
    /// For each position, at most how many picks the candidates from there on allow (each
    /// as many times as it fits alone); filled on the first visit.
    reach: Vec<u128>,
    /// While a sub-search runs: the position of its pick, and how many picks at most the
    /// candidates after it that the pick excluded could still contribute.
    child: Option<(usize, u128)>,
}

/// How a sub-search ended: fully explored, or provably short of `d` picks.
enum Outcome {
    Explored,
    Short(u128),
}

impl Repeats {
    pub(crate) fn stream(inner: Stream, n: u128, budget: &Budget) -> Stream {
        // Each binding uses at least one instance: n cannot exceed all the instances there are.
        let available: u128 = budget
            .obs
            .iter()
            .map(|o| u128::from(o.number_observed))
            .sum();
        Box::new(Repeats {
            inner,
            n,
            generated: Vec::new(),
            pending: VecDeque::new(),
            seen: HashSet::new(),
            done: n > available,
            stack: Vec::new(),
            returned: None,
        })
    }

    /// Queues `b` unless already produced; whether it was new.
    fn emit(&mut self, b: Binding) -> bool {
        if self.seen.insert(b.clone()) {
            self.pending.push_back(b);
            true
        } else {
            false
        }
    }

    /// Starts the search for the combinations of `n` picks whose last pick is `generated[k]`.
    fn start(&mut self, k: usize, budget: &mut Budget) -> Result<(), EvalError> {
        let Some(last) = self.generated.get(k).cloned() else {
            return Ok(());
        };
        let need = self.n.saturating_sub(1);
        if need == 0 {
            self.emit(last);
            return Ok(());
        }
        let (candidates, _) =
            self.fitting(&last, &(0..=k).collect::<Vec<_>>(), usize::MAX, budget)?;
        self.returned = None;
        self.stack = vec![Frame {
            need,
            sum: last,
            candidates,
            pos: 0,
            reach: Vec::new(),
            child: None,
        }];
        Ok(())
    }

    /// Runs the search until it finds a new combination or ends.
    fn advance(&mut self, budget: &mut Budget) -> Result<(), EvalError> {
        let mut stack = std::mem::take(&mut self.stack);
        let mut returned = self.returned.take();
        let found = self.search(&mut stack, &mut returned, budget);
        self.stack = stack;
        self.returned = returned;
        found
    }

    fn search(
        &mut self,
        stack: &mut Vec<Frame>,
        returned: &mut Option<Outcome>,
        budget: &mut Budget,
    ) -> Result<(), EvalError> {
        while let Some(top) = stack.last_mut() {
            if let Some(outcome) = returned.take() {
                let Some((i, max_add)) = top.child.take() else {
                    stack.pop();
                    continue;
                };
                if let Outcome::Short(d) = outcome {
                    if d + 1 > max_add {
                        // No later candidate can make up for it.
                        let result = if i == 0 {
                            Outcome::Short(d - max_add.saturating_sub(1))
                        } else {
                            Outcome::Explored
                        };
                        stack.pop();
                        *returned = Some(result);
                        continue;
                    }
                }
                top.pos = i + 1;
            }
            if top.pos == 0 {
                budget.step()?;
                let bound = self.bound(&top.sum, &top.candidates, budget);
                if bound < top.need {
                    let d = top.need - bound;
                    stack.pop();
                    *returned = Some(Outcome::Short(d));
                    continue;
                }
                let mut reach: Vec<u128> = vec![0; top.candidates.len() + 1];
                for (p, c) in top.candidates.iter().enumerate().rev() {
                    let times = self
                        .generated
                        .get(*c)
                        .map_or(0, |g| self.times_alone(&top.sum, g, usize::MAX, budget));
                    let after = reach.get(p + 1).copied().unwrap_or(0);
                    if let Some(r) = reach.get_mut(p) {
                        *r = after.saturating_add(times);
                    }
                }
                top.reach = reach;
            }
            // Later positions have fewer candidates: done once they cannot reach `need`.
            if top.reach.get(top.pos).copied().unwrap_or(0) < top.need {
                stack.pop();
                *returned = Some(Outcome::Explored);
                continue;
            }
            let Some(&pick) = top.candidates.get(top.pos) else {
                stack.pop();
                *returned = Some(Outcome::Explored);
                continue;
            };
            let Some(total) = self
                .generated
                .get(pick)
                .and_then(|g| budget.sum(&top.sum, g))
            else {
                top.pos += 1;
                continue;
            };
            if top.need == 1 {
                top.pos += 1;
                if self.emit(total) {
                    return Ok(());
                }
                continue;
            }
            let rest = top.candidates.get(top.pos..).unwrap_or(&[]);
            let (next, max_add) = self.fitting(&total, rest, pick, budget)?;
            top.child = Some((top.pos, max_add));
            let need = top.need - 1;
            stack.push(Frame {
                need,
                sum: total,
                candidates: next,
                pos: 0,
                reach: Vec::new(),
                child: None,
            });
        }
        Ok(())
    }

    /// The candidates that can still be added to `sum`, and at most how many picks the
    /// candidates after `pick` that do not fit could contribute to a search without `pick`.
    fn fitting(
        &self,
        sum: &Binding,
        candidates: &[usize],
        pick: usize,
        budget: &mut Budget,
    ) -> Result<(Vec<usize>, u128), EvalError> {
        let mut out = Vec::with_capacity(candidates.len());
        let mut excluded_picks: u128 = 0;
        for &c in candidates {
            budget.step()?;
            let Some(g) = self.generated.get(c) else {
                continue;
            };
            if budget.sum(sum, g).is_some() {
                out.push(c);
            } else if c != pick && pick != usize::MAX {
                excluded_picks += self.times_alone(sum, g, pick, budget);
            }
        }
        let pick_size: u128 = self
            .generated
            .get(pick)
            .map_or(0, |g| g.iter().map(|(_, n)| u128::from(*n)).sum());
        Ok((out, excluded_picks.min(pick_size)))
    }

    /// How many times `g` fits alongside the sum before `pick` was added.
    fn times_alone(&self, total: &Binding, g: &Binding, pick: usize, budget: &Budget) -> u128 {
        let picked = self.generated.get(pick);
        g.iter()
            .map(|(i, n)| {
                let used = total.iter().find(|(j, _)| j == i).map_or(0, |(_, m)| *m);
                let by_pick = picked
                    .and_then(|p| p.iter().find(|(j, _)| j == i))
                    .map_or(0, |(_, m)| *m);
                let left = budget
                    .number_observed(*i)
                    .saturating_sub(used.saturating_sub(by_pick));
                u128::from(left / (*n).max(1))
            })
            .min()
            .unwrap_or(0)
    }

    /// At most how many more picks fit: the instances left in the observed-data the
    /// candidates use, over the fewest instances one candidate needs.
    fn bound(&self, sum: &Binding, candidates: &[usize], budget: &Budget) -> u128 {
        let mut obs: Vec<usize> = Vec::new();
        let mut smallest = u128::MAX;
        for c in candidates {
            if let Some(g) = self.generated.get(*c) {
                obs.extend(g.iter().map(|(i, _)| *i));
                smallest = smallest.min(g.iter().map(|(_, n)| u128::from(*n)).sum());
            }
        }
        if candidates.is_empty() || smallest == 0 {
            return 0;
        }
        obs.sort_unstable();
        obs.dedup();
        let left: u128 = obs
            .iter()
            .map(|i| {
                let used = sum.iter().find(|(j, _)| j == i).map_or(0, |(_, n)| *n);
                u128::from(budget.number_observed(*i).saturating_sub(used))
            })
            .sum();
        left / smallest
    }
}

impl Bindings for Repeats {
    fn next(&mut self, budget: &mut Budget) -> Result<Option<Binding>, EvalError> {
        loop {
            if let Some(b) = self.pending.pop_front() {
                return Ok(Some(b));
            }
            if !self.stack.is_empty() {
                self.advance(budget)?;
                continue;
            }
            if self.done {
                return Ok(None);
            }
            match self.inner.next(budget)? {
                None => self.done = true,
                Some(b) => {
                    self.generated.push(b);
                    self.start(self.generated.len() - 1, budget)?;
                }
            }
        }
    }
}
