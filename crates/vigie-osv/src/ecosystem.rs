//! Which OSV ecosystem strings and package names denote the same package, and which version
//! order an ecosystem string uses (vigie-version's, plus the OSV ecosystems that borrow one).

use vigie_version::{Ecosystem, Scheme};

/// OSV ecosystems vigie-version does not name but whose versions follow one of its schemes
/// (as osv-scalibr orders them).
const BORROWED: &[(&str, Scheme)] = &[
    ("Alpaquita", Scheme::Apk),
    ("BellSoft Hardened Containers", Scheme::Apk),
    ("MinimOS", Scheme::Apk),
    ("Bioconductor", Scheme::SemVer),
    ("Bitnami", Scheme::SemVer),
    ("ConanCenter", Scheme::SemVer),
    ("Docker Hardened Images", Scheme::SemVer),
    ("GHC", Scheme::SemVer),
    ("Julia", Scheme::SemVer),
    ("SwiftURL", Scheme::SemVer),
];

/// The part of an ecosystem string before its first `:` ("Debian:12" -> "Debian").
pub fn base(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem).trim()
}

/// The version order of an OSV ecosystem string (release suffixes allowed), if one is known.
pub fn scheme_for(ecosystem: &str) -> Option<Scheme> {
    if let Ok(e) = ecosystem.parse::<Ecosystem>() {
        return Some(e.scheme());
    }
    let b = base(ecosystem);
    BORROWED
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(b))
        .map(|&(_, s)| s)
}

/// The key an ecosystem is indexed by: its base name folded as vigie-version reads ecosystem
/// names (lower case, without spaces, dashes or underscores: "debian", "pypi", "redhat").
pub fn ecosystem_key(ecosystem: &str) -> String {
    folded(base(ecosystem)).collect()
}

/// The characters of an ecosystem name as [`ecosystem_key`] folds them.
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
}

/// Whether a queried ecosystem covers a record's: the same base name (folded as
/// [`ecosystem_key`] folds it) and, when both
/// carry a suffix, the same suffix, or a record suffix that continues the query's after a `:`
/// ("Ubuntu:22.04" covers "Ubuntu:22.04:LTS"). A query without a suffix ("Debian") covers every release
/// ("Debian:11", "Debian:12"); a record without one ("Maven") covers every suffixed query.
pub fn ecosystem_matches(query: &str, record: &str) -> bool {
    let (qb, qs) = split(query);
    let (rb, rs) = split(record);
    // Compared character by character: this runs for every entry of every advisory looked up.
    if !folded(qb).eq(folded(rb)) {
        return false;
    }
    match (qs, rs) {
        // Ubuntu's records name "22.04:LTS" where os-release gives "22.04".
        (Some(q), Some(r)) => q == r || r.strip_prefix(q).is_some_and(|rest| rest.starts_with(':')),
        _ => true,
    }
}

fn split(ecosystem: &str) -> (&str, Option<&str>) {
    match ecosystem.split_once(':') {
        Some((b, s)) => (b.trim(), Some(s.trim())),
        None => (ecosystem.trim(), None),
    }
}

/// Whether `name` of `ecosystem` is the package whose [`package_key`] is `key` (without
/// allocating, except for PyPI names).
pub fn package_is(ecosystem: &str, name: &str, key: &str) -> bool {
    if base(ecosystem).eq_ignore_ascii_case("PyPI") {
        package_key(ecosystem, name) == key
    } else {
        name == key
    }
}

/// A package name as the ecosystem compares names: PyPI names normalised as PEP 503 says (lower
/// case, runs of `-`, `_` and `.` as one `-`); other ecosystems' names as written.
pub fn package_key(ecosystem: &str, name: &str) -> String {
    if base(ecosystem).eq_ignore_ascii_case("PyPI") {
        let mut out = String::with_capacity(name.len());
        let mut sep = false;
        for c in name.trim().chars() {
            if matches!(c, '-' | '_' | '.') {
                sep = true;
            } else {
                if sep && !out.is_empty() {
                    out.push('-');
                }
                sep = false;
                out.extend(c.to_lowercase());
            }
        }
        out
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_of_known_and_borrowed_ecosystems() {
        assert_eq!(scheme_for("Debian:12"), Some(Scheme::Dpkg));
        assert_eq!(scheme_for("PyPI"), Some(Scheme::Pep440));
        assert_eq!(scheme_for("Go"), Some(Scheme::SemVer));
        assert_eq!(scheme_for("MinimOS"), Some(Scheme::Apk));
        assert_eq!(scheme_for("Bitnami"), Some(Scheme::SemVer));
        assert_eq!(scheme_for("Linux"), None);
        assert_eq!(scheme_for("GitHub Actions"), None);
    }

    #[test]
    fn ecosystems_match_by_base_and_suffix() {
        assert!(ecosystem_matches("Debian", "Debian:12"));
        assert!(ecosystem_matches("debian:12", "Debian:12"));
        assert!(!ecosystem_matches("Debian:11", "Debian:12"));
        assert!(ecosystem_matches("Ubuntu:22.04", "Ubuntu:22.04:LTS"));
        assert!(!ecosystem_matches("Ubuntu:22.04", "Ubuntu:22.041"));
        assert!(!ecosystem_matches("Ubuntu:22.04", "Ubuntu:Pro:22.04:LTS"));
        assert!(!ecosystem_matches("Ubuntu:22.04:LTS", "Ubuntu:22.04"));
        assert!(ecosystem_matches("Maven:https://maven.google.com", "Maven"));
        assert!(!ecosystem_matches("Ubuntu", "Debian"));
        assert_eq!(ecosystem_key("Red Hat:rhel_aus:8.4::appstream"), "redhat");
        assert!(ecosystem_matches(
            "redhat",
            "Red Hat:rhel_aus:8.4::appstream"
        ));
    }

    #[test]
    fn pypi_names_are_normalised() {
        assert_eq!(
            package_key("PyPI", "Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(package_key("PyPI", "a--_b"), "a-b");
        assert_eq!(
            package_key("Go", "github.com/Foo/Bar"),
            "github.com/Foo/Bar"
        );
    }
}
