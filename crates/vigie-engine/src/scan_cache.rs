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

struct Entry {
    slot: u32,
    text: Box<str>,
    ids: Box<[u32]>,
}

/// Slot and value → the ids of the tests found true on it.
#[derive(Default)]
pub(crate) struct ScanCache {
    map: foldhash::HashMap<u64, Entry>,
    /// Bytes of text kept.
    bytes: usize,
    hasher: foldhash::fast::FixedState,
}

impl ScanCache {
    fn key(&self, slot: u32, text: &str) -> u64 {
        self.hasher.hash_one((slot, text))
    }

    /// The tests found on `text` in `slot` before, if it was kept.
    pub(crate) fn get(&self, slot: u32, text: &str) -> Option<&[u32]> {
        if text.len() > MAX_TEXT {
            return None;
        }
        self.map
            .get(&self.key(slot, text))
            .filter(|e| e.slot == slot && *e.text == *text)
            .map(|e| &*e.ids)
    }

    /// Whether a value of this length is worth keeping.
    pub(crate) fn keeps(text: &str) -> bool {
        text.len() <= MAX_TEXT
    }

    /// Keeps what the tests of `slot` found on `text`.
    pub(crate) fn put(&mut self, slot: u32, text: &str, ids: &[u32]) {
        if !Self::keeps(text) {
            return;
        }
        if self.map.len() >= MAX_ENTRIES || self.bytes + text.len() > MAX_BYTES {
            self.map.clear();
            self.bytes = 0;
        }
        self.bytes += text.len();
        let key = self.key(slot, text);
        let entry = Entry {
            slot,
            text: text.into(),
            ids: ids.into(),
        };
        if let Some(old) = self.map.insert(key, entry) {
            self.bytes -= old.text.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ScanCache, MAX_BYTES, MAX_TEXT};

    #[test]
    fn keeps_short_values_per_slot() {
        let mut c = ScanCache::default();
        c.put(1, "cmd.exe", &[3, 4]);
        assert_eq!(c.get(1, "cmd.exe"), Some(&[3u32, 4][..]));
        assert_eq!(c.get(2, "cmd.exe"), None);
        assert_eq!(c.get(1, "CMD.exe"), None);
        let long = "x".repeat(MAX_TEXT + 1);
        c.put(1, &long, &[1]);
        assert_eq!(c.get(1, &long), None);
        // Past the byte bound, the memory starts over.
        let block = "y".repeat(MAX_TEXT);
        for i in 0..MAX_BYTES / MAX_TEXT {
            c.put(i as u32 + 10, &block, &[i as u32]);
        }
        assert!(c.bytes <= MAX_BYTES);
        assert_eq!(c.get(1, "cmd.exe"), None);
        assert_eq!(
            c.get(10 + (MAX_BYTES / MAX_TEXT - 1) as u32, &block)
                .map(<[u32]>::len),
            Some(1)
        );
    }
}
