//! Package URLs (`pkg:type/namespace/name@version`, parsed by the `packageurl` crate) to OSV
//! ecosystems and package names, as SBOMs identify packages: cargo -> crates.io, npm (with its
//! `@scope/`), pypi (PEP 503 names), golang (namespace/name), maven (group:artifact), gem ->
//! RubyGems, composer -> Packagist, nuget, hex, pub, cran, hackage, swift -> SwiftURL.

use std::path::Path;
use std::str::FromStr;

use packageurl::PackageUrl;

use crate::{requirements::normalize_name, Package};

/// The package a purl names, with its version, or None when the purl does not parse, has no
/// version, or has a type without an OSV ecosystem here (`generic`, `github`, OS packages
/// whose release the purl may not tell).
pub fn package(purl: &str, source: &Path) -> Option<Package> {
    let p = PackageUrl::from_str(purl).ok()?;
    let version = p.version()?;
    let ns = p.namespace();
    let name = p.name();
    let joined = |sep: &str| match ns {
        Some(n) if !n.is_empty() => format!("{n}{sep}{name}"),
        _ => name.to_owned(),
    };
    let (ecosystem, name) = match p.ty() {
        "cargo" => ("crates.io", name.to_owned()),
        "npm" => ("npm", joined("/")),
        "pypi" => ("PyPI", normalize_name(name)),
        "golang" => ("Go", joined("/")),
        "maven" => ("Maven", joined(":")),
        "gem" => ("RubyGems", name.to_owned()),
        "composer" => ("Packagist", joined("/")),
        "nuget" => ("NuGet", name.to_owned()),
        "hex" => ("Hex", name.to_owned()),
        "pub" => ("Pub", name.to_owned()),
        "cran" => ("CRAN", name.to_owned()),
        "hackage" => ("Hackage", name.to_owned()),
        "swift" => ("SwiftURL", joined("/")),
        _ => return None,
    };
    let version = version
        .strip_prefix('v')
        .filter(|_| ecosystem == "Go")
        .unwrap_or(version);
    Some(Package::new(ecosystem, &name, version, source))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(purl: &str) -> Option<(String, String, String)> {
        package(purl, Path::new("bom.json")).map(|p| (p.ecosystem, p.name, p.version))
    }

    #[test]
    fn ecosystems_and_names() {
        let t = |e: &str, n: &str, v: &str| Some((e.to_owned(), n.to_owned(), v.to_owned()));
        assert_eq!(
            named("pkg:cargo/smallvec@1.6.0"),
            t("crates.io", "smallvec", "1.6.0")
        );
        assert_eq!(
            named("pkg:npm/%40babel/traverse@7.22.0"),
            t("npm", "@babel/traverse", "7.22.0")
        );
        assert_eq!(
            named("pkg:pypi/Jinja2@2.10.1"),
            t("PyPI", "jinja2", "2.10.1")
        );
        assert_eq!(
            named("pkg:golang/golang.org/x/text@v0.3.7"),
            t("Go", "golang.org/x/text", "0.3.7")
        );
        assert_eq!(
            named("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"),
            t("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1")
        );
        assert_eq!(named("pkg:generic/openssl@3.0.0"), None);
        assert_eq!(named("pkg:cargo/noversion"), None);
        assert_eq!(named("not a purl"), None);
    }
}
