//! The files of an image the inventory reads, by path: package databases and `os-release` under
//! any folder (a link may lead to them), and every lockfile name the lockfile readers know.

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
    name == "os-release"
        || path.ends_with("dpkg/status")
        || path.ends_with("apk/db/installed")
        || dir == "status.d"
        || dir == "rpm"
        || crate::lockfile_kind(name).is_some()
}
