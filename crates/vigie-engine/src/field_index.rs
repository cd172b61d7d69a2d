//! Per-field automata: every case-insensitive equals / startswith / endswith / contains test
//! of every rule, deduplicated, gets an id; for each field the tests read, one hash table
//! (equals) and one Aho-Corasick automaton (the others) answer all of them in one pass over
//! the field's value. Keyword tests (no field) share one automaton run over every value.
//!
//! A field "slot" is the list of alternative event field names a condition reads (a mapping
//! may give several); its value is the one `FieldCond::value` would read: the first name
//! present, each name looked up exactly first, then ignoring ASCII case.

use rayon::prelude::*;
use std::hash::BuildHasher;

use crate::shape_cache::ShapeCache;

use vigie_event::{Event, Value};

use crate::folded_text::{join_folded, push_value_folded, Leave};

use crate::bitset::{bit, set_bit};
use crate::compile::{Compiled, Expr};
use crate::lazy_regex::RegexPool;
use crate::pattern::{Shape, StrMatcher, NO_ID};
use crate::pattern_set::PatternSet;
use crate::predicate::{FieldCond, Pred, Target};
use crate::prefix_trie::PrefixTrie;
use crate::scan_cache::ScanCache;
use crate::slot_routes::{Routes, SlotRoutes, ROUTING};
use crate::FastMap;

/// The truth of every indexed test for one event: test `id` holds when its bit is set (a
/// bit set small enough to stay in the processor's first-level cache; only the bits of the
/// tests found are cleared for the next event).
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub(crate) stamp: u32,
    pub(crate) truth: &'a [u64],
    /// Per slot: the field the scan resolved it to (see [`IndexScratch`]).
    pub(crate) best: &'a [(u32, (u32, u32, u32))],
}

impl<'a> Known<'a> {
    pub(crate) fn holds(&self, id: u32) -> bool {
        bit(self.truth, id)
    }

    /// The value of field slot `slot` in `event` as the scan resolved it (`Some(None)`: the
    /// event has none of its names); `None` when the slot is unknown here.
    pub(crate) fn value<'e>(&self, slot: u32, event: &'e Event) -> Option<Option<&'e Value>> {
        let (stamp, (_, _, i)) = *self.best.get(slot as usize)?;
        if stamp != self.stamp {
            return Some(None);
        }
        Some(event.fields().get(i as usize).map(|f| &f.value))
    }
}

/// Gives ids to tests while rules are indexed.
#[derive(Default)]
pub(crate) struct IndexBuilder {
    slots: FastMap<Vec<Box<str>>, u32>,
    /// Keyword slots (every value of the event), one per set of routes their rules run on,
    /// so that an event is searched only for the keywords of rules that apply to it.
    keyword_slots: FastMap<Vec<u32>, u32>,
    /// Per slot: the field names it reads (empty for a keyword slot).
    slot_names: Vec<Vec<Box<str>>>,
    /// Per slot: the routes of the variants that read it.
    slot_routes: Vec<Vec<u32>>,
    /// The ids of the tests, found by the hash of their (slot, shape, text).
    ids: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::FixedState,
    /// Per test id: (slot, shape, folded text).
    tests: Vec<(u32, Shape, Box<str>)>,
    /// The compiled forms of the regular expressions met, shared by equal ones.
    regexes: RegexPool,
}

impl IndexBuilder {
    /// A builder with room for about `tests` tests, so that its table of them is not built
    /// again and again as it grows (the SigmaHQ rules hold 55,000, about seven a variant).
    pub(crate) fn with_capacity(tests: usize) -> Self {
        IndexBuilder {
            ids: hashbrown::HashTable::with_capacity(tests),
            tests: Vec::with_capacity(tests),
            ..IndexBuilder::default()
        }
    }

    /// The slot of a list of alternative field names (conditions outside rules, such as a
    /// route's, take one too so that their value is resolved with the rules' fields).
    pub(crate) fn slot(&mut self, names: &[Box<str>]) -> u32 {
        if let Some(&s) = self.slots.get(names) {
            return s;
        }
        let s = self.slot_names.len() as u32;
        self.slot_names.push(names.to_vec());
        self.slot_routes.push(Vec::new());
        self.slots.insert(names.to_vec(), s);
        s
    }

    fn keyword_slot(&mut self, routes: &[u32]) -> u32 {
        let mut key = routes.to_vec();
        key.sort_unstable();
        key.dedup();
        if let Some(&s) = self.keyword_slots.get(&key) {
            return s;
        }
        let s = self.slot_names.len() as u32;
        self.slot_names.push(Vec::new());
        self.slot_routes.push(key.clone());
        self.keyword_slots.insert(key, s);
        s
    }

    /// The id of a test (a new one, or the same test's); allocates only for a new one.
    fn test(&mut self, slot: u32, shape: Shape, text: &str) -> u32 {
        let hasher = &self.hasher;
        let tests = &self.tests;
        let entry = self.ids.entry(
            hasher.hash_one((slot, shape, text)),
            |&id| {
                let t = &tests[id as usize];
                t.0 == slot && t.1 == shape && *t.2 == *text
            },
            |&id| {
                let t = &tests[id as usize];
                hasher.hash_one((t.0, t.1, &*t.2))
            },
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get(),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let id = tests.len() as u32;
                e.insert(id);
                self.tests.push((slot, shape, text.into()));
                id
            }
        }
    }

    /// Gives an id to every indexable string test of a compiled detection that runs on
    /// `routes`.
    pub(crate) fn index(&mut self, c: &mut Compiled, routes: &[u32]) {
        let mut used = Vec::new();
        for search in &mut c.searches {
            for map in &mut search.0 {
                for cond in map.iter_mut() {
                    self.index_cond(cond, routes, &mut used);
                }
            }
        }
        self.mark_used(used, routes);
    }

    /// Indexes a route's condition: its slot is scanned on every event, before routing.
    pub(crate) fn index_route_cond(&mut self, cond: &mut FieldCond) {
        if matches!(cond.target, Target::Field(_)) {
            let mut used = Vec::new();
            self.index_cond(cond, &[], &mut used);
            self.mark_used(used, &[ROUTING]);
        }
    }

    /// Gives ids to the tests of one condition; the slots that got tests go to `used`.
    fn index_cond(&mut self, cond: &mut FieldCond, routes: &[u32], used: &mut Vec<u32>) {
        let slot = match &cond.target {
            Target::Field(names) => {
                let s = self.slot(names);
                cond.slot = s;
                s
            }
            Target::Keywords => self.keyword_slot(routes),
        };
        for group in &mut cond.groups {
            for p in group.iter_mut() {
                match p {
                    Pred::Str(t) => {
                        if let StrMatcher::Regex(re) = &mut t.matcher {
                            re.share(&mut self.regexes);
                        }
                        if let Some((shape, text)) = t.indexable() {
                            t.id = self.test(slot, shape, text);
                            used.push(slot);
                        } else if let Some(lit) = t.literal.as_deref().filter(|l| l.len() >= 3) {
                            // A guard: the literal must occur for the test to hold.
                            t.guard = self.test(slot, Shape::Contains, lit);
                            used.push(slot);
                        }
                    }
                    Pred::Regex(re) => {
                        re.share(&mut self.regexes);
                        if re.literals.is_empty() {
                            continue;
                        }
                        let lits = re.literals.clone();
                        re.guards = lits
                            .iter()
                            .map(|l| self.test(slot, Shape::Contains, l))
                            .collect();
                        used.push(slot);
                    }
                    _ => {}
                }
            }
        }
        // An `any` condition all of whose tests are indexed: their ids, as one flat list.
        let id = |p: &Pred| match p {
            Pred::Str(t) if t.id != NO_ID => Some(t.id),
            _ => None,
        };
        if !cond.all && !cond.neq {
            if let Some(mut ids) = cond
                .groups
                .iter()
                .flatten()
                .map(id)
                .collect::<Option<Vec<_>>>()
            {
                ids.sort_unstable();
                ids.dedup();
                cond.any_of = ids.into();
            }
        }
    }

    /// Records that readers running on `routes` read the slots in `used`.
    fn mark_used(&mut self, mut used: Vec<u32>, routes: &[u32]) {
        used.sort_unstable();
        used.dedup();
        for slot in used {
            if let Some(r) = self.slot_routes.get_mut(slot as usize) {
                r.extend(routes);
            }
        }
    }

    /// The folded text of each test, by id.
    pub(crate) fn texts(&self) -> Vec<usize> {
        self.tests.iter().map(|(_, _, t)| t.len()).collect()
    }

    /// Builds the index (a slot is scanned only when a route of one of its readers holds).
    /// `routes`: how many routes the mapping has.
    pub(crate) fn build(self, routes: usize) -> FieldIndex {
        let gates = SlotRoutes::new(&self.slot_routes, routes);
        let mut slots: Vec<SlotMatcher> = std::iter::repeat_with(SlotMatcher::default)
            .take(self.slot_routes.len())
            .collect();
        // Each slot's tests in id order, added and built into automata slot by slot (in
        // parallel: slots are independent).
        let mut by_slot: Vec<Vec<u32>> = vec![Vec::new(); slots.len()];
        for (id, (slot, _, _)) in self.tests.iter().enumerate() {
            if let Some(ids) = by_slot.get_mut(*slot as usize) {
                ids.push(id as u32);
            }
        }
        let tests = &self.tests;
        slots.par_iter_mut().zip(by_slot).for_each(|(m, ids)| {
            for id in ids {
                if let Some((_, shape, text)) = tests.get(id as usize) {
                    m.add(id, *shape, text);
                }
            }
            m.finish();
        });
        let mut names: FastMap<Box<str>, Vec<NameEntry>> = FastMap::default();
        for (slot, alts) in self.slot_names.iter().enumerate() {
            for (pos, name) in alts.iter().enumerate() {
                names
                    .entry(name.to_ascii_lowercase().into())
                    .or_default()
                    .push(NameEntry {
                        slot: slot as u32,
                        pos: pos as u32,
                        spelled: name.clone(),
                    });
            }
        }
        let keywords = self
            .slot_names
            .iter()
            .enumerate()
            .filter(|(i, n)| n.is_empty() && slots.get(*i).is_some_and(|m| !m.is_empty()))
            .map(|(i, _)| i as u32)
            .collect();
        FieldIndex {
            slots,
            gates,
            keywords,
            names,
            tests: self.tests.len(),
        }
    }
}

/// The tests of one slot.
#[derive(Default)]
struct SlotMatcher {
    /// Folded value → the equals tests it satisfies.
    exact: FastMap<Box<[u8]>, Vec<u32>>,
    /// startswith: a trie walked from the start of the value.
    prefix: PrefixTrie,
    /// endswith: a trie of the reversed patterns, walked from the end of the value.
    suffix: PrefixTrie,
    /// contains: an unanchored automaton.
    contains: PatternSet,
}

impl SlotMatcher {
    fn add(&mut self, id: u32, shape: Shape, text: &str) {
        match shape {
            Shape::Exact => self
                .exact
                .entry(text.as_bytes().into())
                .or_default()
                .push(id),
            Shape::Prefix => self.prefix.add(id, text.bytes()),
            Shape::Suffix => self.suffix.add(id, text.bytes().rev()),
            Shape::Contains => self.contains.add(id, text.as_bytes().to_vec()),
        }
    }

    fn finish(&mut self) {
        self.prefix.finish();
        self.suffix.finish();
        self.contains.finish();
    }

    fn is_empty(&self) -> bool {
        self.exact.is_empty()
            && self.prefix.is_empty()
            && self.suffix.is_empty()
            && self.contains.is_empty()
    }

    /// Whether the slot has tests anchored to a value's start or end.
    fn anchored(&self) -> bool {
        !self.exact.is_empty() || !self.prefix.is_empty() || !self.suffix.is_empty()
    }

    /// Marks the tests that hold on one folded text.
    fn scan(&self, text: &[u8], marks: &mut Marks) {
        let mut mark = |id| marks.mark(id);
        if !self.exact.is_empty() {
            if let Some(ids) = self.exact.get(text) {
                ids.iter().for_each(|&id| mark(id));
            }
        }
        self.prefix.scan(text.iter().copied(), &mut mark);
        self.suffix.scan(text.iter().rev().copied(), &mut mark);
        self.contains.scan(text, &mut mark);
    }

    /// Marks the tests that hold on the value of field slot `slot` (a list: on any member),
    /// through the memory of values met before.
    fn scan_slot_value(&self, slot: u32, v: &Value, marks: &mut Marks) {
        // A whole number is kept as its digits, which are also its folded text (an event id
        // is met again in most events).
        let mut digits = itoa::Buffer::new();
        let raw = match v {
            Value::Str(s) => s.as_str(),
            Value::Int(i) => digits.format(*i),
            _ => return self.scan_value(v, marks),
        };
        let Some(hash) = marks.cache.hash(slot, raw) else {
            return self.scan_value(v, marks);
        };
        if let Some(ids) = marks.cache.get(hash, slot, raw) {
            for id in ids {
                if set_bit(&mut marks.truth, id) {
                    marks.found.push(id);
                }
            }
            return;
        }
        marks.record.clear();
        marks.recording = true;
        self.scan_value(v, marks);
        marks.recording = false;
        marks.cache.put(hash, slot, raw, &marks.record);
    }

    /// Marks the tests that hold on a value (a list: on any member).
    fn scan_value(&self, v: &Value, marks: &mut Marks) {
        match v {
            Value::List(items) => items.iter().for_each(|i| self.scan_value(i, marks)),
            // Text that is folded already is scanned as it is.
            Value::Str(s)
                if s.as_str().is_ascii() && !s.as_str().bytes().any(|b| b.is_ascii_uppercase()) =>
            {
                self.scan(s.as_str().as_bytes(), marks)
            }
            // The rest is folded into a reused buffer.
            _ => {
                let mut buf = std::mem::take(&mut marks.fold);
                buf.clear();
                if push_value_folded(v, &mut buf) {
                    self.scan(&buf, marks);
                }
                marks.fold = buf;
            }
        }
    }
}

/// What the scans found for the current event, and the buffers they reuse.
#[derive(Default)]
pub(crate) struct Marks {
    /// One bit per indexed test: set when it holds.
    pub(crate) truth: Vec<u64>,
    /// The ids found true for the current event (the bits to clear for the next one).
    pub(crate) found: Vec<u32>,
    /// Folded text of the value being scanned.
    fold: Vec<u8>,
    /// Values met before, per slot.
    cache: ScanCache,
    /// While `recording`: every test found, set before or not (for the cache).
    record: Vec<u32>,
    recording: bool,
}

impl Marks {
    /// Records test `id` as holding for the current event.
    fn mark(&mut self, id: u32) {
        if self.recording {
            self.record.push(id);
        }
        if set_bit(&mut self.truth, id) {
            self.found.push(id);
        }
    }

    /// Ready for an event of an index of `tests` tests: the bits of the last one cleared.
    fn reset(&mut self, tests: usize) {
        self.truth.resize(tests.div_ceil(64), 0);
        for id in self.found.drain(..) {
            if let Some(w) = self.truth.get_mut((id / 64) as usize) {
                *w &= !(1u64 << (id % 64));
            }
        }
    }
}

struct NameEntry {
    slot: u32,
    /// Position among the slot's alternative names (earlier wins).
    pos: u32,
    /// The name as the rule (or mapping) spells it.
    spelled: Box<str>,
}

/// Every indexed test, by field slot.
#[derive(Default)]
pub struct FieldIndex {
    slots: Vec<SlotMatcher>,
    /// Per slot: the routes it is scanned on, apart from the automata.
    gates: SlotRoutes,
    /// The keyword slots (searched in every value).
    keywords: Vec<u32>,
    /// Lower-cased event field name → the slots that may read it.
    names: FastMap<Box<str>, Vec<NameEntry>>,
    tests: usize,
}

/// Reusable per-thread state for [`FieldIndex::scan`].
#[derive(Default)]
pub struct IndexScratch {
    pub(crate) marks: Marks,
    /// Per slot: (stamp, rank, field index) of the best field found so far.
    pub(crate) best: Vec<(u32, (u32, u32, u32))>,
    /// Slots given a value in the current event.
    resolved: Vec<u32>,
    name: String,
    /// Every value of the event folded and joined, for keyword searches.
    joined: Vec<u8>,
    /// Recent event shapes and how they resolved.
    shapes: ShapeCache,
}

impl IndexScratch {
    /// What the scans so far found of the event `stamp` identifies.
    pub(crate) fn known(&self, stamp: u32) -> Known<'_> {
        Known {
            stamp,
            truth: &self.marks.truth,
            best: &self.best,
        }
    }
}

impl FieldIndex {
    pub(crate) fn test_count(&self) -> usize {
        self.tests
    }

    /// Resolves every slot to the event field it reads (one pass over the event's names);
    /// `stamp` identifies the event. [`FieldIndex::scan`] then runs on what this found.
    pub(crate) fn resolve(&self, event: &Event, stamp: u32, s: &mut IndexScratch) {
        s.marks.reset(self.tests);
        s.best.resize(self.slots.len(), (0, (0, 0, 0)));
        s.resolved.clear();
        let fields = event.fields();
        if self.names.is_empty() {
            return;
        }
        // Events of one kind repeat their names: a shape met before resolves the same way.
        let miss = match s.shapes.get(event) {
            Ok(assignments) => {
                for &(slot, rank) in assignments {
                    if let Some(b) = s.best.get_mut(slot as usize) {
                        *b = (stamp, rank);
                        s.resolved.push(slot);
                    }
                }
                return;
            }
            Err(miss) => miss,
        };
        for (i, f) in fields.iter().enumerate() {
            s.name.clear();
            s.name.push_str(&f.name);
            s.name.make_ascii_lowercase();
            let Some(entries) = self.names.get(s.name.as_str()) else {
                continue;
            };
            for e in entries {
                let exact = u32::from(*e.spelled != *f.name);
                let rank = (e.pos, exact, i as u32);
                let Some(b) = s.best.get_mut(e.slot as usize) else {
                    continue;
                };
                if b.0 != stamp {
                    *b = (stamp, rank);
                    s.resolved.push(e.slot);
                } else if rank < b.1 {
                    b.1 = rank;
                }
            }
        }
        let assignments = s
            .resolved
            .iter()
            .filter_map(|&slot| Some((slot, s.best.get(slot as usize)?.1)))
            .collect();
        s.shapes.put(miss, event, assignments);
    }

    /// Finds every indexed test of the routes' own conditions that holds on `event`, over
    /// the slots [`FieldIndex::resolve`] resolved for it (before routing).
    pub(crate) fn scan_routing(&self, event: &Event, s: &mut IndexScratch) {
        self.scan_resolved(event, s, |slot| self.gates.routing(slot));
    }

    /// Finds every indexed test that holds on `event` and that a variant running on it may
    /// read, over the slots [`FieldIndex::resolve`] resolved for it (the routing slots are
    /// scanned already).
    pub(crate) fn scan(&self, event: &Event, on: &Routes, s: &mut IndexScratch) {
        self.scan_resolved(event, s, |slot| self.gates.wanted(slot, on));
        let fields = event.fields();
        // Keyword searches: every value, folded once and joined by NUL (which no keyword
        // holds, so no match spans two values), then one pass per keyword slot.
        // What the joined text leaves out: what none of the slots searching it may find a
        // test in (joined again, leaving out less, for a slot that may).
        let mut joined: Option<Leave> = None;
        for &k in &self.keywords {
            // (A keyword slot is no routing slot: routes' conditions name their fields.)
            if !self.gates.wanted(k, on) {
                continue;
            }
            let Some(m) = self.slots.get(k as usize) else {
                continue;
            };
            if m.anchored() || !m.contains.joinable {
                for f in fields {
                    m.scan_value(&f.value, &mut s.marks);
                }
                continue;
            }
            let leave = joined.map_or(m.contains.leaves, |j| j.and(m.contains.leaves));
            if joined != Some(leave) {
                joined = Some(leave);
                join_folded(fields, &mut s.joined, leave);
            }
            m.contains.scan(&s.joined, &mut |id| s.marks.mark(id));
        }
    }

    /// Scans the value of every resolved slot that `pick` chooses.
    fn scan_resolved(&self, event: &Event, s: &mut IndexScratch, pick: impl Fn(u32) -> bool) {
        let fields = event.fields();
        let IndexScratch {
            marks,
            best,
            resolved,
            ..
        } = s;
        for &slot in resolved.iter() {
            if !pick(slot) {
                continue;
            }
            let (Some(m), Some((_, (_, _, i)))) =
                (self.slots.get(slot as usize), best.get(slot as usize))
            else {
                continue;
            };
            if let Some(f) = fields.get(*i as usize) {
                m.scan_slot_value(slot, &f.value, marks);
            }
        }
    }
}

/// A set of test ids of which one must hold for a detection to match.
type Req = Vec<u32>;

/// The tests a compiled detection requires (one of them must hold): `None` when it can match
/// without any. `lens` gives each test's text length, to prefer selective sets.
pub(crate) fn required(c: &Compiled, lens: &[usize]) -> Option<Vec<u32>> {
    let mut set = expr_req(&c.expr, c, lens)?;
    set.sort_unstable();
    set.dedup();
    Some(set)
}

/// Clauses a compiled detection requires besides [`required`]'s set, each a set of test ids of
/// which one must hold: the other conditions of an `and` (of a selection's map, or of the
/// condition), the most selective first, at most [`MAX_EXTRA`] of at most [`MAX_CLAUSE`] ids.
/// A candidate variant is evaluated only when all of them hold somewhere (a few bit checks).
pub(crate) fn extra_clauses(c: &Compiled, lens: &[usize], required: &[u32]) -> Vec<Vec<u32>> {
    let mut clauses = expr_clauses(&c.expr, c, lens);
    for clause in &mut clauses {
        clause.sort_unstable();
        clause.dedup();
    }
    clauses.retain(|clause| clause.as_slice() != required && clause.len() <= MAX_CLAUSE);
    clauses.sort_by_key(|clause| std::cmp::Reverse(selectivity(clause, lens)));
    clauses.dedup();
    clauses.truncate(MAX_EXTRA);
    clauses
}

/// Extra clauses kept per variant, and the most ids one may hold.
const MAX_EXTRA: usize = 8;
const MAX_CLAUSE: usize = 64;

/// Every clause an expression requires (all must hold; each one of its ids).
fn expr_clauses(e: &Expr, c: &Compiled, lens: &[usize]) -> Vec<Req> {
    match e {
        // One map: each of its conditions must hold.
        Expr::Search(i) => match c.searches.get(*i).map(|s| s.0.as_slice()) {
            Some([map]) => map.iter().filter_map(|cond| cond_req(cond, lens)).collect(),
            _ => expr_req(e, c, lens).into_iter().collect(),
        },
        Expr::And(v) => v.iter().flat_map(|x| expr_clauses(x, c, lens)).collect(),
        _ => expr_req(e, c, lens).into_iter().collect(),
    }
}

/// How selective a requirement is: its shortest text's length, then fewer ids.
fn selectivity(r: &Req, lens: &[usize]) -> (usize, usize) {
    (
        r.iter()
            .map(|&i| lens.get(i as usize).copied().unwrap_or(0))
            .min()
            .unwrap_or(usize::MAX),
        usize::MAX - r.len(),
    )
}

fn any_of(items: impl Iterator<Item = Option<Req>>) -> Option<Req> {
    let mut out = Vec::new();
    for i in items {
        out.extend(i?);
    }
    Some(out)
}

fn best_of(items: impl Iterator<Item = Option<Req>>, lens: &[usize]) -> Option<Req> {
    // The first of the most selective (each one's selectivity worked out once).
    items
        .flatten()
        .map(|r| (selectivity(&r, lens), r))
        .reduce(|a, b| if b.0 > a.0 { b } else { a })
        .map(|(_, r)| r)
}

fn expr_req(e: &Expr, c: &Compiled, lens: &[usize]) -> Option<Req> {
    match e {
        Expr::Search(i) => any_of(
            c.searches
                .get(*i)?
                .0
                .iter()
                .map(|map| best_of(map.iter().map(|cond| cond_req(cond, lens)), lens)),
        ),
        Expr::Not(_) | Expr::Const(true) => None,
        Expr::Const(false) => Some(Vec::new()),
        Expr::And(v) => best_of(v.iter().map(|x| expr_req(x, c, lens)), lens),
        Expr::Or(v) => any_of(v.iter().map(|x| expr_req(x, c, lens))),
    }
}

/// The tests a condition requires (one of them must hold): `None` when it can hold without
/// any.
pub(crate) fn cond_req(cond: &FieldCond, lens: &[usize]) -> Option<Req> {
    if cond.neq {
        return None;
    }
    if cond.all {
        return best_of(cond.groups.iter().map(preds_req), lens);
    }
    preds_req(cond.groups.iter().flatten())
}

/// The tests one of a list of predicates requires (one of them must hold), in one list.
fn preds_req<'a>(preds: impl IntoIterator<Item = &'a Pred>) -> Option<Req> {
    let mut out = Vec::new();
    for p in preds {
        match p {
            Pred::Str(t) if t.id != NO_ID => out.push(t.id),
            Pred::Str(t) if t.guard != NO_ID => out.push(t.guard),
            Pred::Regex(re) if !re.guards.is_empty() => out.extend_from_slice(&re.guards),
            Pred::Never => {}
            _ => return None,
        }
    }
    Some(out)
}
