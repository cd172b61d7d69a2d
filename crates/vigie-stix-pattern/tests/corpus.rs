//! The truth sets: the STIX 2.1 cases recorded from the OASIS matcher's own test suite
//! (`intel/stix2-matcher-tests/matcher-cases.jsonl`: match, nomatch or error) and from the OASIS
//! validator's (`intel/stix2-patterns-tests/validator-cases.jsonl`: valid or not), read from the
//! corpus (`VIGIE_CORPUS`, default `../shared/corpus` beside the repository).
//!
//! Cases that still fail are listed in `tests/expected-failures.tsv` (`case id<TAB>reason`);
//! the test fails when an unlisted case fails or a listed one passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use vigie_stix_pattern::{parse, validate, Observations};

fn corpus(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    if dir.join("intel/stix2-matcher-tests").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED {test}: corpus not found at {} (set VIGIE_CORPUS)",
            dir.display()
        );
        None
    }
}

/// The listed failures: case id to reason.
fn expected_failures() -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/expected-failures.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('\t') {
            Some((id, reason)) => (id.to_owned(), reason.to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

fn cases(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("read the cases");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).expect("each line is JSON"))
        .filter(|c| c["stix_version"] == "2.1")
        .collect()
}

/// What Vigie makes of a matcher case: "match", "nomatch", "error:ParseException" or
/// "error:MatcherException", and the observed-data ids of the match.
fn run_matcher_case(case: &Value) -> (String, Vec<String>) {
    let pattern = case["pattern"].as_str().expect("pattern");
    let parsed = match parse(pattern) {
        Ok(p) => p,
        Err(_) => return ("error:ParseException".into(), Vec::new()),
    };
    let obs = match Observations::from_json(&case["observations"]) {
        Ok(o) => o,
        Err(_) => return ("error:MatcherException".into(), Vec::new()),
    };
    match parsed.matches(&obs) {
        Ok(r) if r.matched => {
            let ids = r
                .observations
                .iter()
                .filter_map(|i| obs.get(*i).and_then(|o| o.id.clone()))
                .collect();
            ("match".into(), ids)
        }
        Ok(_) => ("nomatch".into(), Vec::new()),
        Err(_) => ("error:MatcherException".into(), Vec::new()),
    }
}

fn expected_matcher_outcome(case: &Value) -> String {
    match case["expected"].as_str() {
        Some("error") => format!("error:{}", case["error_type"].as_str().unwrap_or("?")),
        Some(other) => other.to_owned(),
        None => "?".into(),
    }
}

/// The observed-data ids of the SDOs stix2-matcher returned.
fn matched_ids(case: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for sdo in case["matched_sdos"].as_array().into_iter().flatten() {
        for o in sdo["objects"].as_array().into_iter().flatten() {
            if o["type"] == "observed-data" {
                ids.extend(o["id"].as_str().map(str::to_owned));
            }
        }
    }
    ids
}

struct Tally {
    passed: usize,
    listed: usize,
    problems: Vec<String>,
}

fn judge(
    kind: &str,
    id: &str,
    ok: bool,
    detail: String,
    listed: &BTreeMap<String, String>,
    t: &mut Tally,
) {
    match (ok, listed.contains_key(id)) {
        (true, false) => t.passed += 1,
        (false, true) => t.listed += 1,
        (false, false) => t
            .problems
            .push(format!("{kind} case fails: {id}: {detail}")),
        (true, true) => t.problems.push(format!(
            "{kind} case now passes; remove it from expected-failures.tsv: {id}"
        )),
    }
}

#[test]
fn matcher_cases_come_out_as_the_oasis_matcher_says() {
    let Some(corpus) = corpus("matcher_cases_come_out_as_the_oasis_matcher_says") else {
        return;
    };
    let listed = expected_failures();
    let cases = cases(&corpus.join("intel/stix2-matcher-tests/matcher-cases.jsonl"));
    assert_eq!(cases.len(), 411, "STIX 2.1 matcher cases in the corpus");
    let mut t = Tally {
        passed: 0,
        listed: 0,
        problems: Vec::new(),
    };
    let mut same_sdos = 0;
    let mut matches = 0;
    for case in &cases {
        let id = case["source_test"].as_str().expect("source_test");
        let want = expected_matcher_outcome(case);
        let (got, ids) = run_matcher_case(case);
        if want == "match" && got == "match" {
            matches += 1;
            if ids == matched_ids(case) {
                same_sdos += 1;
            }
        }
        let detail = format!("pattern {} expected {want}, got {got}", case["pattern"]);
        judge("matcher", id, got == want, detail, &listed, &mut t);
    }
    eprintln!(
        "matcher cases: {} as expected, {} listed in expected-failures.tsv, {} unexpected; \
         {same_sdos} of {matches} matches report the same observed-data as stix2-matcher",
        t.passed,
        t.listed,
        t.problems.len()
    );
    assert!(t.problems.is_empty(), "{}", t.problems.join("\n"));
}

#[test]
fn validator_cases_come_out_as_the_oasis_validator_says() {
    let Some(corpus) = corpus("validator_cases_come_out_as_the_oasis_validator_says") else {
        return;
    };
    let listed = expected_failures();
    let cases = cases(&corpus.join("intel/stix2-patterns-tests/validator-cases.jsonl"));
    assert_eq!(cases.len(), 87, "STIX 2.1 validator cases in the corpus");
    let mut t = Tally {
        passed: 0,
        listed: 0,
        problems: Vec::new(),
    };
    for case in &cases {
        let id = case["source_test"].as_str().expect("source_test");
        let pattern = case["pattern"].as_str().expect("pattern");
        let want = case["valid"].as_bool().expect("valid");
        let got = validate(pattern);
        let detail = match &got {
            Ok(_) => format!(
                "{pattern:?} expected invalid ({}), Vigie accepts it",
                case["errors"]
            ),
            Err(e) => format!(
                "{pattern:?} expected valid, Vigie says: {}",
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        judge(
            "validator",
            id,
            got.is_ok() == want,
            detail,
            &listed,
            &mut t,
        );
    }
    eprintln!(
        "validator cases: {} as expected, {} listed in expected-failures.tsv, {} unexpected",
        t.passed,
        t.listed,
        t.problems.len()
    );
    assert!(t.problems.is_empty(), "{}", t.problems.join("\n"));
}

#[test]
fn every_corpus_pattern_round_trips_through_display() {
    let Some(corpus) = corpus("every_corpus_pattern_round_trips_through_display") else {
        return;
    };
    for file in [
        "intel/stix2-matcher-tests/matcher-cases.jsonl",
        "intel/stix2-patterns-tests/validator-cases.jsonl",
    ] {
        for case in cases(&corpus.join(file)) {
            let pattern = case["pattern"].as_str().expect("pattern");
            if let Ok(p) = parse(pattern) {
                let text = p.to_string();
                let again = parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
                assert_eq!(text, again.to_string(), "{pattern}");
            }
        }
    }
}

/// A poor man's fuzzer for CI (the cargo-fuzz target `stix_pattern` goes further): corpus
/// patterns with random edits never panic the parser, validator or evaluator, and whatever
/// parses prints as text that parses to the same printed form.
#[test]
fn mutated_corpus_patterns_never_panic() {
    let Some(corpus) = corpus("mutated_corpus_patterns_never_panic") else {
        return;
    };
    let cases = cases(&corpus.join("intel/stix2-matcher-tests/matcher-cases.jsonl"));
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % below.max(1) as u64).unwrap_or(0)
    };
    let pieces = [
        "[",
        "]",
        "(",
        ")",
        "'",
        "\\",
        " AND ",
        " OR ",
        " FOLLOWEDBY ",
        " WITHIN 5 SECONDS",
        " REPEATS 2 TIMES",
        " START t'2020-01-01T00:00:00Z' STOP t'2020-01-02T00:00:00Z'",
        "t'",
        "b'",
        "h'",
        ":",
        ".",
        "[*]",
        "[-1]",
        "-",
        "+",
        "0",
        ".5",
        "NOT ",
        "EXISTS ",
        "/*",
        "*/",
        "//",
        "\u{e9}",
        "\n",
        " IN (",
        ",",
        " LIKE '%_'",
        " MATCHES '(",
        " ISSUBSET '::1/64'",
        "=",
        "!=",
        "<=",
        "''",
    ];
    let mut parsed = 0;
    for _ in 0..20_000 {
        let case = &cases[random(cases.len())];
        let mut text: Vec<char> = case["pattern"].as_str().expect("pattern").chars().collect();
        for _ in 0..=random(4) {
            let at = random(text.len() + 1);
            match random(3) {
                0 if at < text.len() => {
                    text.remove(at);
                }
                1 => {
                    for (k, c) in pieces[random(pieces.len())].chars().enumerate() {
                        text.insert(at + k, c);
                    }
                }
                _ if at < text.len() => {
                    text[at] = char::from_u32(random(128) as u32).unwrap_or('x');
                }
                _ => {}
            }
        }
        let text: String = text.into_iter().collect();
        let Ok(pattern) = parse(&text) else { continue };
        parsed += 1;
        let _ = pattern.validate();
        let printed = pattern.to_string();
        let again =
            parse(&printed).unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}: {e}"));
        assert_eq!(printed, again.to_string(), "{text:?}");
        if let Ok(obs) = Observations::from_json(&case["observations"]) {
            let _ = pattern.matches(&obs);
        }
    }
    assert!(parsed > 1_000, "only {parsed} mutated patterns parsed");
}
