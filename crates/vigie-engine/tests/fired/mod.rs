//! The ids of the rules a rule set fires on an event, for the engine's tests.

use std::collections::BTreeSet;

use vigie_engine::{RuleSet, Scratch};
use vigie_event::Event;

pub fn engine_hits(set: &RuleSet, event: &Event, scratch: &mut Scratch) -> BTreeSet<String> {
    let mut hits = Vec::new();
    set.evaluate(event, scratch, &mut hits);
    hits.iter()
        .map(|h| set.rules()[h.rule].id().to_owned())
        .collect()
}
