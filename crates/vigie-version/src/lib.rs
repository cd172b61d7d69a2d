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

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    /// A few cases per scheme that hold without the corpus (the corpus test has the rest).
    #[test]
    fn orders_per_scheme() {
        let cases = [
            ("Debian", "1:1.0", "2.0", Greater),
            ("Ubuntu", "1.0~rc1-1", "1.0-1", Less),
            ("Debian", "1.0-1", "1.0-1+b1", Less),
            ("Red Hat", "1.0~rc1", "1.0", Less),
            ("AlmaLinux", "1.0^git1", "1.0", Greater),
            (
                "Rocky Linux",
                "0:3.10.0-229.el7",
                "3.10.0-229.1.2.el7",
                Less,
            ),
            ("Alpine", "1.2_rc1-r0", "1.2-r0", Less),
            ("Alpine", "1.2_p1", "1.2-r9", Greater),
            ("PyPI", "1.0.dev0", "1.0a0", Less),
            ("PyPI", "1.0+local", "1.0", Greater),
            ("PyPI", "french-toast", "0.0.1", Less),
            ("Maven", "1.0-alpha-1", "1.0-SNAPSHOT", Less),
            ("Maven", "1.0.RELEASE", "1", Equal),
            ("RubyGems", "1.0.a10", "1.0.a9", Greater),
            ("RubyGems", "1.0-rc1", "1.0", Less),
            ("npm", "1.0.0-alpha.beta", "1.0.0-beta", Less),
            ("crates.io", "1.0.0+build", "1.0.0", Equal),
            ("Go", "v1.2.3", "1.2.3", Equal),
            ("Hex", "1.0.0-rc.1", "1.0.0-rc.1.1", Less),
            ("Packagist", "1.0-dev", "1.0a1", Less),
            ("Packagist", "1.0pl1", "1.0", Greater),
            ("NuGet", "1.0.0-BETA", "1.0.0-beta", Equal),
            ("NuGet", "1.0", "1.0.0.1", Less),
            ("Pub", "1.0.0", "1.0.0+build", Less),
            ("CRAN", "1.0-1", "1.0.1", Equal),
            ("Hackage", "1.0", "1.0.0", Less),
        ];
        for (eco, a, b, want) in cases {
            let eco: Ecosystem = eco.parse().expect("known ecosystem");
            assert_eq!(compare(eco, a, b), Ok(want), "{eco} {a} vs {b}");
            assert_eq!(compare(eco, b, a), Ok(want.reverse()), "{eco} {b} vs {a}");
        }
    }

    #[test]
    fn invalid_versions_are_errors() {
        let cases = [
            ("Debian", ""),
            ("Debian", "a:1.0"),
            ("Debian", "1.0-"),
            ("Debian", "1.0 2"),
            ("Red Hat", ""),
            ("Alpine", ""),
            ("PyPI", "  "),
            ("Maven", ""),
            ("RubyGems", "1.0!"),
            ("npm", "1.x"),
            ("npm", "1.2.3-"),
            ("npm", "1.2.3-a..b"),
            ("Go", "latest"),
            ("NuGet", "1.2.3.4.5"),
            ("NuGet", "1.2.3-"),
            ("Pub", ""),
            ("CRAN", "1.0a"),
            ("Hackage", "1.0-1"),
            ("Packagist", ""),
        ];
        for (eco, v) in cases {
            let eco: Ecosystem = eco.parse().expect("known ecosystem");
            let err = Version::parse(eco, v).expect_err(v);
            assert!(
                matches!(&err, VersionError::Invalid { version, .. } if version == v),
                "{eco} {v:?}: {err}"
            );
            assert!(compare(eco, v, "1.0").is_err());
        }
    }

    #[test]
    fn versions_of_different_schemes_do_not_compare() {
        let a = Version::parse(Ecosystem::Debian, "1.0").expect("valid");
        let b = Version::parse(Ecosystem::PyPI, "1.0").expect("valid");
        assert_eq!(a.partial_cmp(&b), None);
        assert_eq!(a.scheme(), Scheme::Dpkg);
    }
}
