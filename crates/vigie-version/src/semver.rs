//! SemVer 2.0 precedence (npm, crates.io, Go, Hex): `[v]MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]`,
//! missing numbers being 0 and numbers of any size; pre-release identifiers compare
//! numerically when all digits (and then before letters), else in ASCII order; a version
//! with a pre-release sorts before the release; build metadata does not order.

use std::cmp::Ordering;

use crate::digits::{all_digits, cmp_digits, split_run};
use crate::error::VersionError;

const SCHEME: &str = "SemVer";

/// A SemVer version.
#[derive(Debug, Clone)]
pub struct SemVersion {
    pub(crate) numbers: [String; 3],
    pub(crate) pre: Vec<String>,
    /// Build metadata identifiers (numbers past the third count here too, as OSV has it).
    pub(crate) build: Vec<String>,
}

/// Parses the shared grammar of SemVer and pub versions.
pub(crate) fn parse_semver(scheme: &'static str, s: &str) -> Result<SemVersion, VersionError> {
    let bad = |reason| VersionError::invalid(scheme, s, reason);
    let mut rest = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let mut numbers: [String; 3] = Default::default();
    let mut build = Vec::new();
    for (i, slot) in numbers.iter_mut().enumerate() {
        if i > 0 {
            match rest.strip_prefix('.') {
                Some(after) => rest = after,
                None => break,
            }
        }
        let (n, after) = split_run(rest, |b| b.is_ascii_digit());
        if n.is_empty() {
            return Err(bad("expected a number (MAJOR.MINOR.PATCH)"));
        }
        *slot = n.to_owned();
        rest = after;
    }
    // numbers past the third: kept as build metadata
    while let Some(after) = rest.strip_prefix('.') {
        let (n, after) = split_run(after, |b| b.is_ascii_digit());
        if n.is_empty() {
            return Err(bad("expected a number after a dot"));
        }
        build.push(n.to_owned());
        rest = after;
    }
    let ident_ok =
        |id: &str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let (main, meta) = match rest.split_once('+') {
        Some((m, b)) => (m, Some(b)),
        None => (rest, None),
    };
    let pre = match main.strip_prefix('-') {
        Some(p) => {
            let ids: Vec<String> = p.split('.').map(str::to_owned).collect();
            if !ids.iter().all(|id| ident_ok(id)) {
                return Err(bad(
                    "pre-release identifiers must be [0-9A-Za-z-]+ separated by dots",
                ));
            }
            ids
        }
        None if main.is_empty() => Vec::new(),
        None => return Err(bad("unexpected characters after the version numbers")),
    };
    if let Some(meta) = meta {
        let ids: Vec<String> = meta.split('.').map(str::to_owned).collect();
        if !ids.iter().all(|id| ident_ok(id)) {
            return Err(bad(
                "build identifiers must be [0-9A-Za-z-]+ separated by dots",
            ));
        }
        build.extend(ids);
    }
    Ok(SemVersion {
        numbers,
        pre,
        build,
    })
}

/// Orders dot-separated identifiers: numbers numerically and before words, words in ASCII
/// order, a shorter list first when it is a prefix of the other.
pub(crate) fn cmp_identifiers(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let ord = match (all_digits(x), all_digits(y)) {
            (true, true) => cmp_digits(x, y),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.as_bytes().cmp(y.as_bytes()),
        };
        if ord.is_ne() {
            return ord;
        }
    }
    a.len().cmp(&b.len())
}

impl SemVersion {
    /// Parses a version; a leading `v` is allowed (Go).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        parse_semver(SCHEME, s)
    }

    /// Orders by numbers, then pre-release (none sorts last).
    pub(crate) fn cmp_precedence(&self, other: &Self) -> Ordering {
        self.numbers
            .iter()
            .zip(&other.numbers)
            .map(|(a, b)| cmp_digits(a, b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_identifiers(&self.pre, &other.pre),
            })
    }
}

impl Ord for SemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_precedence(other)
    }
}

crate::order_from_cmp!(SemVersion);
