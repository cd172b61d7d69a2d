//! Exact version ordering per package ecosystem, as OSV range evaluation needs it: dpkg,
//! RPM, apk, PEP 440 (with legacy versions), Maven, RubyGems, SemVer, Packagist, NuGet, pub,
//! CRAN and Hackage. Pure functions over strings: this crate knows no files, sockets or HTTP.
//!
//! ```
//! use std::cmp::Ordering;
//! use vigie_version::{compare, Ecosystem};
//!
//! let debian: Ecosystem = "Debian:12".parse().expect("known");
//! assert_eq!(compare(debian, "1.2.3-1~deb7u1", "1.2.3-1"), Ok(Ordering::Less));
//! ```

mod apk;
mod cran;
mod dart_pub;
mod digits;
mod dpkg;
mod ecosystem;
mod error;
mod hackage;
mod maven;
mod nuget;
mod packagist;
mod pep440;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;

pub use apk::ApkVersion;
pub use cran::CranVersion;
pub use dart_pub::PubVersion;
pub use dpkg::DpkgVersion;
pub use ecosystem::{Ecosystem, Scheme};
pub use error::{UnknownEcosystem, VersionError};
pub use hackage::HackageVersion;
pub use maven::MavenVersion;
pub use nuget::NuGetVersion;
pub use packagist::PackagistVersion;
pub use pep440::Pep440Version;
pub use rpm::RpmVersion;
pub use rubygems::GemVersion;
pub use semver::SemVersion;

/// A version parsed by the rules of its scheme.
#[derive(Debug, Clone)]
pub enum Version {
    Dpkg(DpkgVersion),
    Rpm(RpmVersion),
    Apk(ApkVersion),
    Pep440(Pep440Version),
    Maven(MavenVersion),
    RubyGems(GemVersion),
    SemVer(SemVersion),
    Packagist(PackagistVersion),
    NuGet(NuGetVersion),
    Pub(PubVersion),
    Cran(CranVersion),
    Hackage(HackageVersion),
}

impl Version {
    /// Parses a version by the rules of an ecosystem.
    pub fn parse(ecosystem: Ecosystem, version: &str) -> Result<Version, VersionError> {
        Version::parse_scheme(ecosystem.scheme(), version)
    }

    /// Parses a version by the rules of a scheme.
    pub fn parse_scheme(scheme: Scheme, version: &str) -> Result<Version, VersionError> {
        Ok(match scheme {
            Scheme::Dpkg => Version::Dpkg(DpkgVersion::parse(version)?),
            Scheme::Rpm => Version::Rpm(RpmVersion::parse(version)?),
            Scheme::Apk => Version::Apk(ApkVersion::parse(version)?),
            Scheme::Pep440 => Version::Pep440(Pep440Version::parse(version)?),
            Scheme::Maven => Version::Maven(MavenVersion::parse(version)?),
            Scheme::RubyGems => Version::RubyGems(GemVersion::parse(version)?),
            Scheme::SemVer => Version::SemVer(SemVersion::parse(version)?),
            Scheme::Packagist => Version::Packagist(PackagistVersion::parse(version)?),
            Scheme::NuGet => Version::NuGet(NuGetVersion::parse(version)?),
            Scheme::Pub => Version::Pub(PubVersion::parse(version)?),
            Scheme::Cran => Version::Cran(CranVersion::parse(version)?),
            Scheme::Hackage => Version::Hackage(HackageVersion::parse(version)?),
        })
    }

    /// The scheme this version was parsed by.
    pub fn scheme(&self) -> Scheme {
        match self {
            Version::Dpkg(_) => Scheme::Dpkg,
            Version::Rpm(_) => Scheme::Rpm,
            Version::Apk(_) => Scheme::Apk,
            Version::Pep440(_) => Scheme::Pep440,
            Version::Maven(_) => Scheme::Maven,
            Version::RubyGems(_) => Scheme::RubyGems,
            Version::SemVer(_) => Scheme::SemVer,
            Version::Packagist(_) => Scheme::Packagist,
            Version::NuGet(_) => Scheme::NuGet,
            Version::Pub(_) => Scheme::Pub,
            Version::Cran(_) => Scheme::Cran,
            Version::Hackage(_) => Scheme::Hackage,
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    /// The order of two versions of one scheme; `None` across schemes.
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        use Version::*;
        Some(match (self, other) {
            (Dpkg(a), Dpkg(b)) => a.cmp(b),
            (Rpm(a), Rpm(b)) => a.cmp(b),
            (Apk(a), Apk(b)) => a.cmp(b),
            (Pep440(a), Pep440(b)) => a.cmp(b),
            (Maven(a), Maven(b)) => a.cmp(b),
            (RubyGems(a), RubyGems(b)) => a.cmp(b),
            (SemVer(a), SemVer(b)) => a.cmp(b),
            (Packagist(a), Packagist(b)) => a.cmp(b),
            (NuGet(a), NuGet(b)) => a.cmp(b),
            (Pub(a), Pub(b)) => a.cmp(b),
            (Cran(a), Cran(b)) => a.cmp(b),
            (Hackage(a), Hackage(b)) => a.cmp(b),
            _ => return None,
        })
    }
}

/// Compares two versions by the rules of an ecosystem.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    compare_scheme(ecosystem.scheme(), a, b)
}

/// Compares two versions by the rules of a scheme.
pub fn compare_scheme(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = Version::parse_scheme(scheme, a)?;
    let b = Version::parse_scheme(scheme, b)?;
    a.partial_cmp(&b)
        .ok_or_else(|| VersionError::invalid(scheme.name(), "", "mixed schemes"))
}

/// Implements `PartialEq`, `Eq` and `PartialOrd` from a type's `Ord`.
macro_rules! order_from_cmp {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }
        impl Eq for $t {}
        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
    };
}
pub(crate) use order_from_cmp;
