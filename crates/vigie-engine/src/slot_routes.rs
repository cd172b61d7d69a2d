//! Which field slots an event needs scanned: the routes (logsources) holding for the event
//! as bits, and every slot's routes as bits in one flat table, so the choice reads a few
//! adjacent words and never the slot's automata (a value the scan memory knows is then
//! answered without touching them at all).

use crate::bitset::{bit, set_bit};

/// In a route list: events that no product claims (for rules of unknown logsources).
pub(crate) const UNCLAIMED: u32 = u32::MAX;

/// In a slot's route list: read by a route's own condition, so scanned on every event,
/// before routing.
pub(crate) const ROUTING: u32 = u32::MAX - 1;

/// The routes that hold for the current event, as bits ([`route_bit`]).
pub(crate) struct Routes<'a> {
    bits: &'a [u64],
    /// How many routes the mapping has.
    count: usize,
}

impl<'a> Routes<'a> {
    /// Sets `bits` to the routes `on` (and [`UNCLAIMED`] when `!claimed`), among `count`
    /// routes, and reads them.
    pub(crate) fn new(bits: &'a mut Vec<u64>, on: &[usize], claimed: bool, count: usize) -> Self {
        let set = on.iter().map(|&r| r as u32);
        set_route_bits(bits, set.chain((!claimed).then_some(UNCLAIMED)), count);
        Routes { bits, count }
    }

    pub(crate) fn holds(&self, r: u32) -> bool {
        route_bit(r, self.count).is_some_and(|b| bit(self.bits, b))
    }
}

/// The bit of route `r` in a set of routes as bits, among `routes` routes: its own number,
/// and [`UNCLAIMED`] the one after the last route; `None` for [`ROUTING`] (no route's) and
/// for a number past the last route (none holds).
fn route_bit(r: u32, routes: usize) -> Option<u32> {
    match r {
        UNCLAIMED => u32::try_from(routes).ok(),
        r if (r as usize) < routes => Some(r),
        _ => None,
    }
}

/// Sets `bits` to the set of routes `set`, among `routes` routes.
fn set_route_bits(bits: &mut Vec<u64>, set: impl Iterator<Item = u32>, routes: usize) {
    bits.clear();
    bits.resize(words(routes), 0);
    for r in set.filter_map(|r| route_bit(r, routes)) {
        set_bit(bits, r);
    }
}

/// Words in a set of routes as bits, among `routes` routes ([`UNCLAIMED`] included).
fn words(routes: usize) -> usize {
    (routes + 1).div_ceil(64)
}

/// Every slot's routes: the routes of the variants reading it, as bits, slot after slot.
#[derive(Default)]
pub(crate) struct SlotRoutes {
    /// Words per slot.
    words: usize,
    /// Per slot, `words` words: its routes; none for a routing slot (scanned before).
    bits: Box<[u64]>,
    /// Per slot: read by a route's condition, so scanned before routing, on every event.
    routing: Box<[bool]>,
}

impl SlotRoutes {
    /// The table of slots whose route lists ([`UNCLAIMED`] and [`ROUTING`] included) are
    /// `lists`, among `routes` routes.
    pub(crate) fn new(lists: &[Vec<u32>], routes: usize) -> Self {
        let words = words(routes);
        let mut bits = Vec::with_capacity(lists.len() * words);
        let mut one = Vec::new();
        let routing: Box<[bool]> = lists.iter().map(|l| l.contains(&ROUTING)).collect();
        for (list, &routing) in lists.iter().zip(&*routing) {
            let set = list.iter().copied().filter(|_| !routing);
            set_route_bits(&mut one, set, routes);
            bits.extend_from_slice(&one);
        }
        SlotRoutes {
            words,
            bits: bits.into(),
            routing,
        }
    }

    /// Whether slot `slot` is read by a route's condition: scanned before routing.
    pub(crate) fn routing(&self, slot: u32) -> bool {
        self.routing.get(slot as usize).copied().unwrap_or(false)
    }

    /// Whether slot `slot` is scanned after routing, on an event whose routes are `on`: one
    /// of its readers' routes holds, and it is no routing slot (scanned already).
    pub(crate) fn wanted(&self, slot: u32, on: &Routes) -> bool {
        let start = slot as usize * self.words;
        self.bits
            .get(start..start + self.words)
            .unwrap_or_default()
            .iter()
            .zip(on.bits)
            .any(|(slot, event)| slot & event != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::{Routes, SlotRoutes, ROUTING, UNCLAIMED};
    use proptest::prelude::*;

    proptest! {
        /// A slot is wanted, through the bits, exactly when one of its routes holds and it
        /// is no routing slot; the other slots of the table do not change the answer.
        #[test]
        fn route_bits_agree_with_the_route_list(
            (routes, lists, on) in (1usize..150).prop_flat_map(|routes| (
                Just(routes),
                // The two numbers past the last route too: no event's route, never wanted.
                proptest::collection::vec(
                    (
                        proptest::collection::vec(0u32..routes as u32 + 2, 0..8),
                        any::<bool>(),
                        any::<bool>(),
                    ),
                    1..4,
                ),
                proptest::collection::vec(0usize..routes, 0..8),
            )),
            claimed in any::<bool>(),
        ) {
            let lists: Vec<Vec<u32>> = lists
                .into_iter()
                .map(|(mut l, unclaimed_reader, routing)| {
                    l.extend(unclaimed_reader.then_some(UNCLAIMED));
                    l.extend(routing.then_some(ROUTING));
                    l
                })
                .collect();
            let table = SlotRoutes::new(&lists, routes);
            // What holds, said plainly: one of the event's routes, or UNCLAIMED when no
            // product claims it.
            let plain = |r: u32| (r == UNCLAIMED && !claimed) || on.contains(&(r as usize));
            let mut bits = Vec::new();
            let event = Routes::new(&mut bits, &on, claimed, routes);
            for (slot, list) in lists.iter().enumerate() {
                for &r in list {
                    prop_assert_eq!(event.holds(r), plain(r));
                }
                let routing = list.contains(&ROUTING);
                prop_assert_eq!(table.routing(slot as u32), routing);
                let naive = !routing && list.iter().any(|&r| plain(r));
                prop_assert_eq!(table.wanted(slot as u32, &event), naive);
            }
        }
    }
}
