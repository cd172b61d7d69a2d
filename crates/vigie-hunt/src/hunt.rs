//! Running a hunt: inputs decoded in parallel (one file per task), every event through the
//! rule set, correlations over the time-ordered hits, then one timeline.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use vigie_decode::{discover, DecodeError, Item, Part, ReadOptions};
use vigie_engine::{Correlator, CorrelatorLimits, Hit, RuleKind, RuleSet, Scratch};
use vigie_event::Value;
use vigie_sigma::Level;

use std::sync::{Arc, Mutex};

use vigie_intel_match::IntelIndex;

use crate::detection::{computer_of, Detection, RuleHead};
use crate::exclusions::Exclusions;
use crate::inputs::{for_each_file, read_input, Window};
use crate::intel::{intel_detections, intel_heads};
use crate::tally::Tally;
use crate::timeline::{collect, Collector, Entry, Rendered, Timeline, DEFAULT_MEMORY_BUDGET};

/// How to hunt.
#[derive(Clone, Debug, Default)]
pub struct HuntOptions {
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Only events inside this time window.
    pub window: Window,
    /// Only detections at this level or above.
    pub min_level: Option<Level>,
    pub exclusions: Exclusions,
    pub read: ReadOptions,
    pub correlation_limits: CorrelatorLimits,
    /// Memory for detections before they are sorted into temporary files (0: the default,
    /// [`DEFAULT_MEMORY_BUDGET`]).
    pub memory_budget: usize,
    /// Threat-intel indicators matched against every event (in the time window), each hit a
    /// detection of kind `intel`.
    pub intel: Option<Arc<IntelIndex>>,
    /// Render each detection on the worker thread that finds it: the report then holds the
    /// rendered lines ([`HuntReport::lines`]) instead of the detections.
    pub render: Option<Renderer>,
}

/// Appends a detection, as the output prints it, to a buffer (a JSON line, say).
pub type RenderFn = dyn Fn(&Detection, &mut Vec<u8>) + Send + Sync;

/// A [`RenderFn`] shared by the worker threads.
#[derive(Clone)]
pub struct Renderer(pub Arc<RenderFn>);

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Renderer")
    }
}

/// Told about progress (a progress bar, say). Called from worker threads.
pub trait Progress: Sync {
    fn total_files(&self, _files: usize, _bytes: u64) {}
    fn file_done(&self, _bytes: u64) {}
}

impl Progress for () {}

/// Counts for the summary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub events: u64,
    /// Events outside `--from` / `--to`.
    pub events_outside_window: u64,
    pub detections: usize,
    pub by_level: BTreeMap<String, usize>,
    /// `(rule title, rule id, count)`, most frequent first.
    pub top_rules: Vec<(String, String, usize)>,
    /// Identical detections (same rule, host and matched values) seen more than once, most
    /// frequent first.
    pub repeated: Vec<Repeated>,
    pub errors: usize,
    /// Detections silenced by exclusions: `(rule, reason, count)`.
    pub silenced: Vec<(String, String, usize)>,
    /// Hits dropped because correlation state reached its cap.
    pub correlation_capped: u64,
    /// Hits of correlated rules whose event had no time.
    pub correlation_untimed: u64,
    /// Detections left out of `repeated` because too many distinct ones were seen.
    pub repeat_ungrouped: u64,
    /// Why detections could not be written to temporary files (they were kept in memory).
    pub spill_error: Option<String>,
}

/// A detection repeated identically.
#[derive(Clone, Debug, PartialEq)]
pub struct Repeated {
    pub rule_title: String,
    pub computer: Option<String>,
    /// The matched fields, `name=value` joined with spaces.
    pub matched: String,
    pub count: usize,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
}

/// What a hunt found.
#[derive(Debug, Default)]
pub struct HuntReport {
    /// Detections in time order (events without a time first, in input order); empty when
    /// the hunt rendered them ([`HuntOptions::render`]).
    pub detections: Timeline,
    /// The rendered detections in the same order, when the hunt was given a renderer.
    pub lines: Timeline<Rendered>,
    pub errors: Vec<DecodeError>,
    pub summary: Summary,
}

struct CorrInput {
    rule: usize,
    time: Option<DateTime<Utc>>,
    fields: Vec<(String, Value)>,
    file_index: usize,
    source: String,
    record_id: u64,
    computer: Option<String>,
}

#[derive(Default)]
struct FileResult {
    corr: Vec<CorrInput>,
    errors: Vec<DecodeError>,
    events: u64,
    outside: u64,
}

/// Detections a worker holds before handing them to the shared collector.
const BATCH: usize = 1024;

/// A worker's detections not handed over yet: as they are, or rendered.
#[derive(Default)]
struct Batch {
    detections: Vec<Detection>,
    lines: Vec<Rendered>,
    /// The line being rendered (reused).
    buf: Vec<u8>,
}

impl Batch {
    fn push(&mut self, d: Detection, render: Option<&Renderer>) {
        let Some(render) = render else {
            return self.detections.push(d);
        };
        self.buf.clear();
        (render.0)(&d, &mut self.buf);
        self.lines.push(Rendered {
            key: d.key(),
            line: self.buf.as_slice().into(),
        });
    }

    fn len(&self) -> usize {
        self.detections.len() + self.lines.len()
    }
}

/// Correlation detections sort after the event detections they share a record with.
const CORRELATION_SEQ: u64 = 1 << 62;

/// Applies the level floor and exclusions; counts what is kept or silenced.
fn admit(d: &Detection, opts: &HuntOptions, tally: &mut Tally) -> bool {
    if let Some(m) = opts.min_level {
        if Level::parse(&d.level).is_none_or(|l| l < m) {
            return false;
        }
    }
    if let Some(e) = opts.exclusions.silences(d) {
        tally.silence(d, &e.reason);
        return false;
    }
    tally.count(d);
    true
}

/// Hunts the given inputs (files, folders, or `-` for stdin) with a rule set.
pub fn hunt(
    inputs: &[PathBuf],
    rules: &RuleSet,
    opts: &HuntOptions,
    progress: &dyn Progress,
) -> HuntReport {
    hunt_found(discover(inputs), rules, opts, progress)
}

/// [`hunt`] over the files and errors [`vigie_decode::discover`] found beforehand (while the
/// rules loaded, say).
pub fn hunt_found(
    found: (Vec<PathBuf>, Vec<DecodeError>),
    rules: &RuleSet,
    opts: &HuntOptions,
    progress: &dyn Progress,
) -> HuntReport {
    let (files, mut errors) = found;
    let wanted: Vec<Option<Vec<String>>> = {
        let c = Correlator::new(rules, opts.correlation_limits);
        (0..rules.rules().len())
            .map(|r| c.wants(r).then(|| c.fields_for(r)))
            .collect()
    };
    let mut templates: Vec<RuleHead> = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let kind = match info.kind {
                RuleKind::Detection => "detection",
                RuleKind::Correlation => "correlation",
            };
            RuleHead::new(i, info, kind)
        })
        .collect();
    // Intel detections are numbered after the rules.
    let first_intel = templates.len();
    templates.extend(intel_heads(first_intel));
    let budget = if opts.memory_budget == 0 {
        DEFAULT_MEMORY_BUDGET
    } else {
        opts.memory_budget
    };
    let collector = Mutex::new(Collector::<Detection>::new(budget, templates.clone()));
    let line_collector = Mutex::new(Collector::<Rendered>::new(budget, Vec::new()));
    // Each part's counts join these as soon as the part is done (kept per part until the end,
    // their repeat groups grew with the number of files).
    let shared_tally = Mutex::new(Tally::default());
    let hand_over = |batch: &mut Batch| {
        if !batch.detections.is_empty() {
            collect(&collector, batch.detections.drain(..));
        }
        if !batch.lines.is_empty() {
            collect(&line_collector, batch.lines.drain(..));
        }
    };
    // Scratch space goes from part to part, so that what it remembers (the field values met
    // before) outlives small files; at most one a thread is ever in use.
    let scratches: Mutex<Vec<Scratch>> = Mutex::new(Vec::new());
    let run = |index: usize, file: &Part| -> FileResult {
        let mut res = FileResult::default();
        let mut scratch = scratches
            .lock()
            .ok()
            .and_then(|mut s| s.pop())
            .unwrap_or_default();
        let mut hits: Vec<Hit> = Vec::new();
        let mut batch = Batch::default();
        let mut tally = Tally::default();
        let mut seq = 0u64;
        let mut keep = |mut d: Detection, batch: &mut Batch, tally: &mut Tally| {
            d.file_index = index;
            d.seq = seq;
            seq += 1;
            if admit(&d, opts, tally) {
                batch.push(d, opts.render.as_ref());
                if batch.len() >= BATCH {
                    hand_over(batch);
                }
            }
        };
        let mut sink = |item: Item| match item {
            Item::Event(source, ev) => {
                res.events += 1;
                if !opts.window.contains(&ev) {
                    res.outside += 1;
                    return;
                }
                rules.evaluate(&ev, &mut scratch, &mut hits);
                for h in hits.drain(..) {
                    if let Some(Some(fields)) = wanted.get(h.rule) {
                        res.corr.push(CorrInput {
                            rule: h.rule,
                            time: ev.timestamp,
                            fields: fields
                                .iter()
                                .filter_map(|f| ev.get(f).map(|v| (f.clone(), v.clone())))
                                .collect(),
                            file_index: index,
                            source: source.to_owned(),
                            record_id: ev.record_id,
                            computer: computer_of(&ev),
                        });
                    }
                    if rules.emits(h.rule) {
                        let d = Detection::from_event(&templates[h.rule], &ev, source, h.matched);
                        keep(d, &mut batch, &mut tally);
                    }
                }
                if let Some(intel) = &opts.intel {
                    intel_detections(intel, &templates, first_intel, &ev, source, |d| {
                        keep(d, &mut batch, &mut tally)
                    });
                }
            }
            Item::Error(e) => res.errors.push(e),
        };
        read_input(file, &opts.read, &mut sink);
        hand_over(&mut batch);
        if let Ok(mut t) = shared_tally.lock() {
            t.merge(tally);
        }
        if let Ok(mut s) = scratches.lock() {
            s.push(scratch);
        }
        res
    };
    let results = for_each_file(&files, opts.threads, progress, run);

    let mut report = HuntReport::default();
    let mut tally = shared_tally
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut corr_inputs = Vec::new();
    report.summary.files = files.len();
    for r in results {
        report.summary.events += r.events;
        report.summary.events_outside_window += r.outside;
        errors.extend(r.errors);
        corr_inputs.extend(r.corr);
    }
    let mut collector = collector
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut line_collector = line_collector
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    // Correlations, over the hits in time order (stable: input order among equal times).
    if !corr_inputs.is_empty() {
        corr_inputs.sort_by_key(|a| (a.time, a.file_index));
        let mut correlator = Correlator::new(rules, opts.correlation_limits);
        let mut fired = Vec::new();
        let mut found = Batch::default();
        let mut seq = CORRELATION_SEQ;
        let mut emit = |rule: usize, hit: &vigie_engine::CorrelationHit, input: &CorrInput| {
            let mut d = correlation_detection(&templates[rule], hit, input);
            d.seq = seq;
            seq += 1;
            if admit(&d, opts, &mut tally) {
                found.push(d, opts.render.as_ref());
            }
        };
        for input in &corr_inputs {
            correlator.feed(input.rule, input.time, &input.fields, &mut fired);
            for hit in fired.drain(..) {
                emit(hit.rule, &hit, input);
            }
        }
        // Windows judged at the end of the stream: attribute each to the last hit of its window.
        correlator.finish(&mut fired);
        for hit in fired {
            let end = corr_inputs.partition_point(|i| i.time <= Some(hit.time));
            if let Some(input) = corr_inputs.get(end.saturating_sub(1)) {
                emit(hit.rule, &hit, input);
            }
        }
        collector.extend(found.detections);
        line_collector.extend(found.lines);
        report.summary.correlation_capped = correlator.dropped_by_cap;
        report.summary.correlation_untimed = correlator.untimed;
    }

    let (timeline, spill_error) = collector.finish();
    let (lines, lines_spill_error) = line_collector.finish();
    report.detections = timeline;
    report.lines = lines;
    report.summary.spill_error = spill_error.or(lines_spill_error);
    tally.into_summary(&mut report.summary);
    report.summary.detections = report.detections.len() + report.lines.len();
    report.summary.errors = errors.len();
    report.errors = errors;
    report
}

fn correlation_detection(
    head: &RuleHead,
    hit: &vigie_engine::CorrelationHit,
    last: &CorrInput,
) -> Detection {
    let mut matched: Vec<(String, Value)> = hit
        .group
        .iter()
        .map(|(k, v)| (k.clone(), Value::str(v.as_str())))
        .collect();
    matched.push(("correlation_value".into(), Value::Float(hit.value)));
    matched.push(("correlation_events".into(), Value::Int(hit.events as i64)));
    matched.push((
        "correlation_first".into(),
        Value::str(
            hit.first
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ),
    ));
    Detection {
        timestamp: Some(hit.time),
        computer: last.computer.clone(),
        record_id: last.record_id,
        source: last.source.clone(),
        matched,
        file_index: last.file_index,
        ..head.detection()
    }
}
