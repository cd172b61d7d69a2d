//! What the index-driven evaluation reads of each variant slot, packed in flat arrays:
//! its owner, the routes it runs on, the further clauses it requires, and, per indexed
//! test, the slots that require it. An event considers the slots of every test found
//! true on it (dozens, in no useful order); one small record each, rather than four
//! vectors of their own, keeps that to about one cache line per slot.

/// One variant slot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SlotInfo {
    /// The detection and which of its variants.
    pub(crate) det: u32,
    pub(crate) variant: u32,
    /// Its routes: `routes_len` of them from `routes_at` in the table's route list; when
    /// there is one, `routes_at` is that route itself.
    routes_at: u32,
    routes_len: u32,
    /// Its further clauses (each: one of these tests holds): `clauses_len` from `clauses_at`.
    clauses_at: u32,
    clauses_len: u32,
}

/// Every variant slot, and the slots each indexed test is required by.
#[derive(Debug, Default)]
pub(crate) struct SlotTable {
    slots: Vec<SlotInfo>,
    routes: Vec<u32>,
    /// Per clause: its tests, a range of `clause_ids`.
    clauses: Vec<(u32, u32)>,
    clause_ids: Vec<u32>,
    /// Per test id `t`: the slots that require it are `by_test[by_test_at[t]..by_test_at[t + 1]]`.
    by_test_at: Vec<u32>,
    by_test: Vec<u32>,
}

/// A slot as the rule set's build describes it.
pub(crate) struct SlotSpec<'a> {
    pub(crate) det: usize,
    pub(crate) variant: usize,
    pub(crate) routes: &'a [u32],
    pub(crate) clauses: &'a [Vec<u32>],
}

impl SlotTable {
    /// Lays out the slots (in slot order) and, for `tests` test ids, the slots requiring
    /// each (`required`: `(test, slot)` pairs, listed in slot order).
    pub(crate) fn new<'a>(
        specs: impl Iterator<Item = SlotSpec<'a>>,
        tests: usize,
        required: &[(u32, u32)],
    ) -> SlotTable {
        let mut t = SlotTable::default();
        for s in specs {
            let (routes_at, routes_len) = match s.routes {
                [one] => (*one, 1),
                many => {
                    let at = t.routes.len() as u32;
                    t.routes.extend_from_slice(many);
                    (at, many.len() as u32)
                }
            };
            let clauses_at = t.clauses.len() as u32;
            for c in s.clauses {
                let at = t.clause_ids.len() as u32;
                t.clause_ids.extend_from_slice(c);
                t.clauses.push((at, c.len() as u32));
            }
            t.slots.push(SlotInfo {
                det: s.det as u32,
                variant: s.variant as u32,
                routes_at,
                routes_len,
                clauses_at,
                clauses_len: s.clauses.len() as u32,
            });
        }
        // Counting sort of (test, slot) pairs by test, slots kept in their given order.
        let mut counts = vec![0u32; tests + 1];
        for &(test, _) in required {
            if let Some(c) = counts.get_mut(test as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut next = counts.clone();
        t.by_test = vec![0; required.len()];
        for &(test, slot) in required {
            if let Some(n) = next.get_mut(test as usize) {
                if let Some(place) = t.by_test.get_mut(*n as usize) {
                    *place = slot;
                }
                *n += 1;
            }
        }
        t.by_test_at = counts;
        t
    }

    pub(crate) fn get(&self, slot: u32) -> Option<&SlotInfo> {
        self.slots.get(slot as usize)
    }

    /// The routes slot `s` runs on.
    pub(crate) fn routes<'a>(&'a self, s: &'a SlotInfo) -> &'a [u32] {
        if s.routes_len == 1 {
            return std::slice::from_ref(&s.routes_at);
        }
        let at = s.routes_at as usize;
        self.routes
            .get(at..at + s.routes_len as usize)
            .unwrap_or_default()
    }

    /// Whether each further clause of slot `s` has a test for which `holds`.
    pub(crate) fn clauses_met(&self, s: &SlotInfo, holds: impl Fn(u32) -> bool) -> bool {
        if s.clauses_len == 0 {
            return true;
        }
        let at = s.clauses_at as usize;
        let clauses = self
            .clauses
            .get(at..at + s.clauses_len as usize)
            .unwrap_or_default();
        clauses.iter().all(|&(at, len)| {
            let at = at as usize;
            self.clause_ids
                .get(at..at + len as usize)
                .unwrap_or_default()
                .iter()
                .any(|&id| holds(id))
        })
    }

    /// The slots that require test `id`.
    pub(crate) fn requiring(&self, id: u32) -> &[u32] {
        let i = id as usize;
        match self.by_test_at.get(i..i + 2) {
            Some(&[a, b]) => self.by_test.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_read_back_as_given() {
        let clauses = [vec![4, 5], vec![6]];
        let specs = [
            SlotSpec {
                det: 0,
                variant: 0,
                routes: &[3],
                clauses: &[],
            },
            SlotSpec {
                det: 0,
                variant: 1,
                routes: &[1, 2],
                clauses: &clauses,
            },
            SlotSpec {
                det: 7,
                variant: 0,
                routes: &[],
                clauses: &[],
            },
        ];
        let t = SlotTable::new(specs.into_iter(), 8, &[(5, 1), (2, 0), (5, 0), (2, 2)]);
        let s = |i| *t.get(i).expect("slot");
        assert_eq!((s(1).det, s(1).variant, s(2).det), (0, 1, 7));
        assert_eq!(t.routes(&s(0)), &[3]);
        assert_eq!(t.routes(&s(1)), &[1, 2]);
        assert_eq!(t.routes(&s(2)), &[] as &[u32]);
        assert!(t.clauses_met(&s(0), |_| false));
        assert!(t.clauses_met(&s(1), |id| id == 5 || id == 6));
        assert!(!t.clauses_met(&s(1), |id| id == 4 || id == 5));
        assert_eq!(t.requiring(5), &[1, 0]);
        assert_eq!(t.requiring(2), &[0, 2]);
        assert_eq!(t.requiring(3), &[] as &[u32]);
        assert_eq!(t.requiring(99), &[] as &[u32]);
        assert!(t.get(3).is_none());
    }
}
