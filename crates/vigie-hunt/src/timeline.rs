//! A hunt's detections in time order, in bounded memory: detections gather in memory up to a
//! budget, are then sorted and written to a temporary run file, and the timeline is read back
//! as a merge of the runs. Memory stays flat however large the input. The entries are
//! detections, or their output lines rendered on the worker threads ([`Rendered`]).

use std::borrow::Cow;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::detection::{Detection, RuleHead};
use crate::spill::RunReader;

/// Memory kept for detections before they are written to a run file.
pub const DEFAULT_MEMORY_BUDGET: usize = 16 << 20;

/// At most this many run files: beyond it they are merged into one.
const MAX_RUNS: usize = 64;

/// The timeline order: time (untimed first), input file, record, then order of finding.
pub(crate) type Key = (Option<DateTime<Utc>>, usize, u64, u64);

/// What a timeline holds: [`Detection`]s, or [`Rendered`] lines. Sealed: implemented by
/// those two only, in `spill` (next to how each is written to a run file).
pub trait Entry: Clone + Send + sealed::Sealed {
    #[doc(hidden)]
    fn key(&self) -> Key;
    /// Roughly the bytes it holds.
    #[doc(hidden)]
    fn footprint(&self) -> usize;
    #[doc(hidden)]
    fn write(&self, out: &mut dyn Write) -> io::Result<()>;
    /// The next entry of a run file (`None` at its end); `buf` is reused.
    #[doc(hidden)]
    fn read(
        input: &mut dyn BufRead,
        buf: &mut Vec<u8>,
        templates: &[RuleHead],
    ) -> io::Result<Option<Self>>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Detection {}
    impl Sealed for super::Rendered {}
}

/// A detection rendered on the worker thread that found it, as the output will print it (a
/// JSON line, say), with its place in the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub(crate) key: Key,
    pub(crate) line: Box<[u8]>,
}

impl Rendered {
    /// The bytes the renderer wrote.
    pub fn line(&self) -> &[u8] {
        &self.line
    }
}

/// Roughly the bytes a detection holds.
pub(crate) fn footprint(d: &Detection) -> usize {
    let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    let matched: usize = d
        .matched
        .iter()
        .map(|(k, v)| 48 + k.len() + v.to_text().map_or(16, |t| t.len()))
        .sum();
    let rule: usize = d.rule_title.len()
        + d.rule_id.len()
        + d.author.len()
        + d.tags.iter().map(|t| 24 + t.len()).sum::<usize>();
    let intel = d.intel.as_ref().map_or(0, |i| {
        64 + i.indicator.len() + i.intel_source.len() + i.tlp.len()
    });
    320 + rule + d.source.len() + text(&d.computer) + text(&d.channel) + matched + intel
}

/// Collects entries (in any order) into a [`Timeline`].
pub(crate) struct Collector<T> {
    mem: Vec<T>,
    bytes: usize,
    budget: usize,
    runs: Vec<PathBuf>,
    /// Run files named so far (written or being written).
    named: usize,
    /// The space of the last run written, for the next one to fill.
    spare: Vec<T>,
    dir: Option<tempfile::TempDir>,
    len: usize,
    /// Per rule: the detection with the rule's data, to complete what run files hold.
    templates: Vec<RuleHead>,
    /// Why spilling to disk stopped working (everything then stays in memory).
    pub(crate) spill_error: Option<String>,
}

impl<T: Entry> Collector<T> {
    pub(crate) fn new(budget: usize, templates: Vec<RuleHead>) -> Self {
        Collector {
            templates,
            mem: Vec::new(),
            bytes: 0,
            budget: budget.max(1),
            runs: Vec::new(),
            named: 0,
            spare: Vec::new(),
            dir: None,
            len: 0,
            spill_error: None,
        }
    }

    /// Adds entries; past the budget, what is in memory is written to a run file.
    pub(crate) fn extend(&mut self, entries: impl IntoIterator<Item = T>) {
        if let Some(mut run) = self.take_in(entries) {
            let written = run.write();
            self.add_run(run, written);
        }
    }

    /// Adds entries. Past the budget, what is in memory is taken out as a run, for the
    /// caller to sort and write outside the collector's lock ([`collect`]) and hand back
    /// ([`Collector::add_run`]): another thread handing entries over meanwhile does not wait
    /// for the disk.
    fn take_in(&mut self, entries: impl IntoIterator<Item = T>) -> Option<PendingRun<T>> {
        for d in entries {
            self.bytes += d.footprint();
            self.len += 1;
            self.mem.push(d);
        }
        if self.bytes <= self.budget || self.spill_error.is_some() {
            return None;
        }
        if self.runs.len() >= MAX_RUNS {
            // Too many files open at the end otherwise: fold them into one first.
            self.compact();
        }
        match self.run_dir() {
            Ok(dir) => {
                let path = dir.join(format!("run-{}", self.named));
                self.named += 1;
                self.bytes = 0;
                let entries = std::mem::replace(&mut self.mem, std::mem::take(&mut self.spare));
                Some(PendingRun { path, entries })
            }
            Err(e) => {
                self.spill_error = Some(spill_failed(&e));
                None
            }
        }
    }

    /// Takes back a run taken out by [`Collector::take_in`], once `written`: its file joins
    /// the runs, or, when writing it failed, its entries stay in memory.
    fn add_run(&mut self, run: PendingRun<T>, written: io::Result<()>) {
        let PendingRun { path, mut entries } = run;
        match written {
            Ok(()) => {
                self.runs.push(path);
                // Cleared, not dropped: the next run fills the same space.
                entries.clear();
                if entries.capacity() > self.spare.capacity() {
                    self.spare = entries;
                }
            }
            Err(e) => {
                self.spill_error = Some(spill_failed(&e));
                self.bytes += entries.iter().map(T::footprint).sum::<usize>();
                self.mem.append(&mut entries);
            }
        }
    }

    /// Merges the run files written so far into one.
    fn compact(&mut self) {
        let mut t: Timeline<T> = Timeline {
            mem: Vec::new(),
            runs: std::mem::take(&mut self.runs),
            dir: self.dir.take(),
            len: 0,
            templates: std::mem::take(&mut self.templates),
        };
        if let Err(e) = t.merge_runs() {
            self.spill_error = Some(format!("could not merge temporary files: {e}"));
        }
        self.runs = std::mem::take(&mut t.runs);
        self.dir = t.dir.take();
        self.templates = std::mem::take(&mut t.templates);
    }

    fn run_dir(&mut self) -> io::Result<PathBuf> {
        if self.dir.is_none() {
            self.dir = Some(
                tempfile::Builder::new()
                    .prefix("vigie-timeline-")
                    .tempdir()?,
            );
        }
        Ok(self
            .dir
            .as_ref()
            .map(|d| d.path().to_path_buf())
            .unwrap_or_default())
    }

    /// Sorts what is in memory; merges run files into one if there are too many. Returns the
    /// timeline and, when writing temporary files failed, why.
    pub(crate) fn finish(mut self) -> (Timeline<T>, Option<String>) {
        self.mem.sort_by_key(T::key);
        let mut error = self.spill_error;
        let mut t = Timeline {
            mem: self.mem,
            runs: self.runs,
            dir: self.dir,
            len: self.len,
            templates: self.templates,
        };
        if t.runs.len() > MAX_RUNS {
            if let Err(e) = t.merge_runs() {
                error = Some(format!("could not merge temporary files: {e}"));
            }
        }
        (t, error)
    }
}

/// Entries a collector took out to be written to a run file.
pub(crate) struct PendingRun<T> {
    path: PathBuf,
    entries: Vec<T>,
}

impl<T: Entry> PendingRun<T> {
    /// Sorts the entries and writes them to the run's file.
    fn write(&mut self) -> io::Result<()> {
        self.entries.sort_by_key(T::key);
        write_run(&self.path, self.entries.iter())
    }
}

/// Hands entries over to a collector shared by the worker threads; a run it takes out is
/// sorted and written by this thread without holding the lock.
pub(crate) fn collect<T: Entry>(
    collector: &std::sync::Mutex<Collector<T>>,
    entries: impl IntoIterator<Item = T>,
) {
    let pending = collector.lock().ok().and_then(|mut c| c.take_in(entries));
    if let Some(mut run) = pending {
        let written = run.write();
        if let Ok(mut c) = collector.lock() {
            c.add_run(run, written);
        }
    }
}

fn spill_failed(e: &io::Error) -> String {
    format!("could not write detections to a temporary file ({e}); keeping them in memory")
}

/// Writes entries, in the order given, to a new run file.
fn write_run<'a, T: Entry + 'a>(
    path: &std::path::Path,
    entries: impl Iterator<Item = &'a T>,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, std::fs::File::create(path)?);
    for e in entries {
        e.write(&mut out)?;
    }
    out.flush()
}

/// A hunt's detections (or their rendered lines) in time order (events without a time
/// first, in input order).
pub struct Timeline<T = Detection> {
    /// Entries not written to a run file, sorted.
    mem: Vec<T>,
    runs: Vec<PathBuf>,
    dir: Option<tempfile::TempDir>,
    len: usize,
    /// Per rule: the detection with the rule's data, to complete what run files hold.
    templates: Vec<RuleHead>,
}

impl<T> Default for Timeline<T> {
    fn default() -> Self {
        Timeline {
            mem: Vec::new(),
            runs: Vec::new(),
            dir: None,
            len: 0,
            templates: Vec::new(),
        }
    }
}

impl<T> fmt::Debug for Timeline<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeline")
            .field("len", &self.len)
            .field("runs", &self.runs.len())
            .finish()
    }
}

impl<T: Entry> Timeline<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many temporary run files hold part of it.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// The entries in order. Reading back a temporary file can fail (an I/O error).
    pub fn iter(&self) -> io::Result<Iter<'_, T>> {
        let mut sources = Vec::with_capacity(self.runs.len());
        for r in &self.runs {
            sources.push(RunReader::open(r, &self.templates)?);
        }
        let mut it = Iter {
            mem: &self.mem,
            next_mem: 0,
            runs: sources,
            heads: BinaryHeap::new(),
            pending: Vec::new(),
            failed: false,
        };
        for i in 0..it.runs.len() {
            it.refill(i);
        }
        Ok(it)
    }

    /// Every entry, in order, in memory.
    pub fn to_vec(&self) -> io::Result<Vec<T>> {
        self.iter()?
            .map(|d| d.map(Cow::into_owned))
            .collect::<io::Result<Vec<_>>>()
    }

    /// Merges every run file into one.
    fn merge_runs(&mut self) -> io::Result<()> {
        let Some(dir) = self.dir.as_ref().map(|d| d.path().to_path_buf()) else {
            return Ok(());
        };
        let path = (0..)
            .map(|n| dir.join(format!("merged-{n}")))
            .find(|p| !p.exists())
            .unwrap_or_else(|| dir.join("merged"));
        {
            let mem = std::mem::take(&mut self.mem);
            let it = self.iter()?;
            let mut out = io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&path)?);
            for d in it {
                d?.as_ref().write(&mut out)?;
            }
            io::Write::flush(&mut out)?;
            self.mem = mem;
        }
        for r in self.runs.drain(..) {
            let _ = std::fs::remove_file(r);
        }
        self.runs.push(path);
        Ok(())
    }
}

/// A run's next detection, ordered for the merge heap.
struct Head {
    key: Key,
    run: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.key, self.run).cmp(&(other.key, other.run))
    }
}

/// The merge of the in-memory entries and the run files, in timeline order.
pub struct Iter<'a, T> {
    mem: &'a [T],
    next_mem: usize,
    runs: Vec<RunReader<'a, T>>,
    heads: BinaryHeap<Reverse<Head>>,
    /// Per run: its next entry, read ahead.
    pending: Vec<Option<T>>,
    failed: bool,
}

impl<T: Entry> Iter<'_, T> {
    /// Reads run `i`'s next detection; an error stops the iteration after being returned.
    fn refill(&mut self, i: usize) -> Option<io::Error> {
        if self.pending.len() < self.runs.len() {
            self.pending.resize_with(self.runs.len(), || None);
        }
        match self.runs[i].next() {
            Some(Ok(d)) => {
                self.heads.push(Reverse(Head {
                    key: d.key(),
                    run: i,
                }));
                self.pending[i] = Some(d);
                None
            }
            Some(Err(e)) => Some(e),
            None => None,
        }
    }
}

impl<'a, T: Entry> Iterator for Iter<'a, T> {
    type Item = io::Result<Cow<'a, T>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let from_mem = self.mem.get(self.next_mem);
        let take_mem = match (from_mem, self.heads.peek()) {
            (Some(m), Some(Reverse(h))) => m.key() <= h.key,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return None,
        };
        if take_mem {
            self.next_mem += 1;
            return from_mem.map(|d| Ok(Cow::Borrowed(d)));
        }
        let Reverse(head) = self.heads.pop()?;
        let d = self.pending.get_mut(head.run).and_then(Option::take)?;
        if let Some(e) = self.refill(head.run) {
            self.failed = true;
            return Some(Err(e));
        }
        Some(Ok(Cow::Owned(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u64) -> Rendered {
        Rendered {
            key: (None, 0, n, n),
            line: format!("line {n}\n").into_bytes().into(),
        }
    }

    fn lines(t: &Timeline<Rendered>) -> Vec<u64> {
        t.iter()
            .expect("readable")
            .map(|r| r.expect("readable").key.2)
            .collect()
    }

    /// A run taken out past the budget is written by the caller; the timeline holds it.
    #[test]
    fn a_run_taken_out_is_written_by_the_caller() {
        let mut c = Collector::<Rendered>::new(1, Vec::new());
        let mut run = c.take_in([line(3), line(1)]).expect("past the budget");
        c.extend([line(2)]);
        let written = run.write();
        c.add_run(run, written);
        let (t, error) = c.finish();
        assert_eq!(error, None);
        assert_eq!(t.spilled_runs(), 2);
        assert_eq!(lines(&t), vec![1, 2, 3]);
    }

    /// When writing a run fails, its entries stay in memory and the failure is told.
    #[test]
    fn a_run_that_cannot_be_written_stays_in_memory() {
        let mut c = Collector::<Rendered>::new(1, Vec::new());
        let run = c.take_in([line(2), line(1)]).expect("past the budget");
        c.add_run(run, Err(io::Error::other("disk full")));
        c.extend([line(0)]);
        let (t, error) = c.finish();
        assert!(error.is_some_and(|e| e.contains("disk full")));
        assert_eq!(t.spilled_runs(), 0);
        assert_eq!(lines(&t), vec![0, 1, 2]);
    }
}
