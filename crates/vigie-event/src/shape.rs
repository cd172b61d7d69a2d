//! Event shapes: an event's field names in order. Events of one kind (one JSON producer, one
//! EVTX template) repeat theirs, and what depends on the names alone (which field holds the
//! time, which field a rule reads, whether a name is repeated) need not be worked out again
//! for each: a per-thread [`ShapeMemory`] finds a shape met before by comparing names, and
//! [`Shapes`] gives each shape an id unique in the process ([`ShapeId`]) stamped on the events
//! it makes (or [`KeyedShapes`], by a key of the decoder's that fixes the names), so that
//! every later layer remembers its own findings by that id ([`ByShape`]) without comparing a
//! name again.

use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::event::{Event, Field};

/// Shapes kept, most recently used first.
const MAX_SHAPES: usize = 16;
/// Events with more fields than this are not kept.
const MAX_FIELDS: usize = 256;

/// The next id to give (ids are never given twice in a process).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The identity of a list of field names in order: events stamped with the same id have the
/// same names in the same order. One list may have several ids (given by several threads, or
/// again after it was forgotten); an id never stands for two lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ShapeId(NonZeroU64);

impl ShapeId {
    fn fresh() -> ShapeId {
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        ShapeId(NonZeroU64::new(n).unwrap_or(NonZeroU64::MAX))
    }
}

struct Kept<T> {
    /// A quick summary of the names, compared before the names themselves.
    print: u64,
    /// The names, one after the other, and where each ends.
    text: String,
    ends: Vec<u32>,
    found: T,
}

impl<T> Kept<T> {
    fn holds<'a>(&self, names: impl ExactSizeIterator<Item = &'a str>) -> bool {
        if names.len() != self.ends.len() {
            return false;
        }
        let mut start = 0usize;
        for (name, &end) in names.zip(&self.ends) {
            let end = end as usize;
            match self.text.as_bytes().get(start..end) {
                Some(kept) if same_bytes(kept, name.as_bytes()) => start = end,
                _ => return false,
            }
        }
        true
    }
}

/// Whether two byte strings are equal: those of 4 to 16 bytes (most field names) compared
/// in two overlapping words each, inline, rather than through a call to `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> Option<[u8; N]> {
        s.get(at..at + N)?.try_into().ok()
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        8..=16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
        4..=7 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
        _ => a == b,
    }
}

/// A cheap summary of a list of names: their count, lengths and end bytes.
fn fingerprint<'a>(names: impl Iterator<Item = &'a str>) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for n in names {
        let b = n.as_bytes();
        let word = (b.len() as u64) << 16
            | u64::from(b.first().copied().unwrap_or(0)) << 8
            | u64::from(b.last().copied().unwrap_or(0));
        h = (h ^ word).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Recent shapes, found by their names, each with what was found of it when first met.
pub struct ShapeMemory<T> {
    shapes: Vec<Kept<T>>,
}

impl<T> Default for ShapeMemory<T> {
    fn default() -> Self {
        ShapeMemory { shapes: Vec::new() }
    }
}

impl<T> ShapeMemory<T> {
    /// What was kept for the shape with exactly these names (moved to the front), or the
    /// names' [`fingerprint`] for [`Self::put`]. The front shape is tried first, without a
    /// fingerprint: consecutive events often share one (three in four EVTX records).
    pub fn get<'a, I>(&mut self, names: impl Fn() -> I) -> Result<&mut T, u64>
    where
        I: ExactSizeIterator<Item = &'a str>,
    {
        let front = self.shapes.first().is_some_and(|s| s.holds(names()));
        if !front {
            let print = fingerprint(names());
            let at = self
                .shapes
                .iter()
                .skip(1)
                .position(|s| s.print == print && s.holds(names()))
                .ok_or(print)?;
            self.shapes[..at + 2].rotate_right(1);
        }
        match self.shapes.first_mut() {
            Some(s) => Ok(&mut s.found),
            None => Err(fingerprint(names())),
        }
    }

    /// Keeps a shape (its names' fingerprint `print`) and what was found of it, forgetting
    /// the least recently used beyond the bound; false when it has too many names to keep.
    pub fn put<'a>(
        &mut self,
        print: u64,
        names: impl ExactSizeIterator<Item = &'a str>,
        found: T,
    ) -> bool {
        if names.len() > MAX_FIELDS {
            return false;
        }
        let (mut text, mut ends) = match self.shapes.len() {
            MAX_SHAPES => self
                .shapes
                .pop()
                .map(|s| (s.text, s.ends))
                .unwrap_or_default(),
            _ => Default::default(),
        };
        text.clear();
        ends.clear();
        for n in names {
            text.push_str(n);
            ends.push(text.len() as u32);
        }
        self.shapes.insert(
            0,
            Kept {
                print,
                text,
                ends,
                found,
            },
        );
        true
    }
}

/// Gives events the ids of their shapes (a decoder's, one per thread): an event of a shape
/// met recently takes its id after one comparison of its names, and whether its names are
/// all distinct is known without looking again.
#[derive(Default)]
pub struct Shapes {
    memory: ShapeMemory<(ShapeId, bool)>,
}

impl Shapes {
    /// The event of `fields`, stamped with their shape's id (not when they are too many to
    /// keep), and whether no two fields share a name.
    pub fn event(&mut self, fields: Vec<Field>) -> (Event, bool) {
        let (id, distinct) = self.shape_of(&fields);
        let mut event = Event::new(fields);
        event.shape = id;
        (event, distinct)
    }

    /// The id of the shape of `fields` (`None` when they are too many to keep), and whether
    /// no two of them share a name.
    fn shape_of(&mut self, fields: &[Field]) -> (Option<ShapeId>, bool) {
        let names = || fields.iter().map(|f| &*f.name);
        match self.memory.get(names) {
            Ok(&mut (id, distinct)) => (Some(id), distinct),
            Err(print) => {
                let id = ShapeId::fresh();
                let distinct = !crate::flatten_bytes::has_duplicate_names(fields);
                let kept = self.memory.put(print, names(), (id, distinct));
                (kept.then_some(id), distinct)
            }
        }
    }
}

/// Keys kept by [`KeyedShapes`] before it forgets them all and starts over.
const MAX_KEYS: usize = 4096;

/// Gives events the ids of their shapes by a key of their decoder's, without comparing
/// their names: an EVTX record's key (its template plan, and which of the plan's optional
/// parts it holds) fixes its names, which is the decoder's promise, checked by its tests
/// over the corpus. A key met for the first time is given the id of its names (compared
/// with the recent shapes' then, once), so that keys of the same names share an id.
#[derive(Default)]
pub struct KeyedShapes {
    ids: std::collections::HashMap<Box<[u64]>, ShapeId, foldhash::fast::FixedState>,
    /// The ids of recent shapes by their names, for the keys met first.
    names: Shapes,
}

impl KeyedShapes {
    /// Stamps `event` with the id of its shape, which `key` fixes: every event stamped
    /// through one key must have the same names in the same order.
    pub fn stamp(&mut self, key: &[u64], event: &mut Event) {
        if let Some(&id) = self.ids.get(key) {
            event.shape = Some(id);
            return;
        }
        let Some(id) = self.names.shape_of(event.fields()).0 else {
            // Too many names to keep: not stamped.
            return;
        };
        if self.ids.len() >= MAX_KEYS {
            self.ids.clear();
        }
        self.ids.insert(key.into(), id);
        event.shape = Some(id);
    }
}

/// What a layer found of recent shapes, by their ids (most recently used first).
pub struct ByShape<T> {
    kept: Vec<(ShapeId, T)>,
}

impl<T> Default for ByShape<T> {
    fn default() -> Self {
        ByShape { kept: Vec::new() }
    }
}

impl<T> ByShape<T> {
    /// What was kept for shape `id` (moved to the front).
    pub fn get(&mut self, id: ShapeId) -> Option<&mut T> {
        let at = self.kept.iter().position(|(k, _)| *k == id)?;
        self.kept[..=at].rotate_right(1);
        self.kept.first_mut().map(|(_, t)| t)
    }

    /// Keeps what was found of shape `id`, forgetting the least recently used beyond the
    /// bound.
    pub fn put(&mut self, id: ShapeId, found: T) {
        if self.kept.len() == MAX_SHAPES {
            self.kept.pop();
        }
        self.kept.insert(0, (id, found));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn same_bytes_is_equality(a in "[ab]{0,20}", b in "[ab]{0,20}") {
            prop_assert_eq!(same_bytes(a.as_bytes(), b.as_bytes()), a == b);
            prop_assert!(same_bytes(a.as_bytes(), a.as_bytes()));
        }

        /// Keys that each fix their events' names give the events of one key one id, and
        /// events stamped with one id have the same names (keys of the same names share
        /// ids while those names are among the recent shapes).
        #[test]
        fn keyed_shapes_give_one_list_of_names_an_id(keys in proptest::collection::vec(0usize..40, 0..80)) {
            let names_of = |key: usize| -> Vec<String> {
                // Keys 20 apart have the same names.
                (0..key % 20 % 5).map(|i| format!("f{}", i * 7 + key % 20 / 5)).collect()
            };
            let mut keyed = KeyedShapes::default();
            let mut by_key: std::collections::HashMap<usize, ShapeId> = Default::default();
            let mut by_id: std::collections::HashMap<ShapeId, Vec<String>> = Default::default();
            for &key in &keys {
                let names = names_of(key);
                let fields = names.iter().map(|n| Field { name: n.as_str().into(), value: Value::Null }).collect();
                let mut event = Event::new(fields);
                keyed.stamp(&[7, key as u64], &mut event);
                let id = event.shape().expect("stamped");
                prop_assert_eq!(*by_key.entry(key).or_insert(id), id);
                prop_assert_eq!(&*by_id.entry(id).or_insert_with(|| names.clone()), &names);
            }
        }

        /// Events stamped with one id have the same names in the same order, and an event
        /// is told apart from its names' duplicates exactly (names drawn from a few, so that
        /// shapes repeat, collide in their fingerprints and are forgotten).
        #[test]
        fn one_id_one_list_of_names(events in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                Just("EventID"), Just("Image"), Just("Imxge"), Just("CommandLine"), Just("a"),
            ], 0..5),
            0..60,
        )) {
            let mut shapes = Shapes::default();
            let mut seen: std::collections::HashMap<ShapeId, Vec<&str>> = Default::default();
            for names in &events {
                let fields = names.iter().map(|n| Field { name: (*n).into(), value: Value::Null }).collect();
                let (event, distinct) = shapes.event(fields);
                let got: Vec<&str> = event.fields().iter().map(|f| &*f.name).collect();
                prop_assert_eq!(&got, names);
                let unique: std::collections::HashSet<&&str> = names.iter().collect();
                prop_assert_eq!(distinct, unique.len() == names.len());
                let id = event.shape().expect("a short event is stamped");
                let first = seen.entry(id).or_insert_with(|| names.clone());
                prop_assert_eq!(&*first, names);
            }
        }
    }

    fn names_of<'a>(v: &'a [&'static str]) -> impl ExactSizeIterator<Item = &'static str> + 'a {
        v.iter().copied()
    }

    #[test]
    fn only_the_same_names_in_the_same_order_hit() {
        let mut memory = ShapeMemory::default();
        let a = ["EventID", "Image", "CommandLine"];
        memory.put(fingerprint(names_of(&a)), names_of(&a), 1);
        let mut hit = |v: &[&'static str]| memory.get(|| names_of(v)).map(|n| *n).ok();
        assert_eq!(hit(&a), Some(1));
        // Same count, lengths and end bytes (the fingerprint's view), another name.
        assert_eq!(hit(&["EventID", "Imxge", "CommandLine"]), None);
        assert_eq!(hit(&["Image", "EventID", "CommandLine"]), None);
        assert_eq!(hit(&["EventID", "Image"]), None);
        // A shape behind the front one is found and moved to the front; the others keep
        // their order behind it.
        let b = ["EventID", "Image"];
        let c = ["Channel"];
        memory.put(fingerprint(names_of(&b)), names_of(&b), 2);
        memory.put(fingerprint(names_of(&c)), names_of(&c), 3);
        let mut hit = |v: &[&'static str]| memory.get(|| names_of(v)).map(|n| *n).ok();
        assert_eq!(hit(&a), Some(1));
        assert_eq!(hit(&a), Some(1));
        assert_eq!(hit(&b), Some(2));
        assert_eq!(hit(&c), Some(3));
        assert_eq!(hit(&a), Some(1));
        let order: Vec<i32> = memory.shapes.iter().map(|s| s.found).collect();
        assert_eq!(order, [1, 3, 2]);
        // Bounded: the least recently used shape goes first.
        for i in 0..MAX_SHAPES {
            let name: &'static str = Box::leak(format!("F{i}").into_boxed_str());
            assert!(memory.put(fingerprint([name].into_iter()), [name].into_iter(), 0));
        }
        assert_eq!(memory.get(|| names_of(&a)).ok(), None);
        assert_eq!(memory.shapes.len(), MAX_SHAPES);
        // Too many names to keep.
        let many: Vec<String> = (0..=MAX_FIELDS).map(|i| format!("f{i}")).collect();
        let many = || many.iter().map(String::as_str);
        assert!(!memory.put(fingerprint(many()), many(), 0));
    }

    #[test]
    fn by_shape_keeps_the_most_recent() {
        let ids: Vec<ShapeId> = (0..=MAX_SHAPES).map(|_| ShapeId::fresh()).collect();
        let mut by = ByShape::default();
        for (i, &id) in ids.iter().enumerate().take(MAX_SHAPES) {
            by.put(id, i);
        }
        // Used again: the first is no longer the least recent.
        assert_eq!(by.get(ids[0]).copied(), Some(0));
        by.put(ids[MAX_SHAPES], MAX_SHAPES);
        assert_eq!(by.get(ids[1]), None);
        assert_eq!(by.get(ids[0]).copied(), Some(0));
        assert_eq!(by.get(ids[MAX_SHAPES]).copied(), Some(MAX_SHAPES));
    }
}
