//! The cache of parsed rule files: what it reuses, what it parses again, and that a rule set
//! loaded through it is the one loaded without it.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use vigie_engine::{LoadIssue, Mapping, Placeholders, RuleSet};
use vigie_hunt::{
    decode_cache_file, encode_cache_file, hunt, load_rules_cached, HuntOptions, LoadedRules,
    RuleCache, RuleSources, Stamp,
};
use vigie_sigma::parse_str;

/// A folder of rule files copied from the Sigma fixtures (`NAME.yml` for each fixture
/// folder), and its events, so that a test may change the rules.
struct Rules {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    cache_dir: PathBuf,
    events: Vec<PathBuf>,
}

fn rules() -> Rules {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let dir = tmp.path().join("rules");
    std::fs::create_dir_all(dir.join("sub")).expect("rule folder");
    let fixtures = common::repo_root().join("tests/fixtures/sigma");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("rule.yml").is_file())
        .collect();
    names.sort();
    assert!(
        names.len() >= 10,
        "fixtures missing in {}",
        fixtures.display()
    );
    let mut events = Vec::new();
    for (i, fixture) in names.iter().enumerate() {
        let name = fixture.file_name().expect("folder name").to_string_lossy();
        // Half the files in a subfolder: keys are paths under the rule folder.
        let to = match i % 2 {
            0 => dir.join(format!("{name}.yml")),
            _ => dir.join("sub").join(format!("{name}.yml")),
        };
        std::fs::copy(fixture.join("rule.yml"), to).expect("copy rule");
        events.push(fixture.join("events.jsonl"));
    }
    let cache_dir = tmp.path().join("cache");
    Rules {
        _tmp: tmp,
        dir,
        cache_dir,
        events,
    }
}

impl Rules {
    fn cache(&self, build: &str) -> RuleCache {
        RuleCache::for_build(&self.cache_dir, build).with_settle(Duration::ZERO)
    }

    fn load(&self, cache: Option<&RuleCache>) -> LoadedRules {
        let sources = RuleSources {
            paths: vec![self.dir.clone()],
            texts: Vec::new(),
        };
        load_rules_cached(&sources, Mapping::builtin(), Placeholders::new(), cache)
    }

    /// Loads through `cache`: files read back, files parsed, cache files written.
    fn counts(&self, cache: &RuleCache) -> (usize, usize, usize) {
        counts(&self.load(Some(cache)))
    }

    fn cache_file(&self, build: &str) -> PathBuf {
        self.cache(build).file_for(&self.dir).expect("rule folder")
    }

    /// The paths the cache file holds, as `build` reads it.
    fn cached_paths(&self, build: &str) -> Vec<String> {
        let bytes = std::fs::read(self.cache_file(build)).expect("cache file");
        let mut paths: Vec<String> = decode_cache_file(&bytes, build)
            .expect("a cache file this build wrote")
            .into_iter()
            .map(|(path, _, _)| path)
            .collect();
        paths.sort();
        paths
    }

    fn file_count(&self) -> usize {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
            .count()
    }
}

/// What a loaded set is, as far as a user can tell: its rules with their files and
/// metadata, its problems, and its detections on the fixtures' events.
fn observed(set: &RuleSet, issues: &[LoadIssue], events: &[PathBuf]) -> Vec<String> {
    let mut out: Vec<String> = set
        .rules()
        .iter()
        .map(|r| format!("rule {} {:?} {:?}", r.source, r.meta, r.logsource))
        .collect();
    out.extend(issues.iter().map(|i| format!("issue {i:?}")));
    let report = hunt(events, set, &HuntOptions::default(), &());
    let detections = report.detections.to_vec().expect("the timeline reads back");
    out.extend(
        detections
            .iter()
            .map(|d| format!("hit {} {} {:?}", d.rule_title, d.record_id, d.matched)),
    );
    out
}

/// Files read back from the cache, files parsed, cache files written.
fn counts(l: &LoadedRules) -> (usize, usize, usize) {
    (l.cache.reused, l.cache.parsed, l.cache.written)
}

fn rewrite_same_length(file: &Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let text = std::fs::read_to_string(file).expect("rule file");
    assert!(text.contains(from), "{} lacks {from}", file.display());
    // The cache is told not to wait for files to settle: leave the clock a tick, so that
    // the write gets times of its own (the default wait is what covers this in use).
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(file, text.replacen(from, to, 1)).expect("rewrite rule");
}

#[test]
fn unchanged_files_are_read_back_and_the_set_is_the_same() {
    let r = rules();
    let n = r.file_count();
    let fresh = r.load(None);
    let want = observed(&fresh.set, &fresh.issues, &r.events);
    assert!(want.iter().any(|l| l.starts_with("hit ")), "{want:?}");

    let cache = r.cache("build 1");
    let first = r.load(Some(&cache));
    assert_eq!(counts(&first), (0, n, 1));
    assert!(
        first.cache.problems.is_empty(),
        "{:?}",
        first.cache.problems
    );
    assert_eq!(r.cached_paths("build 1").len(), n);
    assert_eq!(observed(&first.set, &first.issues, &r.events), want);

    let second = r.load(Some(&cache));
    assert_eq!(
        (
            second.cache.reused,
            second.cache.parsed,
            second.cache.written
        ),
        (n, 0, 0)
    );
    assert_eq!(observed(&second.set, &second.issues, &r.events), want);
}

#[test]
fn changed_added_and_removed_files_are_seen() {
    let r = rules();
    let n = r.file_count();
    let cache = r.cache("build 1");
    r.load(Some(&cache));
    let mut paths = r.cached_paths("build 1");

    // One file's title changes without changing its length.
    let changed = r.dir.join(&paths[0]);
    let text = std::fs::read_to_string(&changed).expect("rule");
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("a title line")
        .to_owned();
    let new_title: String = title.chars().rev().collect();
    rewrite_same_length(
        &changed,
        &format!("title: {title}"),
        &format!("title: {new_title}"),
    );
    let l = r.load(Some(&cache));
    assert_eq!(counts(&l), (n - 1, 1, 1));
    let titles: Vec<&str> = l
        .set
        .rules()
        .iter()
        .map(|x| x.meta.title.as_str())
        .collect();
    assert!(titles.contains(&new_title.as_str()), "{titles:?}");
    assert!(
        !titles.contains(&title.as_str()) || new_title == title,
        "{titles:?}"
    );

    // One file goes, another comes.
    let gone = paths.remove(1);
    std::fs::remove_file(r.dir.join(&gone)).expect("remove rule");
    std::fs::copy(&changed, r.dir.join("sub/added.yml")).expect("add rule");
    assert_eq!(r.counts(&cache), (n - 1, 1, 1));
    paths.push("sub/added.yml".into());
    paths.sort();
    assert_eq!(r.cached_paths("build 1"), paths);

    // Its modification time written again unchanged: the status-change time moved.
    let f = std::fs::File::options()
        .write(true)
        .open(&changed)
        .expect("open rule");
    let old = std::fs::metadata(&changed)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::thread::sleep(Duration::from_millis(20));
    f.set_modified(old).expect("set mtime");
    drop(f);
    assert_eq!(r.counts(&cache), (n - 1, 1, 1));

    // Nothing changed: nothing parsed, nothing written.
    assert_eq!(r.counts(&cache), (n, 0, 0));
}

#[test]
fn a_file_changed_just_now_waits_to_be_cached() {
    let r = rules();
    let n = r.file_count();
    let cache = RuleCache::for_build(&r.cache_dir, "build 1");
    // Every file was written a moment ago: parsed, and left out of the cache.
    assert_eq!(r.counts(&cache), (0, n, 0));
    assert!(!r.cache_file("build 1").exists());
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(r.counts(&cache), (0, n, 1));
    assert_eq!(r.cached_paths("build 1").len(), n);
    assert_eq!(r.counts(&cache), (n, 0, 0));
}

#[test]
fn another_build_or_a_damaged_cache_file_is_not_read() {
    let r = rules();
    let n = r.file_count();
    let fresh = r.load(None);
    let want = observed(&fresh.set, &fresh.issues, &r.events);
    r.load(Some(&r.cache("build 1")));
    assert_eq!(r.cached_paths("build 1").len(), n);

    // Another build writes its own beside it; neither reads the other's.
    let other = r.cache("build 2");
    assert_eq!(r.counts(&other), (0, n, 1));
    assert_eq!(r.cached_paths("build 2").len(), n);
    assert_eq!(r.cached_paths("build 1").len(), n);
    let file = r.cache_file("build 2");
    assert_ne!(file, r.cache_file("build 1"));
    let read = |path: &Path, build| decode_cache_file(&std::fs::read(path).expect("cache"), build);
    assert_eq!(read(&file, "build 1"), None);
    assert_eq!(read(&r.cache_file("build 1"), "build 2"), None);
    // Build 1's contents under build 2's name: not read, rewritten.
    std::fs::copy(r.cache_file("build 1"), &file).expect("copy cache");
    assert_eq!(r.counts(&other), (0, n, 1));
    assert_eq!(r.cached_paths("build 2").len(), n);

    let good = std::fs::read(&file).expect("cache file");
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x40;
    let damages: [(&str, Vec<u8>); 4] = [
        ("a flipped bit", flipped),
        ("cut short", good[..good.len() / 2].to_vec()),
        ("empty", Vec::new()),
        ("not a cache file", b"title: not a cache\n".to_vec()),
    ];
    for (what, bytes) in damages {
        std::fs::write(&file, bytes).expect("damage cache");
        let l = r.load(Some(&other));
        assert_eq!(counts(&l), (0, n, 1), "{what}");
        assert_eq!(observed(&l.set, &l.issues, &r.events), want, "{what}");
        assert_eq!(r.cached_paths("build 2").len(), n, "{what}: rewritten");
    }
}

#[test]
fn a_cache_that_cannot_be_written_is_reported_and_the_rules_load() {
    let r = rules();
    let n = r.file_count();
    let fresh = r.load(None);
    // A file stands where the cache folder should be.
    std::fs::write(&r.cache_dir, b"in the way").expect("file");
    let l = r.load(Some(&r.cache("build 1")));
    assert_eq!(counts(&l), (0, n, 0));
    assert_eq!(l.cache.problems.len(), 1, "{:?}", l.cache.problems);
    let problem = l.cache.problems[0].to_string();
    assert!(
        problem.starts_with("cannot write the rule cache "),
        "{problem}"
    );
    assert_eq!(l.cache.problems[0].file, r.cache_file("build 1"));
    assert_eq!(
        observed(&l.set, &l.issues, &r.events),
        observed(&fresh.set, &fresh.issues, &r.events)
    );
}

#[test]
fn every_sigmahq_rule_file_reads_back_from_the_cache_as_parsed() {
    let Some(corpus) =
        common::corpus("every_sigmahq_rule_file_reads_back_from_the_cache_as_parsed")
    else {
        return;
    };
    let mut entries = Vec::new();
    for dir in common::sigmahq_rule_dirs(&corpus) {
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e.expect("corpus walk");
            if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yml") {
                let text = std::fs::read_to_string(e.path()).expect("rule file");
                let stamp = Stamp::of(&e.metadata().expect("metadata"));
                entries.push((e.path().display().to_string(), stamp, parse_str(&text)));
            }
        }
    }
    assert!(entries.len() >= 3780, "{} files", entries.len());
    let bytes = encode_cache_file("build 1", &entries);
    let back = decode_cache_file(&bytes, "build 1").expect("reads back");
    assert_eq!(back.len(), entries.len());
    for (want, got) in entries.iter().zip(&back) {
        assert_eq!(want, got, "{}", want.0);
    }

    // And a load of every SigmaHQ folder through the cache is the load without it.
    let tmp = tempfile::tempdir().expect("temporary folder");
    let cache = RuleCache::for_build(tmp.path(), "build 1");
    let sources = RuleSources {
        paths: common::sigmahq_rule_dirs(&corpus),
        texts: Vec::new(),
    };
    let load = |cache| load_rules_cached(&sources, Mapping::builtin(), Placeholders::new(), cache);
    let describe = |l: &LoadedRules| observed(&l.set, &l.issues, &[]);
    let want = describe(&load(None));
    let written = load(Some(&cache));
    assert_eq!(written.cache.reused, 0);
    let read = load(Some(&cache));
    assert_eq!((read.cache.reused, read.cache.parsed), (entries.len(), 0));
    assert_eq!(describe(&written), want);
    assert_eq!(describe(&read), want);
}

#[test]
fn cache_files_unused_for_a_month_are_removed_when_one_is_written() {
    let r = rules();
    std::fs::create_dir_all(&r.cache_dir).expect("cache folder");
    let month_ago = std::time::SystemTime::now() - Duration::from_secs(31 * 24 * 3600);
    let put = |name: &str, old: bool| {
        let path = r.cache_dir.join(name);
        std::fs::write(&path, b"x").expect("write");
        if old {
            let f = std::fs::File::options()
                .write(true)
                .open(&path)
                .expect("open");
            f.set_modified(month_ago).expect("set mtime");
        }
    };
    put("rules-0000000000000000.bin", true);
    put("rules-abandoned.part", true);
    put("rules-1111111111111111.bin", false);
    put("notes.txt", true);
    let l = r.load(Some(&r.cache("build 1")));
    assert_eq!(l.cache.written, 1);
    let mut left: Vec<String> = std::fs::read_dir(&r.cache_dir)
        .expect("cache folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    left.sort();
    let written = r.cache_file("build 1");
    let written = written.file_name().expect("name").to_string_lossy();
    let mut want = vec!["notes.txt", "rules-1111111111111111.bin", &written];
    want.sort();
    assert_eq!(left, want);
}
