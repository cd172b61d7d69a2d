//! The routes' `when` conditions, deduplicated: many routes share a condition (every Sysmon
//! route tests the same channel), so each distinct condition is evaluated at most once an
//! event, reading the fields the per-field index resolved. A route one of whose conditions
//! needs an indexed test (`Channel: …`) is only tried on events where that test was found.

use std::collections::HashMap;

use vigie_event::Event;

use crate::field_index::{cond_req, Known};
use crate::mapping::Route;
use crate::predicate::FieldCond;

/// Every route's conditions, as ids into one list of distinct conditions.
#[derive(Default)]
pub(crate) struct RouteTable {
    conds: Vec<FieldCond>,
    /// Per route: its conditions (all must hold).
    routes: Vec<Vec<u32>>,
    /// Routes that need no indexed test: tried on every event.
    open: Vec<u32>,
    /// Indexed test id → the routes that need it (or another of their required tests).
    by_test: HashMap<u32, Vec<u32>>,
}

/// Per-thread memory of which conditions were evaluated for the current event.
#[derive(Default)]
pub(crate) struct RouteScratch {
    /// Per condition: (stamp of the event it was evaluated for, its truth).
    seen: Vec<(u32, bool)>,
}

impl RouteTable {
    pub(crate) fn new(routes: &[Route], lens: &[usize]) -> RouteTable {
        let mut table = RouteTable::default();
        let mut ids: HashMap<String, u32> = HashMap::new();
        for r in routes {
            let list = r
                .when
                .iter()
                .map(|c| {
                    *ids.entry(format!("{c:?}")).or_insert_with(|| {
                        table.conds.push(c.clone());
                        table.conds.len() as u32 - 1
                    })
                })
                .collect();
            table.routes.push(list);
        }
        // How many routes read each indexed test: a route is keyed by the condition whose
        // tests fewer routes share (`EventID: 1` rather than the channel every Sysmon route
        // tests), so that an event tries few routes.
        let mut shared: HashMap<u32, usize> = HashMap::new();
        for r in routes {
            for id in r.when.iter().filter_map(|c| cond_req(c, lens)).flatten() {
                *shared.entry(id).or_default() += 1;
            }
        }
        for (route, r) in routes.iter().enumerate() {
            let cost = |ids: &Vec<u32>| -> usize {
                ids.iter()
                    .map(|id| shared.get(id).copied().unwrap_or(0))
                    .sum()
            };
            match r
                .when
                .iter()
                .filter_map(|c| cond_req(c, lens))
                .min_by_key(cost)
            {
                Some(ids) => ids
                    .into_iter()
                    .for_each(|id| table.by_test.entry(id).or_default().push(route as u32)),
                None => table.open.push(route as u32),
            }
        }
        table
    }

    /// The routes worth trying on an event whose indexed tests found true so far are
    /// `found`, in route order.
    pub(crate) fn candidates(&self, found: &[u32], out: &mut Vec<u32>) {
        out.clear();
        out.extend_from_slice(&self.open);
        for id in found {
            if let Some(routes) = self.by_test.get(id) {
                out.extend_from_slice(routes);
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Whether route `r` holds for the event `known` describes (`stamp` identifies it).
    pub(crate) fn holds(
        &self,
        r: usize,
        event: &Event,
        known: &Known,
        s: &mut RouteScratch,
    ) -> bool {
        s.seen.resize(self.conds.len(), (0, false));
        let Some(list) = self.routes.get(r) else {
            return false;
        };
        list.iter().all(|&c| {
            let Some(slot) = s.seen.get_mut(c as usize) else {
                return false;
            };
            if slot.0 != known.stamp {
                let truth = self
                    .conds
                    .get(c as usize)
                    .is_some_and(|cond| cond.matches_known(event, Some(known)));
                *slot = (known.stamp, truth);
            }
            slot.1
        })
    }
}
