//! Reading every input file in parallel (one task per file), results kept in input order so
//! that output never depends on the number of threads.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use vigie_decode::{read_path, read_stdin, Item, ReadOptions};
use vigie_event::Event;

use crate::hunt::Progress;

/// A time window over events; events without a time are outside any bounded window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl Window {
    pub fn contains(&self, ev: &Event) -> bool {
        if self.from.is_none() && self.to.is_none() {
            return true;
        }
        ev.timestamp
            .is_some_and(|t| self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t <= e))
    }
}

/// Runs `work(index, file)` on every file with `threads` workers (0: one per core), telling
/// `progress`; returns the results in file order.
pub(crate) fn for_each_file<T: Send>(
    files: &[PathBuf],
    threads: usize,
    progress: &dyn Progress,
    work: impl Fn(usize, &Path) -> T + Sync,
) -> Vec<T> {
    let size = |f: &PathBuf| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
    progress.total_files(files.len(), files.iter().map(size).sum());
    let run = |(index, file): (usize, &PathBuf)| {
        let out = work(index, file);
        progress.file_done(size(file));
        out
    };
    let indexed: Vec<(usize, &PathBuf)> = files.iter().enumerate().collect();
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(|| indexed.par_iter().map(|&x| run(x)).collect()),
        Err(_) => indexed.iter().map(|&x| run(x)).collect(),
    }
}

/// Reads one input (`-` is standard input).
pub(crate) fn read_input(file: &Path, read: &ReadOptions, sink: &mut dyn FnMut(Item)) {
    if file.as_os_str() == "-" {
        read_stdin(read, sink);
    } else {
        read_path(file, read, sink);
    }
}
