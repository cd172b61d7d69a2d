//! Loading rule files from folders (and built-in packs) into a rule set.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vigie_engine::{LoadIssue, Mapping, Placeholders, RuleSet, RuleSetBuilder};
use vigie_sigma::{parse_str, Parsed, Severity};

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
    let mut b = RuleSetBuilder::new(mapping, placeholders);
    for (name, text) in &sources.texts {
        b.add_text(name, text);
    }
    let files: Vec<PathBuf> = sources
        .paths
        .iter()
        .flat_map(|p| rule_files(p, &mut b))
        .collect();
    // Read and parse in parallel; add in file order, so that the rule set does not depend on it.
    let parsed: Vec<(String, Result<Parsed, String>)> = files
        .par_iter()
        .map(|file| {
            let name = file.display().to_string();
            let text = match std::fs::read(file) {
                Ok(bytes) => {
                    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())
                }
                Err(e) => Err(format!("cannot read: {e}")),
            };
            (name, text.map(|t| parse_str(&t)))
        })
        .collect();
    for (name, p) in parsed {
        match p {
            Ok(p) => b.add_parsed(&name, p),
            Err(message) => b.add_issue(issue(&name, &message)),
        }
    }
    b.build()
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

fn rule_files(p: &Path, b: &mut RuleSetBuilder) -> Vec<PathBuf> {
    match std::fs::metadata(p) {
        Ok(m) if m.is_file() => return vec![p.to_owned()],
        Ok(_) => {}
        Err(e) => {
            b.add_issue(issue(
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
                b.add_issue(issue(
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
    files.sort();
    files
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
