//! The outer container of an image: an OCI layout folder, or a tarball (an OCI layout packed
//! as a tar, or `docker save` output) indexed once so that its members are read by seeking.
//! Names are archive paths (normalised); symbolic links inside the tarball are followed within
//! it only, a folder's files only when they are regular files (links there are not followed).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::paths::{join, normalise, parent};

pub(crate) enum Member {
    Data { offset: u64, size: u64 },
    Link(String),
}

/// Where the image's files are.
pub(crate) enum Container {
    Dir(PathBuf),
    Tar {
        file: PathBuf,
        members: HashMap<String, Member>,
    },
}

/// Links followed within a tarball before giving up.
const MAX_HOPS: usize = 16;

impl Container {
    /// Opens a folder, or indexes a tarball's members.
    pub(crate) fn open(path: &Path) -> Result<Container, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read image: {e}"))?;
        if meta.is_dir() {
            return Ok(Container::Dir(path.to_path_buf()));
        }
        let mut f = File::open(path).map_err(|e| format!("cannot read image: {e}"))?;
        let mut magic = [0u8; 4];
        let n = f.read(&mut magic).map_err(|e| e.to_string())?;
        if n >= 2 && magic[..2] == [0x1f, 0x8b] || n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] {
            return Err("a compressed tarball: decompress it first (gunzip, zstd -d)".into());
        }
        f.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        let mut members = HashMap::new();
        let mut archive = tar::Archive::new(f);
        let entries = archive
            .entries_with_seek()
            .map_err(|e| format!("neither an image folder nor a tarball: {e}"))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("neither an image folder nor a tarball: {e}"))?;
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Ok(name) = normalise(&raw) else { continue };
            let kind = entry.header().entry_type();
            let member = if kind.is_symlink() || kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                let target = if kind.is_symlink() && !target.starts_with('/') {
                    join(parent(&name), &target)
                } else {
                    target
                };
                Member::Link(target)
            } else if kind.is_file() {
                Member::Data {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                }
            } else {
                continue;
            };
            members.insert(name, member);
        }
        if members.is_empty() {
            return Err("not a tarball (no members)".into());
        }
        Ok(Container::Tar {
            file: path.to_path_buf(),
            members,
        })
    }

    /// Whether a regular file (or a link to one) named `name` is there.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.locate(name).is_ok()
    }

    /// A reader of the member `name` and its size.
    pub(crate) fn open_member(&self, name: &str) -> Result<(Box<dyn Read>, u64), String> {
        match self.locate(name)? {
            Located::Path(p) => {
                let f = File::open(&p).map_err(|e| format!("{name}: {e}"))?;
                let size = f.metadata().map(|m| m.len()).unwrap_or(0);
                Ok((Box::new(f), size))
            }
            Located::Range(offset, size) => {
                let Container::Tar { file, .. } = self else {
                    return Err(format!("{name}: not found"));
                };
                let mut f = File::open(file).map_err(|e| e.to_string())?;
                f.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
                Ok((Box::new(f.take(size)), size))
            }
        }
    }

    /// The whole member `name`, refused over `cap` bytes.
    pub(crate) fn read_member(&self, name: &str, cap: u64) -> Result<Vec<u8>, String> {
        let (r, size) = self.open_member(name)?;
        if size > cap {
            return Err(format!("{name}: {size} bytes, over the {cap}-byte limit"));
        }
        let mut buf = Vec::new();
        r.take(cap)
            .read_to_end(&mut buf)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(buf)
    }

    fn locate(&self, name: &str) -> Result<Located, String> {
        let mut name = normalise(name).map_err(|r| format!("{name}: {r}"))?;
        match self {
            Container::Dir(dir) => {
                let p = dir.join(&name);
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if m.is_file() => Ok(Located::Path(p)),
                    Ok(_) => Err(format!("{name}: not a regular file")),
                    Err(_) => Err(format!("{name}: not found")),
                }
            }
            Container::Tar { members, .. } => {
                for _ in 0..MAX_HOPS {
                    match members.get(&name) {
                        Some(Member::Data { offset, size }) => {
                            return Ok(Located::Range(*offset, *size))
                        }
                        Some(Member::Link(t)) => {
                            name = resolve_in_tar(t).ok_or_else(|| {
                                format!("{name}: link target {t} leaves the tarball")
                            })?;
                        }
                        None => return Err(format!("{name}: not found")),
                    }
                }
                Err(format!("{name}: too many links"))
            }
        }
    }
}

enum Located {
    Path(PathBuf),
    Range(u64, u64),
}

/// A link target as an archive path; `None` when `..` climbs over the top.
fn resolve_in_tar(target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut out: Vec<&str> = Vec::new();
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            c => out.push(c),
        }
    }
    Some(out.iter().fold(String::new(), |acc, c| join(&acc, c)))
}
