//! The routes' `when` conditions, deduplicated: many routes share a condition (every Sysmon
//! route tests the same channel), so each distinct condition is evaluated at most once an
//! event, reading the fields the per-field index resolved. A route one of whose conditions
//! needs an indexed test (`Channel: …`) is only tried on events where that test was found.
//! Per thread, the routes that held are remembered by the routing tests found and the
//! fields present, when those alone decide them: events of one kind are routed by a lookup.

use std::collections::HashMap;

use vigie_event::{Event, Value};

use crate::field_index::{cond_req, Known};
use crate::mapping::Route;
use crate::predicate::{FieldCond, Pred, Target};

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
    /// Per route: whether each of its conditions is answered by indexed tests (a channel,
    /// an event id) or is one of `presence`, so that whether it holds follows from the
    /// tests found and which fields the event has.
    pure: Vec<bool>,
    /// The conditions that only ask whether a field is present (`Channel|exists: true`):
    /// read on every event for the route memory's key.
    presence: Vec<Presence>,
}

/// A condition that only asks whether its field is present, with its truth when the field
/// is and when it is not (found once, by evaluating it on an event with the field and on
/// one without).
struct Presence {
    cond: u32,
    if_present: bool,
    if_absent: bool,
}

/// Per-thread memory of which conditions were evaluated for the current event, and of the
/// routes that held for each set of routing tests found before.
#[derive(Default)]
pub(crate) struct RouteScratch {
    /// Per condition: (stamp of the event it was evaluated for, its truth).
    seen: Vec<(u32, bool)>,
    /// The routing tests found on the current event, sorted: the key of `memo`.
    key: Vec<u32>,
    /// Routing tests found and [`RouteTable::present`] → the routes that held and whether
    /// one claimed the event, when every route tried was [`RouteTable::all_pure`]; `None`
    /// when one was not (its conditions read values the tests do not answer).
    memo: foldhash::HashMap<Box<[u32]>, Option<Held>>,
}

/// The routes that held for an event, and whether one claimed it for its product.
type Held = (Box<[usize]>, bool);

/// Sets of routing tests remembered before the memory starts over.
const MEMO_MAX: usize = 4096;

/// What the route memory knows of the current event's routing tests.
pub(crate) enum Remembered<'a> {
    /// The routes that hold, and whether one claims the event.
    Routes(&'a [usize], bool),
    /// The routes must be tried; `true` when what they give is to be remembered.
    Unknown(bool),
}

impl RouteScratch {
    /// What is remembered of the routing tests `found` (in any order) with the fields
    /// `present` says the event has.
    pub(crate) fn recall(&mut self, found: &[u32], present: u32) -> Remembered<'_> {
        self.key.clear();
        self.key.extend_from_slice(found);
        self.key.sort_unstable();
        // Last, so that keys of different sets of tests differ in length or in a test.
        self.key.push(present);
        match self.memo.get(self.key.as_slice()) {
            Some(Some((routes, claimed))) => Remembered::Routes(routes, *claimed),
            Some(None) => Remembered::Unknown(false),
            None => Remembered::Unknown(true),
        }
    }

    /// Remembers, for the routing tests last given to [`RouteScratch::recall`], the routes
    /// that held (`None`: not to be remembered).
    pub(crate) fn remember(&mut self, held: Option<(&[usize], bool)>) {
        if self.memo.len() >= MEMO_MAX {
            self.memo.clear();
        }
        let value = held.map(|(routes, claimed)| (routes.into(), claimed));
        self.memo.insert(self.key.as_slice().into(), value);
    }
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
        let presence_only = |c: &FieldCond| {
            !c.neq
                && !c.groups.is_empty()
                && c.groups
                    .iter()
                    .all(|g| !g.is_empty() && g.iter().all(|p| matches!(p, Pred::Exists(_))))
        };
        table.presence = table
            .conds
            .iter()
            .enumerate()
            .filter_map(|(c, cond)| {
                let Target::Field(names) = &cond.target else {
                    return None;
                };
                let name = names.first().filter(|_| presence_only(cond))?;
                let mut with = Event::default();
                with.push(&**name, Value::str("x"));
                Some(Presence {
                    cond: c as u32,
                    if_present: cond.matches(&with),
                    if_absent: cond.matches(&Event::default()),
                })
            })
            .take(32)
            .collect();
        table.pure = table
            .routes
            .iter()
            .map(|list| {
                list.iter().all(|&c| {
                    !table.conds[c as usize].any_of.is_empty()
                        || table.presence.iter().any(|p| p.cond == c)
                })
            })
            .collect();
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

    /// The truth of each [`RouteTable::presence`] condition on `event`, as bits.
    pub(crate) fn present(&self, known: &Known, event: &Event) -> u32 {
        self.presence.iter().enumerate().fold(0, |bits, (i, p)| {
            let Some(cond) = self.conds.get(p.cond as usize) else {
                return bits;
            };
            // Where the index resolved the field, as the condition would read it.
            let present = match known.value(cond.slot, event) {
                Some(v) => v.is_some(),
                None => cond.value(event).is_some(),
            };
            let holds = if present { p.if_present } else { p.if_absent };
            bits | u32::from(holds) << i
        })
    }

    /// Whether each of `routes` holds or not by the tests found and the fields present.
    pub(crate) fn all_pure(&self, routes: &[u32]) -> bool {
        routes
            .iter()
            .all(|&r| self.pure.get(r as usize).copied().unwrap_or(false))
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
