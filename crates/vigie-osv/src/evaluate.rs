//! Range evaluation as the OSV schema's `IsVulnerable` pseudocode gives it: a version is affected
//! when it equals an entry of `versions[]`, or when, in some range it is below a limit of (an
//! implicit `"*"` when none), walking the events sorted by version, the last of `introduced <= v`
//! (set), `fixed <= v` (clear) and `last_affected < v` (clear) leaves it set. `"0"` introduced is
//! before every version; `"*"` limit after every version. SEMVER ranges order by SemVer 2.0,
//! ECOSYSTEM ranges by the package ecosystem's order (vigie-version).
//!
//! Three answers, never a guessed one: GIT ranges name commits, so they answer nothing about a
//! package version; an entry whose only ranges are GIT ranges and that enumerates no versions is
//! not evaluated. (With a `versions` list, the list stands for the GIT ranges, as the schema
//! asks of GIT ranges.) A range of an unknown order, an unparsable version, or a range the schema
//! forbids (no events, no `introduced`) makes the answer "not evaluated" unless another range
//! or the list says "affected". Events at the same version keep the order they are written in,
//! as the pseudocode's `sorted` (Python's, a stable sort) keeps them: `fixed X, introduced X`
//! joins two ranges at X, `introduced X, fixed X` is empty (PyPA's pyspark advisories rely on
//! the first, and their version lists agree).

use std::cmp::Ordering;

use vigie_version::{Scheme, Version, VersionError};

use crate::ecosystem::{ecosystem_matches, package_is, package_key, scheme_for};
use crate::record::{Affected, Event, Range, RangeKind, Record};
use crate::verdict::{NotEvaluated, Verdict};

/// Whether `record` affects `package` of `ecosystem` at `version`, with the fixes that apply.
/// The ecosystem may carry a release suffix ("Debian:12"); package names compare as the
/// ecosystem compares them (PEP 503 for PyPI). Withdrawn records are evaluated like any other:
/// callers decide whether to report them ([`Record::is_withdrawn`]).
pub fn affects(record: &Record, ecosystem: &str, package: &str, version: &str) -> Verdict {
    let entries: Vec<&Affected> = matching_entries(record, ecosystem, package).collect();
    let (answer, candidates) = combine(entries.iter().map(|e| entry_answer(e, version, true)));
    match answer {
        Answer::Yes => Verdict::Affected {
            fixed: fixes(&entries, version, candidates),
        },
        Answer::No => Verdict::NotAffected,
        Answer::Unknown(why) => Verdict::NotEvaluated(why),
    }
}

/// The record's entries for a package of an ecosystem.
pub fn matching_entries<'a>(
    record: &'a Record,
    ecosystem: &'a str,
    package: &str,
) -> impl Iterator<Item = &'a Affected> + 'a {
    let key = package_key(ecosystem, package);
    record.affected.iter().filter(move |a| {
        a.package.as_ref().is_some_and(|p| {
            ecosystem_matches(ecosystem, &p.ecosystem) && package_is(&p.ecosystem, &p.name, &key)
        })
    })
}

/// What one entry's ranges alone say of a version, its `versions` list left out (the check
/// that a record's list agrees with its ranges). Fixes are not computed (`fixed` is empty).
pub fn ranges_verdict(entry: &Affected, version: &str) -> Verdict {
    match entry_answer(entry, version, false).0 {
        Answer::Yes => Verdict::Affected { fixed: Vec::new() },
        Answer::No => Verdict::NotAffected,
        Answer::Unknown(why) => Verdict::NotEvaluated(why),
    }
}

/// What one range says of a version of a package of `ecosystem` (GIT ranges: not evaluated).
pub fn range_verdict(range: &Range, ecosystem: &str, version: &str) -> Verdict {
    let mut parsed = ParsedVersion::new(version);
    match range_answer(range, ecosystem, &mut parsed).0 {
        Answer::Yes => Verdict::Affected { fixed: Vec::new() },
        Answer::No => Verdict::NotAffected,
        Answer::Unknown(why) => Verdict::NotEvaluated(why),
    }
}

#[derive(Debug)]
enum Answer {
    Yes,
    No,
    Unknown(NotEvaluated),
}

/// A fix a range names, with the scheme to order it by.
type Candidate = (String, Scheme);

/// Yes if any says yes; else unknown if any is unknown; else no.
fn combine(answers: impl Iterator<Item = (Answer, Vec<Candidate>)>) -> (Answer, Vec<Candidate>) {
    let mut unknown = None;
    let mut yes = false;
    let mut candidates = Vec::new();
    for (a, c) in answers {
        candidates.extend(c);
        match a {
            Answer::Yes => yes = true,
            Answer::No => {}
            Answer::Unknown(why) => {
                unknown.get_or_insert(why);
            }
        }
    }
    let answer = match (yes, unknown) {
        (true, _) => Answer::Yes,
        (false, Some(why)) => Answer::Unknown(why),
        (false, None) => Answer::No,
    };
    (answer, candidates)
}

/// The query version, parsed once per scheme it is asked in.
struct ParsedVersion<'a> {
    text: &'a str,
    parsed: Vec<(Scheme, Result<Version, VersionError>)>,
}

impl<'a> ParsedVersion<'a> {
    fn new(text: &'a str) -> Self {
        ParsedVersion {
            text,
            parsed: Vec::new(),
        }
    }

    fn get(&mut self, scheme: Scheme) -> &Result<Version, VersionError> {
        let i = match self.parsed.iter().position(|(s, _)| *s == scheme) {
            Some(i) => i,
            None => {
                self.parsed
                    .push((scheme, Version::parse_scheme(scheme, self.text)));
                self.parsed.len() - 1
            }
        };
        &self.parsed[i].1
    }
}

fn entry_answer(entry: &Affected, version: &str, use_list: bool) -> (Answer, Vec<Candidate>) {
    let ecosystem = entry.package.as_ref().map_or("", |p| p.ecosystem.as_str());
    let mut parsed = ParsedVersion::new(version);
    let evaluable: Vec<&Range> = entry
        .ranges
        .iter()
        .filter(|r| r.kind != RangeKind::Git)
        .collect();
    let (mut answer, candidates) = combine(
        evaluable
            .iter()
            .map(|r| range_answer(r, ecosystem, &mut parsed)),
    );
    let listed = use_list && !entry.versions.is_empty();
    if listed && !matches!(answer, Answer::Yes) && in_list(&entry.versions, ecosystem, &mut parsed)
    {
        answer = Answer::Yes;
    }
    if evaluable.is_empty() && !listed {
        answer = match entry.ranges.iter().find(|r| r.kind == RangeKind::Git) {
            Some(git) => Answer::Unknown(NotEvaluated::GitRange {
                repo: git.repo.clone(),
            }),
            None => Answer::Unknown(NotEvaluated::NoVersionInformation),
        };
    }
    (answer, candidates)
}

/// Whether the version equals one of the list: the same text, or equal in the ecosystem's order.
fn in_list(list: &[String], ecosystem: &str, parsed: &mut ParsedVersion) -> bool {
    if list.iter().any(|v| v == parsed.text) {
        return true;
    }
    let Some(scheme) = scheme_for(ecosystem) else {
        return false;
    };
    let text = parsed.text;
    let Ok(v) = parsed.get(scheme) else {
        return false;
    };
    list.iter().any(|l| {
        same_numbers(l, text)
            && Version::parse_scheme(scheme, l)
                .is_ok_and(|l| l.partial_cmp(v) == Some(Ordering::Equal))
    })
}

/// The non-zero numbers of a version, in order, leading zeros trimmed, build metadata (after
/// `+`) left out.
fn numbers(version: &str) -> impl Iterator<Item = &str> {
    let main = version.split('+').next().unwrap_or(version);
    main.split(|c: char| !c.is_ascii_digit())
        .map(|run| run.trim_start_matches('0'))
        .filter(|run| !run.is_empty())
}

/// Whether two versions have the same non-zero numbers. Versions equal in any order here do
/// (zeros pad releases and epochs, letters and separators vary, build metadata may be
/// ignored), so list entries that do not are not parsed.
fn same_numbers(a: &str, b: &str) -> bool {
    numbers(a).eq(numbers(b))
}

/// A bound of a range, parsed.
enum Bound {
    /// `introduced: "0"`: before every version.
    Min,
    /// `limit: "*"`: after every version.
    Max,
    At(Version),
}

impl Bound {
    /// How `v` compares to this bound.
    fn cmp_version(&self, v: &Version) -> Ordering {
        match self {
            Bound::Min => Ordering::Greater,
            Bound::Max => Ordering::Less,
            Bound::At(b) => v.partial_cmp(b).unwrap_or(Ordering::Equal),
        }
    }

    fn order(&self, other: &Bound) -> Ordering {
        match (self, other) {
            (Bound::Min, Bound::Min) | (Bound::Max, Bound::Max) => Ordering::Equal,
            (Bound::Min, _) | (_, Bound::Max) => Ordering::Less,
            (_, Bound::Min) | (Bound::Max, _) => Ordering::Greater,
            (Bound::At(a), Bound::At(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
        }
    }
}

/// Evaluates one range; GIT ranges are unknown.
fn range_answer(
    range: &Range,
    ecosystem: &str,
    parsed: &mut ParsedVersion,
) -> (Answer, Vec<Candidate>) {
    let scheme = match &range.kind {
        RangeKind::Semver => Scheme::SemVer,
        RangeKind::Ecosystem => match scheme_for(ecosystem) {
            Some(s) => s,
            None => {
                return (
                    Answer::Unknown(NotEvaluated::UnknownEcosystem(ecosystem.to_owned())),
                    Vec::new(),
                )
            }
        },
        RangeKind::Git => {
            return (
                Answer::Unknown(NotEvaluated::GitRange {
                    repo: range.repo.clone(),
                }),
                Vec::new(),
            )
        }
        RangeKind::Other(t) => {
            return (
                Answer::Unknown(NotEvaluated::UnknownRangeType(t.clone())),
                Vec::new(),
            )
        }
    };
    let candidates: Vec<Candidate> = range
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Fixed(f) => Some((f.clone(), scheme)),
            _ => None,
        })
        .collect();
    if range.events.is_empty() {
        return (
            Answer::Unknown(NotEvaluated::InvalidRange("no events".into())),
            candidates,
        );
    }
    if !range
        .events
        .iter()
        .any(|e| matches!(e, Event::Introduced(_)))
    {
        return (
            Answer::Unknown(NotEvaluated::InvalidRange("no introduced event".into())),
            candidates,
        );
    }
    let text = parsed.text;
    let v = match parsed.get(scheme) {
        Ok(v) => v,
        Err(e) => return (Answer::Unknown(invalid(text, scheme, e, false)), candidates),
    };
    // (bound, kind): 0 introduced, 1 last_affected, 2 fixed.
    let mut events: Vec<(Bound, u8)> = Vec::with_capacity(range.events.len());
    let mut limits: Vec<Bound> = Vec::new();
    for e in &range.events {
        let text = e.version();
        let bound = match e {
            Event::Introduced(t) if t == "0" => Bound::Min,
            Event::Limit(t) if t == "*" => Bound::Max,
            _ => match Version::parse_scheme(scheme, text) {
                Ok(b) => Bound::At(b),
                Err(err) => {
                    return (
                        Answer::Unknown(invalid(text, scheme, &err, true)),
                        candidates,
                    )
                }
            },
        };
        match e {
            Event::Introduced(_) => events.push((bound, 0)),
            Event::LastAffected(_) => events.push((bound, 1)),
            Event::Fixed(_) => events.push((bound, 2)),
            Event::Limit(_) => limits.push(bound),
        }
    }
    if !limits.is_empty() && !limits.iter().any(|l| l.cmp_version(v) == Ordering::Less) {
        return (Answer::No, candidates);
    }
    // Stable: ties keep the written order.
    events.sort_by(|(a, _), (b, _)| a.order(b));
    let mut vulnerable = false;
    for (bound, kind) in &events {
        let order = bound.cmp_version(v);
        match kind {
            0 if order != Ordering::Less => vulnerable = true,
            2 if order != Ordering::Less => vulnerable = false,
            1 if order == Ordering::Greater => vulnerable = false,
            _ => {}
        }
    }
    let answer = if vulnerable { Answer::Yes } else { Answer::No };
    (answer, candidates)
}

fn invalid(version: &str, scheme: Scheme, e: &VersionError, in_record: bool) -> NotEvaluated {
    let reason = match e {
        VersionError::Invalid { reason, .. } => (*reason).to_owned(),
        other => other.to_string(),
    };
    let (version, scheme) = (version.to_owned(), scheme.name());
    if in_record {
        NotEvaluated::InvalidRecordVersion {
            version,
            scheme,
            reason,
        }
    } else {
        NotEvaluated::InvalidVersion {
            version,
            scheme,
            reason,
        }
    }
}

/// The fixes above `version` that the record does not itself judge affected, smallest first.
fn fixes(entries: &[&Affected], version: &str, candidates: Vec<Candidate>) -> Vec<String> {
    let mut kept: Vec<(String, Option<Version>)> = Vec::new();
    for (fix, scheme) in candidates {
        if kept.iter().any(|(k, _)| *k == fix) {
            continue;
        }
        let (Ok(f), Ok(v)) = (
            Version::parse_scheme(scheme, &fix),
            Version::parse_scheme(scheme, version),
        ) else {
            continue;
        };
        if f.partial_cmp(&v) != Some(Ordering::Greater) {
            continue;
        }
        let (answer, _) = combine(entries.iter().map(|e| entry_answer(e, &fix, true)));
        if !matches!(answer, Answer::Yes) {
            kept.push((fix, Some(f)));
        }
    }
    kept.sort_by(|(a, va), (b, vb)| match (va, vb) {
        (Some(x), Some(y)) => x
            .partial_cmp(y)
            .unwrap_or(Ordering::Equal)
            .then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    });
    kept.into_iter().map(|(f, _)| f).collect()
}
