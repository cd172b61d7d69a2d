//! `vigie hunt --intel`: the indicators to match, read from intel stores, STIX bundles, MISP
//! feeds and events, lists and CSV files, less those MISP warninglists cover, compiled once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::Utc;
use vigie_intel::{import_path, ImportOptions, SourceSpec, Store, Tlp, STORE_FILE};
use vigie_intel_match::{IntelIndex, IntelIndexBuilder, Observables, Warninglist, Warninglists};

use crate::intel_cmd::{import_error, source_name, store_error};
use crate::ui::{paint, Hint};

/// What `--intel`, `--intel-tlp` and `--warninglist` say.
pub struct IntelArgs<'a> {
    pub sources: &'a [PathBuf],
    pub warninglists: &'a [PathBuf],
    pub default_tlp: Tlp,
    pub quiet: bool,
}

fn is_store(path: &Path) -> bool {
    path.is_dir() && path.join(STORE_FILE).is_file()
}

/// The active indicators of the sources, compiled; `None` when no source was given.
pub fn load(args: &IntelArgs) -> Result<Option<Arc<IntelIndex>>> {
    if args.sources.is_empty() {
        return Ok(None);
    }
    let now = Utc::now();
    let lists = read_warninglists(args.warninglists)?;
    let mut builder = IntelIndexBuilder::new(Observables::default());
    let mut active = 0usize;
    let mut covered: Vec<(String, usize)> = Vec::new();
    // Indicators stream from each store into the index, less what a warninglist covers.
    let mut take = |store: &Store, path: &Path| -> Result<()> {
        for (kind, n) in store.count_by_type().map_err(store_error)? {
            builder.reserve(kind, usize::try_from(n).unwrap_or(0));
        }
        store
            .for_each_active(now, |a| {
                active += 1;
                if let Some(name) = lists.covering(a.kind, a.value) {
                    match covered.iter_mut().find(|(n, _)| n == name) {
                        Some((_, c)) => *c += 1,
                        None => covered.push((name.to_owned(), 1)),
                    }
                    return;
                }
                builder.add(a.id, a.kind, a.value, a.tlp, a.sources);
            })
            .map_err(store_error)
            .with_context(|| format!("reading the intel of {}", path.display()))
    };
    // Files, feeds and lists are imported into a store that lives as long as the hunt.
    let mut scratch: Option<Store> = None;
    for path in args.sources {
        if is_store(path) {
            take(&Store::open(path).map_err(store_error)?, path)?;
            continue;
        }
        let store = match &mut scratch {
            Some(s) => s,
            None => scratch.insert(Store::open_file(Path::new(":memory:")).map_err(store_error)?),
        };
        let spec = SourceSpec {
            name: source_name(path),
            default_tlp: Some(args.default_tlp),
            default_confidence: None,
        };
        let report = import_path(store, &spec, path, &ImportOptions::new(now))
            .map_err(import_error)
            .with_context(|| format!("reading intel from {}", path.display()))?;
        for p in &report.problems {
            eprintln!("{} {p}", paint("warning:", "1;33"));
        }
    }
    if let Some(store) = &scratch {
        take(store, Path::new("--intel files"))?;
    }
    let index = builder.finish();
    if !args.quiet {
        let s = index.stats();
        eprintln!(
            "intel: {} indicators to match in events (of {active} active{}{})",
            index.len(),
            if covered.is_empty() {
                String::new()
            } else {
                let parts: Vec<String> = covered
                    .iter()
                    .map(|(n, c)| format!("{c} on warninglist {n:?}"))
                    .collect();
                format!("; {}", parts.join(", "))
            },
            if s.patterns_skipped > 0 {
                format!(
                    "; {} STIX pattern{} beyond equalities not matched in events",
                    s.patterns_skipped,
                    if s.patterns_skipped == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            },
        );
    }
    Ok(Some(Arc::new(index)))
}

fn read_warninglists(paths: &[PathBuf]) -> Result<Warninglists> {
    let mut lists = Warninglists::default();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read warninglist {}", path.display()))?;
        let list = Warninglist::parse(&text, &path.display().to_string()).context(Hint(
            "a MISP warninglist is a JSON object with `list`, `type` (string, substring, \
             hostname, cidr, regex) and optionally `matching_attributes`"
                .into(),
        ))?;
        lists.push(list);
    }
    Ok(lists)
}
