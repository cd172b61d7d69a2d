//! The hunt summary's counts, gathered as detections are found (in any order), so that the
//! detections themselves need not stay in memory: per level, per rule, silenced by
//! exclusions, and identical detections repeated.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use foldhash::fast::FixedState;

use crate::detection::Detection;
use crate::hunt::{Repeated, Summary};

/// Distinct detections followed for the "repeated" list; beyond it new ones are not grouped
/// (the summary says so), which keeps memory bounded.
pub const MAX_REPEAT_GROUPS: usize = 100_000;

#[derive(Default)]
pub(crate) struct Tally {
    by_level: BTreeMap<String, usize>,
    /// Per rule index: (title, id, count).
    per_rule: HashMap<usize, (String, String, usize), FixedState>,
    silenced: BTreeMap<(String, String), usize>,
    /// Identical detections (same rule, host and matched fields), by the hash of that key
    /// ([`group_hash`]); the rare colliding groups share a list.
    groups: HashMap<u64, Vec<(usize, Repeated)>, FixedState>,
    group_count: usize,
    /// Detections not grouped because the group table was full.
    pub(crate) ungrouped: u64,
    /// The matched text of the detection being counted (reused).
    text: String,
}

impl Repeated {
    /// Adds `count` detections seen from `first` to `last`.
    fn absorb(
        &mut self,
        count: usize,
        first: Option<chrono::DateTime<chrono::Utc>>,
        last: Option<chrono::DateTime<chrono::Utc>>,
    ) {
        self.count += count;
        self.first = self.first.min(first);
        self.last = self.last.max(last);
    }
}

/// The hash of a repeat group's key, the same in every tally (they are merged).
fn group_hash(rule: usize, computer: Option<&str>, matched: &str) -> u64 {
    FixedState::default().hash_one((rule, computer, matched))
}

impl Tally {
    /// Counts a detection that is reported.
    /// Allocates nothing for a detection like one counted before.
    pub(crate) fn count(&mut self, d: &Detection) {
        match self.by_level.get_mut(d.level.as_str()) {
            Some(n) => *n += 1,
            None => {
                self.by_level.insert(d.level.clone(), 1);
            }
        }
        self.per_rule
            .entry(d.rule)
            .or_insert_with(|| (d.rule_title.clone(), d.rule_id.clone(), 0))
            .2 += 1;
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        d.write_matched(&mut text, " ");
        let computer = d.computer.as_deref();
        let hash = group_hash(d.rule, computer, &text);
        match self.group_mut(hash, d.rule, computer, &text) {
            Some(g) => g.absorb(1, d.timestamp, d.timestamp),
            None => self.add_group(
                hash,
                d.rule,
                Repeated {
                    rule_title: d.rule_title.clone(),
                    computer: d.computer.clone(),
                    matched: text.clone(),
                    count: 1,
                    first: d.timestamp,
                    last: d.timestamp,
                },
            ),
        }
        self.text = text;
    }

    /// The repeat group of (rule, host, matched text), whose key hashes to `hash`.
    fn group_mut(
        &mut self,
        hash: u64,
        rule: usize,
        computer: Option<&str>,
        matched: &str,
    ) -> Option<&mut Repeated> {
        let bucket = self.groups.get_mut(&hash)?;
        bucket
            .iter_mut()
            .find(|(r, g)| *r == rule && g.computer.as_deref() == computer && g.matched == matched)
            .map(|(_, g)| g)
    }

    /// A new repeat group, or its detections counted as ungrouped when the table is full.
    fn add_group(&mut self, hash: u64, rule: usize, group: Repeated) {
        if self.group_count < MAX_REPEAT_GROUPS {
            self.group_count += 1;
            self.groups.entry(hash).or_default().push((rule, group));
        } else {
            self.ungrouped += group.count as u64;
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
        for (hash, bucket) in other.groups {
            for (rule, g) in bucket {
                match self.group_mut(hash, rule, g.computer.as_deref(), &g.matched) {
                    Some(mine) => mine.absorb(g.count, g.first, g.last),
                    None => self.add_group(hash, rule, g),
                }
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
        let mut rep: Vec<Repeated> = (self.groups.into_values().flatten())
            .map(|(_, g)| g)
            .filter(|g| g.count > 1)
            .collect();
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
