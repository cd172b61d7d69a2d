//! Which training sessions each event occurs in, as bit sets: how many sessions hold at least
//! one, and exactly one, of a combination of events, in a few word operations per 64 sessions
//! (the mining's quick test before trying coefficients).

use crate::counts::CountTable;

pub struct Occurrences {
    /// Per event, one bit per training session (distinct vectors expanded by their counts).
    bits: Vec<Vec<u64>>,
}

impl Occurrences {
    pub fn new(table: &CountTable, events: usize) -> Self {
        let words = (table.sessions as usize).div_ceil(64);
        let mut bits = vec![vec![0u64; words]; events];
        let mut session = 0usize;
        for (vector, n) in &table.rows {
            for _ in 0..*n {
                for (e, &c) in vector.iter().enumerate() {
                    if c > 0 {
                        bits[e][session / 64] |= 1 << (session % 64);
                    }
                }
                session += 1;
            }
        }
        Occurrences { bits }
    }

    /// (sessions holding at least one of the events, sessions holding exactly one).
    pub fn active_and_lone(&self, events: &[usize]) -> (u64, u64) {
        let words = self.bits.first().map_or(0, Vec::len);
        let (mut active, mut lone) = (0u64, 0u64);
        for w in 0..words {
            let (mut once, mut twice) = (0u64, 0u64);
            for &e in events {
                let x = self.bits[e][w];
                twice |= once & x;
                once |= x;
            }
            active += u64::from(once.count_ones());
            lone += u64::from((once & !twice).count_ones());
        }
        (active, lone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sessions_with_any_and_with_exactly_one() {
        // Events 0, 1, 2 over 70 sessions: 0 alone (x40), 0 and 1 (x20), 2 alone (x10).
        let table = CountTable {
            rows: vec![
                (vec![1, 0, 0], 40),
                (vec![2, 1, 0], 20),
                (vec![0, 0, 3], 10),
            ],
            sessions: 70,
        };
        let occ = Occurrences::new(&table, 3);
        assert_eq!(occ.active_and_lone(&[0, 1]), (60, 40));
        assert_eq!(occ.active_and_lone(&[1, 2]), (30, 30));
        assert_eq!(occ.active_and_lone(&[0, 1, 2]), (70, 50));
    }
}
