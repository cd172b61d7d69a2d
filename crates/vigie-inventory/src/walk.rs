//! Finding lockfiles under a path and reading each by its kind.

use std::path::Path;

use crate::{
    cargo_lock, composer_lock, cyclonedx, gemfile_lock, go_mod, npm_lock, pipfile_lock, pnpm_lock,
    poetry_lock, pom_xml, read, requirements, rpm, spdx, uv_lock, yarn_lock, Inventory,
    InventoryError, Package,
};

/// The file formats found by walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockfileKind {
    CargoLock,
    NpmLock,
    Requirements,
    PoetryLock,
    GoMod,
    GemfileLock,
    ComposerLock,
    /// `rpm -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\n'` output.
    RpmQuery,
    PipfileLock,
    UvLock,
    /// A CycloneDX JSON SBOM.
    CycloneDx,
    /// An SPDX 2.x JSON SBOM.
    Spdx,
    /// yarn.lock, classic v1 or Berry.
    YarnLock,
    PnpmLock,
    /// A Maven POM's declared dependency versions.
    PomXml,
}

/// The kind of a file, by its name: `Cargo.lock`, `package-lock.json`, `requirements*.txt`,
/// `poetry.lock`, `go.mod`, `Gemfile.lock`, `composer.lock`, `rpm-qa.txt` or `*.rpmqa`,
/// `yarn.lock`, `pnpm-lock.yaml`, `pom.xml`, `Pipfile.lock`, `uv.lock`, CycloneDX `bom.json` / `*.cdx.json`, SPDX `*.spdx.json`.
pub fn lockfile_kind(file_name: &str) -> Option<LockfileKind> {
    Some(match file_name {
        "Cargo.lock" => LockfileKind::CargoLock,
        "package-lock.json" => LockfileKind::NpmLock,
        "poetry.lock" => LockfileKind::PoetryLock,
        "go.mod" => LockfileKind::GoMod,
        "Gemfile.lock" => LockfileKind::GemfileLock,
        "composer.lock" => LockfileKind::ComposerLock,
        "rpm-qa.txt" => LockfileKind::RpmQuery,
        "Pipfile.lock" => LockfileKind::PipfileLock,
        "uv.lock" => LockfileKind::UvLock,
        "yarn.lock" => LockfileKind::YarnLock,
        "pnpm-lock.yaml" => LockfileKind::PnpmLock,
        "pom.xml" => LockfileKind::PomXml,
        "bom.json" => LockfileKind::CycloneDx,
        n if n.ends_with(".cdx.json") => LockfileKind::CycloneDx,
        n if n.ends_with(".spdx.json") => LockfileKind::Spdx,
        n if n.ends_with(".rpmqa") => LockfileKind::RpmQuery,
        n if n.starts_with("requirements") && n.ends_with(".txt") => LockfileKind::Requirements,
        _ => return None,
    })
}

/// Parses the text of a lockfile of the given kind; `path` names it in packages and errors.
pub fn parse_lockfile(
    kind: LockfileKind,
    text: &str,
    path: &Path,
) -> Result<Vec<Package>, InventoryError> {
    match kind {
        LockfileKind::CargoLock => cargo_lock::parse(text, path),
        LockfileKind::NpmLock => npm_lock::parse(text, path),
        LockfileKind::Requirements => requirements::parse(text, path),
        LockfileKind::PoetryLock => poetry_lock::parse(text, path),
        LockfileKind::GoMod => go_mod::parse(text, path),
        LockfileKind::GemfileLock => gemfile_lock::parse(text, path),
        LockfileKind::ComposerLock => composer_lock::parse(text, path),
        LockfileKind::RpmQuery => rpm::parse(text, path, "Red Hat"),
        LockfileKind::PipfileLock => pipfile_lock::parse(text, path),
        LockfileKind::UvLock => uv_lock::parse(text, path),
        LockfileKind::CycloneDx => cyclonedx::parse(text, path),
        LockfileKind::Spdx => spdx::parse(text, path),
        LockfileKind::YarnLock => yarn_lock::parse(text, path),
        LockfileKind::PnpmLock => pnpm_lock::parse(text, path),
        LockfileKind::PomXml => pom_xml::parse(text, path),
    }
}

fn parse_file(kind: LockfileKind, path: &Path, inv: &mut Inventory) {
    let result = read(path).and_then(|text| parse_lockfile(kind, &text, path));
    inv.absorb(result);
}

/// Walks `path` (files in name order, `.git` and `node_modules` skipped, links not followed)
/// and reads every lockfile; a file given directly must have a lockfile name.
pub(crate) fn walk(path: &Path, inv: &mut Inventory) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            inv.errors.push(InventoryError::Missing {
                path: path.to_path_buf(),
            });
            return;
        }
        Err(source) => {
            inv.errors.push(InventoryError::Read {
                path: path.to_path_buf(),
                source,
            });
            return;
        }
    };
    if meta.is_file() {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match lockfile_kind(name) {
            Some(kind) => parse_file(kind, path, inv),
            None => inv.errors.push(InventoryError::format(
                path,
                "not a known lockfile name (Cargo.lock, package-lock.json, requirements*.txt, \
                 yarn.lock, pnpm-lock.yaml, poetry.lock, pom.xml, Pipfile.lock, uv.lock, go.mod, Gemfile.lock, composer.lock, \
                 rpm-qa.txt, *.rpmqa, bom.json, *.cdx.json, *.spdx.json)",
            )),
        }
        return;
    }
    let walker = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_dir()
                && matches!(e.file_name().to_str(), Some(".git" | "node_modules")))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().unwrap_or(path).to_path_buf();
                inv.errors.push(InventoryError::Read {
                    path: p,
                    source: e.into(),
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        if let Some(kind) = entry.file_name().to_str().and_then(lockfile_kind) {
            parse_file(kind, entry.path(), inv);
        }
    }
}
