//! RubyGems versions as `Gem::Version` orders them: numbers and letter runs, where a `-`
//! means `.pre.`; trailing zeros of the release part and of the pre-release part are
//! dropped; letters (a pre-release) sort before numbers.

use std::cmp::Ordering;

use crate::digits::{cmp_digits, split_run};
use crate::error::VersionError;

const SCHEME: &str = "RubyGems";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Number(String),
    Text(String),
}

/// A RubyGems version.
#[derive(Debug, Clone)]
pub struct GemVersion {
    /// The canonical segments.
    segments: Vec<Segment>,
}

/// Whether `s` is made of numbers and letters separated by `.` or `-` (RubyGems' pattern,
/// leniently: `1beta` is read as `1.beta`, as OSV reads it).
fn well_formed(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

impl GemVersion {
    /// Parses a version as `Gem::Version.new` does (surrounding blanks ignored).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        let t = s.trim();
        if t.is_empty() {
            return Err(VersionError::invalid(SCHEME, s, "version string is empty"));
        }
        if !well_formed(t) {
            return Err(VersionError::invalid(
                SCHEME,
                s,
                "not numbers and letters separated by dots (with an optional -pre-release)",
            ));
        }
        let text = t.replace('-', ".pre.");
        let mut segments = Vec::new();
        let mut rest = text.as_str();
        while let Some(c) = rest.bytes().next() {
            if c.is_ascii_digit() {
                let (n, after) = split_run(rest, |b| b.is_ascii_digit());
                segments.push(Segment::Number(n.trim_start_matches('0').to_owned()));
                rest = after;
            } else if c.is_ascii_alphabetic() {
                let (w, after) = split_run(rest, |b| b.is_ascii_alphabetic());
                segments.push(Segment::Text(w.to_owned()));
                rest = after;
            } else {
                rest = rest.get(1..).unwrap_or_default();
            }
        }
        // canonical: trailing zeros dropped from the numeric part and the rest
        let split = segments
            .iter()
            .position(|s| matches!(s, Segment::Text(_)))
            .unwrap_or(segments.len());
        let strip = |part: &[Segment]| {
            let keep = part
                .iter()
                .rposition(|s| *s != Segment::Number(String::new()))
                .map_or(0, |i| i + 1);
            part.get(..keep).unwrap_or_default().to_vec()
        };
        let mut canonical = strip(segments.get(..split).unwrap_or_default());
        canonical.extend(strip(segments.get(split..).unwrap_or_default()));
        Ok(GemVersion {
            segments: canonical,
        })
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number(String::new());
        for i in 0..self.segments.len().max(other.segments.len()) {
            let a = self.segments.get(i).unwrap_or(&zero);
            let b = other.segments.get(i).unwrap_or(&zero);
            let ord = match (a, b) {
                (Segment::Number(x), Segment::Number(y)) => cmp_digits(x, y),
                (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
                (Segment::Text(x), Segment::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
            };
            if ord.is_ne() {
                return ord;
            }
        }
        Ordering::Equal
    }
}

crate::order_from_cmp!(GemVersion);
