//! Correlation rules (Sigma 2.1, all seven types) evaluated over a time-ordered stream of hits.
//!
//! State is kept per correlation and per group-by value, holds only the hits inside the
//! timespan, and is capped: groups beyond `max_groups` and hits beyond `max_per_group` are
//! dropped and counted, so that reaching a cap is reported, never silent.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Utc};
use vigie_event::Value;
use vigie_sigma::{CmpOp, CorrelationType};

use crate::ruleset::{CorrelationDef, RuleSet};

/// Caps on correlation state.
#[derive(Clone, Copy, Debug)]
pub struct CorrelatorLimits {
    /// Groups kept per correlation rule.
    pub max_groups: usize,
    /// Hits kept per group.
    pub max_per_group: usize,
}

impl Default for CorrelatorLimits {
    fn default() -> Self {
        CorrelatorLimits {
            max_groups: 100_000,
            max_per_group: 10_000,
        }
    }
}

/// A correlation rule that fired.
#[derive(Clone, Debug, PartialEq)]
pub struct CorrelationHit {
    /// Index into [`RuleSet::rules`] of the correlation rule.
    pub rule: usize,
    /// Time of the hit that completed it.
    pub time: DateTime<Utc>,
    /// Time of the first hit in the window.
    pub first: DateTime<Utc>,
    /// The group-by fields and their values.
    pub group: Vec<(String, String)>,
    /// The aggregate that met the condition (count, distinct count, sum, average, percent,
    /// or number of distinct rules for temporal types).
    pub value: f64,
    /// Number of hits in the window.
    pub events: usize,
}

#[derive(Clone, Debug)]
struct Entry {
    time: i64,
    /// Position of the rule in the correlation's `rules`.
    rule: usize,
    value: Option<String>,
}

#[derive(Default)]
struct Group {
    entries: VecDeque<Entry>,
}

struct State {
    groups: HashMap<Vec<String>, Group>,
    /// Whether the condition can only be judged when the window closes (lt, lte, eq, neq).
    judged_at_close: bool,
}

/// One correlation's use of one rule's hits, resolved once.
struct Use {
    /// Index into the rule set's correlations.
    correlation: usize,
    /// Position of the rule in the correlation's `rules`.
    position: usize,
    /// The event field each group-by name stands for in this rule's hits (through aliases).
    group_fields: Vec<String>,
    /// The event field of `condition.field` in this rule's hits.
    value_field: Option<String>,
}

/// Evaluates a rule set's correlations over hits fed in time order.
pub struct Correlator<'a> {
    set: &'a RuleSet,
    limits: CorrelatorLimits,
    states: Vec<State>,
    /// rule index → the correlations that reference it, with the fields they read from it.
    consumers: HashMap<usize, Vec<Use>>,
    fed: u64,
    /// Hits dropped because a cap was reached.
    pub dropped_by_cap: u64,
    /// Hits that could not be used because their event had no time.
    pub untimed: u64,
}

impl<'a> Correlator<'a> {
    pub fn new(set: &'a RuleSet, limits: CorrelatorLimits) -> Self {
        let mut consumers: HashMap<usize, Vec<Use>> = HashMap::new();
        for (ci, c) in set.correlations().iter().enumerate() {
            for (position, &r) in c.refs.iter().enumerate() {
                let uses = consumers.entry(r).or_default();
                if uses.iter().any(|u| u.correlation == ci) {
                    continue; // a rule listed twice counts once, at its first place
                }
                uses.push(Use {
                    correlation: ci,
                    position,
                    group_fields: c
                        .spec
                        .group_by
                        .iter()
                        .map(|g| resolve_field(set, c, r, g))
                        .collect(),
                    value_field: c.spec.field.as_ref().map(|f| resolve_field(set, c, r, f)),
                });
            }
        }
        let states = set
            .correlations()
            .iter()
            .map(|c| State {
                groups: HashMap::new(),
                judged_at_close: c
                    .spec
                    .condition
                    .iter()
                    .any(|(op, _)| !matches!(op, CmpOp::Gt | CmpOp::Gte)),
            })
            .collect();
        Correlator {
            set,
            limits,
            states,
            consumers,
            fed: 0,
            dropped_by_cap: 0,
            untimed: 0,
        }
    }

    /// Whether any correlation uses hits of this rule.
    pub fn wants(&self, rule: usize) -> bool {
        self.consumers.contains_key(&rule)
    }

    /// The event fields the correlations need from a hit of this rule (group-by fields,
    /// through aliases, and condition fields).
    pub fn fields_for(&self, rule: usize) -> Vec<String> {
        let mut out = Vec::new();
        for u in self
            .consumers
            .get(&rule)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            out.extend(u.group_fields.iter().cloned());
            out.extend(u.value_field.iter().cloned());
        }
        out.sort();
        out.dedup();
        out
    }

    /// Feeds one hit of `rule` at `time`, with the field values [`Self::fields_for`] asked for.
    /// Hits must come in time order. Correlations that fire are appended to `out` (and fed in
    /// turn to correlations that reference them).
    pub fn feed(
        &mut self,
        rule: usize,
        time: Option<DateTime<Utc>>,
        fields: &[(String, Value)],
        out: &mut Vec<CorrelationHit>,
    ) {
        let Some(time) = time else {
            if self.wants(rule) {
                self.untimed += 1;
            }
            return;
        };
        self.feed_depth(rule, time, fields, out, 0);
    }

    fn feed_depth(
        &mut self,
        rule: usize,
        time: DateTime<Utc>,
        fields: &[(String, Value)],
        out: &mut Vec<CorrelationHit>,
        depth: usize,
    ) {
        if depth > 8 {
            return;
        }
        let Correlator {
            set,
            limits,
            states,
            consumers,
            fed,
            dropped_by_cap,
            ..
        } = self;
        let Some(uses) = consumers.get(&rule) else {
            return;
        };
        *fed += 1;
        let t = time.timestamp_millis();
        let text = |f: &str| lookup(fields, f).and_then(|v| v.to_text().map(|s| s.into_owned()));
        let mut fired = Vec::new();
        for u in uses {
            let ci = u.correlation;
            let def = &set.correlations()[ci];
            let span = (def.spec.timespan as i64).saturating_mul(1000);
            let key: Vec<String> = u
                .group_fields
                .iter()
                .map(|f| text(f).unwrap_or_default())
                .collect();
            let value = u.value_field.as_deref().and_then(text);
            let pos = u.position;
            let state = &mut states[ci];
            if !state.groups.contains_key(&key) && state.groups.len() >= limits.max_groups {
                *dropped_by_cap += 1;
                continue;
            }
            let judged_at_close = state.judged_at_close;
            let group = state.groups.entry(key.clone()).or_default();
            if judged_at_close {
                // Tumbling window anchored at its first hit: judge it when a hit falls past it.
                if let Some(first) = group.entries.front() {
                    if t - first.time > span {
                        if let Some(h) = judge(def, ci, &key, &group.entries, None) {
                            fired.push(h);
                        }
                        group.entries.clear();
                    }
                }
            } else {
                while group.entries.front().is_some_and(|e| t - e.time > span) {
                    group.entries.pop_front();
                }
            }
            if group.entries.len() >= limits.max_per_group {
                group.entries.pop_front();
                *dropped_by_cap += 1;
            }
            group.entries.push_back(Entry {
                time: t,
                rule: pos,
                value: value.clone(),
            });
            if !judged_at_close {
                if let Some(h) = judge(def, ci, &key, &group.entries, value.as_deref()) {
                    fired.push(h);
                    group.entries.clear();
                }
            }
        }
        if self.fed.is_multiple_of(4096) {
            self.expire(time, out);
        }
        for (ci, hit) in fired {
            let info = self.set.correlations()[ci].info;
            let group_fields: Vec<(String, Value)> = hit
                .group
                .iter()
                .map(|(k, v)| (k.clone(), Value::str(v.as_str())))
                .collect();
            out.push(hit);
            self.feed_depth(info, time, &group_fields, out, depth + 1);
        }
    }

    /// Drops groups whose window has passed (judging close-time conditions first).
    fn expire(&mut self, now: DateTime<Utc>, out: &mut Vec<CorrelationHit>) {
        let t = now.timestamp_millis();
        for (ci, state) in self.states.iter_mut().enumerate() {
            let def = &self.set.correlations()[ci];
            let span = (def.spec.timespan as i64).saturating_mul(1000);
            let judged = state.judged_at_close;
            state.groups.retain(|key, g| {
                let Some(first) = g.entries.front() else {
                    return false;
                };
                let last = g.entries.back().map_or(first.time, |e| e.time);
                let done = if judged {
                    t - first.time > span
                } else {
                    t - last > span
                };
                if done && judged {
                    if let Some((_, h)) = judge(def, ci, key, &g.entries, None) {
                        out.push(h);
                    }
                }
                !done
            });
        }
    }

    /// Ends the stream: judges every open window of close-time conditions.
    pub fn finish(&mut self, out: &mut Vec<CorrelationHit>) {
        for (ci, state) in self.states.iter_mut().enumerate() {
            let def = &self.set.correlations()[ci];
            if state.judged_at_close {
                let mut keys: Vec<&Vec<String>> = state.groups.keys().collect();
                keys.sort();
                for key in keys {
                    if let Some((_, h)) = judge(def, ci, key, &state.groups[key].entries, None) {
                        out.push(h);
                    }
                }
            }
            state.groups.clear();
        }
    }
}

fn lookup<'v>(fields: &'v [(String, Value)], name: &str) -> Option<&'v Value> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .or_else(|| fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
        .map(|(_, v)| v)
}

/// The event field a group-by name stands for in hits of `rule` (through `aliases`).
fn resolve_field(set: &RuleSet, def: &CorrelationDef, rule: usize, name: &str) -> String {
    let info = &set.rules()[rule];
    for (alias, pairs) in &def.spec.aliases {
        if alias == name {
            for (r, f) in pairs {
                if info.meta.name.as_deref() == Some(r.as_str())
                    || info.meta.id.as_deref() == Some(r.as_str())
                {
                    return f.clone();
                }
            }
        }
    }
    name.to_owned()
}

fn judge(
    def: &CorrelationDef,
    ci: usize,
    key: &[String],
    entries: &VecDeque<Entry>,
    current: Option<&str>,
) -> Option<(usize, CorrelationHit)> {
    let first = entries.front()?;
    let last = entries.back()?;
    let spec = &def.spec;
    let nrules = def.refs.len();
    let (value, default_ok) = match spec.kind {
        CorrelationType::EventCount => (entries.len() as f64, false),
        CorrelationType::ValueCount => {
            let mut distinct: Vec<&str> =
                entries.iter().filter_map(|e| e.value.as_deref()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            (distinct.len() as f64, false)
        }
        CorrelationType::ValueSum | CorrelationType::ValueAvg => {
            let nums: Vec<f64> = entries
                .iter()
                .filter_map(|e| {
                    e.value
                        .as_deref()
                        .and_then(|v| v.trim().parse::<f64>().ok())
                })
                .collect();
            if nums.is_empty() {
                return None;
            }
            let sum: f64 = nums.iter().sum();
            if spec.kind == CorrelationType::ValueSum {
                (sum, false)
            } else {
                (sum / nums.len() as f64, false)
            }
        }
        CorrelationType::ValuePercentile => {
            // The share (in percent) of the window's hits that carry the judged value.
            let target = current.or(last.value.as_deref())?;
            let same = entries
                .iter()
                .filter(|e| e.value.as_deref() == Some(target))
                .count();
            (100.0 * same as f64 / entries.len() as f64, false)
        }
        CorrelationType::Temporal => {
            let mut seen = vec![false; nrules];
            for e in entries {
                if let Some(s) = seen.get_mut(e.rule) {
                    *s = true;
                }
            }
            let n = seen.iter().filter(|s| **s).count();
            (n as f64, n == nrules)
        }
        CorrelationType::TemporalOrdered => {
            let mut next = 0;
            for e in entries {
                if next < nrules && e.rule == next {
                    next += 1;
                }
            }
            (next as f64, next == nrules)
        }
    };
    let ok = if spec.condition.is_empty() {
        default_ok
    } else {
        let cond_ok = spec.condition.iter().all(|(op, n)| op.holds(value, *n));
        cond_ok && (spec.kind != CorrelationType::TemporalOrdered || value as usize == nrules)
    };
    if !ok {
        return None;
    }
    let to_dt = |ms: i64| DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    Some((
        ci,
        CorrelationHit {
            rule: def.info,
            time: to_dt(last.time),
            first: to_dt(first.time),
            group: spec
                .group_by
                .iter()
                .cloned()
                .zip(key.iter().cloned())
                .collect(),
            value,
            events: entries.len(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Mapping, Placeholders, RuleSetBuilder};

    const RULES: &str = "title: Failed logon\nname: failed\nlogsource: {product: windows, service: security}\ndetection:\n  sel: {EventID: 4625}\n  condition: sel\n---\ntitle: Many failures\ncorrelation:\n  type: event_count\n  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 2}\n";

    fn set() -> RuleSet {
        let mut b = RuleSetBuilder::new(Mapping::builtin(), Placeholders::new());
        b.add_text("t.yml", RULES);
        let (set, issues) = b.build();
        assert!(issues.is_empty(), "{issues:?}");
        set
    }

    fn at(secs: i64) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(1_700_000_000 + secs, 0)
    }

    fn user(u: &str) -> Vec<(String, Value)> {
        vec![("TargetUserName".into(), Value::str(u))]
    }

    #[test]
    fn groups_beyond_the_cap_are_dropped_and_counted() {
        let set = set();
        let base = set.correlations()[0].refs[0];
        let limits = CorrelatorLimits {
            max_groups: 2,
            max_per_group: 10,
        };
        let mut c = Correlator::new(&set, limits);
        let mut out = Vec::new();
        for (i, u) in ["a", "b", "c", "c"].iter().enumerate() {
            c.feed(base, at(i as i64), &user(u), &mut out);
        }
        assert_eq!(
            c.dropped_by_cap, 2,
            "both hits of the third group are dropped"
        );
        assert!(out.is_empty());
        c.feed(base, at(5), &user("a"), &mut out);
        assert_eq!(out.len(), 1, "the groups kept still correlate");
    }

    #[test]
    fn state_expires_with_the_timespan() {
        let set = set();
        let base = set.correlations()[0].refs[0];
        let mut c = Correlator::new(&set, CorrelatorLimits::default());
        let mut out = Vec::new();
        c.feed(base, at(0), &user("a"), &mut out);
        c.feed(base, at(61), &user("a"), &mut out);
        assert!(out.is_empty(), "61 s apart is outside a 1m timespan");
        c.feed(base, at(90), &user("a"), &mut out);
        assert_eq!(out.len(), 1);
        c.feed(base, None, &user("a"), &mut out);
        assert_eq!(c.untimed, 1);
    }
}
