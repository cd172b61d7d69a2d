//! Comparing one collected value with one expected value by an OVAL operation and datatype:
//! string, int, float, boolean, version, debian_evr_string (dpkg order from vigie-version),
//! evr_string (rpm order), regular expressions as Perl-compatible patterns (fancy-regex, for
//! the look-arounds SCAP content uses), compiled once per pattern.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use vigie_version::Scheme;

use crate::model::{Datatype, Operation};
use crate::result::OvalResult;

thread_local! {
    static PATTERNS: RefCell<HashMap<String, Option<Rc<fancy_regex::Regex>>>> =
        RefCell::new(HashMap::new());
}

/// A compiled pattern, cached per thread; `None` when it is not a valid expression.
pub fn regex(pattern: &str) -> Option<Rc<fancy_regex::Regex>> {
    PATTERNS.with(|p| {
        if let Some(r) = p.borrow().get(pattern) {
            return r.clone();
        }
        p.borrow_mut()
            .entry(pattern.to_owned())
            .or_insert_with(|| {
                fancy_regex::RegexBuilder::new(pattern)
                    .backtrack_limit(10_000_000)
                    .build()
                    .ok()
                    .map(Rc::new)
            })
            .clone()
    })
}

/// Whether `pattern` matches somewhere in `value`: true, false, or error (invalid pattern or
/// a match that could not be decided).
pub fn pattern_match(value: &str, pattern: &str) -> OvalResult {
    match regex(pattern).map(|r| r.is_match(value).ok()) {
        Some(Some(b)) => OvalResult::from_bool(b),
        _ => OvalResult::Error,
    }
}

fn ordered(o: Ordering, op: Operation) -> Option<bool> {
    Some(match op {
        Operation::Equals => o == Ordering::Equal,
        Operation::NotEqual => o != Ordering::Equal,
        Operation::GreaterThan => o == Ordering::Greater,
        Operation::LessThan => o == Ordering::Less,
        Operation::GreaterThanOrEqual => o != Ordering::Less,
        Operation::LessThanOrEqual => o != Ordering::Greater,
        _ => return None,
    })
}

/// Parses an OVAL int: decimal, optionally signed (blanks around ignored).
pub fn parse_int(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// Compares dotted versions component by component, numerically where both are numbers.
fn version_cmp(a: &str, b: &str) -> Option<Ordering> {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .map(str::to_owned)
            .collect()
    };
    let (x, y) = (split(a), split(b));
    for i in 0..x.len().max(y.len()) {
        let p = x.get(i).map(String::as_str).unwrap_or("0");
        let q = y.get(i).map(String::as_str).unwrap_or("0");
        let o = match (p.parse::<u64>(), q.parse::<u64>()) {
            (Ok(m), Ok(n)) => m.cmp(&n),
            (Err(_), Err(_)) => p.cmp(q),
            _ => return None,
        };
        if o != Ordering::Equal {
            return Some(o);
        }
    }
    Some(Ordering::Equal)
}

/// `item OPERATION expected` under `datatype`. An operation the datatype does not allow, or a
/// value that is not of the datatype, is "error".
pub fn compare(item: &str, op: Operation, datatype: Datatype, expected: &str) -> OvalResult {
    let r = match (datatype, op) {
        (_, Operation::PatternMatch) => return pattern_match(item, expected),
        (_, Operation::CaseInsensitiveEquals) => {
            Some(item.to_lowercase() == expected.to_lowercase())
        }
        (_, Operation::CaseInsensitiveNotEqual) => {
            Some(item.to_lowercase() != expected.to_lowercase())
        }
        (Datatype::String | Datatype::Other, _) => ordered(item.cmp(expected), op),
        (Datatype::Binary, _) => ordered(item.to_lowercase().cmp(&expected.to_lowercase()), op),
        (Datatype::Int, Operation::BitwiseAnd | Operation::BitwiseOr) => {
            match (parse_int(item), parse_int(expected)) {
                (Some(a), Some(b)) if op == Operation::BitwiseAnd => Some(a & b == b),
                (Some(a), Some(b)) => Some(a | b == b),
                _ => None,
            }
        }
        (Datatype::Int, _) => match (parse_int(item), parse_int(expected)) {
            (Some(a), Some(b)) => ordered(a.cmp(&b), op),
            _ => None,
        },
        (Datatype::Float, _) => {
            match (item.trim().parse::<f64>(), expected.trim().parse::<f64>()) {
                (Ok(a), Ok(b)) => a.partial_cmp(&b).and_then(|o| ordered(o, op)),
                _ => None,
            }
        }
        (Datatype::Boolean, Operation::Equals | Operation::NotEqual) => {
            match (parse_bool(item), parse_bool(expected)) {
                (Some(a), Some(b)) => Some((a == b) == (op == Operation::Equals)),
                _ => None,
            }
        }
        (Datatype::Boolean, _) => None,
        (Datatype::Version, _) => version_cmp(item, expected).and_then(|o| ordered(o, op)),
        (Datatype::DebianEvr, _) => vigie_version::compare_scheme(Scheme::Dpkg, item, expected)
            .ok()
            .and_then(|o| ordered(o, op)),
        (Datatype::RpmEvr, _) => vigie_version::compare_scheme(Scheme::Rpm, item, expected)
            .ok()
            .and_then(|o| ordered(o, op)),
    };
    r.map_or(OvalResult::Error, OvalResult::from_bool)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OvalResult::*;

    #[test]
    fn datatypes() {
        assert_eq!(
            compare("10", Operation::GreaterThanOrEqual, Datatype::Int, "9"),
            True
        );
        assert_eq!(
            compare("10", Operation::GreaterThanOrEqual, Datatype::String, "9"),
            False
        );
        assert_eq!(compare("x", Operation::Equals, Datatype::Int, "9"), Error);
        assert_eq!(
            compare("1", Operation::Equals, Datatype::Boolean, "true"),
            True
        );
        assert_eq!(
            compare("0", Operation::NotEqual, Datatype::Boolean, "false"),
            False
        );
        assert_eq!(
            compare("493", Operation::BitwiseAnd, Datatype::Int, "18"),
            False
        );
        assert_eq!(
            compare("511", Operation::BitwiseAnd, Datatype::Int, "18"),
            True
        );
        assert_eq!(
            compare(
                "1:2.0-1",
                Operation::LessThan,
                Datatype::DebianEvr,
                "1:2.0~rc1-1"
            ),
            False
        );
        assert_eq!(
            compare("2.10", Operation::GreaterThan, Datatype::Version, "2.9"),
            True
        );
        assert_eq!(
            compare(
                "Yes",
                Operation::CaseInsensitiveEquals,
                Datatype::String,
                "yes"
            ),
            True
        );
    }

    #[test]
    fn perl_patterns() {
        assert_eq!(
            pattern_match("#x public", "^((?!#).)*(public|private).*"),
            False
        );
        assert_eq!(
            pattern_match("x public", "^((?!#).)*(public|private).*"),
            True
        );
        assert_eq!(pattern_match("a", "("), Error);
    }
}
