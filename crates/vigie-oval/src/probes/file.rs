//! The unix `file` probe: type, owner, group, size, times and permission bits of each file the
//! object names (not following links, as `lstat` sees them).

use std::os::unix::fs::{FileTypeExt, MetadataExt};

use crate::item::Item;
use crate::probes::paths::{host_path, Found};

/// The item of one file; `None` when it vanished meanwhile.
pub fn item(root: &std::path::Path, f: &Found) -> Option<Item> {
    let md = std::fs::symlink_metadata(host_path(root, &f.filepath)).ok()?;
    let ft = md.file_type();
    let kind = if ft.is_symlink() {
        "symbolic link"
    } else if ft.is_dir() {
        "directory"
    } else if ft.is_file() {
        "regular"
    } else if ft.is_block_device() {
        "block special"
    } else if ft.is_char_device() {
        "character special"
    } else if ft.is_fifo() {
        "fifo"
    } else {
        "socket"
    };
    let mode = md.mode();
    let bit = |b: u32| if mode & b != 0 { "true" } else { "false" };
    let mut it = Item::default()
        .with("filepath", f.filepath.clone())
        .with("path", f.path.clone());
    if let Some(n) = &f.filename {
        it.push("filename", n.clone());
    }
    Some(
        it.with("type", kind)
            .with("group_id", md.gid().to_string())
            .with("user_id", md.uid().to_string())
            .with("a_time", md.atime().to_string())
            .with("c_time", md.ctime().to_string())
            .with("m_time", md.mtime().to_string())
            .with("size", md.size().to_string())
            .with("suid", bit(0o4000))
            .with("sgid", bit(0o2000))
            .with("sticky", bit(0o1000))
            .with("uread", bit(0o400))
            .with("uwrite", bit(0o200))
            .with("uexec", bit(0o100))
            .with("gread", bit(0o40))
            .with("gwrite", bit(0o20))
            .with("gexec", bit(0o10))
            .with("oread", bit(0o4))
            .with("owrite", bit(0o2))
            .with("oexec", bit(0o1))
            .with("has_extended_acl", "false"),
    )
}
