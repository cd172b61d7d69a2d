//! Searching logs without rules (as responders do with Chainsaw's search): every event that
//! an [`EventFilter`] accepts, in time order.

use std::path::PathBuf;

use vigie_decode::{discover, DecodeError, Item, Part, ReadOptions};
use vigie_engine::EventFilter;
use vigie_event::Event;

use crate::detection::Identity;
use crate::hunt::Progress;
use crate::inputs::{for_each_file, read_input, Window};

/// How to search.
#[derive(Clone, Debug, Default)]
pub struct SearchOptions {
    /// Worker threads (0: one per core).
    pub threads: usize,
    pub window: Window,
    pub read: ReadOptions,
}

/// An event that matched, with the input it came from.
#[derive(Clone, Debug)]
pub struct Found {
    /// The file (`archive.zip!member` inside an archive; `-` for stdin).
    pub source: String,
    pub event: Event,
    pub identity: Identity,
}

/// What a search found.
#[derive(Debug, Default)]
pub struct SearchReport {
    /// Matching events in time order (events without a time first, in input order).
    pub found: Vec<Found>,
    pub errors: Vec<DecodeError>,
    pub files: usize,
    pub events: u64,
}

/// Searches the given inputs (files, folders, or `-` for stdin).
pub fn search(
    inputs: &[PathBuf],
    filter: &EventFilter,
    opts: &SearchOptions,
    progress: &dyn Progress,
) -> SearchReport {
    scan(inputs, Some(filter), opts, progress)
}

/// Decodes every event of the inputs and counts them, keeping nothing (streaming).
pub fn count_events(
    inputs: &[PathBuf],
    opts: &SearchOptions,
    progress: &dyn Progress,
) -> SearchReport {
    scan(inputs, None, opts, progress)
}

/// Reads every event inside the window; keeps those `filter` accepts (none without a filter),
/// in time order.
fn scan(
    inputs: &[PathBuf],
    filter: Option<&EventFilter>,
    opts: &SearchOptions,
    progress: &dyn Progress,
) -> SearchReport {
    let p = project(inputs, opts, progress, |source, event| {
        filter.filter(|f| f.matches(event)).map(|_| Found {
            source: source.to_owned(),
            identity: Identity::of(event),
            event: event.clone(),
        })
    });
    SearchReport {
        found: p.items,
        errors: p.errors,
        files: p.files,
        events: p.events,
    }
}

/// What [`project`] kept of the inputs: one item per event `keep` accepted, in time order
/// (events without a time first, then input order), with the errors met and the events read.
#[derive(Debug)]
pub struct Projected<T> {
    pub items: Vec<T>,
    pub errors: Vec<DecodeError>,
    pub files: usize,
    pub events: u64,
}

/// Reads every event of the inputs (in parallel, one part per task) and keeps what `keep`
/// makes of it, in time order whatever the number of threads: the streaming detectors'
/// input (anomaly baselines read small projections, not whole events).
pub fn project<T: Send>(
    inputs: &[PathBuf],
    opts: &SearchOptions,
    progress: &dyn Progress,
    keep: impl Fn(&str, &Event) -> Option<T> + Sync,
) -> Projected<T> {
    type Key = (Option<chrono::DateTime<chrono::Utc>>, usize, u64, u64);
    let (files, mut errors) = discover(inputs);
    let run = |index: usize, part: &Part| {
        let mut items: Vec<(Key, T)> = Vec::new();
        let mut errs = Vec::new();
        let mut events = 0u64;
        read_input(part, &opts.read, &mut |item| match item {
            Item::Event(source, event) => {
                if !opts.window.contains(&event) {
                    return;
                }
                events += 1;
                if let Some(t) = keep(source, &event) {
                    let key = (event.timestamp, index, event.record_id, events);
                    items.push((key, t));
                }
            }
            Item::Error(e) => errs.push(e),
        });
        (items, errs, events)
    };
    let mut all: Vec<(Key, T)> = Vec::new();
    let mut total = 0;
    for (items, errs, events) in for_each_file(&files, opts.threads, progress, run) {
        all.extend(items);
        errors.extend(errs);
        total += events;
    }
    all.sort_by_key(|(k, _)| *k);
    Projected {
        items: all.into_iter().map(|(_, t)| t).collect(),
        errors,
        files: files.len(),
        events: total,
    }
}
