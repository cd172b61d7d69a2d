//! Bindings of observations to the observation expressions of a pattern, and the operators
//! on sets of them.
//!
//! stix2-matcher counts an observed-data seen `number_observed` times as that many distinct
//! instances, and a binding may use each instance once. Instances of one observed-data are
//! interchangeable, so a binding is kept here as how many instances of each observed-data it
//! uses (a multiset), and two bindings combine when, for each observed-data, the counts add up to
//! no more than `number_observed`. This gives the same match / no-match answers as enumerating
//! instances, with far fewer bindings; REPEATS uses repeated doubling of the set.

use std::collections::HashSet;

use crate::error::EvalError;
use crate::observation::Observations;
use crate::timestamp::MAX_MICROS;

/// Instance counts per observed-data index, sorted by index, counts at least 1.
pub(crate) type Binding = Vec<(usize, u64)>;

/// Limits on the work of one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct EvalOptions {
    /// Most bindings kept for one sub-expression.
    pub max_bindings: usize,
    /// Most pairs of bindings tried in all.
    pub max_pairs: u64,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            max_bindings: 1_000_000,
            max_pairs: 200_000_000,
        }
    }
}

/// Bindings in the order they were found, each once.
#[derive(Debug, Clone, Default)]
pub(crate) struct BindingSet {
    pub items: Vec<Binding>,
    seen: HashSet<Binding>,
}

impl BindingSet {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn push(&mut self, b: Binding, limits: &mut Budget) -> Result<(), EvalError> {
        if !self.seen.contains(&b) {
            if self.items.len() >= limits.options.max_bindings {
                return Err(EvalError::TooManyBindings(limits.options.max_bindings));
            }
            self.seen.insert(b.clone());
            self.items.push(b);
        }
        Ok(())
    }

    fn filter(
        self,
        mut keep: impl FnMut(&Binding) -> Result<bool, EvalError>,
    ) -> Result<BindingSet, EvalError> {
        let mut out = BindingSet::default();
        for b in self.items {
            if keep(&b)? {
                out.seen.insert(b.clone());
                out.items.push(b);
            }
        }
        Ok(out)
    }
}

/// The observations and what is left of the work budget.
pub(crate) struct Budget<'a> {
    pub obs: &'a Observations,
    pub options: EvalOptions,
    pub pairs: u64,
}

impl Budget<'_> {
    fn count_pair(&mut self) -> Result<(), EvalError> {
        self.pairs += 1;
        if self.pairs > self.options.max_pairs {
            return Err(EvalError::TooManyBindings(self.options.max_bindings));
        }
        Ok(())
    }

    fn number_observed(&self, i: usize) -> u64 {
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
    fn sum(&self, a: &Binding, b: &Binding) -> Option<Binding> {
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

/// One binding per instance-free leaf: each matching observed-data once.
pub(crate) fn leaf(matching: &[usize], budget: &mut Budget) -> Result<BindingSet, EvalError> {
    let mut set = BindingSet::default();
    for &i in matching {
        set.push(vec![(i, 1)], budget)?;
    }
    Ok(set)
}

/// Every pair (one from each side) whose instances suffice and which `ok` accepts, in the order
/// stix2-matcher's generators produce them.
fn join(
    lhs: &BindingSet,
    rhs: &BindingSet,
    budget: &mut Budget,
    ok: impl Fn(&Budget, &Binding, &Binding) -> bool,
) -> Result<BindingSet, EvalError> {
    let mut out = BindingSet::default();
    let (nl, nr) = (lhs.items.len(), rhs.items.len());
    if nl == 0 || nr == 0 {
        return Ok(out);
    }
    let mut try_pair = |l: &Binding, r: &Binding, budget: &mut Budget| -> Result<(), EvalError> {
        budget.count_pair()?;
        if ok(budget, l, r) {
            if let Some(b) = budget.sum(l, r) {
                out.push(b, budget)?;
            }
        }
        Ok(())
    };
    for t in 0..nl.max(nr) {
        if let Some(r) = rhs.items.get(t) {
            for l in lhs.items.iter().take(t.min(nl)) {
                try_pair(l, r, budget)?;
            }
        }
        if let Some(l) = lhs.items.get(t) {
            for r in rhs.items.iter().take((t + 1).min(nr)) {
                try_pair(l, r, budget)?;
            }
        }
    }
    Ok(out)
}

pub(crate) fn and(
    lhs: &BindingSet,
    rhs: &BindingSet,
    budget: &mut Budget,
) -> Result<BindingSet, EvalError> {
    join(lhs, rhs, budget, |_, _, _| true)
}

/// Every observation on the right seen no earlier than every one on the left could be: the
/// latest first_observed on the left is not after the earliest last_observed on the right.
pub(crate) fn followed_by(
    lhs: &BindingSet,
    rhs: &BindingSet,
    budget: &mut Budget,
) -> Result<BindingSet, EvalError> {
    join(lhs, rhs, budget, |budget, l, r| {
        budget.span(l).0 <= budget.span(r).1
    })
}

pub(crate) fn or(
    lhs: &BindingSet,
    rhs: &BindingSet,
    budget: &mut Budget,
) -> Result<BindingSet, EvalError> {
    let mut out = BindingSet::default();
    for t in 0..lhs.items.len().max(rhs.items.len()) {
        for side in [lhs, rhs] {
            if let Some(b) = side.items.get(t) {
                out.push(b.clone(), budget)?;
            }
        }
    }
    Ok(out)
}

/// `n` bindings of the set whose instances together suffice.
pub(crate) fn repeats(
    set: BindingSet,
    n: u128,
    budget: &mut Budget,
) -> Result<BindingSet, EvalError> {
    if n <= 1 || set.is_empty() {
        return Ok(set);
    }
    // Each binding uses at least one instance: n cannot exceed the instances available.
    let mut support: Vec<usize> = set.items.iter().flatten().map(|(i, _)| *i).collect();
    support.sort_unstable();
    support.dedup();
    let available: u128 = support
        .iter()
        .map(|i| u128::from(budget.number_observed(*i)))
        .sum();
    if n > available {
        return Ok(BindingSet::default());
    }
    let mut result: Option<BindingSet> = None;
    let mut base = set;
    let mut k = n;
    loop {
        if k & 1 == 1 {
            result = Some(match result {
                None => base.clone(),
                Some(r) => join(&r, &base, budget, |_, _, _| true)?,
            });
        }
        k >>= 1;
        if k == 0 || result.as_ref().is_some_and(BindingSet::is_empty) {
            break;
        }
        base = join(&base, &base, budget, |_, _, _| true)?;
        if base.is_empty() {
            return Ok(BindingSet::default());
        }
    }
    Ok(result.unwrap_or_default())
}

/// Bindings whose observations can all be given times within `micros` of each other.
pub(crate) fn within(
    set: BindingSet,
    micros: i64,
    budget: &mut Budget,
) -> Result<BindingSet, EvalError> {
    set.filter(|b| {
        for (i, _) in b {
            budget.interval(*i)?;
        }
        let (latest_first, earliest_last) = budget.span(b);
        let end = earliest_last
            .checked_add(micros)
            .filter(|e| *e <= MAX_MICROS)
            .ok_or(EvalError::TimeOutOfRange)?;
        Ok(latest_first <= end)
    })
}

/// Bindings whose every observation overlaps `[start, stop)`.
pub(crate) fn start_stop(
    set: BindingSet,
    start: i64,
    stop: i64,
    budget: &mut Budget,
) -> Result<BindingSet, EvalError> {
    if start >= stop {
        return Ok(BindingSet::default());
    }
    set.filter(|b| {
        for (i, _) in b {
            let (first, last) = budget.interval(*i)?;
            if !(first < stop && start <= last) {
                return Ok(false);
            }
        }
        Ok(true)
    })
}
