//! XCCDF scoring: the default model (`urn:xccdf:scoring:default`, XCCDF 1.2 section 7.3.1 /
//! NISTIR 7275r4 table 40) computed as OpenSCAP computes it, in single precision over the
//! benchmark's tree of groups and rules in document order.
//!
//! A scored rule (role `full`, result pass, fixed, fail, error or unknown) counts 1 and scores 100
//! when it passed or was fixed, else 0. A group (and the benchmark) scores the sum of its counted
//! children's score × weight divided by the sum of their weights; a child counts when something
//! under it was scored. Results notselected, notapplicable, informational and notchecked, and
//! unscored rules, are left out. The maximum is 100.

use std::collections::{HashMap, HashSet};

use crate::eval::RuleResult;
use crate::model::Benchmark;

/// The default model's URI.
pub const DEFAULT_MODEL: &str = "urn:xccdf:scoring:default";

/// A TestResult score.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Score {
    /// The scoring model's URI.
    pub system: &'static str,
    pub score: f32,
    pub maximum: f32,
}

impl Default for Score {
    fn default() -> Self {
        Score {
            system: DEFAULT_MODEL,
            score: 0.0,
            maximum: 100.0,
        }
    }
}

#[derive(Clone, Copy)]
enum Item<'b> {
    Rule(usize),
    Group(&'b str),
}

/// Score, weighted score and count of one item (`None`: left out).
struct Partial {
    weighted: f32,
    count: u32,
}

/// The default model's score of `results` (the selected rules' results) in `b`.
pub fn default_score(b: &Benchmark, results: &[RuleResult]) -> Score {
    let by_id: HashMap<&str, &str> = results
        .iter()
        .map(|r| (r.rule_id.as_str(), r.result.as_str()))
        .collect();
    // The tree, rebuilt from the rules' group paths: a group's children in document order.
    let mut children: HashMap<Option<&str>, Vec<Item>> = HashMap::new();
    let mut seen = HashSet::new();
    for (i, r) in b.rules.iter().enumerate() {
        let mut parent: Option<&str> = None;
        for g in &r.groups {
            if seen.insert(g.as_str()) {
                children.entry(parent).or_default().push(Item::Group(g));
            }
            parent = Some(g);
        }
        children.entry(parent).or_default().push(Item::Rule(i));
    }
    let score = node(b, &children, &by_id, None, 1.0).weighted;
    Score {
        score,
        ..Score::default()
    }
}

/// A group (or the benchmark, `None`) of weight `weight`.
fn node(
    b: &Benchmark,
    children: &HashMap<Option<&str>, Vec<Item>>,
    by_id: &HashMap<&str, &str>,
    id: Option<&str>,
    weight: f32,
) -> Partial {
    let (mut score, mut acc, mut count) = (0.0f32, 0.0f32, 0u32);
    for child in children.get(&id).map(Vec::as_slice).unwrap_or_default() {
        let (p, w) = match *child {
            Item::Rule(i) => {
                let r = &b.rules[i];
                (
                    rule(r.unscored, by_id.get(r.id.as_str()).copied(), r.weight),
                    r.weight,
                )
            }
            Item::Group(g) => {
                let w = b.groups.get(g).map_or(1.0, |g| g.weight);
                (Some(node(b, children, by_id, Some(g), w)), w)
            }
        };
        let Some(p) = p.filter(|p| p.count != 0) else {
            continue;
        };
        score += p.weighted;
        count += 1;
        acc += w;
    }
    if count != 0 && acc != 0.0 {
        score /= acc;
    }
    Partial {
        weighted: score * weight,
        count,
    }
}

fn rule(unscored: bool, result: Option<&str>, weight: f32) -> Option<Partial> {
    let result = result?;
    if unscored
        || matches!(
            result,
            "notselected" | "notapplicable" | "informational" | "notchecked"
        )
    {
        return None;
    }
    let score: f32 = if matches!(result, "pass" | "fixed") {
        100.0
    } else {
        0.0
    };
    Some(Partial {
        weighted: score * weight,
        count: 1,
    })
}
