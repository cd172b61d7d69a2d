//! OSV ecosystem names and the version scheme each one orders its versions by.

use std::fmt;
use std::str::FromStr;

use crate::error::UnknownEcosystem;

/// A package ecosystem, as OSV names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    Debian,
    Ubuntu,
    RedHat,
    AlmaLinux,
    RockyLinux,
    OpenSuse,
    Suse,
    Mageia,
    OpenEuler,
    Alpine,
    Wolfi,
    Chainguard,
    PyPI,
    Maven,
    RubyGems,
    Npm,
    CratesIo,
    Go,
    Hex,
    Packagist,
    NuGet,
    Pub,
    Cran,
    Hackage,
}

/// A version ordering: several ecosystems share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// dpkg (Debian, Ubuntu).
    Dpkg,
    /// rpmvercmp over epoch:version-release (Red Hat and the RPM family).
    Rpm,
    /// apk-tools (Alpine, Wolfi, Chainguard).
    Apk,
    /// PEP 440, with legacy versions before all others (PyPI).
    Pep440,
    /// Maven's ComparableVersion.
    Maven,
    /// RubyGems' Gem::Version.
    RubyGems,
    /// SemVer 2.0 precedence (npm, crates.io, Go, Hex).
    SemVer,
    /// PHP's version_compare on composer-style versions (Packagist).
    Packagist,
    /// NuGet's versions: up to four numbers, case-insensitive pre-release.
    NuGet,
    /// Dart pub's semver, where build metadata orders too.
    Pub,
    /// CRAN: numbers separated by `.` and `-`.
    Cran,
    /// Hackage: numbers separated by `.`.
    Hackage,
}

impl Scheme {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Dpkg => "dpkg",
            Scheme::Rpm => "RPM",
            Scheme::Apk => "apk",
            Scheme::Pep440 => "PEP 440",
            Scheme::Maven => "Maven",
            Scheme::RubyGems => "RubyGems",
            Scheme::SemVer => "SemVer",
            Scheme::Packagist => "Packagist",
            Scheme::NuGet => "NuGet",
            Scheme::Pub => "pub",
            Scheme::Cran => "CRAN",
            Scheme::Hackage => "Hackage",
        }
    }
}

/// Every ecosystem with its OSV name.
const NAMES: &[(Ecosystem, &str)] = &[
    (Ecosystem::Debian, "Debian"),
    (Ecosystem::Ubuntu, "Ubuntu"),
    (Ecosystem::RedHat, "Red Hat"),
    (Ecosystem::AlmaLinux, "AlmaLinux"),
    (Ecosystem::RockyLinux, "Rocky Linux"),
    (Ecosystem::OpenSuse, "openSUSE"),
    (Ecosystem::Suse, "SUSE"),
    (Ecosystem::Mageia, "Mageia"),
    (Ecosystem::OpenEuler, "openEuler"),
    (Ecosystem::Alpine, "Alpine"),
    (Ecosystem::Wolfi, "Wolfi"),
    (Ecosystem::Chainguard, "Chainguard"),
    (Ecosystem::PyPI, "PyPI"),
    (Ecosystem::Maven, "Maven"),
    (Ecosystem::RubyGems, "RubyGems"),
    (Ecosystem::Npm, "npm"),
    (Ecosystem::CratesIo, "crates.io"),
    (Ecosystem::Go, "Go"),
    (Ecosystem::Hex, "Hex"),
    (Ecosystem::Packagist, "Packagist"),
    (Ecosystem::NuGet, "NuGet"),
    (Ecosystem::Pub, "Pub"),
    (Ecosystem::Cran, "CRAN"),
    (Ecosystem::Hackage, "Hackage"),
];

impl Ecosystem {
    /// Every ecosystem known here.
    pub fn all() -> impl Iterator<Item = Ecosystem> {
        NAMES.iter().map(|&(e, _)| e)
    }

    /// The OSV name ("Red Hat", "crates.io", ...).
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|&&(e, _)| e == self)
            .map_or("?", |&(_, n)| n)
    }

    /// The version ordering this ecosystem uses.
    pub fn scheme(self) -> Scheme {
        use Ecosystem::*;
        match self {
            Debian | Ubuntu => Scheme::Dpkg,
            RedHat | AlmaLinux | RockyLinux | OpenSuse | Suse | Mageia | OpenEuler => Scheme::Rpm,
            Alpine | Wolfi | Chainguard => Scheme::Apk,
            PyPI => Scheme::Pep440,
            Maven => Scheme::Maven,
            RubyGems => Scheme::RubyGems,
            Npm | CratesIo | Go | Hex => Scheme::SemVer,
            Packagist => Scheme::Packagist,
            NuGet => Scheme::NuGet,
            Pub => Scheme::Pub,
            Cran => Scheme::Cran,
            Hackage => Scheme::Hackage,
        }
    }

    /// The known names, comma-separated (for messages).
    pub fn known_names() -> String {
        NAMES.iter().map(|&(_, n)| n).collect::<Vec<_>>().join(", ")
    }
}

/// Folds a name for matching: lower case, without spaces, dashes or underscores.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl FromStr for Ecosystem {
    type Err = UnknownEcosystem;

    /// Reads an OSV ecosystem name, case-insensitively; a release suffix after the first `:`
    /// ("Debian:11", "Alpine:v3.18", "Ubuntu:22.04:LTS") names the base ecosystem.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let base = s.split(':').next().unwrap_or(s).trim();
        let folded = fold(base);
        NAMES
            .iter()
            .find(|&&(_, n)| fold(n) == folded)
            .map(|&(e, _)| e)
            .ok_or_else(|| UnknownEcosystem {
                name: s.to_owned(),
                known: Ecosystem::known_names(),
            })
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_case_and_release_suffixes() {
        let cases = [
            ("Debian:11", Ecosystem::Debian),
            ("debian", Ecosystem::Debian),
            ("Alpine:v3.18", Ecosystem::Alpine),
            ("Ubuntu:22.04:LTS", Ecosystem::Ubuntu),
            ("Red Hat", Ecosystem::RedHat),
            ("redhat", Ecosystem::RedHat),
            ("red hat:enterprise_linux:9", Ecosystem::RedHat),
            ("ROCKY LINUX:8", Ecosystem::RockyLinux),
            ("crates.io", Ecosystem::CratesIo),
            ("NPM", Ecosystem::Npm),
            ("pypi", Ecosystem::PyPI),
            ("Hackage", Ecosystem::Hackage),
        ];
        for (name, eco) in cases {
            assert_eq!(name.parse::<Ecosystem>(), Ok(eco), "{name}");
        }
        for eco in Ecosystem::all() {
            assert_eq!(eco.name().parse::<Ecosystem>(), Ok(eco));
        }
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let err = "Cobol".parse::<Ecosystem>().expect_err("unknown");
        let text = err.to_string();
        assert!(text.contains("\"Cobol\""), "{text}");
        assert!(
            text.contains("Debian") && text.contains("crates.io"),
            "{text}"
        );
        assert!("".parse::<Ecosystem>().is_err());
    }
}
