//! Expansion of input paths: folders walked recursively, files sorted for a stable order.

use std::path::{Path, PathBuf};

use crate::error::DecodeError;

/// Extensions read from folders; a file named explicitly is read whatever its name.
const KNOWN: [&str; 8] = ["evtx", "json", "jsonl", "ndjson", "gz", "zst", "zip", "log"];

/// Lists the files to read: named files as given, folders' files (with a known extension)
/// recursively in sorted order. Unreadable paths are reported and skipped.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<DecodeError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            files.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                for entry in walkdir::WalkDir::new(p).follow_links(true) {
                    match entry {
                        Ok(e) if e.file_type().is_file() && known(e.path()) => {
                            found.push(e.into_path())
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(
                            DecodeError::new(
                                &e.path().unwrap_or(p).display().to_string(),
                                None,
                                format!("cannot read: {e}"),
                            )
                            .with_hint("check the permissions of this folder"),
                        ),
                    }
                }
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push(
                DecodeError::new(&p.display().to_string(), None, format!("cannot open: {e}"))
                    .with_hint("check the path and its permissions"),
            ),
        }
    }
    (files, errors)
}

fn known(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| KNOWN.contains(&e.to_ascii_lowercase().as_str()))
}
