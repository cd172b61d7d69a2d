//! NuGet versions: up to four numbers (missing ones are 0, leading zeros allowed), an
//! optional `-pre.release` compared case-insensitively (numeric labels numerically and
//! before words), and `+metadata` that does not order.

use std::cmp::Ordering;

use crate::digits::{cmp_digits, split_run};
use crate::error::VersionError;
use crate::semver::cmp_identifiers;

const SCHEME: &str = "NuGet";

/// A NuGet version.
#[derive(Debug, Clone)]
pub struct NuGetVersion {
    numbers: [String; 4],
    /// Pre-release labels, lower-cased.
    pre: Vec<String>,
}

impl NuGetVersion {
    /// Parses a version: `N[.N[.N[.N]]][-label[.label]...][+metadata]`.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let bad = |reason| VersionError::invalid(SCHEME, s, reason);
        let t = s.trim();
        let (main, meta) = match t.split_once('+') {
            Some((m, b)) => (m, Some(b)),
            None => (t, None),
        };
        let (release, pre) = match main.split_once('-') {
            Some((r, p)) => (r, Some(p)),
            None => (main, None),
        };
        let mut numbers: [String; 4] = Default::default();
        let mut parts = release.split('.');
        for slot in numbers.iter_mut() {
            let Some(p) = parts.next() else { break };
            let (n, rest) = split_run(p, |b| b.is_ascii_digit());
            if n.is_empty() || !rest.is_empty() {
                return Err(bad("expected up to four numbers separated by dots"));
            }
            *slot = n.to_owned();
        }
        if parts.next().is_some() {
            return Err(bad("more than four numbers"));
        }
        let label_ok =
            |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let pre: Vec<String> = match pre {
            Some(p) => p.split('.').map(str::to_ascii_lowercase).collect(),
            None => Vec::new(),
        };
        if !pre.iter().all(|l| label_ok(l)) {
            return Err(bad(
                "pre-release labels must be [0-9A-Za-z-]+ separated by dots",
            ));
        }
        if let Some(meta) = meta {
            if !meta.split('.').all(label_ok) {
                return Err(bad("metadata must be [0-9A-Za-z-]+ separated by dots"));
            }
        }
        Ok(NuGetVersion { numbers, pre })
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
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

crate::order_from_cmp!(NuGetVersion);
