//! Running a hunt: inputs decoded in parallel (one file per task), every event through the
//! rule set, correlations over the time-ordered hits, then one timeline.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use vigie_decode::{discover, DecodeError, Item, Part, ReadOptions};
use vigie_engine::{Correlator, CorrelatorLimits, Hit, RuleKind, RuleSet, Scratch};
use vigie_event::Value;
use vigie_sigma::Level;

use crate::detection::{computer_of, Detection};
use crate::exclusions::Exclusions;
use crate::inputs::{for_each_file, read_input, Window};

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

/// Groups identical detections (same rule, host and matched values); detections are in time order.
fn repeated(detections: &[Detection]) -> Vec<Repeated> {
    let mut groups: BTreeMap<(String, Option<String>, String), Repeated> = BTreeMap::new();
    for d in detections {
        let matched = d.matched_text(" ");
        let g = groups
            .entry((d.rule_id.clone(), d.computer.clone(), matched.clone()))
            .or_insert_with(|| Repeated {
                rule_title: d.rule_title.clone(),
                computer: d.computer.clone(),
                matched,
                count: 0,
                first: d.timestamp,
                last: d.timestamp,
            });
        g.count += 1;
        g.last = d.timestamp;
    }
    let mut out: Vec<Repeated> = groups.into_values().filter(|g| g.count > 1).collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.rule_title.cmp(&b.rule_title))
    });
    out
}

/// What a hunt found.
#[derive(Debug, Default)]
pub struct HuntReport {
    /// Detections in time order (events without a time first, in input order).
    pub detections: Vec<Detection>,
    pub errors: Vec<DecodeError>,
    pub summary: Summary,
}

struct CorrInput {
    rule: usize,
    time: Option<DateTime<Utc>>,
    fields: Vec<(String, Value)>,
    file_index: usize,
    seq: usize,
    source: String,
    record_id: u64,
    computer: Option<String>,
}

#[derive(Default)]
struct FileResult {
    detections: Vec<Detection>,
    corr: Vec<CorrInput>,
    errors: Vec<DecodeError>,
    events: u64,
    outside: u64,
}

/// Hunts the given inputs (files, folders, or `-` for stdin) with a rule set.
pub fn hunt(
    inputs: &[PathBuf],
    rules: &RuleSet,
    opts: &HuntOptions,
    progress: &dyn Progress,
) -> HuntReport {
    let (files, mut errors) = discover(inputs);
    let wanted: Vec<Option<Vec<String>>> = {
        let c = Correlator::new(rules, opts.correlation_limits);
        (0..rules.rules().len())
            .map(|r| c.wants(r).then(|| c.fields_for(r)))
            .collect()
    };
    let run = |index: usize, file: &Part| -> FileResult {
        let mut res = FileResult::default();
        let mut scratch = Scratch::default();
        let mut hits: Vec<Hit> = Vec::new();
        let mut sink = |item: Item| match item {
            Item::Event(source, ev) => {
                res.events += 1;
                if !opts.window.contains(&ev) {
                    res.outside += 1;
                    return;
                }
                rules.evaluate(&ev, &mut scratch, &mut hits);
                for h in hits.drain(..) {
                    let info = &rules.rules()[h.rule];
                    if let Some(Some(fields)) = wanted.get(h.rule) {
                        res.corr.push(CorrInput {
                            rule: h.rule,
                            time: ev.timestamp,
                            fields: fields
                                .iter()
                                .filter_map(|f| ev.get(f).map(|v| (f.clone(), v.clone())))
                                .collect(),
                            file_index: index,
                            seq: res.corr.len(),
                            source: source.to_owned(),
                            record_id: ev.record_id,
                            computer: computer_of(&ev),
                        });
                    }
                    if rules.emits(h.rule) {
                        let mut d = Detection::from_event(info, &ev, source, h.matched);
                        d.file_index = index;
                        res.detections.push(d);
                    }
                }
            }
            Item::Error(e) => res.errors.push(e),
        };
        read_input(file, &opts.read, &mut sink);
        res
    };
    let results = for_each_file(&files, opts.threads, progress, run);

    let mut report = HuntReport::default();
    let mut corr_inputs = Vec::new();
    report.summary.files = files.len();
    for r in results {
        report.summary.events += r.events;
        report.summary.events_outside_window += r.outside;
        report.detections.extend(r.detections);
        errors.extend(r.errors);
        corr_inputs.extend(r.corr);
    }

    // Correlations, over the hits in time order.
    if !corr_inputs.is_empty() {
        corr_inputs.sort_by_key(|a| (a.time, a.file_index, a.seq));
        let mut correlator = Correlator::new(rules, opts.correlation_limits);
        let mut fired = Vec::new();
        for input in &corr_inputs {
            correlator.feed(input.rule, input.time, &input.fields, &mut fired);
            for hit in fired.drain(..) {
                let info = &rules.rules()[hit.rule];
                report
                    .detections
                    .push(correlation_detection(info, &hit, input));
            }
        }
        // Windows judged at the end of the stream: attribute each to the last hit of its window.
        correlator.finish(&mut fired);
        for hit in fired {
            let end = corr_inputs.partition_point(|i| i.time <= Some(hit.time));
            if let Some(input) = corr_inputs.get(end.saturating_sub(1)) {
                let info = &rules.rules()[hit.rule];
                report
                    .detections
                    .push(correlation_detection(info, &hit, input));
            }
        }
        report.summary.correlation_capped = correlator.dropped_by_cap;
        report.summary.correlation_untimed = correlator.untimed;
    }

    // Level floor and exclusions.
    let min = opts.min_level;
    report
        .detections
        .retain(|d| min.is_none_or(|m| Level::parse(&d.level).is_some_and(|l| l >= m)));
    let mut silenced: BTreeMap<(String, String), usize> = BTreeMap::new();
    report
        .detections
        .retain(|d| match opts.exclusions.silences(d) {
            Some(e) => {
                *silenced
                    .entry((d.rule_id.clone(), e.reason.clone()))
                    .or_default() += 1;
                false
            }
            None => true,
        });
    report.summary.silenced = silenced
        .into_iter()
        .map(|((r, why), n)| (r, why, n))
        .collect();

    report.detections.sort_by(|a, b| {
        (a.timestamp, a.file_index, a.record_id).cmp(&(b.timestamp, b.file_index, b.record_id))
    });
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in &report.detections {
        *report.summary.by_level.entry(d.level.clone()).or_default() += 1;
        *counts
            .entry((d.rule_title.clone(), d.rule_id.clone()))
            .or_default() += 1;
    }
    let mut top: Vec<(String, String, usize)> =
        counts.into_iter().map(|((t, i), n)| (t, i, n)).collect();
    top.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    report.summary.top_rules = top;
    report.summary.repeated = repeated(&report.detections);
    report.summary.detections = report.detections.len();
    report.summary.errors = errors.len();
    report.errors = errors;
    report
}

fn correlation_detection(
    info: &vigie_engine::RuleInfo,
    hit: &vigie_engine::CorrelationHit,
    last: &CorrInput,
) -> Detection {
    debug_assert_eq!(info.kind, RuleKind::Correlation);
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
        ..Detection::of_rule(info, "correlation")
    }
}
