//! A cache of parsed rule files kept on disk between runs: a file whose size, times and
//! inode are those it had when it was parsed is read back from the cache, not parsed again.
//!
//! One cache file per rule folder and build (named by a digest of both) holds, for
//! each rule file under it, the file's [`Stamp`] and its [`Parsed`] form in postcard. The
//! cache file starts with a magic line and the SHA-256 of the rest, so a truncated or
//! damaged file is a miss, never a wrong rule, and it names the build of Vigie that wrote
//! it, so another build never reads it. Files changed in the last two seconds are not
//! cached, since a file system's clock may not tell two writes within its granularity
//! apart; they are on a later run. Cache files are replaced whole (written beside, then
//! renamed), and those not rewritten for 30 days are removed when another is written.

use std::fs::Metadata;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use vigie_sigma::Parsed;

/// The first bytes of a cache file; the number is the layout's version.
const MAGIC: &[u8; 16] = b"vigie-rules-v01\n";
const DIGEST_LEN: usize = 32;
/// A file changed more recently than this may change again without its times changing.
const SETTLE: Duration = Duration::from_secs(2);
/// Cache files not rewritten for this long (and files left half written) are removed when
/// another is written.
const STALE: Duration = Duration::from_secs(30 * 24 * 3600);

/// Where parsed rule files are kept, and which build of Vigie reads and writes them.
#[derive(Clone, Debug)]
pub struct RuleCache {
    dir: PathBuf,
    build: String,
    settle: Duration,
}

/// A cache file that could not be written; the rules it would hold loaded all the same.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the rule cache {}: {source}", file.display())]
pub struct CacheWriteError {
    pub file: PathBuf,
    pub source: std::io::Error,
}

/// What the cache did for a load.
#[derive(Debug, Default)]
pub struct CacheReport {
    /// Rule files read back from the cache.
    pub reused: usize,
    /// Rule files read and parsed.
    pub parsed: usize,
    /// Cache files written.
    pub written: usize,
    /// Cache files that could not be written.
    pub problems: Vec<CacheWriteError>,
}

impl CacheReport {
    /// Adds what the cache did for another folder.
    pub(crate) fn add(&mut self, other: CacheReport) {
        self.reused += other.reused;
        self.parsed += other.parsed;
        self.written += other.written;
        self.problems.extend(other.problems);
    }
}

/// What the file system says of a file: its length, modification and status-change times
/// in nanoseconds, device and inode (the last three on Unix). Writing to a file, renaming
/// another over it or changing its times changes its stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified_ns: i64,
    changed_ns: i64,
    device: u64,
    inode: u64,
}

impl Stamp {
    pub fn of(m: &Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |s: i64, n: i64| s.saturating_mul(1_000_000_000).saturating_add(n);
            Stamp {
                len: m.len(),
                modified_ns: ns(m.mtime(), m.mtime_nsec()),
                changed_ns: ns(m.ctime(), m.ctime_nsec()),
                device: m.dev(),
                inode: m.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let modified_ns = m.modified().map_or(0, nanos_since_epoch);
            Stamp {
                len: m.len(),
                modified_ns,
                changed_ns: modified_ns,
                device: 0,
                inode: 0,
            }
        }
    }

    /// Whether the file last changed before `cutoff_ns`.
    fn settled_before(&self, cutoff_ns: i64) -> bool {
        self.modified_ns.max(self.changed_ns) < cutoff_ns
    }
}

fn nanos_since_epoch(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// The cache file's contents after its magic line and digest.
#[derive(Serialize, Deserialize)]
struct Contents<'a> {
    build: &'a str,
    #[serde(borrow)]
    entries: Vec<Entry<'a>>,
}

/// One rule file: its path under the rule folder, its stamp, and its `Parsed` in postcard.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct Entry<'a> {
    path: &'a str,
    stamp: Stamp,
    parsed: &'a [u8],
}

/// What a parsed file gives the cache to write.
enum Keep<'a> {
    /// Read back from the cache as it was.
    Old(Entry<'a>),
    /// Parsed now: key, stamp and postcard.
    New(String, Stamp, Vec<u8>),
    /// Not cached: unreadable, changed too recently, or outside the folder.
    Not,
}

/// One rule file read: its name for messages and its parsed form or why it could not be read.
pub(crate) type ParsedFile = (String, Result<Parsed, String>);

impl RuleCache {
    /// A cache in `dir` for the running build of Vigie, or `None` when the running
    /// executable cannot be identified (a cache another build wrote could be misread).
    pub fn new(dir: impl Into<PathBuf>) -> Option<RuleCache> {
        let exe = std::env::current_exe().ok()?;
        let stamp = Stamp::of(&std::fs::metadata(&exe).ok()?);
        let build = format!(
            "{} {} {} {}",
            env!("CARGO_PKG_VERSION"),
            exe.display(),
            stamp.len,
            stamp.modified_ns
        );
        Some(RuleCache::for_build(dir, build))
    }

    /// A cache in `dir` that only `build` reads and writes.
    pub fn for_build(dir: impl Into<PathBuf>, build: impl Into<String>) -> RuleCache {
        RuleCache {
            dir: dir.into(),
            build: build.into(),
            settle: SETTLE,
        }
    }

    /// How long ago a file must have last changed to be cached (two seconds unless told).
    #[doc(hidden)]
    pub fn with_settle(mut self, settle: Duration) -> RuleCache {
        self.settle = settle;
        self
    }

    /// The cache file of the rule folder or file `root` for this build (builds used in turn
    /// keep a file each rather than replacing each other's).
    pub fn file_for(&self, root: &Path) -> Option<PathBuf> {
        let canonical = std::fs::canonicalize(root).ok()?;
        let mut digest = Sha256::new();
        digest.update(self.build.as_bytes());
        digest.update([0]);
        digest.update(canonical.to_string_lossy().as_bytes());
        let digest = digest.finalize();
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Some(self.dir.join(format!("rules-{hex}.bin")))
    }

    /// Reads and parses `files` (found under `root`), taking each unchanged one from the
    /// cache, and rewrites the cache when what it would hold changed. Returns the files
    /// in the order given, and adds what the cache did to `report`; `None` when `root` has
    /// no cache file (it cannot be resolved), for the caller to parse them all.
    pub(crate) fn parse_files(
        &self,
        root: &Path,
        files: &[PathBuf],
        read_and_parse: fn(&Path) -> Result<Parsed, String>,
        report: &mut CacheReport,
    ) -> Option<Vec<ParsedFile>> {
        let settle = i64::try_from(self.settle.as_nanos()).unwrap_or(i64::MAX);
        let cutoff = nanos_since_epoch(SystemTime::now()).saturating_sub(settle);
        let target = self.file_for(root)?;
        let bytes = std::fs::read(&target).unwrap_or_default();
        let old = decode(&bytes, &self.build).unwrap_or_default();
        let by_path: foldhash::HashMap<&str, &Entry> = old.iter().map(|e| (e.path, e)).collect();
        let results: Vec<(ParsedFile, Keep)> = files
            .par_iter()
            .map(|file| {
                let name = file.display().to_string();
                let key = file
                    .strip_prefix(root)
                    .ok()
                    .and_then(|p| p.to_str())
                    .map(str::to_owned);
                let stamp = std::fs::metadata(file).ok().map(|m| Stamp::of(&m));
                if let (Some(key), Some(stamp)) = (&key, stamp) {
                    if let Some(&&e) = by_path.get(key.as_str()).filter(|e| e.stamp == stamp) {
                        if let Ok(p) = postcard::from_bytes::<Parsed>(e.parsed) {
                            return ((name, Ok(p)), Keep::Old(e));
                        }
                    }
                }
                let parsed = read_and_parse(file);
                let keep = match (&parsed, key, stamp) {
                    (Ok(p), Some(key), Some(stamp)) if stamp.settled_before(cutoff) => {
                        postcard::to_stdvec(p).map_or(Keep::Not, |b| Keep::New(key, stamp, b))
                    }
                    _ => Keep::Not,
                };
                ((name, parsed), keep)
            })
            .collect();
        let kept_old = results
            .iter()
            .filter(|(_, k)| matches!(k, Keep::Old(_)))
            .count();
        let any_new = results.iter().any(|(_, k)| matches!(k, Keep::New(..)));
        report.reused += kept_old;
        report.parsed += files.len() - kept_old;
        if any_new || kept_old != old.len() {
            let entries: Vec<Entry> = results
                .iter()
                .filter_map(|(_, k)| match k {
                    Keep::Old(e) => Some(*e),
                    Keep::New(key, stamp, parsed) => Some(Entry {
                        path: key,
                        stamp: *stamp,
                        parsed,
                    }),
                    Keep::Not => None,
                })
                .collect();
            match self.write(&target, &encode(&self.build, entries)) {
                Ok(()) => report.written += 1,
                Err(source) => report.problems.push(CacheWriteError {
                    file: target,
                    source,
                }),
            }
        }
        Some(results.into_iter().map(|(f, _)| f).collect())
    }

    /// Replaces `target` with `bytes` (written beside it, then renamed), then removes the
    /// cache files not rewritten for a long time.
    fn write(&self, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix("rules-")
            .suffix(".part")
            .tempfile_in(&self.dir)?;
        tmp.write_all(bytes)?;
        tmp.persist(target).map_err(|e| e.error)?;
        self.remove_stale();
        Ok(())
    }

    fn remove_stale(&self) {
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for entry in dir.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Cache files, and those a killed run left half written.
            if !(name.starts_with("rules-") && (name.ends_with(".bin") || name.ends_with(".part")))
            {
                continue;
            }
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > STALE);
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// A cache file's bytes: magic line, SHA-256 of the rest, then the contents in postcard.
fn encode(build: &str, entries: Vec<Entry>) -> Vec<u8> {
    let contents = Contents { build, entries };
    let payload = postcard::to_stdvec(&contents).unwrap_or_default();
    let mut out = Vec::with_capacity(MAGIC.len() + DIGEST_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&Sha256::digest(&payload));
    out.extend_from_slice(&payload);
    out
}

/// The entries of a cache file `build` wrote, or `None` when the bytes are not one: another
/// layout, a digest that does not match, another build, or contents that do not decode.
fn decode<'a>(bytes: &'a [u8], build: &str) -> Option<Vec<Entry<'a>>> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    if rest.len() < DIGEST_LEN {
        return None;
    }
    let (digest, payload) = rest.split_at(DIGEST_LEN);
    if Sha256::digest(payload).as_slice() != digest {
        return None;
    }
    decode_payload(payload, Some(build))
}

/// The entries of a cache file's contents (after magic line and digest) if `build` wrote
/// them (any build when `None`).
fn decode_payload<'a>(payload: &'a [u8], build: Option<&str>) -> Option<Vec<Entry<'a>>> {
    let contents: Contents = postcard::from_bytes(payload).ok()?;
    build
        .is_none_or(|b| b == contents.build)
        .then_some(contents.entries)
}

/// Decodes a cache file as a run of `build` would, every entry's parsed form included:
/// `None` when any part is not what Vigie writes. For the fuzzer and the tests.
#[doc(hidden)]
pub fn decode_cache_file(bytes: &[u8], build: &str) -> Option<Vec<(String, Stamp, Parsed)>> {
    read_entries(decode(bytes, build)?)
}

/// As [`decode_cache_file`], for contents past the digest check, whichever build wrote
/// them: what the fuzzer feeds.
#[doc(hidden)]
pub fn decode_cache_payload(payload: &[u8]) -> Option<Vec<(String, Stamp, Parsed)>> {
    read_entries(decode_payload(payload, None)?)
}

fn read_entries(entries: Vec<Entry>) -> Option<Vec<(String, Stamp, Parsed)>> {
    entries
        .into_iter()
        .map(|e| {
            let parsed = postcard::from_bytes(e.parsed).ok()?;
            Some((e.path.to_owned(), e.stamp, parsed))
        })
        .collect()
}

/// A cache file holding `entries` as `build` writes it. For the fuzzer and the tests.
#[doc(hidden)]
pub fn encode_cache_file(build: &str, entries: &[(String, Stamp, Parsed)]) -> Vec<u8> {
    let blobs: Vec<Vec<u8>> = entries
        .iter()
        .map(|(_, _, p)| postcard::to_stdvec(p).unwrap_or_default())
        .collect();
    let list = entries
        .iter()
        .zip(&blobs)
        .map(|((path, stamp, _), blob)| Entry {
            path,
            stamp: *stamp,
            parsed: blob,
        })
        .collect();
    encode(build, list)
}
