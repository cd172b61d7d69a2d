//! The model on small hand-made sessions: the invariants it finds (of one, two and three events),
//! the violations it explains, unseen events, determinism, and the JSON round trip with its
//! errors.

use vigie_sequences::{MiningConfig, Model, SequenceError, Violation};

fn seq(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// Twenty sessions: an open is always closed once per write pair (`open` = `close`,
/// `2 × open = write`), a rare `retry` once; `audit` varies freely.
fn sessions() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for k in 0..20 {
        let mut s = seq("open write write close");
        if k % 2 == 0 {
            s.extend(seq("open write close write"));
        }
        for _ in 0..(k % 3) {
            s.push("audit".into());
        }
        out.push(s);
    }
    out
}

fn formulas(model: &Model) -> Vec<String> {
    model.invariants.iter().map(|i| i.formula()).collect()
}

#[test]
fn finds_the_count_relations_that_always_hold() {
    let model = Model::train(&sessions(), MiningConfig::default());
    let found = formulas(&model);
    assert!(
        found.contains(&"count(close) = count(open)".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(&"2 × count(close) = count(write)".to_owned()),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.contains("audit")),
        "audit varies freely: {found:?}"
    );
    let inv = &model.invariants[0];
    assert_eq!((inv.held, inv.active), (20, 20));
}

#[test]
fn finds_a_relation_among_three_events() {
    // Every request ends once, in `ok` or in `fail`; neither alone follows `request`.
    let data: Vec<Vec<String>> = (0..30)
        .map(|k| {
            let fails = k % 3;
            let oks = 1 + k % 4;
            let mut s = seq("login");
            for i in 0..(fails + oks) {
                s.push("request".into());
                s.push(if i < fails { "fail" } else { "ok" }.into());
            }
            s
        })
        .collect();
    let model = Model::train(&data, MiningConfig::default());
    let found = formulas(&model);
    assert!(
        found.contains(&"count(fail) + count(ok) = count(request)".to_owned()),
        "{found:?}"
    );
    let verdict = model.score(&seq("login request ok request"));
    assert!(
        verdict.explanation().starts_with(
            "fail appears 0 times, ok 1 time and request 2 times; in 100.00% of the 30 training \
         sessions with fail, ok or request, count(fail) + count(ok) = count(request)"
        ),
        "{}",
        verdict.explanation()
    );
}

#[test]
fn a_relation_holding_on_too_few_sessions_is_not_an_invariant() {
    let mut data = sessions();
    data[0] = seq("open write write");
    data[1] = seq("open write write write close");
    let strict = MiningConfig {
        min_support: 0.95,
        ..MiningConfig::default()
    };
    let found = formulas(&Model::train(&data, strict.clone()));
    assert!(
        !found.contains(&"2 × count(close) = count(write)".to_owned()),
        "{found:?}"
    );
    // 19 of 20 sessions keep close = open: 95%.
    assert!(
        found.contains(&"count(close) = count(open)".to_owned()),
        "{found:?}"
    );
    let lax = MiningConfig {
        min_support: 0.90,
        ..strict
    };
    let found = formulas(&Model::train(&data, lax));
    assert!(
        found.contains(&"2 × count(close) = count(write)".to_owned()),
        "{found:?}"
    );
}

#[test]
fn a_broken_invariant_is_explained_with_the_counts() {
    let model = Model::train(&sessions(), MiningConfig::default());
    assert!(!model
        .score(&seq("open write write close audit"))
        .is_anomalous());
    let verdict = model.score(&seq("open write write close open write write"));
    assert!(verdict.is_anomalous());
    let Some(Violation::BrokenInvariant { invariant, counts }) = verdict.violations.first() else {
        panic!("{verdict:?}");
    };
    assert_eq!(invariant.formula(), "count(close) = count(open)");
    assert_eq!(counts, &[("close".to_owned(), 1), ("open".to_owned(), 2)]);
    assert_eq!(
        verdict.violations[0].sentence(),
        "close appears 1 time but open 2 times; in 100.00% of the 20 training sessions with \
         close or open, count(close) = count(open)"
    );
    assert!(
        verdict.explanation().ends_with("(and 1 more violation)"),
        "{}",
        verdict.explanation()
    );
}

#[test]
fn rare_and_unseen_events_are_explained() {
    let mut data = sessions();
    data.extend(std::iter::repeat_n(seq("open write write close"), 80));
    data[3].push("retry".into());
    let model = Model::train(&data, MiningConfig::default());
    assert!(formulas(&model).contains(&"count(retry) = 0".to_owned()));
    let verdict = model.score(&seq("open write write close retry crash crash"));
    let sentences: Vec<String> = verdict.violations.iter().map(|v| v.sentence()).collect();
    assert_eq!(
        sentences,
        [
            "crash appears 2 times but never occurred in the 100 training sessions",
            "retry appears 1 time; in 99.00% of the 100 training sessions retry never appears \
             (count(retry) = 0)",
        ]
    );
}

#[test]
fn training_order_does_not_change_the_model() {
    let data = sessions();
    let mut reversed = data.clone();
    reversed.reverse();
    let a = Model::train(&data, MiningConfig::default());
    let b = Model::train(&reversed, MiningConfig::default());
    assert_eq!(a.to_json(), b.to_json());
}

#[test]
fn save_and_load_give_the_same_model_and_verdicts() {
    let model = Model::train(&sessions(), MiningConfig::default());
    let text = model.to_json();
    let loaded = Model::from_json(&text, "m.json").expect("reads back");
    assert_eq!(loaded, model);
    assert_eq!(loaded.to_json(), text);
    let odd = seq("open open write close");
    assert_eq!(loaded.score(&odd), model.score(&odd));
}

#[test]
fn bad_model_files_are_reported_with_their_place() {
    let err = Model::from_json("{\n  \"format\": 1,\n  oops\n}", "m.json").expect_err("refused");
    let SequenceError::BadModel { name, line, .. } = &err;
    assert_eq!((name.as_str(), *line), ("m.json", 3));
    let model = Model::train(&sessions(), MiningConfig::default());
    let renamed = model
        .to_json()
        .replace("\"audit\"", "\"other\"")
        .replace("\"open\"", "\"gone\"");
    let text = renamed.replacen("\"gone\"", "\"open\"", 1);
    let err = Model::from_json(&text, "m.json").expect_err("refused");
    assert!(
        err.to_string()
            .contains("\"gone\", which is not in the vocabulary"),
        "{err}"
    );
}
