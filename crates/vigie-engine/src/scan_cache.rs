//! Per-thread memory of what a field slot's tests found in a value: field values repeat
//! from event to event (images, accounts, hosts, channels), so a value met before is answered
//! without folding it or walking its automata again. Bounded; it only saves work.

use std::hash::BuildHasher;

/// Values longer than this are not kept (command lines and messages rarely repeat).
const MAX_TEXT: usize = 256;
/// Entries kept before the memory is emptied and starts over.
const MAX_ENTRIES: usize = 1 << 15;

struct Entry {
    slot: u32,
    text: Box<str>,
    ids: Box<[u32]>,
}

/// Slot and value → the ids of the tests found true on it.
#[derive(Default)]
pub(crate) struct ScanCache {
    map: foldhash::HashMap<u64, Entry>,
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
        if self.map.len() >= MAX_ENTRIES {
            self.map.clear();
        }
        let key = self.key(slot, text);
        self.map.insert(
            key,
            Entry {
                slot,
                text: text.into(),
                ids: ids.into(),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::ScanCache;

    #[test]
    fn keeps_short_values_per_slot() {
        let mut c = ScanCache::default();
        c.put(1, "cmd.exe", &[3, 4]);
        assert_eq!(c.get(1, "cmd.exe"), Some(&[3u32, 4][..]));
        assert_eq!(c.get(2, "cmd.exe"), None);
        assert_eq!(c.get(1, "CMD.exe"), None);
        let long = "x".repeat(300);
        c.put(1, &long, &[1]);
        assert_eq!(c.get(1, &long), None);
    }
}
