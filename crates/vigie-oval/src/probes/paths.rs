//! Finding the files a `file` or `textfilecontent54` object names, under the root folder:
//! `filepath`, or `path` + `filename` (nil filename: the folder itself), each by equality or
//! pattern, with the `recurse_direction="down"` / `max_depth` behaviors. Patterns are walked
//! from their literal prefix; with `recurse_file_system="local"` (and for patterns), pseudo and
//! network file systems of the live host are not entered.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::item::Spec;
use crate::model::{Object, Operation};

/// A file found: its path as seen from inside the root, split as OVAL items carry it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub filepath: String,
    pub path: String,
    /// `None` for a folder named by a nil filename.
    pub filename: Option<String>,
}

/// The host path of a path seen from inside the root.
pub fn host_path(root: &Path, inside: &str) -> PathBuf {
    root.join(inside.trim_start_matches('/'))
}

/// The literal folder a pattern's matches must lie under (`^/etc/audit/rules\.d/.*` ->
/// `/etc/audit/rules.d`), one per top-level alternative; `/` when nothing literal leads.
fn literal_dirs(pattern: &str) -> Vec<String> {
    let mut alts = Vec::new();
    let (mut depth, mut start, mut escaped) = (0i32, 0usize, false);
    for (i, ch) in pattern.char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '|' if depth == 0 => {
                alts.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    alts.push(&pattern[start..]);
    alts.into_iter()
        .map(|alt| {
            let Some(body) = alt.strip_prefix('^') else {
                return "/".to_owned();
            };
            let mut lit = String::new();
            let mut chars = body.chars().peekable();
            while let Some(ch) = chars.next() {
                match ch {
                    '\\' => match chars.next() {
                        Some(c) if !c.is_ascii_alphanumeric() => lit.push(c),
                        _ => break,
                    },
                    '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '$' => {
                        // A quantifier makes the character before it optional.
                        if matches!(ch, '*' | '?' | '{') {
                            lit.pop();
                        }
                        break;
                    }
                    c => lit.push(c),
                }
            }
            match lit.rfind('/') {
                Some(0) | None => "/".to_owned(),
                Some(i) => lit[..i].to_owned(),
            }
        })
        .collect()
}

/// Mount points (inside the root) of file systems a walk must not enter: pseudo and network
/// file systems, read from the root's `proc/mounts` (the live host's, for `/`).
pub fn skipped_mounts(root: &Path) -> HashSet<String> {
    let text = std::fs::read_to_string(host_path(root, "/proc/mounts")).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_dev, mp, ty) = (f.next()?, f.next()?, f.next()?);
            let skip = matches!(
                ty,
                "proc"
                    | "sysfs"
                    | "devtmpfs"
                    | "devpts"
                    | "cgroup"
                    | "cgroup2"
                    | "securityfs"
                    | "debugfs"
                    | "tracefs"
                    | "autofs"
                    | "nfs"
                    | "nfs4"
                    | "cifs"
                    | "smbfs"
                    | "afs"
                    | "ncpfs"
                    | "fuse.sshfs"
                    | "mqueue"
                    | "binfmt_misc"
                    | "pstore"
                    | "bpf"
                    | "configfs"
                    | "fusectl"
                    | "hugetlbfs"
            );
            skip.then(|| mp.replace("\\040", " "))
        })
        .collect()
}

/// Every folder (inside the root) under `start`, itself included, down to `max_depth` levels
/// (-1: no limit), not entering the `skip` mount points nor following links.
fn walk_dirs(root: &Path, start: &str, max_depth: i64, skip: &HashSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let base = host_path(root, start);
    let mut w = walkdir::WalkDir::new(&base).follow_links(false);
    if let Ok(d) = usize::try_from(max_depth) {
        w = w.max_depth(d);
    }
    let mut it = w.into_iter();
    while let Some(entry) = it.next() {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_dir() {
            continue;
        }
        let inside = inside_path(root, entry.path());
        if entry.depth() > 0 && skip.contains(&inside) {
            it.skip_current_dir();
            continue;
        }
        out.push(inside);
    }
    out
}

/// A host path back as seen from inside the root (`/etc/x`).
fn inside_path(root: &Path, host: &Path) -> String {
    let rel = host.strip_prefix(root).unwrap_or(host);
    let s = rel.to_string_lossy();
    if s.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}", s.trim_start_matches('/'))
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Candidate values for a path-like spec: the values themselves for equality, else every
/// folder under the patterns' literal prefixes (`files` adds the files in them).
fn candidates(root: &Path, spec: &Spec, files: bool, skip: &HashSet<String>) -> Vec<String> {
    if let Some(v) = spec.exact() {
        return v.to_vec();
    }
    let mut starts: BTreeSet<String> = BTreeSet::new();
    for v in &spec.values {
        if spec.operation == Operation::PatternMatch {
            starts.extend(literal_dirs(v));
        } else {
            starts.insert("/".to_owned());
        }
    }
    let mut out = Vec::new();
    for s in starts {
        for d in walk_dirs(root, &s, -1, skip) {
            if files {
                if let Ok(rd) = std::fs::read_dir(host_path(root, &d)) {
                    for e in rd.flatten() {
                        if !e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                            out.push(join(&d, &e.file_name().to_string_lossy()));
                        }
                    }
                }
            }
            out.push(d);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The files the object names, under `root`, sorted, each once. `Err` names an entity the
/// object lacks.
pub fn find(
    root: &Path,
    obj: &Object,
    filepath: Option<&Spec>,
    path: Option<&Spec>,
    filename: Option<&Spec>,
    skip: &HashSet<String>,
) -> Result<Vec<Found>, String> {
    let mut found = BTreeSet::new();
    if let Some(fp) = filepath {
        for c in candidates(root, fp, true, skip) {
            if !fp.matches(&c) {
                continue;
            }
            let host = host_path(root, &c);
            if std::fs::symlink_metadata(&host).is_err() {
                continue;
            }
            let (dir, name) = match c.rfind('/') {
                Some(0) => ("/".to_owned(), c[1..].to_owned()),
                Some(i) => (c[..i].to_owned(), c[i + 1..].to_owned()),
                None => continue,
            };
            found.insert(Found {
                filepath: c.clone(),
                path: dir,
                filename: Some(name),
            });
        }
        return Ok(found.into_iter().collect());
    }
    let Some(path) = path else {
        return Err("neither filepath nor path is given".to_owned());
    };
    let down = obj.behaviors.get("recurse_direction").map(String::as_str) == Some("down");
    let max_depth: i64 = obj
        .behaviors
        .get("max_depth")
        .and_then(|d| d.parse().ok())
        .unwrap_or(-1);
    let mut dirs: Vec<String> = candidates(root, path, false, skip)
        .into_iter()
        .filter(|d| path.matches(d) && host_path(root, d).is_dir())
        .collect();
    if down {
        let mut all = BTreeSet::new();
        for d in &dirs {
            all.extend(walk_dirs(root, d, max_depth, skip));
        }
        dirs = all.into_iter().collect();
    }
    for d in dirs {
        match filename {
            Some(f) if !f.nil => {
                let names: Vec<String> = match f.exact() {
                    Some(v) => v.to_vec(),
                    None => std::fs::read_dir(host_path(root, &d))
                        .map(|rd| {
                            rd.flatten()
                                .filter(|e| !e.file_type().map(|t| t.is_dir()).unwrap_or(false))
                                .map(|e| e.file_name().to_string_lossy().into_owned())
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                for n in names {
                    let fp = join(&d, &n);
                    if f.matches(&n) && std::fs::symlink_metadata(host_path(root, &fp)).is_ok() {
                        found.insert(Found {
                            filepath: fp,
                            path: d.clone(),
                            filename: Some(n),
                        });
                    }
                }
            }
            _ => {
                found.insert(Found {
                    filepath: d.clone(),
                    path: d.clone(),
                    filename: None,
                });
            }
        }
    }
    Ok(found.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_prefixes() {
        assert_eq!(
            literal_dirs("^/etc/audit/rules\\.d/.*\\.rules$"),
            ["/etc/audit/rules.d"]
        );
        assert_eq!(literal_dirs("^/etc/sudoers(|\\.d/.*)$"), ["/etc"]);
        assert_eq!(
            literal_dirs("^\\/(|s)bin|^\\/usr\\/(|local\\/)(|s)bin|^\\/usr\\/libexec"),
            ["/", "/usr", "/usr"]
        );
        assert_eq!(literal_dirs("/etc/x"), ["/"]);
    }
}
