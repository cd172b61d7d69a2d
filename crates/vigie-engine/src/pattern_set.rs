//! The `contains` patterns of one slot and the Aho-Corasick automaton that finds them all in
//! one pass; a large set searches for short prefixes of its patterns and checks the rest of a
//! pattern where its prefix starts. A small set is searched by a compact NFA until it has
//! scanned enough text to pay for building its DFA.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::folded_text::Leave;
use crate::FastMap;

/// The largest pattern set given a packed "any pattern here?" check (Teddy takes up to 64).
const ANY_CHECK_MAX: usize = 64;

/// The largest pattern set given a DFA (the fastest search, but its size grows with the
/// patterns' text); larger sets get the compact NFA, and search for their patterns' keys.
const DFA_MAX: usize = 200;

/// A small set's DFA is built once the set has scanned this many bytes with its NFA, plus
/// [`DFA_AFTER_PER_BYTE`] for each byte of its patterns: the DFA's build grows with the
/// patterns (states times byte classes, about 2 M instructions for 3.5 KB of patterns),
/// and most sets scan too little text in a hunt to earn it back.
const DFA_AFTER: u64 = 16 << 10;
const DFA_AFTER_PER_BYTE: u64 = 64;

/// The shortest key a pattern is searched for by (shorter patterns: the whole pattern).
const KEY_MIN: usize = 12;

/// A key is made long enough that at most this many patterns share it.
const KEY_SHARED: usize = 8;

/// Literal patterns with the tests each stands for, and their automaton.
#[derive(Default)]
pub(crate) struct PatternSet {
    patterns: Vec<Vec<u8>>,
    tests: Vec<Vec<u32>>,
    index: FastMap<Vec<u8>, usize>,
    /// Whether the automaton searches for [`Keys`] rather than the patterns themselves.
    keyed: bool,
    /// Built on first use (by one thread while the others wait): most slots are never
    /// scanned in a given hunt (the fields of other products), and building them all cost
    /// a quarter of the rule load.
    automata: OnceLock<Option<Automata>>,
    /// Bytes a small set scans with its NFA before its DFA is built ([`DFA_AFTER`]).
    dfa_after: u64,
    /// No pattern holds a NUL: the set may search values joined by NUL at once.
    pub(crate) joinable: bool,
    /// What a joined text searched by this set may leave out (values none of its patterns
    /// can occur in).
    pub(crate) leaves: Leave,
}

/// A large set's search keys: a prefix of each pattern, long enough to be rare among the
/// patterns. The automaton's states grow with the text it holds: the 5,701 `Hashes`
/// patterns of the SigmaHQ rules hold 282 KB, their keys 68 KB, so the automaton
/// builds faster and its search touches less memory. A key found at a position stands for
/// the patterns it begins, the rest of each then compared where the key ends.
#[derive(Default)]
struct Keys {
    /// The distinct keys, in the automaton's pattern order.
    keys: Vec<Vec<u8>>,
    /// Key `k`'s patterns are `members[starts[k]..starts[k + 1]]`.
    starts: Vec<u32>,
    members: Vec<Member>,
    /// The members' tails (what follows the key), end to end in member order: a found
    /// key's patterns are compared in one stretch of memory.
    tails: Vec<u8>,
}

/// A pattern under its key.
#[derive(Clone, Copy)]
struct Member {
    pattern: u32,
    /// Its tail: `tails[tail..tail + len]`.
    tail: u32,
    len: u32,
}

impl Keys {
    /// The keys of `patterns` (see [`KEY_MIN`] and [`KEY_SHARED`]).
    fn new(patterns: &[Vec<u8>]) -> Keys {
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        // Descending, so that the keys are too: the automaton's builder keeps a state's
        // transitions in a list sorted by byte, and adds one at the list's head in one
        // step, past its end after a walk of the whole list.
        order.sort_unstable_by(|&a, &b| pattern(patterns, b).cmp(pattern(patterns, a)));
        // In sorted order the patterns that begin with a key are a run. A pattern's key is
        // one byte longer than what it shares with the patterns KEY_SHARED places before
        // and after it (at least KEY_MIN, at most the whole pattern), which so do not begin
        // with it: the patterns of one key lie within KEY_SHARED places of the last of them.
        // Looking both ways also keeps the first patterns of a long run (`c:\windows\...`)
        // from short keys that most texts hold.
        let shared = |text: &[u8], other: Option<usize>| {
            other
                .and_then(|o| order.get(o))
                .map_or(0, |&o| common_prefix(text, pattern(patterns, o)))
        };
        let mut by_key: FastMap<&[u8], Vec<u32>> = FastMap::default();
        let mut keys: Vec<&[u8]> = Vec::new();
        for (pos, &p) in order.iter().enumerate() {
            let text = pattern(patterns, p);
            let rare = 1 + shared(text, pos.checked_sub(KEY_SHARED))
                .max(shared(text, pos.checked_add(KEY_SHARED)));
            let key = text.get(..rare.max(KEY_MIN)).unwrap_or(text);
            by_key
                .entry(key)
                .or_insert_with(|| {
                    keys.push(key);
                    Vec::new()
                })
                .push(p);
        }
        let mut out = Keys::default();
        for key in keys {
            out.starts.push(out.members.len() as u32);
            for &p in by_key.get(key).into_iter().flatten() {
                let tail = pattern(patterns, p).get(key.len()..).unwrap_or(&[]);
                out.members.push(Member {
                    pattern: p,
                    tail: out.tails.len() as u32,
                    len: tail.len() as u32,
                });
                out.tails.extend_from_slice(tail);
            }
            out.keys.push(key.to_vec());
        }
        out.starts.push(out.members.len() as u32);
        out
    }

    /// The patterns key `k` begins.
    fn members(&self, k: usize) -> &[Member] {
        let at = |i: usize| self.starts.get(i).map_or(0, |&s| s as usize);
        self.members.get(at(k)..at(k + 1)).unwrap_or(&[])
    }

    /// What follows the key in a member's pattern.
    fn tail(&self, m: &Member) -> &[u8] {
        let at = m.tail as usize;
        self.tails.get(at..at + m.len as usize).unwrap_or(&[])
    }
}

fn pattern(patterns: &[Vec<u8>], p: u32) -> &[u8] {
    patterns.get(p as usize).map_or(&[], Vec::as_slice)
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The automata of a pattern set.
struct Automata {
    /// Every pattern (or key), overlapping matches found.
    all: AhoCorasick,
    /// For small sets: a leftmost-first automaton whose prefilter is a SIMD packed search
    /// (Teddy), asked first where the leftmost occurrence of any pattern starts (most values
    /// hold none); the search for every occurrence starts there.
    any: Option<AhoCorasick>,
    /// A large set's keys (worked out with the automaton, on first use), which `all`
    /// searches for.
    keys: Option<Keys>,
    /// A small set's DFA, which replaces `all` (its NFA) once it is worth building.
    dfa: Option<Upgrade>,
}

/// A DFA built by the first thread whose scan takes the bytes scanned past the budget; the
/// others go on with the NFA meanwhile, never waiting.
struct Upgrade {
    scanned: AtomicU64,
    started: AtomicBool,
    /// `None` inside: it did not build (the NFA stays).
    built: OnceLock<Option<AhoCorasick>>,
}

impl PatternSet {
    pub(crate) fn add(&mut self, id: u32, pattern: Vec<u8>) {
        let p = match self.index.get(&pattern) {
            Some(&p) => p,
            None => {
                self.patterns.push(pattern.clone());
                self.tests.push(Vec::new());
                self.index.insert(pattern, self.patterns.len() - 1);
                self.patterns.len() - 1
            }
        };
        self.tests[p].push(id);
    }

    /// Ready to search: the automaton is built on first use, searching for keys in a set of
    /// more than [`DFA_MAX`] patterns.
    pub(crate) fn finish(&mut self) {
        self.index = FastMap::default();
        self.joinable = !self.patterns.iter().any(|p| p.contains(&0));
        self.leaves = Leave {
            // No pattern made of digits and `-` alone: none occurs in a whole number's text.
            numbers: !self
                .patterns
                .iter()
                .any(|p| p.iter().all(|&b| b.is_ascii_digit() || b == b'-')),
            shorter_than: self.patterns.iter().map(Vec::len).min().unwrap_or(0),
        };
        self.keyed = self.patterns.len() > DFA_MAX;
        let bytes: usize = self.patterns.iter().map(Vec::len).sum();
        self.dfa_after = DFA_AFTER.saturating_add(DFA_AFTER_PER_BYTE.saturating_mul(bytes as u64));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The automata, built now if this is their first use: the compact NFA, over the
    /// patterns of a small set (whose DFA comes later, [`PatternSet::searcher`]) or over
    /// the keys of a large one.
    fn automata(&self) -> Option<&Automata> {
        self.automata
            .get_or_init(|| {
                if self.patterns.is_empty() {
                    return None;
                }
                let keys = self.keyed.then(|| Keys::new(&self.patterns));
                let searched = keys.as_ref().map_or(&self.patterns, |keys| &keys.keys);
                let all = standard(searched, AhoCorasickKind::ContiguousNFA)?;
                // Only its prefilter is wanted: the cheapest automaton to build behind it.
                let any = (self.patterns.len() <= ANY_CHECK_MAX)
                    .then(|| {
                        AhoCorasick::builder()
                            .match_kind(MatchKind::LeftmostFirst)
                            .kind(Some(AhoCorasickKind::ContiguousNFA))
                            .build(&self.patterns)
                            .ok()
                    })
                    .flatten();
                let dfa = keys.is_none().then(|| Upgrade {
                    scanned: AtomicU64::new(0),
                    started: AtomicBool::new(false),
                    built: OnceLock::new(),
                });
                Some(Automata {
                    all,
                    any,
                    keys,
                    dfa,
                })
            })
            .as_ref()
    }

    /// What searches `text`: a small set's DFA once built; else the NFA, which counts the
    /// bytes and builds the DFA when they pass the set's budget.
    fn searcher<'a>(&'a self, automata: &'a Automata, text: &[u8]) -> &'a AhoCorasick {
        let Some(up) = &automata.dfa else {
            return &automata.all;
        };
        if let Some(built) = up.built.get() {
            return built.as_ref().unwrap_or(&automata.all);
        }
        let scanned = up.scanned.fetch_add(text.len() as u64, Ordering::Relaxed);
        if scanned.saturating_add(text.len() as u64) < self.dfa_after
            || up.started.swap(true, Ordering::AcqRel)
        {
            return &automata.all;
        }
        up.built
            .get_or_init(|| standard(&self.patterns, AhoCorasickKind::DFA))
            .as_ref()
            .unwrap_or(&automata.all)
    }

    /// Marks the tests of every pattern found in `text`.
    pub(crate) fn scan(&self, text: &[u8], mark: &mut impl FnMut(u32)) {
        let Some(automata) = self.automata() else {
            return;
        };
        let Automata { any, keys, .. } = automata;
        // No occurrence starts before the leftmost one: the search for all of them starts
        // there (where the text has none, it stops at once).
        let text = match any {
            Some(any) => match any.find(text) {
                Some(first) => text.get(first.start()..).unwrap_or_default(),
                None => return,
            },
            None => text,
        };
        let all = self.searcher(automata, text);
        let mut found = |p: usize| {
            if let Some(tests) = self.tests.get(p) {
                tests.iter().for_each(|&id| mark(id));
            }
        };
        let Some(keys) = keys else {
            for m in all.find_overlapping_iter(text) {
                found(m.pattern().as_usize());
            }
            return;
        };
        for m in all.find_overlapping_iter(text) {
            let rest = text.get(m.end()..).unwrap_or(&[]);
            for member in keys.members(m.pattern().as_usize()) {
                if rest.starts_with(keys.tail(member)) {
                    found(member.pattern as usize);
                }
            }
        }
    }
}

/// An automaton reporting every occurrence of every pattern, of `kind` where it builds (the
/// crate's choice where not).
fn standard(patterns: &[Vec<u8>], kind: AhoCorasickKind) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(patterns)
        .or_else(|_| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(patterns)
        })
        .ok()
}

#[cfg(test)]
mod props {
    use super::{Keys, PatternSet, KEY_SHARED};
    use proptest::prelude::*;

    /// Patterns and texts over a few bytes, so that patterns share prefixes and occur.
    fn text(max: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(proptest::sample::select(b"ab\\.c".to_vec()), 1..max)
    }

    proptest! {
        /// Searching for keys finds the tests of exactly the patterns that occur, as
        /// searching for the patterns does; with 201 patterns or more, keys are used. A
        /// small set finds the same before and after its DFA replaces its NFA (here after a
        /// few texts, or none).
        #[test]
        fn keys_find_what_the_patterns_find(
            patterns in proptest::collection::vec(text(14), 1..260),
            texts in proptest::collection::vec(text(60), 1..6),
            keyed in any::<bool>(),
            dfa_after in 0u64..300,
        ) {
            let mut set = PatternSet::default();
            for (id, p) in patterns.iter().enumerate() {
                set.add(id as u32, p.clone());
            }
            set.finish();
            // Smaller sets searched by keys too, when asked.
            set.keyed |= keyed;
            set.dfa_after = dfa_after;
            for t in &texts {
                let mut found = Vec::new();
                set.scan(t, &mut |id| found.push(id));
                found.sort_unstable();
                found.dedup();
                let expected: Vec<u32> = (0..patterns.len() as u32)
                    .filter(|&id| t.windows(patterns[id as usize].len()).any(|w| w == patterns[id as usize].as_slice()))
                    .collect();
                prop_assert_eq!(found, expected);
            }
        }

        /// Every key and tail of its patterns make the pattern, each once, and at most KEY_SHARED
        /// patterns share a key.
        #[test]
        fn keys_begin_their_patterns_and_are_rare(
            patterns in proptest::collection::btree_set(
                // Two letters: many patterns share long prefixes.
                proptest::collection::vec(proptest::sample::select(b"ab".to_vec()), 1..24),
                1..300,
            ),
        ) {
            let patterns: Vec<Vec<u8>> = patterns.into_iter().collect();
            let keys = Keys::new(&patterns);
            let mut seen = vec![0; patterns.len()];
            for (k, key) in keys.keys.iter().enumerate() {
                let members = keys.members(k);
                prop_assert!(!members.is_empty() && members.len() <= KEY_SHARED);
                for m in members {
                    let whole = [key.as_slice(), keys.tail(m)].concat();
                    prop_assert_eq!(&whole, &patterns[m.pattern as usize]);
                    seen[m.pattern as usize] += 1;
                }
            }
            prop_assert!(seen.iter().all(|&n| n == 1));
        }
    }
}
