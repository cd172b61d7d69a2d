//! Loading rule files from folders (and built-in packs) into a rule set.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vigie_engine::{LoadIssue, Mapping, Placeholders, RuleSet, RuleSetBuilder};
use vigie_sigma::{parse_str, Parsed, Severity};

use crate::rule_cache::{CacheReport, ParsedFile, RuleCache};

/// Where rules come from.
#[derive(Clone, Debug, Default)]
pub struct RuleSources {
    /// Rule files or folders (searched recursively for `.yml` / `.yaml`).
    pub paths: Vec<PathBuf>,
    /// Rule texts given directly: `(name, text)`, e.g. a pack built into the binary.
    pub texts: Vec<(String, String)>,
}

/// Loads every rule, compiles them, and returns the set with every problem found.
/// A broken file or rule is reported and the others still load.
pub fn load_rules(
    sources: &RuleSources,
    mapping: Mapping,
    placeholders: Placeholders,
) -> (RuleSet, Vec<LoadIssue>) {
    let loaded = load_rules_cached(sources, mapping, placeholders, None);
    (loaded.set, loaded.issues)
}

/// A rule set loaded, the problems of its rules, and what the cache did.
pub struct LoadedRules {
    pub set: RuleSet,
    pub issues: Vec<LoadIssue>,
    pub cache: CacheReport,
}

/// As [`load_rules`], taking the rule files unchanged since `cache` last saw them from it
/// rather than parsing them again, and updating it.
pub fn load_rules_cached(
    sources: &RuleSources,
    mapping: Mapping,
    placeholders: Placeholders,
    cache: Option<&RuleCache>,
) -> LoadedRules {
    let mut b = RuleSetBuilder::new(mapping, placeholders);
    for (name, text) in &sources.texts {
        b.add_text(name, text);
    }
    let mut report = CacheReport::default();
    // The folders are walked and parsed in parallel (a walk reads one directory after
    // another, and waits on each), each folder's files in parallel too; all is added in the
    // order given, so that the rule set does not depend on the order they were parsed in.
    let folders: Vec<(Vec<LoadIssue>, Vec<ParsedFile>, CacheReport)> = sources
        .paths
        .par_iter()
        .map(|root| {
            let mut problems = Vec::new();
            let files = rule_files(root, &mut problems);
            let mut done = CacheReport::default();
            let cached = cache.and_then(|c| c.parse_files(root, &files, read_and_parse, &mut done));
            let parsed = cached.unwrap_or_else(|| {
                files
                    .par_iter()
                    .map(|f| (f.display().to_string(), read_and_parse(f)))
                    .collect()
            });
            (problems, parsed, done)
        })
        .collect();
    for (problems, parsed, done) in folders {
        problems.into_iter().for_each(|i| b.add_issue(i));
        for (name, p) in parsed {
            match p {
                Ok(p) => b.add_parsed(&name, p),
                Err(message) => b.add_issue(issue(&name, &message)),
            }
        }
        report.add(done);
    }
    let (set, issues) = b.build();
    LoadedRules {
        set,
        issues,
        cache: report,
    }
}

/// Reads a rule file and parses it, or says why it cannot be read.
fn read_and_parse(file: &Path) -> Result<Parsed, String> {
    match std::fs::read(file) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(|t| parse_str(&t))
            .map_err(|_| "the file is not UTF-8 text".to_owned()),
        Err(e) => Err(format!("cannot read: {e}")),
    }
}

fn issue(source: &str, message: &str) -> LoadIssue {
    LoadIssue {
        source: source.to_owned(),
        line: None,
        severity: Severity::Error,
        message: message.to_owned(),
        rule: None,
    }
}

/// The rule files under `p` in path order; what cannot be read goes to `problems`.
fn rule_files(p: &Path, problems: &mut Vec<LoadIssue>) -> Vec<PathBuf> {
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => return vec![p.to_owned()],
        Ok(_) => {}
        Err(e) => {
            problems.push(issue(
                &p.display().to_string(),
                &format!("cannot open: {e}"),
            ));
            return Vec::new();
        }
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(p)
        .follow_links(true)
        .into_iter()
        .filter_map(|e| match e {
            Ok(e) => Some(e),
            Err(err) => {
                problems.push(issue(
                    &p.display().to_string(),
                    &format!("cannot read: {err}"),
                ));
                None
            }
        })
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| x.eq_ignore_ascii_case("yml") || x.eq_ignore_ascii_case("yaml"))
        })
        .collect();
    files.sort_unstable_by(|a, b| path_order(a, b));
    files
}

/// The order of `Path`'s `Ord` (component by component) for the paths of one walk, found
/// faster: by bytes, the separator below every other byte.
fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (a, b) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
        let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let rank = |s: &[u8]| {
            s.get(same)
                .map(|&c| if c == b'/' { 0 } else { u16::from(c) + 1 })
        };
        rank(a).cmp(&rank(b))
    }
    #[cfg(not(unix))]
    {
        a.cmp(b)
    }
}

/// Reads a placeholders file: a YAML map `name: [values]` (a single value is allowed).
pub fn parse_placeholders(text: &str) -> Result<Placeholders, String> {
    let docs = vigie_sigma::yaml::parse_documents(text)
        .map_err(|e| format!("line {}: {}", e.line, e.message))?;
    let mut out = Placeholders::new();
    for doc in docs {
        let Some(entries) = doc.as_map() else {
            return Err(format!(
                "line {}: expected a map of placeholder names to values",
                doc.line
            ));
        };
        for (k, v) in entries {
            let name = k.scalar_text().unwrap_or_default();
            let name = name.trim_matches('%').to_owned();
            let values = match &v.kind {
                vigie_sigma::yaml::NodeKind::Seq(items) => items
                    .iter()
                    .filter_map(vigie_sigma::yaml::Node::scalar_text)
                    .collect(),
                _ => v.scalar_text().into_iter().collect(),
            };
            out.insert(name, values);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Paths under one root as a walk makes them (no `.` or `..` components), from a
        /// small alphabet with separators and the bytes that sort next to them.
        #[test]
        fn path_order_is_paths_order(
            a in "[a.-]{1,3}(/[a.-]{1,3}){0,3}",
            b in "[a.-]{1,3}(/[a.-]{1,3}){0,3}",
        ) {
            prop_assume!(a.split('/').chain(b.split('/')).all(|c| c != "." && c != ".."));
            let (a, b) = (Path::new("root").join(&a), Path::new("root").join(&b));
            prop_assert_eq!(path_order(&a, &b), a.cmp(&b));
        }
    }
}
