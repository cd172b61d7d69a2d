//! The unix `file` probe: type, owner, group, size, times and permission bits of each file the
//! object names (not following links, as `lstat` sees them); the `symlink` probe: where a link
//! leads, resolved inside the root.

use crate::item::Item;
use crate::probes::paths::{host_path, Found, Stat};

const S_IFMT: u32 = 0o170000;

/// The OVAL name of a file type from `st_mode`.
fn kind(mode: u32) -> &'static str {
    match mode & S_IFMT {
        0o120000 => "symbolic link",
        0o040000 => "directory",
        0o100000 => "regular",
        0o060000 => "block special",
        0o020000 => "character special",
        0o010000 => "fifo",
        _ => "socket",
    }
}

/// The item of one file (its `lstat` from the listing when there is one); `None` when it
/// vanished meanwhile.
pub fn item(root: &std::path::Path, f: &Found) -> Option<Item> {
    let st = match f.stat {
        Some(st) => st,
        None => Stat::of(&std::fs::symlink_metadata(host_path(root, &f.filepath)).ok()?),
    };
    let mode = st.mode;
    let bit = |b: u32| if mode & b != 0 { "true" } else { "false" };
    let mut it = Item::default()
        .with("filepath", f.filepath.clone())
        .with("path", f.path());
    if let Some(n) = f.filename() {
        it.push("filename", n);
    }
    Some(
        it.with("type", kind(mode))
            .with("group_id", st.gid.to_string())
            .with("user_id", st.uid.to_string())
            .with("a_time", st.atime.to_string())
            .with("c_time", st.ctime.to_string())
            .with("m_time", st.mtime.to_string())
            .with("size", st.size.to_string())
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

/// The symlink item of a link: its path and the path it resolves to inside the root (links
/// followed up to 40 times, `.` and `..` folded); `Ok(None)` when it is not a link, `Err` when
/// it leads nowhere (as OpenSCAP, whose realpath fails there).
pub fn symlink(root: &std::path::Path, filepath: &str) -> Result<Option<Item>, String> {
    let is_link = std::fs::symlink_metadata(host_path(root, filepath))
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    if !is_link {
        return Ok(None);
    }
    resolve(root, filepath)
        .map(Some)
        .ok_or_else(|| format!("{filepath}: the link leads nowhere"))
}

fn resolve(root: &std::path::Path, filepath: &str) -> Option<Item> {
    let mut cur = filepath.to_owned();
    for _ in 0..40 {
        let host = host_path(root, &cur);
        let md = std::fs::symlink_metadata(&host).ok()?;
        if !md.file_type().is_symlink() {
            return Some(
                Item::default()
                    .with("filepath", filepath)
                    .with("canonical_path", cur),
            );
        }
        let target = std::fs::read_link(&host).ok()?;
        let target = target.to_string_lossy();
        let joined = if target.starts_with('/') {
            target.into_owned()
        } else {
            let parent = cur.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
            format!("{parent}/{target}")
        };
        cur = normalize(&joined);
    }
    None
}

/// Folds `.`, `..` and repeated slashes of an absolute path.
fn normalize(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}
