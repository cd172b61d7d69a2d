//! Evaluating a compiled pattern over observations, with stix2-matcher's semantics.
//!
//! Every property test is run on every object of its type in every observation before the
//! observation operators combine anything (so its errors surface whatever the rest of the
//! pattern does). Within `[ ... ]`, AND and OR combine tests on the same root object (the
//! object the path starts from); an observation satisfies the brackets when one of its objects
//! does. Objects of STIX domain and relationship types (observed-data, identity, ...) are never
//! matched: patterns are about cyber-observables.

use std::cmp::Ordering;

use serde_json::Value;

use crate::ast::{CompareOp, Pattern};
use crate::bindings::{Budget, EvalOptions, Join, JoinKind, Leaf, Or, StartStop, Stream, Within};
use crate::compile::{Cmp, CompiledPattern, CompiledTest, Lit, Node, Pred, Qual};
use crate::error::EvalError;
use crate::ip::in_subnet;
use crate::observation::Observations;
use crate::path::{walk, Val};
use crate::repeats::Repeats;
use crate::text::nfc;
use crate::timestamp::parse_timestamp;
use crate::value::{equals, order, python_equals, Scalar};

/// Types a pattern never matches in STIX 2.1 (the domain, relationship and meta objects).
pub const NON_OBSERVABLE_TYPES: &[&str] = &[
    "attack-pattern",
    "bundle",
    "campaign",
    "course-of-action",
    "extension-definition",
    "grouping",
    "identity",
    "incident",
    "indicator",
    "infrastructure",
    "intrusion-set",
    "language-content",
    "location",
    "malware",
    "malware-analysis",
    "marking-definition",
    "note",
    "observed-data",
    "opinion",
    "relationship",
    "report",
    "sighting",
    "threat-actor",
    "tool",
    "vulnerability",
];

/// The result of matching: whether the pattern matched, and the observations of one way it
/// matched (indexes into the [`Observations`], ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchResult {
    pub matched: bool,
    pub observations: Vec<usize>,
}

impl Pattern {
    /// Compiles and evaluates the pattern over the observations.
    pub fn matches(&self, obs: &Observations) -> Result<MatchResult, EvalError> {
        self.compile()?.matches(obs)
    }
}

impl CompiledPattern {
    /// Evaluates over the observations with the default limits.
    pub fn matches(&self, obs: &Observations) -> Result<MatchResult, EvalError> {
        self.matches_with(obs, EvalOptions::default())
    }

    /// Evaluates over the observations with the given limits.
    pub fn matches_with(
        &self,
        obs: &Observations,
        options: EvalOptions,
    ) -> Result<MatchResult, EvalError> {
        let results = self
            .tests
            .iter()
            .map(|t| run_test(t, obs))
            .collect::<Result<Vec<_>, _>>()?;
        let mut budget = Budget {
            obs,
            options,
            steps: 0,
        };
        let mut stream = node(&self.root, &results, &budget);
        let first = stream.next(&mut budget)?;
        Ok(MatchResult {
            matched: first.is_some(),
            observations: first
                .map(|b| b.iter().map(|(i, _)| *i).collect())
                .unwrap_or_default(),
        })
    }
}

/// For each observation, the (sorted) positions of the root objects passing the test.
type TestResult = Vec<Vec<usize>>;

fn run_test(test: &CompiledTest, obs: &Observations) -> Result<TestResult, EvalError> {
    let mut result = Vec::with_capacity(obs.len());
    let skip = NON_OBSERVABLE_TYPES.contains(&test.object_type.as_str());
    for o in obs.iter() {
        let mut passing = Vec::new();
        if !skip {
            for (pos, root) in o.objects().enumerate() {
                if root.get("type").and_then(Value::as_str) != Some(test.object_type.as_str()) {
                    continue;
                }
                let values = walk(root, &test.steps, o)?;
                if passes(test, &values)? {
                    passing.push(pos);
                }
            }
        }
        result.push(passing);
    }
    Ok(result)
}

/// Whether a root passes: one of its values satisfies the test (NOT applying per value).
fn passes(test: &CompiledTest, values: &[Val<'_>]) -> Result<bool, EvalError> {
    if let Pred::Exists = test.pred {
        return Ok(values.is_empty() == test.negated);
    }
    for v in values {
        if holds(&test.pred, v)? != test.negated {
            return Ok(true);
        }
    }
    Ok(false)
}

fn scalar<'a>(v: &'a Val<'_>) -> Scalar<'a> {
    match v {
        Val::Json(x) => Scalar::from_json(x),
        Val::Bytes(b) => Scalar::Bytes(b),
        Val::Refs(_) => Scalar::List,
    }
}

/// A JSON string read as a timestamp, when compared with timestamp literals.
fn as_time(s: Scalar<'_>) -> Result<Scalar<'_>, EvalError> {
    match s {
        Scalar::Str(text) => parse_timestamp(text)
            .map(Scalar::Time)
            .ok_or_else(|| EvalError::InvalidJsonTimestamp(text.to_owned())),
        other => Ok(other),
    }
}

fn holds(pred: &Pred, v: &Val<'_>) -> Result<bool, EvalError> {
    let value = scalar(v);
    Ok(match pred {
        Pred::Compare(op, lit) => {
            let value = if let Lit::Time(_) = lit {
                as_time(value)?
            } else {
                value
            };
            let lit = lit.scalar();
            match op {
                CompareOp::Eq => equals(value, lit),
                CompareOp::Ne => !equals(value, lit),
                CompareOp::Lt => order(value, lit) == Some(Ordering::Less),
                CompareOp::Le => {
                    matches!(order(value, lit), Some(Ordering::Less | Ordering::Equal))
                }
                CompareOp::Gt => order(value, lit) == Some(Ordering::Greater),
                CompareOp::Ge => {
                    matches!(order(value, lit), Some(Ordering::Greater | Ordering::Equal))
                }
            }
        }
        Pred::In(members, timestamps) => {
            let value = if *timestamps { as_time(value)? } else { value };
            members.iter().any(|m| python_equals(value, m.scalar()))
        }
        Pred::Like(like) => match value {
            Scalar::Str(s) => like.regex.is_match(&nfc(s)),
            Scalar::Bytes(b) if like.binary => {
                let s = std::str::from_utf8(b).map_err(|_| EvalError::BinaryNotUtf8)?;
                like.regex.is_match(&nfc(s))
            }
            _ => false,
        },
        Pred::Matches(m) => match value {
            Scalar::Str(s) => m.text.is_match(&nfc(s)),
            Scalar::Bytes(b) => m.bytes.as_ref().is_some_and(|r| r.is_match(b)),
            _ => false,
        },
        Pred::IsSubset(subnet) => match value {
            Scalar::Str(s) => in_subnet(s, subnet)?,
            _ => false,
        },
        Pred::IsSuperset(inner) => match value {
            Scalar::Str(s) => in_subnet(inner, s)?,
            _ => false,
        },
        Pred::Exists => true,
    })
}

/// Root positions per observation satisfying a comparison expression.
fn comparison(c: &Cmp, results: &[TestResult]) -> TestResult {
    match c {
        Cmp::Test(i) => results.get(*i).cloned().unwrap_or_default(),
        Cmp::And(items) => fold(items, results, |a, b| {
            a.iter()
                .filter(|x| b.binary_search(x).is_ok())
                .copied()
                .collect()
        }),
        Cmp::Or(items) => fold(items, results, |a, b| {
            let mut u: Vec<usize> = a.iter().chain(b.iter()).copied().collect();
            u.sort_unstable();
            u.dedup();
            u
        }),
    }
}

fn fold(
    items: &[Cmp],
    results: &[TestResult],
    op: impl Fn(&[usize], &[usize]) -> Vec<usize>,
) -> TestResult {
    let mut iter = items.iter().map(|c| comparison(c, results));
    let Some(mut acc) = iter.next() else {
        return Vec::new();
    };
    for next in iter {
        acc = acc.iter().zip(next.iter()).map(|(a, b)| op(a, b)).collect();
    }
    acc
}

/// The stream of bindings of an observation expression.
fn node(n: &Node, results: &[TestResult], budget: &Budget) -> Stream {
    match n {
        Node::Leaf(c) => {
            let roots = comparison(c, results);
            let matching: Vec<usize> = roots
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.is_empty())
                .map(|(i, _)| i)
                .collect();
            Leaf::stream(matching)
        }
        Node::And(items) => chain(items, results, budget, |l, r| {
            Join::stream(JoinKind::And, l, r)
        }),
        Node::Or(items) => chain(items, results, budget, Or::stream),
        Node::FollowedBy(items) => chain(items, results, budget, |l, r| {
            Join::stream(JoinKind::FollowedBy, l, r)
        }),
        Node::Qualified(inner, quals) => {
            let mut stream = node(inner, results, budget);
            for q in quals {
                stream = match *q {
                    Qual::Within(micros) => Within::stream(stream, micros),
                    Qual::Repeats(n) => Repeats::stream(stream, n, budget),
                    Qual::StartStop(start, stop) => StartStop::stream(stream, start, stop),
                };
            }
            stream
        }
    }
}

/// Operands combined left to right, as the matcher does; long chains (all these operators
/// are associative) are combined as a balanced tree so that streams never nest deeply.
fn chain(
    items: &[Node],
    results: &[TestResult],
    budget: &Budget,
    combine: impl Fn(Stream, Stream) -> Stream + Copy,
) -> Stream {
    const LEFT_DEEP: usize = 32;
    if items.len() > LEFT_DEEP {
        let (left, right) = items.split_at(items.len() / 2);
        return combine(
            chain(left, results, budget, combine),
            chain(right, results, budget, combine),
        );
    }
    let mut streams = items.iter().map(|i| node(i, results, budget));
    let first = streams.next().unwrap_or_else(|| Leaf::stream(Vec::new()));
    streams.fold(first, combine)
}
