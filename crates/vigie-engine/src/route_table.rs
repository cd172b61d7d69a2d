//! The routes' `when` conditions, deduplicated: many routes share a condition (every Sysmon
//! route tests the same channel), so each distinct condition is evaluated at most once an
//! event, reading the fields the per-field index resolved.

use std::collections::HashMap;

use vigie_event::Event;

use crate::field_index::Known;
use crate::mapping::Route;
use crate::predicate::FieldCond;

/// Every route's conditions, as ids into one list of distinct conditions.
#[derive(Default)]
pub(crate) struct RouteTable {
    conds: Vec<FieldCond>,
    /// Per route: its conditions (all must hold).
    routes: Vec<Vec<u32>>,
}

/// Per-thread memory of which conditions were evaluated for the current event.
#[derive(Default)]
pub(crate) struct RouteScratch {
    /// Per condition: (stamp of the event it was evaluated for, its truth).
    seen: Vec<(u32, bool)>,
}

impl RouteTable {
    pub(crate) fn new(routes: &[Route]) -> RouteTable {
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
        table
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
