//! Bindings of observations to the observation expressions of a pattern, produced lazily.
//!
//! stix2-matcher counts an observed-data seen `number_observed` times as that many distinct
//! instances, and a binding may use each instance once. Instances of one observed-data are
//! interchangeable, so a binding is kept here as how many instances of each observed-data it
//! uses (a multiset); two bindings combine when, for each observed-data, the counts add up to no
//! more than `number_observed`. This gives the same match / no-match answers as enumerating
//! instances, with far fewer bindings.
//!
//! Like the matcher's generators, each operator is a stream pulled one binding at a time, in
//! the same order as the matcher's (so a match is found without enumerating everything, and the
//! first binding is the one the matcher reports). Every combination tried counts against a
//! budget, so a pattern that explodes combinatorially ends with an error instead of running on.

use std::collections::{HashSet, VecDeque};

use crate::error::EvalError;
use crate::observation::Observations;
use crate::timestamp::MAX_MICROS;

/// Instance counts per observed-data index, sorted by index, counts at least 1.
pub(crate) type Binding = Vec<(usize, u64)>;

/// Limits on the work of one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct EvalOptions {
    /// Most combinations of bindings tried (and bindings kept) before giving up.
    pub max_steps: u64,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            max_steps: 100_000_000,
        }
    }
}

/// The observations and what is left of the work budget.
pub(crate) struct Budget<'a> {
    pub obs: &'a Observations,
    pub options: EvalOptions,
    pub steps: u64,
}

impl Budget<'_> {
    pub(crate) fn step(&mut self) -> Result<(), EvalError> {
        self.steps += 1;
        if self.steps > self.options.max_steps {
            return Err(EvalError::TooComplex(self.options.max_steps));
        }
        Ok(())
    }

    pub(crate) fn number_observed(&self, i: usize) -> u64 {
        self.obs.get(i).map_or(0, |o| o.number_observed)
    }

    fn interval(&self, i: usize) -> Result<(i64, i64), EvalError> {
        let o = self.obs.get(i).ok_or(EvalError::TimeOutOfRange)?;
        if o.first_observed > o.last_observed {
            return Err(EvalError::ReversedInterval(o.label()));
        }
        Ok((o.first_observed, o.last_observed))
    }

    /// The latest first_observed and the earliest last_observed of a binding's observations.
    fn span(&self, b: &Binding) -> (i64, i64) {
        let mut latest_first = i64::MIN;
        let mut earliest_last = i64::MAX;
        for (i, _) in b {
            if let Some(o) = self.obs.get(*i) {
                latest_first = latest_first.max(o.first_observed);
                earliest_last = earliest_last.min(o.last_observed);
            }
        }
        (latest_first, earliest_last)
    }

    /// Both bindings together, if the instances suffice.
    pub(crate) fn sum(&self, a: &Binding, b: &Binding) -> Option<Binding> {
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut x, mut y) = (a.iter().peekable(), b.iter().peekable());
        loop {
            match (x.peek(), y.peek()) {
                (Some(&&(i, m)), Some(&&(j, n))) => {
                    if i == j {
                        let total = m.checked_add(n)?;
                        if total > self.number_observed(i) {
                            return None;
                        }
                        out.push((i, total));
                        x.next();
                        y.next();
                    } else if i < j {
                        out.push((i, m));
                        x.next();
                    } else {
                        out.push((j, n));
                        y.next();
                    }
                }
                (Some(&&p), None) => {
                    out.push(p);
                    x.next();
                }
                (None, Some(&&p)) => {
                    out.push(p);
                    y.next();
                }
                (None, None) => return Some(out),
            }
        }
    }
}

/// A lazily produced sequence of bindings.
pub(crate) trait Bindings {
    fn next(&mut self, budget: &mut Budget) -> Result<Option<Binding>, EvalError>;
}

pub(crate) type Stream = Box<dyn Bindings>;

/// Each matching observed-data once, in order.
pub(crate) struct Leaf(std::vec::IntoIter<usize>);

impl Leaf {
    pub(crate) fn stream(matching: Vec<usize>) -> Stream {
        Box::new(Leaf(matching.into_iter()))
    }
}

impl Bindings for Leaf {
    fn next(&mut self, _: &mut Budget) -> Result<Option<Binding>, EvalError> {
        Ok(self.0.next().map(|i| vec![(i, 1)]))
    }
}

/// Bindings of either side, alternating.
pub(crate) struct Or {
    sides: [Stream; 2],
    done: [bool; 2],
    turn: usize,
    seen: HashSet<Binding>,
}

impl Or {
    pub(crate) fn stream(lhs: Stream, rhs: Stream) -> Stream {
        Box::new(Or {
            sides: [lhs, rhs],
            done: [false; 2],
            turn: 0,
            seen: HashSet::new(),
        })
    }
}

impl Bindings for Or {
    fn next(&mut self, budget: &mut Budget) -> Result<Option<Binding>, EvalError> {
        loop {
            if self.done.iter().all(|d| *d) {
                return Ok(None);
            }
            let side = self.turn;
            self.turn ^= 1;
            if self.done.get(side).copied().unwrap_or(true) {
                continue;
            }
            let Some(stream) = self.sides.get_mut(side) else {
                return Ok(None);
            };
            match stream.next(budget)? {
                None => {
                    if let Some(d) = self.done.get_mut(side) {
                        *d = true;
                    }
                }
                Some(b) => {
                    budget.step()?;
                    if self.seen.insert(b.clone()) {
                        return Ok(Some(b));
                    }
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) enum JoinKind {
    And,
    /// The right side seen no earlier than the left could be: the latest first_observed on
    /// the left is not after the earliest last_observed on the right.
    FollowedBy,
}

/// Every pair of bindings, one from each side, whose instances suffice (and, for FOLLOWEDBY,
/// in time order), in the order the matcher's generators produce them.
pub(crate) struct Join {
    kind: JoinKind,
    lhs: Stream,
    rhs: Stream,
    lhs_seen: Vec<Binding>,
    rhs_seen: Vec<Binding>,
    next_lhs: Option<Binding>,
    next_rhs: Option<Binding>,
    started: bool,
    right_turn: bool,
    pending: VecDeque<Binding>,
    seen: HashSet<Binding>,
}

impl Join {
    pub(crate) fn stream(kind: JoinKind, lhs: Stream, rhs: Stream) -> Stream {
        Box::new(Join {
            kind,
            lhs,
            rhs,
            lhs_seen: Vec::new(),
            rhs_seen: Vec::new(),
            next_lhs: None,
            next_rhs: None,
            started: false,
            right_turn: true,
            pending: VecDeque::new(),
            seen: HashSet::new(),
        })
    }

    fn try_pair(
        kind: JoinKind,
        l: &Binding,
        r: &Binding,
        budget: &mut Budget,
        seen: &mut HashSet<Binding>,
        pending: &mut VecDeque<Binding>,
    ) -> Result<(), EvalError> {
        budget.step()?;
        if let JoinKind::FollowedBy = kind {
            if budget.span(l).0 > budget.span(r).1 {
                return Ok(());
            }
        }
        if let Some(b) = budget.sum(l, r) {
            if seen.insert(b.clone()) {
                pending.push_back(b);
            }
        }
        Ok(())
    }
}

impl Bindings for Join {
    fn next(&mut self, budget: &mut Budget) -> Result<Option<Binding>, EvalError> {
        if !self.started {
            self.started = true;
            self.next_rhs = self.rhs.next(budget)?;
            self.next_lhs = self.lhs.next(budget)?;
            if self.next_rhs.is_none() || self.next_lhs.is_none() {
                self.next_rhs = None;
                self.next_lhs = None;
            }
        }
        loop {
            if let Some(b) = self.pending.pop_front() {
                return Ok(Some(b));
            }
            if self.next_lhs.is_none() && self.next_rhs.is_none() {
                return Ok(None);
            }
            let right = self.right_turn;
            self.right_turn = !right;
            if right {
                if let Some(r) = self.next_rhs.take() {
                    for l in &self.lhs_seen {
                        Join::try_pair(
                            self.kind,
                            l,
                            &r,
                            budget,
                            &mut self.seen,
                            &mut self.pending,
                        )?;
                    }
                    self.rhs_seen.push(r);
                    self.next_rhs = self.rhs.next(budget)?;
                }
            } else if let Some(l) = self.next_lhs.take() {
                for r in &self.rhs_seen {
                    Join::try_pair(self.kind, &l, r, budget, &mut self.seen, &mut self.pending)?;
                }
                self.lhs_seen.push(l);
                self.next_lhs = self.lhs.next(budget)?;
            }
        }
    }
}

/// Bindings whose observations can all be given times within `micros` of each other.
pub(crate) struct Within {
    inner: Stream,
    micros: i64,
}

impl Within {
    pub(crate) fn stream(inner: Stream, micros: i64) -> Stream {
        Box::new(Within { inner, micros })
    }
}

impl Bindings for Within {
    fn next(&mut self, budget: &mut Budget) -> Result<Option<Binding>, EvalError> {
        while let Some(b) = self.inner.next(budget)? {
            budget.step()?;
            for (i, _) in &b {
                budget.interval(*i)?;
            }
            let (latest_first, earliest_last) = budget.span(&b);
            let end = earliest_last
                .checked_add(self.micros)
                .filter(|e| *e <= MAX_MICROS)
                .ok_or(EvalError::TimeOutOfRange)?;
            if latest_first <= end {
                return Ok(Some(b));
            }
        }
        Ok(None)
    }
}

/// Bindings whose every observation overlaps `[start, stop)`; none when start is not before stop.
pub(crate) struct StartStop {
    inner: Stream,
    start: i64,
    stop: i64,
}

impl StartStop {
    pub(crate) fn stream(inner: Stream, start: i64, stop: i64) -> Stream {
        Box::new(StartStop { inner, start, stop })
    }
}

impl Bindings for StartStop {
    fn next(&mut self, budget: &mut Budget) -> Result<Option<Binding>, EvalError> {
        if self.start >= self.stop {
            return Ok(None);
        }
        'next: while let Some(b) = self.inner.next(budget)? {
            budget.step()?;
            for (i, _) in &b {
                let (first, last) = budget.interval(*i)?;
                if !(first < self.stop && self.start <= last) {
                    continue 'next;
                }
            }
            return Ok(Some(b));
        }
        Ok(None)
    }
}
