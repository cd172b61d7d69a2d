//! Applying one layer (a tar, plain, gzip or zstd as its first bytes say) onto the file map:
//! whiteouts (`.wh.NAME`, `.wh..wh..opq`) remove from lower layers, regular files the inventory
//! reads are kept (up to a size limit), links recorded; members leaving the root are refused.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

use super::paths::{file_name, join, normalise, parent};
use super::tree::{Node, Tree};
use super::wanted::wanted;

/// A skipped member: its path as written in the layer, and why.
pub(crate) struct Skipped {
    pub member: String,
    pub reason: String,
}

/// The decompressed stream of a layer.
fn decode<'a>(r: Box<dyn Read + 'a>) -> std::io::Result<Box<dyn Read + 'a>> {
    let mut r = BufReader::new(r);
    let head = r.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(r))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(zstd::stream::read::Decoder::with_buffer(r)?)
    } else {
        Box::new(r)
    })
}

/// Applies the layer read from `r`; members refused go to `skipped`, and an error that stops
/// the reading of the layer is returned (what was applied before it stays).
pub(crate) fn apply(
    tree: &mut Tree,
    r: Box<dyn Read + '_>,
    max_member: u64,
    skipped: &mut Vec<Skipped>,
) -> Result<(), String> {
    let stream = decode(r).map_err(|e| format!("cannot decompress: {e}"))?;
    let mut archive = tar::Archive::new(stream);
    let entries = archive.entries().map_err(|e| e.to_string())?;
    // Paths written by this layer: whiteouts and opaque folders hide lower layers only.
    let mut mine: HashSet<String> = HashSet::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("malformed tar: {e}"))?;
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let mut skip = |reason: String| {
            skipped.push(Skipped {
                member: raw.clone(),
                reason,
            })
        };
        let path = match normalise(&raw) {
            Ok(p) if p.is_empty() => continue,
            Ok(p) => p,
            Err(reason) => {
                skip(reason.to_owned());
                continue;
            }
        };
        let name = file_name(&path);
        let dir = parent(&path);
        if name == ".wh..wh..opq" {
            tree.empty_dir(dir, |k| mine.contains(k));
            continue;
        }
        if let Some(gone) = name.strip_prefix(".wh.") {
            let gone = join(dir, gone);
            tree.remove_all(&gone, |k| mine.contains(k));
            continue;
        }
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            // A folder replaces a lower layer's file or link at its path.
            tree.nodes.remove(&path);
            continue;
        }
        // Anything else replaces what was at its path, folder contents included.
        let target = entry
            .link_name_bytes()
            .map(|t| String::from_utf8_lossy(&t).into_owned());
        let node = if kind.is_symlink() {
            Some(Node::Link(target.unwrap_or_default()))
        } else if kind.is_hard_link() {
            hard_link(tree, target.as_deref().unwrap_or(""), &path).unwrap_or_else(|r| {
                skip(r);
                None
            })
        } else if kind.is_file() && wanted(&path) {
            let size = entry.size();
            if size > max_member {
                skip(format!(
                    "{size} bytes, over the {max_member}-byte limit: skipped"
                ));
                None
            } else {
                // The header's size is not trusted for the allocation (the data may be cut short).
                let mut buf = Vec::with_capacity(usize::try_from(size.min(1 << 20)).unwrap_or(0));
                entry
                    .read_to_end(&mut buf)
                    .map_err(|e| format!("{raw}: {e}"))?;
                Some(Node::File(buf))
            }
        } else {
            None
        };
        tree.remove_all(&path, |k| mine.contains(k) && k != path);
        if let Some(node) = node {
            tree.nodes.insert(path.clone(), node);
        }
        mine.insert(path);
    }
    Ok(())
}

/// A hard link's content: the regular file at its target (an archive path, links in its
/// folders not followed), kept when the link's own path is one the inventory reads.
fn hard_link(tree: &Tree, target: &str, path: &str) -> Result<Option<Node>, String> {
    let target = normalise(target).map_err(|r| format!("hard link target {target}: {r}"))?;
    if !wanted(path) {
        return Ok(None);
    }
    match tree.nodes.get(&target) {
        Some(n @ Node::File(_)) => Ok(Some(n.clone())),
        _ if wanted(&target) => Err(format!("hard link to {target}, not a file of the image")),
        _ => Err(format!(
            "hard link to {target}, a file not kept (its name is not one the inventory reads)"
        )),
    }
}
