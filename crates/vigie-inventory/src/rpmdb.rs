//! RPM's SQLite package database (`rpmdb.sqlite`: RHEL 9, Fedora 33+, AlmaLinux 9, Rocky 9):
//! one header blob per row of `Packages (hnum, blob)`, read as `rpm -qa` lists them.

use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use crate::rpm_header::{tag, Header, HeaderError};
use crate::{InventoryError, Package};

/// Where rpm keeps its database under a root, in the order they are tried.
pub const LOCATIONS: [&str; 2] = [
    "var/lib/rpm/rpmdb.sqlite",
    "usr/lib/sysimage/rpm/rpmdb.sqlite",
];

/// Older database formats (Berkeley DB, NDB), which are not read.
const UNREAD: [&str; 4] = [
    "var/lib/rpm/Packages",
    "var/lib/rpm/Packages.db",
    "usr/lib/sysimage/rpm/Packages",
    "usr/lib/sysimage/rpm/Packages.db",
];

/// `rel` under `root` when it is a regular file reached without following a symbolic link
/// (an absolute link target would leave the root; Fedora's `var/lib/rpm` is such a link to
/// `usr/lib/sysimage/rpm`, found on its own).
fn file_under(root: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = root.to_path_buf();
    for part in rel.split('/') {
        p.push(part);
        let meta = std::fs::symlink_metadata(&p).ok()?;
        if meta.file_type().is_symlink() {
            return None;
        }
    }
    std::fs::symlink_metadata(&p)
        .is_ok_and(|m| m.is_file())
        .then_some(p)
}

/// The rpmdb.sqlite of `root` (the first of [`LOCATIONS`] found).
pub fn find(root: &Path) -> Option<PathBuf> {
    LOCATIONS.iter().find_map(|rel| file_under(root, rel))
}

/// A Berkeley DB or NDB package database under `root`, which is not read (reported so that
/// a RHEL 8 or SUSE root does not look empty).
pub fn find_unread(root: &Path) -> Option<PathBuf> {
    UNREAD.iter().find_map(|rel| file_under(root, rel))
}

/// Percent-encodes a path for an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut s = String::new();
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// Opens the database read-only without writing beside it: `immutable=1` (no lock, no
/// `-shm`) unless a non-empty `-wal` holds changes not yet in the file, which must be read.
fn open(path: &Path) -> Result<Connection, String> {
    let abs = std::path::absolute(path).map_err(|e| e.to_string())?;
    let mut wal = abs.clone().into_os_string();
    wal.push("-wal");
    let pending = std::fs::symlink_metadata(&wal).is_ok_and(|m| m.is_file() && m.len() > 0);
    let mode = if pending { "mode=ro" } else { "immutable=1" };
    let uri = format!("file://{}?{mode}", uri_path(&abs));
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags).map_err(|e| e.to_string())
}

/// The packages of an rpmdb.sqlite in `hnum` order, and its unreadable rows (file, `hnum`,
/// reason); a file that is not such a database is one error.
pub fn read(path: &Path, ecosystem: &str) -> (Vec<Package>, Vec<InventoryError>) {
    let mut packages = Vec::new();
    let mut errors = Vec::new();
    let fail = |e: String| InventoryError::format(path, format!("rpmdb.sqlite: {e}"));
    let conn = match open(path) {
        Ok(c) => c,
        Err(e) => return (packages, vec![fail(e)]),
    };
    let mut stmt = match conn.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum") {
        Ok(s) => s,
        Err(e) => return (packages, vec![fail(e.to_string())]),
    };
    let mut rows = match stmt.query([]) {
        Ok(r) => r,
        Err(e) => return (packages, vec![fail(e.to_string())]),
    };
    loop {
        let row = match rows.next() {
            Ok(Some(r)) => r,
            Ok(None) => break,
            Err(e) => {
                errors.push(fail(e.to_string()));
                break;
            }
        };
        let hnum: i64 = row.get(0).unwrap_or(-1);
        let bad = |reason: String| InventoryError::Row {
            path: path.to_path_buf(),
            row: hnum,
            reason,
        };
        match row.get_ref(1) {
            Ok(ValueRef::Blob(blob)) => match package(blob, ecosystem, path) {
                Ok(Some(p)) => packages.push(p),
                Ok(None) => {}
                Err(e) => errors.push(bad(e.to_string())),
            },
            Ok(v) => errors.push(bad(format!("blob is {:?}, not a blob", v.data_type()))),
            Err(e) => errors.push(bad(e.to_string())),
        }
    }
    (packages, errors)
}

/// The package of one header blob, as [`crate::rpm`] reads `rpm -qa` output: the name, the
/// version `EPOCH:VERSION-RELEASE` (epoch 0 when absent), and the source package and version
/// from `SOURCERPM`. `None` for the `gpg-pubkey` pseudo-packages of imported keys.
pub fn package(blob: &[u8], ecosystem: &str, path: &Path) -> Result<Option<Package>, HeaderError> {
    let h = Header::parse(blob)?;
    let need =
        |t: u32, name: &'static str| h.string(t)?.ok_or(HeaderError::Missing { tag: t, name });
    let name = need(tag::NAME, "NAME")?;
    if name == "gpg-pubkey" {
        return Ok(None);
    }
    let version = need(tag::VERSION, "VERSION")?;
    let release = need(tag::RELEASE, "RELEASE")?;
    let epoch = h.int32(tag::EPOCH)?.unwrap_or(0);
    let mut p = Package::new(
        ecosystem,
        &name,
        &format!("{epoch}:{version}-{release}"),
        path,
    );
    if let Some(srpm) = h.string(tag::SOURCERPM)? {
        let Some((n, v, r)) = split_source_rpm(&srpm) else {
            return Err(HeaderError::BadSourceRpm { value: srpm });
        };
        p.source_package = Some(n.to_owned());
        p.source_version = Some(format!("{epoch}:{v}-{r}"));
    }
    Ok(Some(p))
}

/// `NAME-VERSION-RELEASE.src.rpm` (or `.nosrc.rpm`) into its three parts.
pub fn split_source_rpm(file: &str) -> Option<(&str, &str, &str)> {
    let nvr = file
        .strip_suffix(".src.rpm")
        .or_else(|| file.strip_suffix(".nosrc.rpm"))?;
    let (nv, r) = nvr.rsplit_once('-')?;
    let (n, v) = nv.rsplit_once('-')?;
    (!n.is_empty() && !v.is_empty() && !r.is_empty()).then_some((n, v, r))
}

#[cfg(test)]
mod tests;
