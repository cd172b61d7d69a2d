//! dpkg status database (`var/lib/dpkg/status`): installed binary packages, their source
//! packages, named as `dpkg-query -W -f '${binary:Package}'` names them.

use std::path::Path;

use crate::{InventoryError, OsRelease, Package};

/// One paragraph's fields of interest.
#[derive(Default)]
struct Stanza<'a> {
    line: usize,
    package: Option<&'a str>,
    status: Option<&'a str>,
    version: Option<&'a str>,
    architecture: Option<&'a str>,
    multi_arch: Option<&'a str>,
    source: Option<&'a str>,
}

/// Splits the status file into paragraphs (blank-line separated); continuation lines (starting
/// with a space or tab) belong to the field before them and are not needed here.
fn stanzas(text: &str) -> Vec<Stanza<'_>> {
    let mut out = Vec::new();
    let mut cur: Option<Stanza> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            out.extend(cur.take());
            continue;
        }
        let st = cur.get_or_insert_with(|| Stanza {
            line: i + 1,
            ..Stanza::default()
        });
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k {
            "Package" => st.package = Some(v),
            "Status" => st.status = Some(v),
            "Version" => st.version = Some(v),
            "Architecture" => st.architecture = Some(v),
            "Multi-Arch" => st.multi_arch = Some(v),
            "Source" => st.source = Some(v),
            _ => {}
        }
    }
    out.extend(cur);
    out
}

/// Whether a `Status:` value (`want flag state`) says the package is installed: the state is
/// `installed`, whatever the selection (`install`, `hold`, `deinstall`) says.
fn is_installed(status: &str) -> bool {
    let words: Vec<&str> = status.split_whitespace().collect();
    words.len() == 3 && words[2] == "installed"
}

/// Parses a dpkg status file. Packages whose `Status:` is not `... installed` (config-files,
/// half-installed, not-installed) are left out. The native architecture is the one of the
/// `dpkg` package itself (dpkg is always native), else the most common one (not `all`).
pub fn parse(text: &str, path: &Path, os: &OsRelease) -> Result<Vec<Package>, InventoryError> {
    parse_with(text, path, os, false)
}

/// Parses one file of `var/lib/dpkg/status.d/` (distroless images: one package per file,
/// written without a `Status:` field, so a stanza without one counts as installed).
pub fn parse_status_d(
    text: &str,
    path: &Path,
    os: &OsRelease,
) -> Result<Vec<Package>, InventoryError> {
    parse_with(text, path, os, true)
}

fn native_arch<'a>(all: &[Stanza<'a>]) -> &'a str {
    if let Some(a) = all
        .iter()
        .find(|s| s.package == Some("dpkg"))
        .and_then(|s| s.architecture)
    {
        return a;
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for a in all.iter().filter_map(|s| s.architecture) {
        if a == "all" {
            continue;
        }
        match counts.iter_mut().find(|(x, _)| *x == a) {
            Some((_, n)) => *n += 1,
            None => counts.push((a, 1)),
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or("amd64", |(a, _)| a)
}

fn parse_with(
    text: &str,
    path: &Path,
    os: &OsRelease,
    no_status_is_installed: bool,
) -> Result<Vec<Package>, InventoryError> {
    let ecosystem = os.dpkg_ecosystem();
    let all = stanzas(text);
    let native = native_arch(&all);
    let mut out = Vec::new();
    for st in &all {
        let installed = match st.status {
            Some(status) => is_installed(status),
            None => no_status_is_installed,
        };
        if !installed {
            continue;
        }
        let (Some(name), Some(version)) = (st.package, st.version) else {
            return Err(InventoryError::line(
                path,
                st.line,
                "installed package without Package: or Version:",
            ));
        };
        let (src_name, src_version) = match st.source {
            Some(src) => parse_source(src).ok_or_else(|| {
                InventoryError::line(path, st.line, format!("bad Source: field {src:?}"))
            })?,
            None => (name, None),
        };
        let arch = st.architecture.unwrap_or("");
        // dpkg's pkgbin_name_needs_arch with pnaw_nonambig (the `binary:Package` rule).
        let qualify = !arch.is_empty()
            && (st.multi_arch == Some("same") || (arch != native && arch != "all"));
        let display = if qualify {
            format!("{name}:{arch}")
        } else {
            name.to_owned()
        };
        let mut p = Package::new(&ecosystem, &display, version, path);
        p.source_package = Some(src_name.to_owned());
        p.source_version = Some(src_version.unwrap_or(version).to_owned());
        out.push(p);
    }
    Ok(out)
}

/// `name` or `name (version)`.
fn parse_source(src: &str) -> Option<(&str, Option<&str>)> {
    match src.split_once('(') {
        None => {
            let name = src.trim();
            (!name.is_empty() && !name.contains(char::is_whitespace)).then_some((name, None))
        }
        Some((name, rest)) => {
            let name = name.trim();
            let version = rest.trim().strip_suffix(')')?.trim();
            (!name.is_empty() && !version.is_empty()).then_some((name, Some(version)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22\nDescription: pkg\n manager\n .\n more\n\n\
Package: libc6\nStatus: install ok installed\nMulti-Arch: same\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9+deb12u4\n\n\
Package: libc6\nStatus: install ok installed\nMulti-Arch: same\nArchitecture: i386\nSource: glibc\nVersion: 2.36-9+deb12u4\n\n\
Package: zlib-old\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\n\n\
Package: libfoo-i386\nStatus: hold ok installed\nArchitecture: i386\nSource: foo (1:2.0-1)\nVersion: 1:2.0-1+b1\n\n\
Package: tzdata\nStatus: install ok installed\nArchitecture: all\nMulti-Arch: foreign\nVersion: 2024a-0+deb12u1\n";

    #[test]
    fn installed_packages_named_as_dpkg_query() {
        let os = OsRelease::parse("ID=debian\nVERSION_ID=\"12\"\n");
        let pkgs = parse(STATUS, Path::new("status"), &os).expect("parse");
        let got: Vec<String> = pkgs
            .iter()
            .map(|p| {
                format!(
                    "{} {} {} {} {}",
                    p.ecosystem,
                    p.name,
                    p.version,
                    p.source_package.as_deref().unwrap_or("-"),
                    p.source_version.as_deref().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "Debian:12 dpkg 1.21.22 dpkg 1.21.22",
                "Debian:12 libc6:amd64 2.36-9+deb12u4 glibc 2.36-9+deb12u4",
                "Debian:12 libc6:i386 2.36-9+deb12u4 glibc 2.36-9+deb12u4",
                "Debian:12 libfoo-i386:i386 1:2.0-1+b1 foo 1:2.0-1",
                "Debian:12 tzdata 2024a-0+deb12u1 tzdata 2024a-0+deb12u1",
            ]
        );
    }

    #[test]
    fn status_d_without_status_and_native_by_count() {
        let text = "Package: libc6\nVersion: 2.36-9\nArchitecture: arm64\nMulti-Arch: same\nSource: glibc\n\n\
Package: base-files\nVersion: 12.4\nArchitecture: arm64\n\nPackage: tzdata\nVersion: 2024a\nArchitecture: all\n";
        let os = OsRelease::default();
        let pkgs = parse_status_d(text, Path::new("status.d/x"), &os).expect("parse");
        let names: Vec<&str> = pkgs.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["libc6:arm64", "base-files", "tzdata"]);
        assert!(parse(text, Path::new("status"), &os)
            .expect("parse")
            .is_empty());
    }

    #[test]
    fn bad_source_is_reported_with_line() {
        let text = "Package: a\nStatus: install ok installed\nVersion: 1\nSource: b (1\n";
        let e = parse(text, Path::new("status"), &OsRelease::default()).expect_err("bad");
        assert!(e.to_string().contains("line 1"), "{e}");
        let text = "Package: a\nStatus: install ok installed\n";
        assert!(parse(text, Path::new("status"), &OsRelease::default()).is_err());
    }
}
