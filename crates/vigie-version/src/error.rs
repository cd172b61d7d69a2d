//! The errors of this crate: an ecosystem name it does not know, and a version string that the
//! ecosystem's grammar rejects.

use thiserror::Error;

/// An OSV ecosystem name that no comparator here handles.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown ecosystem {name:?} (known: {known})")]
pub struct UnknownEcosystem {
    /// The name as given.
    pub name: String,
    /// The known names, comma-separated.
    pub known: String,
}

/// Why a comparison could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionError {
    /// The ecosystem name is not known.
    #[error(transparent)]
    UnknownEcosystem(#[from] UnknownEcosystem),
    /// The version string is not a version in this ecosystem's grammar.
    #[error("invalid {scheme} version {version:?}: {reason}")]
    Invalid {
        /// The version scheme that rejected it (dpkg, RPM, PEP 440, ...).
        scheme: &'static str,
        /// The version as given.
        version: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl VersionError {
    pub(crate) fn invalid(scheme: &'static str, version: &str, reason: &'static str) -> Self {
        VersionError::Invalid {
            scheme,
            version: version.to_owned(),
            reason,
        }
    }
}
