//! Alpine (apk) versions: `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`,
//! ordered as OSV orders them. Suffixes sort alpha < beta < pre < rc < (none) < cvs < svn
//! < git < hg < p; a number component after the first that starts with `0` compares as a
//! string (a decimal fraction). A version that does not fit the grammar is still ordered:
//! two such versions by plain string order, one against a valid version by the parts it
//! has, then below it.

use std::cmp::Ordering;

use crate::digits::{cmp_digits, split_run};
use crate::error::VersionError;

const SCHEME: &str = "apk";

/// Suffix names in sort order; index 4 is "no suffix" in the grammar.
const SUFFIXES: [&str; 9] = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg"];
/// Suffix names in the order they are tried when reading (longest alternatives first).
const SUFFIX_READ: [&str; 9] = ["alpha", "beta", "pre", "rc", "cvs", "svn", "git", "hg", "p"];
/// The weight a missing suffix compares with (that of `cvs`, as OSV has it).
const MISSING_SUFFIX: usize = 5;

/// An apk version.
#[derive(Debug, Clone)]
pub struct ApkVersion {
    original: String,
    /// Whether something was left that is not a `-r` build component.
    invalid: bool,
    /// Number components in order, as written.
    numbers: Vec<String>,
    letter: Option<u8>,
    /// (weight, number digits)
    suffixes: Vec<(usize, String)>,
    /// The `-r` number ("" is 0).
    build: String,
    /// Whatever the grammar did not consume.
    remainder: String,
}

impl ApkVersion {
    /// Parses a version; only an empty string (or one with spaces) is refused, as `apk
    /// version -t` orders anything else.
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
        // number{.number}... (a trailing dot leaves an empty component)
        let mut numbers = Vec::new();
        let mut rest = s;
        loop {
            let (digits, after) = split_run(rest, |b| b.is_ascii_digit());
            if digits.is_empty() {
                break;
            }
            rest = after;
            match rest.strip_prefix('.') {
                Some(after_dot) => {
                    numbers.push(digits.to_owned());
                    rest = after_dot;
                    let (next, _) = split_run(rest, |b| b.is_ascii_digit());
                    if next.is_empty() {
                        numbers.push(String::new());
                        break;
                    }
                }
                None => {
                    numbers.push(digits.to_owned());
                    break;
                }
            }
        }
        // letter
        let letter = rest.bytes().next().filter(u8::is_ascii_lowercase);
        if letter.is_some() {
            rest = rest.get(1..).unwrap_or_default();
        }
        // suffixes: every `_name[digits]` found, consumed while they lead the rest
        let mut suffixes = Vec::new();
        for (name, digits) in find_suffixes(rest) {
            let weight = SUFFIXES
                .iter()
                .position(|&n| n == name)
                .unwrap_or(SUFFIXES.len());
            suffixes.push((weight, digits.to_owned()));
            let text = format!("_{name}{digits}");
            if let Some(after) = rest.strip_prefix(text.as_str()) {
                rest = after;
            }
        }
        // ~hash (ignored in comparisons)
        if let Some(after) = rest.strip_prefix('~') {
            let (hash, after_hash) = split_run(after, |b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            if !hash.is_empty() {
                rest = after_hash;
            }
        }
        // -r build
        let mut build = String::new();
        let mut invalid = false;
        if !rest.is_empty() {
            match rest.strip_prefix("-r") {
                Some(after) => {
                    let (digits, after_digits) = split_run(after, |b| b.is_ascii_digit());
                    build = digits.to_owned();
                    rest = after_digits;
                }
                None => invalid = true,
            }
        }
        Ok(ApkVersion {
            original: s.to_owned(),
            invalid,
            numbers,
            letter,
            suffixes,
            build,
            remainder: rest.to_owned(),
        })
    }

    fn number(&self, i: usize) -> (&str, usize) {
        match self.numbers.get(i) {
            Some(n) => (n.as_str(), i),
            None => ("0", 0),
        }
    }

    fn suffix(&self, i: usize) -> (usize, &str) {
        match self.suffixes.get(i) {
            Some((w, n)) => (*w, n.as_str()),
            None => (MISSING_SUFFIX, ""),
        }
    }
}

/// Every non-overlapping `_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)` in `s`, left to right.
fn find_suffixes(s: &str) -> Vec<(&'static str, &str)> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = s.get(i..).and_then(|t| t.find('_')) {
        let start = i + at + 1;
        let tail = s.get(start..).unwrap_or_default();
        match SUFFIX_READ.iter().find(|n| tail.starts_with(**n)) {
            Some(name) => {
                let after = tail.get(name.len()..).unwrap_or_default();
                let (digits, _) = split_run(after, |b| b.is_ascii_digit());
                found.push((*name, digits));
                i = start + name.len() + digits.len();
            }
            None => i = start,
        }
    }
    found
}

fn cmp_number(a: (&str, usize), b: (&str, usize)) -> Ordering {
    let leading_zero = a.0.starts_with('0') || b.0.starts_with('0');
    if a.1 != 0 && b.1 != 0 && leading_zero {
        a.0.cmp(b.0)
    } else {
        cmp_digits(a.0, b.0)
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.invalid && other.invalid {
            return self.original.as_bytes().cmp(other.original.as_bytes());
        }
        let numbers = (0..self.numbers.len().max(other.numbers.len()))
            .map(|i| cmp_number(self.number(i), other.number(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal);
        let letters = match (self.letter, other.letter) {
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (a, b) => a.cmp(&b),
        };
        let suffixes = (0..self.suffixes.len().max(other.suffixes.len()))
            .map(|i| {
                let (wa, na) = self.suffix(i);
                let (wb, nb) = other.suffix(i);
                wa.cmp(&wb).then_with(|| cmp_digits(na, nb))
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal);
        let remainders = match (self.remainder.is_empty(), other.remainder.is_empty()) {
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => Ordering::Equal,
        };
        numbers
            .then(letters)
            .then(suffixes)
            .then_with(|| cmp_digits(&self.build, &other.build))
            .then(remainders)
    }
}

crate::order_from_cmp!(ApkVersion);
