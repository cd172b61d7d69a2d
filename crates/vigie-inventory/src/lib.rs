//! Software inventory: the packages installed under a root folder (dpkg status, apk installed
//! database, rpmdb.sqlite) and the packages of `rpm -qa` query output and application lockfiles found by
//! walking paths, each named with its OSV ecosystem and the file it came from.
//!
//! Reading never stops at a bad file: every file that cannot be read or parsed becomes an
//! [`InventoryError`] (file and reason) in [`Inventory::errors`], and the rest goes on.

use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod apk;
pub mod cargo_lock;
pub mod composer_lock;
pub mod cyclonedx;
pub mod dpkg;
pub mod gemfile_lock;
pub mod go_mod;
pub mod image;
pub mod npm_lock;
pub mod os_release;
pub mod pipfile_lock;
pub mod pnpm_lock;
pub mod poetry_lock;
pub mod pom_xml;
pub mod purl;
pub mod requirements;
pub mod rpm;
pub mod rpm_header;
pub mod rpmdb;
pub mod spdx;
pub mod uv_lock;
mod walk;
mod yaml;
pub mod yarn_lock;

pub use image::{scan_image, ImageError, ImageLimits};
pub use os_release::OsRelease;
pub use walk::{lockfile_kind, parse_lockfile, LockfileKind};

/// One package: where it lives (OSV ecosystem), what it is, and where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// The OSV ecosystem, with the release for distributions when known (`Debian:12`,
    /// `Ubuntu:22.04`, `Alpine:v3.19`, `Red Hat`, `crates.io`, `npm`, `PyPI`, `Go`, ...).
    pub ecosystem: String,
    /// The package name; dpkg packages as `dpkg-query -W -f '${binary:Package}'` prints them
    /// (`libc6:amd64` for `Multi-Arch: same` and foreign-architecture packages).
    pub name: String,
    pub version: String,
    /// The source package (Debian `Source:`, Alpine origin, the name of an rpmdb package's
    /// `SOURCERPM`); for Debian the binary package name (without architecture) when the
    /// status has no `Source:` field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_package: Option<String>,
    /// The source package's version (Debian `Source: name (version)`, else the binary version;
    /// rpm: `EPOCH:VERSION-RELEASE` of `SOURCERPM` with the package's epoch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_version: Option<String>,
    /// The file the package came from.
    pub source: PathBuf,
}

impl Package {
    /// A package without source-package information.
    pub fn new(ecosystem: &str, name: &str, version: &str, source: &Path) -> Self {
        Package {
            ecosystem: ecosystem.to_owned(),
            name: name.to_owned(),
            version: version.to_owned(),
            source_package: None,
            source_version: None,
            source: source.to_path_buf(),
        }
    }
}

/// Why a file gave no packages.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: invalid JSON: {source}", path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{}: line {line}: invalid TOML: {}", path.display(), source.message())]
    Toml {
        path: PathBuf,
        /// 1-based line where the parser stopped.
        line: usize,
        #[source]
        source: toml::de::Error,
    },
    /// A line-oriented file with a line that is not what the format allows.
    #[error("{}: line {line}: {reason}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    /// Well-formed syntax, but not the structure the format requires.
    #[error("{}: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
    /// One record of a package database (an rpmdb row) that cannot be read; the other
    /// records are read.
    #[error("{}: package row {row}: {reason}", path.display())]
    Row {
        path: PathBuf,
        row: i64,
        reason: String,
    },
    /// A path given to walk that does not exist.
    #[error("{}: no such file or folder", path.display())]
    Missing { path: PathBuf },
    /// A container image, or a part of it, that could not be read.
    #[error(transparent)]
    Image(#[from] ImageError),
}

impl InventoryError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            InventoryError::Read { path, .. }
            | InventoryError::Json { path, .. }
            | InventoryError::Toml { path, .. }
            | InventoryError::Line { path, .. }
            | InventoryError::Format { path, .. }
            | InventoryError::Row { path, .. }
            | InventoryError::Missing { path } => path,
            InventoryError::Image(e) => e.image(),
        }
    }

    /// The file the error is about, to rename it (images' own errors name the image).
    pub(crate) fn path_mut(&mut self) -> Option<&mut PathBuf> {
        match self {
            InventoryError::Read { path, .. }
            | InventoryError::Json { path, .. }
            | InventoryError::Toml { path, .. }
            | InventoryError::Line { path, .. }
            | InventoryError::Format { path, .. }
            | InventoryError::Row { path, .. }
            | InventoryError::Missing { path } => Some(path),
            InventoryError::Image(_) => None,
        }
    }

    pub(crate) fn format(path: &Path, reason: impl Into<String>) -> Self {
        InventoryError::Format {
            path: path.to_path_buf(),
            reason: reason.into(),
        }
    }

    /// A TOML error with the line of its span in `text`.
    pub(crate) fn toml(text: &str, path: &Path, source: toml::de::Error) -> Self {
        let at = source.span().map_or(0, |s| s.start).min(text.len());
        let line = 1 + text.as_bytes()[..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        InventoryError::Toml {
            path: path.to_path_buf(),
            line,
            source,
        }
    }

    pub(crate) fn line(path: &Path, line: usize, reason: impl Into<String>) -> Self {
        InventoryError::Line {
            path: path.to_path_buf(),
            line,
            reason: reason.into(),
        }
    }
}

/// Packages found, and the files that could not be read.
#[derive(Debug, Default)]
pub struct Inventory {
    pub packages: Vec<Package>,
    pub errors: Vec<InventoryError>,
}

impl Inventory {
    fn absorb(&mut self, result: Result<Vec<Package>, InventoryError>) {
        match result {
            Ok(p) => self.packages.extend(p),
            Err(e) => self.errors.push(e),
        }
    }

    /// Adds the operating-system packages installed under `root` (see [`scan_root`]).
    pub fn add_root(&mut self, root: &Path) {
        let os = OsRelease::read(root);
        let status = root.join("var/lib/dpkg/status");
        if status.is_file() {
            self.absorb(read(&status).and_then(|t| dpkg::parse(&t, &status, &os)));
        }
        let status_d = root.join("var/lib/dpkg/status.d");
        if status_d.is_dir() {
            self.add_status_d(&status_d, &os);
        }
        let apk_db = root.join("lib/apk/db/installed");
        if apk_db.is_file() {
            self.absorb(read(&apk_db).and_then(|t| apk::parse(&t, &apk_db, &os)));
        }
        if let Some(db) = rpmdb::find(root) {
            let (packages, errors) = rpmdb::read(&db, &os.rpm_ecosystem());
            self.packages.extend(packages);
            self.errors.extend(errors);
        } else if let Some(old) = rpmdb::find_unread(root) {
            self.errors.push(InventoryError::format(
                &old,
                "Berkeley DB and NDB rpm databases are not read (only rpmdb.sqlite); \
                 `rpm -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n'` output \
                 saved as rpm-qa.txt is",
            ));
        }
    }

    /// The files of `status.d/` in name order (`*.md5sums` lists skipped).
    fn add_status_d(&mut self, dir: &Path, os: &OsRelease) {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "md5sums"))
                .collect(),
            Err(source) => {
                self.errors.push(InventoryError::Read {
                    path: dir.to_path_buf(),
                    source,
                });
                return;
            }
        };
        files.sort();
        for f in files {
            self.absorb(read(&f).and_then(|t| dpkg::parse_status_d(&t, &f, os)));
        }
    }

    /// Adds the packages of every lockfile under `path` (see [`scan_path`]).
    pub fn add_path(&mut self, path: &Path) {
        walk::walk(path, self);
    }
}

/// The operating-system packages installed under `root`: `var/lib/dpkg/status` (installed
/// packages only), `var/lib/dpkg/status.d/*` (distroless), `lib/apk/db/installed`, RPM's
/// `var/lib/rpm/rpmdb.sqlite` (else `usr/lib/sysimage/rpm/rpmdb.sqlite`); the ecosystem and
/// its release come from the root's `etc/os-release` (else `usr/lib/os-release`).
pub fn scan_root(root: &Path) -> Inventory {
    let mut inv = Inventory::default();
    inv.add_root(root);
    inv
}

/// The packages of every lockfile under `path` (a file is read as its name says): Cargo.lock,
/// package-lock.json, yarn.lock, pnpm-lock.yaml, pom.xml (declared versions), requirements*.txt, poetry.lock, Pipfile.lock, uv.lock, go.mod,
/// Gemfile.lock, composer.lock, `rpm -qa` query output files (`rpm-qa.txt`, `*.rpmqa`), and
/// CycloneDX (`bom.json`, `*.cdx.json`) and SPDX (`*.spdx.json`) JSON SBOMs. `.git` and `node_modules` folders
/// are not entered.
pub fn scan_path(path: &Path) -> Inventory {
    let mut inv = Inventory::default();
    inv.add_path(path);
    inv
}

/// Reads a file as text (invalid UTF-8 replaced, as package databases are not always clean).
pub(crate) fn read(path: &Path) -> Result<String, InventoryError> {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .map_err(|source| InventoryError::Read {
            path: path.to_path_buf(),
            source,
        })
}

/// Tests: the (name, version) pairs of a reader's packages.
#[cfg(test)]
pub(crate) fn test_pairs(read: Result<Vec<Package>, InventoryError>) -> Vec<(String, String)> {
    read.expect("parse")
        .into_iter()
        .map(|p| (p.name, p.version))
        .collect()
}

/// Tests: an expected (name, version) pair.
#[cfg(test)]
pub(crate) fn test_pair(name: &str, version: &str) -> (String, String) {
    (name.to_owned(), version.to_owned())
}
