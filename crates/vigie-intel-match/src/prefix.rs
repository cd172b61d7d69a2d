//! The IP prefix table: networks grouped by prefix length, one hash table per length present
//! (longest first), so that a lookup masks the address once per length and finds every
//! network that holds it, the longest first. IPv4 and IPv6 have a table each. A bitmap of the
//! address space cut in 2^20 blocks (by the top 20 bits) marks the blocks some network
//! touches, so most addresses are answered by one bit, without a probe.

use std::collections::HashMap;
use std::net::IpAddr;

use foldhash::fast::RandomState;

/// Networks of one IP version, in one table per prefix length.
#[derive(Debug, Clone)]
struct Family {
    bits: u8,
    /// (prefix length, network address masked to it -> value), longest prefix first.
    by_len: Vec<(u8, HashMap<u128, u32, RandomState>)>,
    /// One bit per block of the top `SUMMARY_BITS` bits: set when a network meets the block.
    summary: Vec<u64>,
}

const SUMMARY_BITS: u8 = 20;

impl Family {
    fn new(bits: u8) -> Family {
        Family {
            bits,
            by_len: Vec::new(),
            summary: Vec::new(),
        }
    }

    fn block(&self, addr: u128) -> usize {
        (addr >> (self.bits - SUMMARY_BITS)) as usize
    }

    fn mark(&mut self, key: u128, len: u8) {
        if self.summary.is_empty() {
            self.summary = vec![0; (1usize << SUMMARY_BITS) / 64];
        }
        let first = self.block(key);
        let count = 1usize << (SUMMARY_BITS - len.min(SUMMARY_BITS));
        for b in first..first + count {
            if let Some(word) = self.summary.get_mut(b / 64) {
                *word |= 1 << (b % 64);
            }
        }
    }

    fn may_hold(&self, addr: u128) -> bool {
        let b = self.block(addr);
        self.summary
            .get(b / 64)
            .is_some_and(|w| (w >> (b % 64)) & 1 == 1)
    }

    fn mask(&self, len: u8) -> u128 {
        let width = u32::from(self.bits);
        let len = u32::from(len.min(self.bits));
        if len == 0 {
            return 0;
        }
        let all = if width == 128 {
            u128::MAX
        } else {
            (1u128 << width) - 1
        };
        let host = width - len;
        let host_mask = if host == 128 {
            u128::MAX
        } else {
            (1u128 << host) - 1
        };
        all & !host_mask
    }

    fn insert(&mut self, addr: u128, len: u8, value: u32) -> Option<u32> {
        let len = len.min(self.bits);
        let key = addr & self.mask(len);
        self.mark(key, len);
        let at = match self.by_len.binary_search_by(|(l, _)| len.cmp(l)) {
            Ok(i) => i,
            Err(i) => {
                self.by_len.insert(i, (len, HashMap::default()));
                i
            }
        };
        self.by_len[at].1.insert(key, value)
    }

    fn each(&self, addr: u128, f: &mut impl FnMut(u8, u32)) {
        if !self.may_hold(addr) {
            return;
        }
        for (len, table) in &self.by_len {
            if let Some(v) = table.get(&(addr & self.mask(*len))) {
                f(*len, *v);
            }
        }
    }

    fn len(&self) -> usize {
        self.by_len.iter().map(|(_, t)| t.len()).sum()
    }
}

/// Networks (IPv4 and IPv6) mapped to a value (an indicator's number in the index).
#[derive(Debug, Clone)]
pub struct PrefixTable {
    v4: Family,
    v6: Family,
}

impl Default for PrefixTable {
    fn default() -> Self {
        PrefixTable {
            v4: Family::new(32),
            v6: Family::new(128),
        }
    }
}

fn split(addr: IpAddr) -> (bool, u128) {
    match addr {
        IpAddr::V4(a) => (true, u128::from(u32::from(a))),
        IpAddr::V6(a) => (false, u128::from(a)),
    }
}

impl PrefixTable {
    /// Adds the network `addr/len` (host bits ignored; a length past the version's width is
    /// the width); gives back the value a network already there had.
    pub fn insert(&mut self, addr: IpAddr, len: u8, value: u32) -> Option<u32> {
        match split(addr) {
            (true, a) => self.v4.insert(a, len, value),
            (false, a) => self.v6.insert(a, len, value),
        }
    }

    /// Calls `f(prefix length, value)` for every network holding `addr`, longest first.
    pub fn each(&self, addr: IpAddr, mut f: impl FnMut(u8, u32)) {
        match split(addr) {
            (true, a) => self.v4.each(a, &mut f),
            (false, a) => self.v6.each(a, &mut f),
        }
    }

    /// The value of the longest network holding `addr`.
    pub fn longest(&self, addr: IpAddr) -> Option<u32> {
        let mut found = None;
        self.each(addr, |_, v| {
            if found.is_none() {
                found = Some(v);
            }
        });
        found
    }

    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The prefix lengths present (IPv4, IPv6): a lookup costs one probe per length.
    pub fn lengths(&self) -> (usize, usize) {
        (self.v4.by_len.len(), self.v6.by_len.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn nested_networks_longest_first() {
        let mut t = PrefixTable::default();
        t.insert(ip("10.0.0.0"), 8, 1);
        t.insert(ip("10.1.0.0"), 16, 2);
        t.insert(ip("10.1.2.99"), 24, 3);
        t.insert(ip("0.0.0.0"), 0, 4);
        t.insert(ip("2001:db8::"), 32, 5);
        let mut seen = Vec::new();
        t.each(ip("10.1.2.3"), |l, v| seen.push((l, v)));
        assert_eq!(seen, vec![(24, 3), (16, 2), (8, 1), (0, 4)]);
        assert_eq!(t.longest(ip("10.9.9.9")), Some(1));
        assert_eq!(t.longest(ip("11.0.0.1")), Some(4));
        assert_eq!(t.longest(ip("2001:db8:ffff::1")), Some(5));
        assert_eq!(t.longest(ip("2001:db9::1")), None);
        assert_eq!(t.len(), 5);
        assert_eq!(t.lengths(), (4, 1));
    }
}
