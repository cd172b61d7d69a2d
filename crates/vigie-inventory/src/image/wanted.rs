//! The files of an image the inventory reads, by path: files named as the package databases and
//! `os-release` are (`status`, `installed`, `os-release`, the files of `status.d/` and `rpm/`)
//! under any folder, since a folder link may lead to them from their standard path, and every
//! lockfile name the lockfile readers know.

use super::paths::{file_name, parent};

/// The fixed paths of OS package databases and releases read through the image's links.
pub(crate) const OS_FILES: [&str; 4] = [
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "etc/os-release",
    "usr/lib/os-release",
];

/// The folders of OS package databases whose files are all read.
pub(crate) const OS_DIRS: [&str; 3] = [
    "var/lib/dpkg/status.d",
    "var/lib/rpm",
    "usr/lib/sysimage/rpm",
];

/// Whether the regular file at `path` is kept in the file map.
pub(crate) fn wanted(path: &str) -> bool {
    let name = file_name(path);
    let dir = file_name(parent(path));
    matches!(name, "os-release" | "status" | "installed")
        || dir == "status.d"
        || dir == "rpm"
        || crate::lockfile_kind(name).is_some()
}
