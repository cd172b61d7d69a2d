//! Reading the Loghub 2k benchmark sets of the corpus (`anomaly/loghub-2k/`) and running a fresh
//! miner over one set's `Content` column; shared by the `loghub_eval` example and the tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use vigie_templates::{Config, Miner};

/// The corpus folder: `$VIGIE_CORPUS`, else `../shared/corpus` beside the repository.
pub fn corpus() -> PathBuf {
    std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

/// One labelled set: its name, each line's message and true template (empty truths dropped).
pub struct Set {
    pub group: &'static str,
    pub name: String,
    pub contents: Vec<String>,
    pub truths: Vec<String>,
    pub dropped: usize,
    /// Every line's `Content`, those with an empty truth included, in file order.
    pub all_contents: Vec<String>,
}

/// The 14 Loghub-2.0 sets (corrected truth) then the 16 original ones, in name order.
pub fn sets(root: &Path) -> Result<Vec<Set>, String> {
    let mut out = Vec::new();
    for (group, folder, suffix) in [
        (
            "loghub-2.0",
            "loghub2.0-2k",
            "_2k.log_structured_corrected.csv",
        ),
        ("original", "loghub-orig", "_2k.log_structured.csv"),
    ] {
        let dir = root.join(folder);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let file = dir.join(&name).join(format!("{name}{suffix}"));
            if file.is_file() {
                out.push(read_set(group, &name, &file)?);
            }
        }
    }
    Ok(out)
}

fn read_set(group: &'static str, name: &str, file: &Path) -> Result<Set, String> {
    let place = |e: &dyn std::fmt::Display| format!("{}: {e}", file.display());
    let mut reader = csv::Reader::from_path(file).map_err(|e| place(&e))?;
    let headers = reader.headers().map_err(|e| place(&e))?.clone();
    let column = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .ok_or_else(|| place(&format!("no {n} column")))
    };
    let (c, t) = (column("Content")?, column("EventTemplate")?);
    let mut set = Set {
        group,
        name: name.to_owned(),
        contents: Vec::new(),
        truths: Vec::new(),
        dropped: 0,
        all_contents: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(|e| place(&e))?;
        let truth = record.get(t).unwrap_or("");
        set.all_contents
            .push(record.get(c).unwrap_or("").to_owned());
        if truth.is_empty() {
            set.dropped += 1;
            continue;
        }
        set.contents.push(record.get(c).unwrap_or("").to_owned());
        set.truths.push(truth.to_owned());
    }
    Ok(set)
}

/// A fresh miner over the messages: each line's final template and whether it founded its group.
pub fn mine(contents: &[String]) -> (Vec<String>, Vec<bool>) {
    mine_with(contents, Config::default())
}

/// [`mine`] with another configuration (for tuning experiments; the default is what ships).
pub fn mine_with(contents: &[String], config: Config) -> (Vec<String>, Vec<bool>) {
    let mut miner = Miner::new(config);
    let fed: Vec<_> = contents.iter().map(|c| miner.feed(c)).collect();
    let templates = fed
        .iter()
        .map(|f| miner.template(f.id).unwrap_or_default())
        .collect();
    (templates, fed.iter().map(|f| f.is_new).collect())
}
