//! The ids of the rules a rule set fires on an event (and the fields that made each fire),
//! for the engine's tests.

use std::collections::BTreeSet;

use vigie_engine::{RuleSet, Scratch};
use vigie_event::{Event, Value};

pub fn engine_hits(set: &RuleSet, event: &Event, scratch: &mut Scratch) -> BTreeSet<String> {
    let mut hits = Vec::new();
    set.evaluate(event, scratch, &mut hits);
    hits.iter()
        .map(|h| set.rules()[h.rule].id().to_owned())
        .collect()
}

/// A fired rule's id and the fields (with their values) it reports.
pub type Evidence = (String, Vec<(Box<str>, Value)>);

/// The fields each fired rule reports, by rule id.
#[allow(dead_code)] // Not every test binary that includes this module compares evidence.
pub fn engine_evidence(set: &RuleSet, event: &Event, scratch: &mut Scratch) -> Vec<Evidence> {
    let mut hits = Vec::new();
    set.evaluate(event, scratch, &mut hits);
    hits.into_iter()
        .map(|h| (set.rules()[h.rule].id().to_owned(), h.matched))
        .collect()
}
