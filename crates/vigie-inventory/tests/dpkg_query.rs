//! On this machine (root `/`), the dpkg inventory equals what `dpkg-query` prints, package for
//! package. Skipped (with a message) where there is no dpkg database or no dpkg-query.

use std::path::Path;
use std::process::Command;

fn dpkg_query(format: &str) -> Option<Vec<String>> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f", format])
        .output()
        .ok()?;
    assert!(out.status.success(), "dpkg-query failed: {out:?}");
    let text = String::from_utf8(out.stdout).expect("dpkg-query prints UTF-8");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    Some(lines)
}

fn dpkg_packages() -> Option<Vec<vigie_inventory::Package>> {
    if !Path::new("/var/lib/dpkg/status").is_file() {
        eprintln!("skipped: no /var/lib/dpkg/status");
        return None;
    }
    let inv = vigie_inventory::scan_root(Path::new("/"));
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    Some(
        inv.packages
            .into_iter()
            .filter(|p| p.source.ends_with("var/lib/dpkg/status"))
            .collect(),
    )
}

/// `dpkg-query -W` lists every package the database knows that is not `not-installed`
/// (config-files, half-installed, ... too); the inventory holds installed ones only, so the
/// query lines are kept where `${db:Status-Status}` is `installed`.
fn installed_only(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .filter_map(|l| l.strip_prefix("installed ").map(str::to_owned))
        .collect()
}

/// Exact: our names are `${binary:Package}` (architecture-qualified for `Multi-Arch: same` and
/// foreign packages, as dpkg-query prints them).
#[test]
fn equals_dpkg_query_binary_package() {
    let Some(pkgs) = dpkg_packages() else { return };
    let Some(query) = dpkg_query("${db:Status-Status} ${binary:Package} ${Version}\n") else {
        eprintln!("skipped: no dpkg-query");
        return;
    };
    let mut ours: Vec<String> = pkgs
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    ours.sort();
    assert_eq!(ours, installed_only(query));
}

/// `dpkg-query -W -f '${Package} ${Version}\n'`: `${Package}` is the bare name, so the
/// inventory's `:arch` qualifier is dropped for this comparison (and a package installed for
/// two architectures appears twice on both sides).
#[test]
fn equals_dpkg_query_package() {
    let Some(pkgs) = dpkg_packages() else { return };
    let Some(query) = dpkg_query("${db:Status-Status} ${Package} ${Version}\n") else {
        eprintln!("skipped: no dpkg-query");
        return;
    };
    let mut ours: Vec<String> = pkgs
        .iter()
        .map(|p| {
            let bare = p.name.split(':').next().expect("a name");
            format!("{bare} {}", p.version)
        })
        .collect();
    ours.sort();
    let query = installed_only(query);
    assert_eq!(ours.len(), query.len());
    assert_eq!(ours, query);
    // Where every package is installed, the plain query is the same list, line for line.
    if let Some(plain) = dpkg_query("${Package} ${Version}\n") {
        if plain.len() == query.len() {
            assert_eq!(ours, plain);
        }
    }
    // Source packages: as `${source:Package} ${source:Version}` says.
    let Some(mut src) =
        dpkg_query("${db:Status-Status} ${binary:Package} ${source:Package} ${source:Version}\n")
    else {
        return;
    };
    src = installed_only(src);
    let mut ours_src: Vec<String> = pkgs
        .iter()
        .map(|p| {
            format!(
                "{} {} {}",
                p.name,
                p.source_package.as_deref().unwrap_or(""),
                p.source_version.as_deref().unwrap_or("")
            )
        })
        .collect();
    ours_src.sort();
    assert_eq!(ours_src, src);
}
