//! Reading every input file in parallel (one task per file), results kept in input order so
//! that output never depends on the number of threads.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use vigie_decode::{read_part, read_stdin, split, Item, Part, ReadOptions};
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

/// Runs `work(file index, part)` on every part of every file (large files are cut into
/// parts: JSON lines at line boundaries, EVTX by chunks) with `threads` workers (0: one
/// per core), telling `progress`; returns the results in file and part order, so that output
/// never depends on the thread count.
pub(crate) fn for_each_file<T: Send>(
    files: &[PathBuf],
    threads: usize,
    progress: &dyn Progress,
    work: impl Fn(usize, &Part) -> T + Sync,
) -> Vec<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .ok();
    // Cutting looks for the line ends of big JSON files: on the workers too.
    let cut_all = || -> Vec<(usize, Part)> {
        files
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, f)| {
                let parts = if f.as_os_str() == "-" {
                    vec![Part::whole(f.clone())]
                } else {
                    split(f)
                };
                parts.into_iter().map(move |p| (i, p))
            })
            .collect()
    };
    let parts: Vec<(usize, Part)> = match &pool {
        Some(pool) => pool.install(cut_all),
        None => cut_all(),
    };
    let sizes: Vec<u64> = parts.iter().map(|(_, p)| p.len()).collect();
    progress.total_files(files.len(), sizes.iter().sum());
    // Largest files first, each part its own task: no thread is left with a big task at the
    // end (no part is much over `PART_SIZE` but a file under twice that, read whole). A file's
    // parts stay in file order, so that a part numbers its lines after the counts the
    // readers of the parts before it made (one thread reads each byte once).
    let mut file_sizes = vec![0u64; files.len()];
    for ((file, _), size) in parts.iter().zip(&sizes) {
        file_sizes[*file] += size;
    }
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(file_sizes[parts[i].0]));
    let run = |&i: &usize| {
        let (index, part) = &parts[i];
        let out = work(*index, part);
        progress.file_done(sizes[i]);
        (i, out)
    };
    let done: Vec<(usize, T)> = match &pool {
        Some(pool) => pool.install(|| order.par_iter().with_max_len(1).map(run).collect()),
        None => order.iter().map(run).collect(),
    };
    let mut slots: Vec<Option<T>> = (0..parts.len()).map(|_| None).collect();
    for (i, out) in done {
        slots[i] = Some(out);
    }
    slots.into_iter().flatten().collect()
}

/// Reads one input (`-` is standard input).
pub(crate) fn read_input(part: &Part, read: &ReadOptions, sink: &mut dyn FnMut(Item)) {
    if part.path.as_os_str() == "-" {
        read_stdin(read, sink);
    } else {
        read_part(part, read, sink);
    }
}
