//! The image's final view written for the existing readers: into a fresh temporary folder, the
//! OS package databases and `os-release` at their standard paths (read through the image's
//! links), and the lockfiles at their own paths (as `--root` and path walks read them, links
//! not followed). Only regular files are written, so nothing there leads out of the folder.

use std::path::Path;

use super::paths::join;
use super::tree::{Node, Tree};
use super::wanted::{OS_DIRS, OS_FILES};

/// A file of the view that could not be resolved or written: its path and why.
pub(crate) struct ViewError {
    pub path: String,
    pub reason: String,
}

/// Writes the view under `dir`; problems go to `errors` and the rest is written.
pub(crate) fn write(tree: &Tree, dir: &Path, errors: &mut Vec<ViewError>) {
    let mut put = |rel: &str, bytes: &[u8]| {
        let p = dir.join(rel);
        let done = p
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&p, bytes));
        if let Err(e) = done {
            errors.push(ViewError {
                path: rel.to_owned(),
                reason: format!("cannot write for reading: {e}"),
            });
        }
    };
    let mut unresolved = Vec::new();
    for rel in OS_FILES {
        match tree.file(rel) {
            Ok(Some(bytes)) => put(rel, bytes),
            Ok(None) => {}
            Err(reason) => unresolved.push((rel.to_owned(), reason)),
        }
    }
    for d in OS_DIRS {
        let names = match tree.list(d) {
            Ok(n) => n,
            Err(reason) => {
                unresolved.push((d.to_owned(), reason));
                continue;
            }
        };
        for name in names {
            let rel = join(d, &name);
            match tree.file(&rel) {
                Ok(Some(bytes)) => put(&rel, bytes),
                Ok(None) => {}
                Err(reason) => unresolved.push((rel, reason)),
            }
        }
    }
    for (rel, node) in &tree.nodes {
        let os = OS_FILES.contains(&rel.as_str())
            || OS_DIRS.iter().any(|d| super::paths::within(rel, d));
        if let (Node::File(bytes), false) = (node, os) {
            if crate::lockfile_kind(super::paths::file_name(rel)).is_some() {
                put(rel, bytes);
            }
        }
    }
    errors.extend(
        unresolved
            .into_iter()
            .map(|(path, reason)| ViewError { path, reason }),
    );
}
