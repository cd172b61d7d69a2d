//! Per-thread memory of what a field slot's tests found in a value: field values repeat
//! from event to event (images, accounts, hosts, channels, and the command lines and script
//! blocks of services and scheduled tasks), so a value met before is answered without
//! folding it or walking its automata again: hashing a long value costs a fraction of a
//! scan. Bounded in entries and bytes; it only saves work.

use std::hash::BuildHasher;

/// Values longer than this are not kept.
const MAX_TEXT: usize = 1 << 16;
/// Entries kept before the memory is emptied and starts over.
const MAX_ENTRIES: usize = 1 << 15;
/// Bytes of kept text before the memory is emptied and starts over.
const MAX_BYTES: usize = 16 << 20;

/// One value met: its text and the ids found on it, end to end in one allocation, so
/// that a lookup reads one place besides the table.
struct Entry {
    slot: u32,
    /// Length of the text at the start of `data`; the ids (4 bytes each) follow it.
    text_len: u32,
    data: Box<[u8]>,
}

impl Entry {
    fn text(&self) -> &[u8] {
        self.data.get(..self.text_len as usize).unwrap_or_default()
    }

    fn ids(&self) -> Ids<'_> {
        let ids = self.data.get(self.text_len as usize..).unwrap_or_default();
        Ids(ids.chunks_exact(4))
    }
}

/// The ids kept for a value.
pub(crate) struct Ids<'a>(std::slice::ChunksExact<'a, u8>);

impl Iterator for Ids<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        self.0
            .next()
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

/// Slot and value → the ids of the tests found true on it.
#[derive(Default)]
pub(crate) struct ScanCache {
    table: hashbrown::HashTable<Entry>,
    /// Bytes of text kept.
    bytes: usize,
    hasher: foldhash::fast::FixedState,
}

impl ScanCache {
    /// The hash of a value in a slot, worked out once for [`Self::get`] and [`Self::put`];
    /// `None` for a value too long to keep.
    pub(crate) fn hash(&self, slot: u32, text: &str) -> Option<u64> {
        (text.len() <= MAX_TEXT).then(|| hash_of(&self.hasher, slot, text.as_bytes()))
    }

    /// The tests found on `text` in `slot` before, if it was kept; `hash` is
    /// [`Self::hash`]'s.
    pub(crate) fn get(&self, hash: u64, slot: u32, text: &str) -> Option<Ids<'_>> {
        let text = text.as_bytes();
        self.table
            .find(hash, |e| {
                e.slot == slot && e.text_len as usize == text.len() && e.text() == text
            })
            .map(Entry::ids)
    }

    /// Keeps what the tests of `slot` found on `text`; `hash` is [`Self::hash`]'s.
    pub(crate) fn put(&mut self, hash: u64, slot: u32, text: &str, ids: &[u32]) {
        if text.len() > MAX_TEXT {
            return;
        }
        if self.table.len() >= MAX_ENTRIES || self.bytes + text.len() > MAX_BYTES {
            self.table.clear();
            self.bytes = 0;
        }
        let mut data = Vec::with_capacity(text.len() + 4 * ids.len());
        data.extend_from_slice(text.as_bytes());
        ids.iter()
            .for_each(|id| data.extend_from_slice(&id.to_le_bytes()));
        let entry = Entry {
            slot,
            text_len: text.len() as u32,
            data: data.into(),
        };
        let hasher = &self.hasher;
        let found = self.table.entry(
            hash,
            |e| e.slot == slot && e.text() == text.as_bytes(),
            |e| hash_of(hasher, e.slot, e.text()),
        );
        self.bytes += text.len();
        match found {
            hashbrown::hash_table::Entry::Occupied(mut o) => {
                self.bytes -= o.get().text_len as usize;
                *o.get_mut() = entry;
            }
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert(entry);
            }
        }
    }
}

/// The one hash of a value in a slot: for lookups, and for the table when it grows.
fn hash_of(hasher: &foldhash::fast::FixedState, slot: u32, text: &[u8]) -> u64 {
    hasher.hash_one((slot, text))
}

#[cfg(test)]
mod tests {
    use super::{ScanCache, MAX_BYTES, MAX_TEXT};

    fn get(c: &ScanCache, slot: u32, text: &str) -> Option<Vec<u32>> {
        c.get(c.hash(slot, text)?, slot, text)
            .map(Iterator::collect)
    }

    fn put(c: &mut ScanCache, slot: u32, text: &str, ids: &[u32]) {
        let hash = c.hash(slot, text).unwrap_or_default();
        c.put(hash, slot, text, ids);
    }

    #[test]
    fn keeps_short_values_per_slot() {
        let mut c = ScanCache::default();
        put(&mut c, 1, "cmd.exe", &[3, 4, 70_000]);
        assert_eq!(get(&c, 1, "cmd.exe"), Some(vec![3, 4, 70_000]));
        assert_eq!(get(&c, 2, "cmd.exe"), None);
        assert_eq!(get(&c, 1, "CMD.exe"), None);
        assert_eq!(get(&c, 1, "cmd.ex"), None);
        put(&mut c, 1, "", &[]);
        assert_eq!(get(&c, 1, ""), Some(vec![]));
        // A value kept again replaces the first.
        put(&mut c, 1, "cmd.exe", &[5]);
        assert_eq!(get(&c, 1, "cmd.exe"), Some(vec![5]));
        assert_eq!(c.bytes, "cmd.exe".len());
        let long = "x".repeat(MAX_TEXT + 1);
        assert_eq!(c.hash(1, &long), None);
        put(&mut c, 1, &long, &[1]);
        assert_eq!(c.table.len(), 2);
        // Past the byte bound, the memory starts over.
        let block = "y".repeat(MAX_TEXT);
        for i in 0..MAX_BYTES / MAX_TEXT {
            put(&mut c, i as u32 + 10, &block, &[i as u32]);
        }
        assert!(c.bytes <= MAX_BYTES);
        assert_eq!(get(&c, 1, "cmd.exe"), None);
        let last = (MAX_BYTES / MAX_TEXT - 1) as u32;
        assert_eq!(get(&c, 10 + last, &block), Some(vec![last]));
    }
}
