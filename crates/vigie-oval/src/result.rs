//! OVAL results and how several combine: by `check` (all, at least one, none satisfy, only
//! one) and by operator (AND, OR, ONE, XOR), with the counting rules of the OVAL 5.11
//! specification's truth tables as OpenSCAP applies them (nothing to combine is "unknown").

use std::fmt;

use crate::model::{Check, Operator};

/// A result, spelled as `oscap oval eval` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OvalResult {
    True,
    False,
    Error,
    Unknown,
    NotEvaluated,
    NotApplicable,
}

impl OvalResult {
    pub fn as_str(self) -> &'static str {
        match self {
            OvalResult::True => "true",
            OvalResult::False => "false",
            OvalResult::Error => "error",
            OvalResult::Unknown => "unknown",
            OvalResult::NotEvaluated => "not evaluated",
            OvalResult::NotApplicable => "not applicable",
        }
    }

    /// The spelling back to a result (`oscap`'s output, expectation files).
    pub fn parse(s: &str) -> Option<OvalResult> {
        Some(match s {
            "true" => OvalResult::True,
            "false" => OvalResult::False,
            "error" => OvalResult::Error,
            "unknown" => OvalResult::Unknown,
            "not evaluated" => OvalResult::NotEvaluated,
            "not applicable" => OvalResult::NotApplicable,
            _ => return None,
        })
    }

    /// `negate="true"`: true and false swap, the rest stays.
    pub fn negate(self, negate: bool) -> OvalResult {
        match (negate, self) {
            (true, OvalResult::True) => OvalResult::False,
            (true, OvalResult::False) => OvalResult::True,
            (_, r) => r,
        }
    }

    pub fn from_bool(b: bool) -> OvalResult {
        if b {
            OvalResult::True
        } else {
            OvalResult::False
        }
    }
}

impl fmt::Display for OvalResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many results of each kind are being combined.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    t: u32,
    f: u32,
    e: u32,
    u: u32,
    ne: u32,
    na: u32,
}

impl Counts {
    pub fn add(&mut self, r: OvalResult) {
        match r {
            OvalResult::True => self.t += 1,
            OvalResult::False => self.f += 1,
            OvalResult::Error => self.e += 1,
            OvalResult::Unknown => self.u += 1,
            OvalResult::NotEvaluated => self.ne += 1,
            OvalResult::NotApplicable => self.na += 1,
        }
    }

    pub fn of(results: impl IntoIterator<Item = OvalResult>) -> Counts {
        let mut c = Counts::default();
        for r in results {
            c.add(r);
        }
        c
    }

    /// Nothing counted: "unknown"; only "not applicable": "not applicable".
    fn degenerate(&self) -> Option<OvalResult> {
        let others = self.t + self.f + self.e + self.u + self.ne;
        if others == 0 && self.na == 0 {
            Some(OvalResult::Unknown)
        } else if others == 0 {
            Some(OvalResult::NotApplicable)
        } else {
            None
        }
    }

    /// The first of error, unknown, not evaluated that was counted (the precedence the truth
    /// tables give when true / false cannot decide).
    fn undecided(&self) -> OvalResult {
        if self.e > 0 {
            OvalResult::Error
        } else if self.u > 0 {
            OvalResult::Unknown
        } else if self.ne > 0 {
            OvalResult::NotEvaluated
        } else {
            OvalResult::Error
        }
    }

    pub fn by_check(&self, check: Check) -> OvalResult {
        if let Some(r) = self.degenerate() {
            return r;
        }
        let open = self.e + self.u + self.ne;
        match check {
            Check::All => self.by_operator(Operator::And),
            Check::AtLeastOne => self.by_operator(Operator::Or),
            Check::NoneSatisfy => {
                if self.t > 0 {
                    OvalResult::False
                } else if open > 0 {
                    self.undecided()
                } else {
                    OvalResult::True
                }
            }
            Check::OnlyOne => {
                if self.t == 1 && open == 0 {
                    OvalResult::True
                } else if self.t > 1 {
                    OvalResult::False
                } else if open > 0 {
                    self.undecided()
                } else {
                    OvalResult::False
                }
            }
        }
    }

    pub fn by_operator(&self, op: Operator) -> OvalResult {
        if let Some(r) = self.degenerate() {
            return r;
        }
        let open = self.e + self.u + self.ne;
        match op {
            Operator::And => {
                if self.f > 0 {
                    OvalResult::False
                } else if open > 0 {
                    self.undecided()
                } else {
                    OvalResult::True
                }
            }
            Operator::Or => {
                if self.t > 0 {
                    OvalResult::True
                } else if open > 0 {
                    self.undecided()
                } else {
                    OvalResult::False
                }
            }
            Operator::One => {
                if self.t >= 2 {
                    OvalResult::False
                } else if open > 0 {
                    self.undecided()
                } else {
                    OvalResult::from_bool(self.t == 1)
                }
            }
            Operator::Xor => {
                if open > 0 {
                    self.undecided()
                } else {
                    OvalResult::from_bool(self.t % 2 == 1)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OvalResult::*;

    #[test]
    fn and_or_tables() {
        assert_eq!(Counts::of([True, True]).by_operator(Operator::And), True);
        assert_eq!(
            Counts::of([True, Error, False]).by_operator(Operator::And),
            False
        );
        assert_eq!(
            Counts::of([True, Error, Unknown]).by_operator(Operator::And),
            Error
        );
        assert_eq!(Counts::of([Error, True]).by_operator(Operator::Or), True);
        assert_eq!(
            Counts::of([False, Unknown]).by_operator(Operator::Or),
            Unknown
        );
        assert_eq!(Counts::of([]).by_operator(Operator::Or), Unknown);
        assert_eq!(
            Counts::of([NotApplicable]).by_operator(Operator::And),
            NotApplicable
        );
        assert_eq!(
            Counts::of([NotApplicable, True]).by_operator(Operator::And),
            True
        );
    }

    #[test]
    fn one_xor_and_checks() {
        assert_eq!(Counts::of([True, False]).by_operator(Operator::One), True);
        assert_eq!(
            Counts::of([True, True, Error]).by_operator(Operator::One),
            False
        );
        assert_eq!(
            Counts::of([True, True, True]).by_operator(Operator::Xor),
            True
        );
        assert_eq!(
            Counts::of([False, False]).by_check(Check::NoneSatisfy),
            True
        );
        assert_eq!(
            Counts::of([False, True]).by_check(Check::NoneSatisfy),
            False
        );
        assert_eq!(Counts::of([True, True]).by_check(Check::OnlyOne), False);
        assert_eq!(True.negate(true), False);
        assert_eq!(Error.negate(true), Error);
    }
}
