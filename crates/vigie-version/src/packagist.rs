//! Packagist (Composer) versions, ordered as PHP's `version_compare` orders them once
//! canonicalised: a leading `v` dropped, `-`, `_` and `+` read as `.`, a `.` put between
//! digits and letters; then part by part, numbers numerically, words by their special form
//! (any other word < dev < alpha = a < beta = b < RC = rc < # < pl = p), a number counting
//! as `#`.

use std::cmp::Ordering;

use crate::digits::{all_digits, cmp_digits};
use crate::error::VersionError;

const SCHEME: &str = "Packagist";

/// A Packagist version: its canonical parts.
#[derive(Debug, Clone)]
pub struct PackagistVersion(Vec<String>);

impl PackagistVersion {
    /// Parses a version; any non-empty string without blanks is ordered.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        if s.is_empty() {
            return Err(VersionError::invalid(SCHEME, s, "version string is empty"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(VersionError::invalid(
                SCHEME,
                s,
                "version string has spaces or control characters",
            ));
        }
        Ok(PackagistVersion(canonical_parts(s)))
    }
}

fn canonical_parts(s: &str) -> Vec<String> {
    let t = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let mut out = String::with_capacity(t.len() + 8);
    let mut prev: Option<char> = None;
    for c in t.chars() {
        let c = if matches!(c, '-' | '_' | '+') { '.' } else { c };
        if let Some(p) = prev {
            let boundary = (p.is_ascii_digit() && c != '.' && !c.is_ascii_digit())
                || (c.is_ascii_digit() && p != '.' && !p.is_ascii_digit());
            if boundary {
                out.push('.');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out.split('.').map(str::to_owned).collect()
}

/// The order of a word: PHP's special forms, matched as prefixes.
fn special(word: &str) -> i32 {
    const FORMS: [(&str, i32); 10] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("RC", 3),
        ("rc", 3),
        ("#", 4),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| word.starts_with(name))
        .map_or(-1, |&(_, order)| order)
}

fn cmp_parts(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = match (all_digits(x), all_digits(y)) {
            (true, true) => cmp_digits(x, y),
            (false, false) => special(x).cmp(&special(y)),
            (true, false) => special("#").cmp(&special(y)),
            (false, true) => special(x).cmp(&special("#")),
        };
        if ord.is_ne() {
            return ord;
        }
    }
    let hash = ["#".to_owned()];
    match a.len().cmp(&b.len()) {
        Ordering::Equal => Ordering::Equal,
        Ordering::Greater => {
            let tail = a.get(b.len()..).unwrap_or_default();
            if tail.first().is_some_and(|p| all_digits(p)) {
                Ordering::Greater
            } else {
                cmp_parts(tail, &hash)
            }
        }
        Ordering::Less => {
            let tail = b.get(a.len()..).unwrap_or_default();
            if tail.first().is_some_and(|p| all_digits(p)) {
                Ordering::Less
            } else {
                cmp_parts(&hash, tail)
            }
        }
    }
}

impl Ord for PackagistVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_parts(&self.0, &other.0)
    }
}

crate::order_from_cmp!(PackagistVersion);
