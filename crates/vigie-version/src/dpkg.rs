//! Debian and Ubuntu versions as dpkg orders them: `[epoch:]upstream[-revision]`, compared
//! with `verrevcmp` (non-digit runs by a character order where `~` sorts before everything,
//! even the end, letters before other characters; digit runs numerically).

use std::cmp::Ordering;

use crate::digits::cmp_digits;
use crate::error::VersionError;

const SCHEME: &str = "dpkg";

/// A dpkg version.
#[derive(Debug, Clone)]
pub struct DpkgVersion {
    /// The epoch's digits ("" when absent, which is 0).
    epoch: String,
    upstream: String,
    /// The revision ("" when absent, which orders as "0").
    revision: String,
}

impl DpkgVersion {
    /// Parses a version as dpkg does: surrounding blanks are ignored; an epoch must be a
    /// number; the revision is what follows the last hyphen.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let bad = |reason| VersionError::invalid(SCHEME, s, reason);
        let v = s.trim();
        if v.is_empty() {
            return Err(bad("version string is empty"));
        }
        if v.chars().any(char::is_whitespace) {
            return Err(bad("version string has embedded spaces"));
        }
        let (epoch, rest) = match v.split_once(':') {
            Some((e, rest)) => {
                if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad("epoch in version is not a number"));
                }
                if rest.is_empty() {
                    return Err(bad("nothing after colon in version number"));
                }
                (e, rest)
            }
            None => ("", v),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((u, r)) => {
                if r.is_empty() {
                    return Err(bad("revision number is empty"));
                }
                (u, r)
            }
            None => (rest, ""),
        };
        if upstream.is_empty() {
            return Err(bad("version number is empty"));
        }
        Ok(DpkgVersion {
            epoch: epoch.to_owned(),
            upstream: upstream.to_owned(),
            revision: revision.to_owned(),
        })
    }
}

/// dpkg's character weight in non-digit runs: `~` lowest, then the end of the run, then
/// letters, then every other character.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`.
pub(crate) fn verrevcmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    while !a.is_empty() || !b.is_empty() {
        // The non-digit prefix, character by character.
        loop {
            let ca = a.first().copied().filter(|c| !c.is_ascii_digit());
            let cb = b.first().copied().filter(|c| !c.is_ascii_digit());
            if ca.is_none() && cb.is_none() {
                break;
            }
            let (oa, ob) = (order(ca), order(cb));
            if oa != ob {
                return oa.cmp(&ob);
            }
            a = a.get(1..).unwrap_or_default();
            b = b.get(1..).unwrap_or_default();
        }
        // The digit run, as a number.
        let (da, ra) = split_digits(a);
        let (db, rb) = split_digits(b);
        match cmp_digits(da, db) {
            Ordering::Equal => {}
            other => return other,
        }
        a = ra;
        b = rb;
    }
    Ordering::Equal
}

fn split_digits(s: &[u8]) -> (&str, &[u8]) {
    let end = s
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(s.len());
    let (digits, rest) = s.split_at(end);
    (std::str::from_utf8(digits).unwrap_or_default(), rest)
}

impl Ord for DpkgVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_digits(&self.epoch, &other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

crate::order_from_cmp!(DpkgVersion);
