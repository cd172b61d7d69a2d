//! Finding the files a `file` or `textfilecontent54` object names, under the root folder:
//! `filepath`, or `path` + `filename` (nil filename: the folder itself), each by equality or
//! pattern, with the `recurse_direction="down"` / `max_depth` behaviors. Patterns are walked
//! from their literal prefix; with `recurse_file_system="local"` (and for patterns), pseudo and
//! network file systems of the live host are not entered.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::item::Spec;
use crate::model::{Object, Operation};

/// A file found: its path as seen from inside the root, split as OVAL items carry it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub filepath: String,
    /// A folder named by a nil filename (no filename; its path is the folder).
    pub nil: bool,
    /// What `lstat` said when the file was listed (so whole file-system walks shared by several
    /// objects stat each file once); `None` when it was named directly.
    pub stat: Option<Stat>,
}

impl Found {
    fn file(filepath: String, stat: Option<Stat>) -> Found {
        Found {
            filepath,
            nil: false,
            stat,
        }
    }

    /// The folder the file is in (the folder itself for a nil filename).
    pub fn path(&self) -> &str {
        match (self.nil, self.filepath.rfind('/')) {
            (true, _) | (_, None) => &self.filepath,
            (false, Some(0)) => "/",
            (false, Some(i)) => &self.filepath[..i],
        }
    }

    pub fn filename(&self) -> Option<&str> {
        match (self.nil, self.filepath.rfind('/')) {
            (true, _) => None,
            (false, Some(i)) => Some(&self.filepath[i + 1..]),
            (false, None) => Some(&self.filepath),
        }
    }
}

/// The part of `lstat` the file probe reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stat {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub atime: i64,
    pub mtime: i64,
    pub ctime: i64,
}

impl Stat {
    pub fn of(md: &std::fs::Metadata) -> Stat {
        use std::os::unix::fs::MetadataExt;
        Stat {
            mode: md.mode(),
            uid: md.uid(),
            gid: md.gid(),
            size: md.size(),
            atime: md.atime(),
            mtime: md.mtime(),
            ctime: md.ctime(),
        }
    }
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

/// One entry of a walk: its path inside the root, whether it is a folder (links are not),
/// and its depth below the walk's start (1 for the start's own entries).
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: String,
    pub is_dir: bool,
    pub depth: u32,
    /// `None` when the entry vanished between listing and `lstat`.
    pub stat: Option<Stat>,
}

/// Walks folders of the root, on all cores, each start folder once per evaluation (three
/// objects of the SCAP Security Guide walk the whole file system).
pub struct Walker {
    root: PathBuf,
    skip: HashSet<String>,
    cache: std::collections::HashMap<String, std::sync::Arc<Vec<Entry>>>,
}

impl Walker {
    pub fn new(root: &Path) -> Walker {
        Walker {
            root: root.to_path_buf(),
            skip: skipped_mounts(root),
            cache: std::collections::HashMap::new(),
        }
    }

    /// Every entry under `start` (not following links, not entering skipped mount points);
    /// empty when `start` is not a folder.
    pub fn entries(&mut self, start: &str) -> std::sync::Arc<Vec<Entry>> {
        if let Some(e) = self.cache.get(start) {
            return e.clone();
        }
        let shared = Mutex::new(Vec::new());
        list(&self.root, start, 1, &self.skip, &shared);
        let out = shared
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let e = std::sync::Arc::new(out);
        self.cache.insert(start.to_owned(), e.clone());
        e
    }

    /// `start` itself (when a folder) and the folders under it down to `max_depth` levels
    /// (-1: no limit), with their `lstat` when listed.
    fn dirs(&mut self, start: &str, max_depth: i64) -> Vec<(String, Option<Stat>)> {
        if !host_path(&self.root, start).is_dir() {
            return Vec::new();
        }
        let mut out = vec![(start.to_owned(), None)];
        out.extend(
            self.entries(start)
                .iter()
                .filter(|e| e.is_dir && within(e.depth, max_depth))
                .map(|e| (e.path.clone(), e.stat)),
        );
        out
    }
}

fn within(depth: u32, max_depth: i64) -> bool {
    max_depth < 0 || i64::from(depth) <= max_depth
}

/// Lists `dir` (inside the root) recursively, sub-folders in parallel; each folder's entries
/// are appended to `out` once (in no particular order: users sort what they take).
fn list(root: &Path, dir: &str, depth: u32, skip: &HashSet<String>, out: &Mutex<Vec<Entry>>) {
    use rayon::prelude::*;
    let Ok(rd) = std::fs::read_dir(host_path(root, dir)) else {
        return;
    };
    let mut subdirs = Vec::new();
    let mut here = Vec::new();
    for e in rd.flatten() {
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        let path = join(dir, &e.file_name().to_string_lossy());
        if is_dir && !skip.contains(&path) {
            subdirs.push(path.clone());
        }
        // DirEntry::metadata does not follow links: lstat.
        let stat = e.metadata().ok().map(|m| Stat::of(&m));
        here.push(Entry {
            path,
            is_dir,
            depth,
            stat,
        });
    }
    // A poisoned lock only means another folder's thread panicked; its entries are kept.
    out.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .append(&mut here);
    subdirs
        .par_iter()
        .for_each(|d| list(root, d, depth + 1, skip, out));
}

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Candidate values for a path-like spec: the values themselves for equality, else the
/// folders (and, with `files`, every entry) under the patterns' literal prefixes.
fn candidates(w: &mut Walker, spec: &Spec, files: bool) -> Vec<String> {
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
        if host_path(&w.root, &s).is_dir() {
            out.push(s.clone());
        }
        out.extend(
            w.entries(&s)
                .iter()
                .filter(|e| files || e.is_dir)
                .map(|e| e.path.clone()),
        );
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The files the object names, under the walker's root, sorted, each once. `Err` when the
/// object names neither a filepath nor a path.
pub fn find(
    w: &mut Walker,
    obj: &Object,
    filepath: Option<&Spec>,
    path: Option<&Spec>,
    filename: Option<&Spec>,
) -> Result<Vec<Found>, String> {
    let root = w.root.clone();
    let mut found = Vec::new();
    if let Some(fp) = filepath {
        for c in candidates(w, fp, true) {
            if !fp.matches(&c) || std::fs::symlink_metadata(host_path(&root, &c)).is_err() {
                continue;
            }
            if c.starts_with('/') {
                found.push(Found::file(c, None));
            }
        }
        found.sort_unstable();
        found.dedup();
        return Ok(found);
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
    let dirs: Vec<String> = candidates(w, path, false)
        .into_iter()
        .filter(|d| path.matches(d) && host_path(&root, d).is_dir())
        .collect();
    let name_spec = filename.filter(|f| !f.nil);
    for d in dirs {
        let Some(f) = name_spec else {
            // A nil filename: the folders themselves.
            let all = if down {
                w.dirs(&d, max_depth)
            } else {
                vec![(d, None)]
            };
            found.extend(all.into_iter().map(|(p, stat)| Found {
                filepath: p,
                nil: true,
                stat,
            }));
            continue;
        };
        if let (Some(names), false) = (f.exact(), down) {
            for n in names {
                let fp = join(&d, n);
                if std::fs::symlink_metadata(host_path(&root, &fp)).is_ok() {
                    found.push(Found::file(fp, None));
                }
            }
            continue;
        }
        let depth = if down { max_depth.saturating_add(1) } else { 1 };
        let depth = if max_depth < 0 && down { -1 } else { depth };
        for e in w.entries(&d).iter() {
            if e.is_dir || !within(e.depth, depth) {
                continue;
            }
            let name = e.path.rsplit('/').next().unwrap_or(&e.path);
            if f.matches(name) {
                found.push(Found::file(e.path.clone(), e.stat));
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
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
