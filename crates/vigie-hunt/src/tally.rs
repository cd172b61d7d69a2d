//! The hunt summary's counts, gathered as detections are found (in any order), so that the
//! detections themselves need not stay in memory: per level, per rule, silenced by
//! exclusions, and identical detections repeated.

use std::collections::{BTreeMap, HashMap};

use crate::detection::Detection;
use crate::hunt::{Repeated, Summary};

/// Distinct detections followed for the "repeated" list; beyond it new ones are not grouped
/// (the summary says so), which keeps memory bounded.
pub const MAX_REPEAT_GROUPS: usize = 100_000;

#[derive(Default)]
pub(crate) struct Tally {
    by_level: BTreeMap<String, usize>,
    /// Per rule index: (title, id, count).
    per_rule: HashMap<usize, (String, String, usize)>,
    silenced: BTreeMap<(String, String), usize>,
    groups: HashMap<(usize, Option<String>, String), Repeated>,
    /// Detections not grouped because the group table was full.
    pub(crate) ungrouped: u64,
}

impl Tally {
    /// Counts a detection that is reported.
    pub(crate) fn count(&mut self, d: &Detection) {
        *self.by_level.entry(d.level.clone()).or_default() += 1;
        self.per_rule
            .entry(d.rule)
            .or_insert_with(|| (d.rule_title.clone(), d.rule_id.clone(), 0))
            .2 += 1;
        let matched = d.matched_text(" ");
        let key = (d.rule, d.computer.clone(), matched);
        if let Some(g) = self.groups.get_mut(&key) {
            g.count += 1;
            g.first = g.first.min(d.timestamp);
            g.last = g.last.max(d.timestamp);
        } else if self.groups.len() < MAX_REPEAT_GROUPS {
            let matched = key.2.clone();
            self.groups.insert(
                key,
                Repeated {
                    rule_title: d.rule_title.clone(),
                    computer: d.computer.clone(),
                    matched,
                    count: 1,
                    first: d.timestamp,
                    last: d.timestamp,
                },
            );
        } else {
            self.ungrouped += 1;
        }
    }

    /// Counts a detection silenced by an exclusion.
    pub(crate) fn silence(&mut self, d: &Detection, reason: &str) {
        *self
            .silenced
            .entry((d.rule_id.clone(), reason.to_owned()))
            .or_default() += 1;
    }

    /// Adds another tally's counts to this one.
    pub(crate) fn merge(&mut self, other: Tally) {
        for (l, n) in other.by_level {
            *self.by_level.entry(l).or_default() += n;
        }
        for (r, (t, i, n)) in other.per_rule {
            self.per_rule.entry(r).or_insert((t, i, 0)).2 += n;
        }
        for (k, n) in other.silenced {
            *self.silenced.entry(k).or_default() += n;
        }
        self.ungrouped += other.ungrouped;
        for (k, g) in other.groups {
            if let Some(mine) = self.groups.get_mut(&k) {
                mine.count += g.count;
                mine.first = mine.first.min(g.first);
                mine.last = mine.last.max(g.last);
            } else if self.groups.len() < MAX_REPEAT_GROUPS {
                self.groups.insert(k, g);
            } else {
                self.ungrouped += g.count as u64;
            }
        }
    }

    /// Writes the counts into the summary.
    pub(crate) fn into_summary(self, s: &mut Summary) {
        s.by_level = self.by_level;
        let mut top: Vec<(String, String, usize)> = self.per_rule.into_values().collect();
        top.sort_by(|a, b| {
            b.2.cmp(&a.2)
                .then_with(|| a.0.cmp(&b.0))
                .then_with(|| a.1.cmp(&b.1))
        });
        s.top_rules = top;
        s.silenced = self
            .silenced
            .into_iter()
            .map(|((r, why), n)| (r, why, n))
            .collect();
        let mut rep: Vec<Repeated> = self.groups.into_values().filter(|g| g.count > 1).collect();
        rep.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.rule_title.cmp(&b.rule_title))
                .then_with(|| a.computer.cmp(&b.computer))
                .then_with(|| a.matched.cmp(&b.matched))
        });
        s.repeated = rep;
        s.repeat_ungrouped = self.ungrouped;
    }
}
