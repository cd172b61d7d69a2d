//! The answer to "does this advisory affect this package at this version": affected (with the
//! versions that fix it), not affected, or not evaluated with the reason.

use std::fmt;

/// Whether a record affects a package version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Affected. `fixed`: the versions above the queried one that the record names as fixes
    /// (`fixed` events) and does not itself judge affected, smallest first (empty when no fix
    /// is known): the first is the smallest upgrade.
    Affected { fixed: Vec<String> },
    /// Not affected: the record names the package, and no range or listed version holds it.
    NotAffected,
    /// The record cannot say: why.
    NotEvaluated(NotEvaluated),
}

impl Verdict {
    pub fn is_affected(&self) -> bool {
        matches!(self, Verdict::Affected { .. })
    }
}

/// Why a record could not be evaluated for a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotEvaluated {
    /// The package's only ranges are GIT ranges (commits), with no enumerated versions.
    GitRange { repo: Option<String> },
    /// No version order is known for the ecosystem of an ECOSYSTEM range.
    UnknownEcosystem(String),
    /// A range of a type the schema does not define.
    UnknownRangeType(String),
    /// The queried version is not a version of the range's order.
    InvalidVersion {
        version: String,
        scheme: &'static str,
        reason: String,
    },
    /// A version in the record is not a version of the range's order.
    InvalidRecordVersion {
        version: String,
        scheme: &'static str,
        reason: String,
    },
    /// A range the schema forbids (no `introduced`, both `fixed` and `last_affected`, no
    /// events).
    InvalidRange(String),
    /// The entry names the package but gives neither ranges nor versions.
    NoVersionInformation,
}

impl fmt::Display for NotEvaluated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotEvaluated::GitRange { repo } => match repo {
                Some(r) => write!(f, "only GIT ranges (commits of {r}); not evaluated"),
                None => write!(f, "only GIT ranges (commits); not evaluated"),
            },
            NotEvaluated::UnknownEcosystem(e) => {
                write!(f, "no version order known for ecosystem {e:?}")
            }
            NotEvaluated::UnknownRangeType(t) => write!(f, "unknown range type {t:?}"),
            NotEvaluated::InvalidVersion {
                version,
                scheme,
                reason,
            } => write!(f, "{version:?} is not a {scheme} version: {reason}"),
            NotEvaluated::InvalidRecordVersion {
                version,
                scheme,
                reason,
            } => write!(
                f,
                "the record's version {version:?} is not a {scheme} version: {reason}"
            ),
            NotEvaluated::InvalidRange(r) => write!(f, "invalid range: {r}"),
            NotEvaluated::NoVersionInformation => {
                write!(f, "the package is named without ranges or versions")
            }
        }
    }
}
