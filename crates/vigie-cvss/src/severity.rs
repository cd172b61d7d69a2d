//! Qualitative severity of a score: the v3 / v4 rating scale of the FIRST specifications, and
//! the three bands NVD uses for v2 (which has no rating scale of its own).

use std::fmt;

use crate::Score;

/// A qualitative severity rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// 0.0 (v3 and v4 only).
    None,
    /// 0.1 to 3.9 (v2: 0.0 to 3.9).
    Low,
    /// 4.0 to 6.9.
    Medium,
    /// 7.0 to 8.9 (v2: 7.0 to 10.0).
    High,
    /// 9.0 to 10.0 (v3 and v4 only).
    Critical,
}

impl Severity {
    /// The CVSS v3.x / v4.0 rating: None 0.0, Low 0.1-3.9, Medium 4.0-6.9, High 7.0-8.9,
    /// Critical 9.0-10.0.
    pub fn of(score: Score) -> Severity {
        match score.tenths() {
            0 => Severity::None,
            1..=39 => Severity::Low,
            40..=69 => Severity::Medium,
            70..=89 => Severity::High,
            _ => Severity::Critical,
        }
    }

    /// The rating NVD gives v2 scores: Low 0.0-3.9, Medium 4.0-6.9, High 7.0-10.0.
    pub fn of_v2(score: Score) -> Severity {
        match score.tenths() {
            0..=39 => Severity::Low,
            40..=69 => Severity::Medium,
            _ => Severity::High,
        }
    }

    /// The rating's name: None, Low, Medium, High or Critical.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::None => "None",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }

    /// Reads a rating name, case-insensitive (for `--fail-on`-style arguments).
    pub fn parse(text: &str) -> Option<Severity> {
        [
            Severity::None,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        let s = |t| Score::from_tenths(t);
        assert_eq!(Severity::of(s(0)), Severity::None);
        assert_eq!(Severity::of(s(1)), Severity::Low);
        assert_eq!(Severity::of(s(39)), Severity::Low);
        assert_eq!(Severity::of(s(40)), Severity::Medium);
        assert_eq!(Severity::of(s(69)), Severity::Medium);
        assert_eq!(Severity::of(s(70)), Severity::High);
        assert_eq!(Severity::of(s(89)), Severity::High);
        assert_eq!(Severity::of(s(90)), Severity::Critical);
        assert_eq!(Severity::of(s(100)), Severity::Critical);
        assert_eq!(Severity::of_v2(s(0)), Severity::Low);
        assert_eq!(Severity::of_v2(s(39)), Severity::Low);
        assert_eq!(Severity::of_v2(s(40)), Severity::Medium);
        assert_eq!(Severity::of_v2(s(70)), Severity::High);
        assert_eq!(Severity::of_v2(s(100)), Severity::High);
        assert_eq!(Severity::parse("critical"), Some(Severity::Critical));
        assert_eq!(Severity::parse("urgent"), None);
    }
}
