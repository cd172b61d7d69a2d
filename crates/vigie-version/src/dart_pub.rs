//! Dart pub versions: SemVer, except that build metadata orders too: a version with build
//! metadata sorts after the same version without, and build identifiers compare like
//! pre-release ones.

use std::cmp::Ordering;

use crate::error::VersionError;
use crate::semver::{cmp_identifiers, parse_semver, SemVersion};

const SCHEME: &str = "pub";

/// A pub version.
#[derive(Debug, Clone)]
pub struct PubVersion(SemVersion);

impl PubVersion {
    /// Parses a version (SemVer grammar; a leading `v` is allowed).
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        parse_semver(SCHEME, s).map(PubVersion)
    }
}

impl Ord for PubVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.0, &other.0);
        a.cmp_precedence(b)
            .then_with(|| match (a.build.is_empty(), b.build.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => cmp_identifiers(&a.build, &b.build),
            })
    }
}

crate::order_from_cmp!(PubVersion);
