//! `Score`: a CVSS score, 0.0 to 10.0 in steps of 0.1, held as a whole number of tenths so that
//! it compares and prints exactly.

use std::fmt;

/// A CVSS score, 0.0 to 10.0 with one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

impl Score {
    /// The highest score, 10.0.
    pub const MAX: Score = Score(100);

    /// The score of `tenths` tenths, capped at 10.0.
    pub fn from_tenths(tenths: u32) -> Score {
        Score(u8::try_from(tenths.min(100)).unwrap_or(100))
    }

    /// The score as a whole number of tenths (98 for 9.8).
    pub fn tenths(self) -> u8 {
        self.0
    }

    /// The score as a number (9.8).
    pub fn value(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}
