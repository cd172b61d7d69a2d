//! Evaluation semantics case by case, on observations written here: what the corpus does not
//! pin down (IPv6, EXISTS, STIX 2.0 `objects`, references, binary properties) and patterns
//! that explode combinatorially.

use serde_json::{json, Value};
use vigie_stix_pattern::{parse, EvalError, Observations};

/// Observed-data at `second` past 2026-03-04T02:00:00Z, seen `count` times, with its objects.
fn od(id: u32, second: u32, count: u64, objects: Value) -> Value {
    let t = format!("2026-03-04T02:{:02}:{:02}Z", second / 60, second % 60);
    json!({"type": "observed-data", "id": format!("observed-data--{id}"),
           "first_observed": t, "last_observed": t, "number_observed": count, "objects": objects})
}

fn outcome(pattern: &str, observations: &Value) -> Result<bool, EvalError> {
    let p = parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    let obs = Observations::from_json(observations).expect("observations");
    p.matches(&obs).map(|r| r.matched)
}

fn matches(pattern: &str, observations: &Value) -> bool {
    outcome(pattern, observations).unwrap_or_else(|e| panic!("{pattern}: {e}"))
}

#[test]
fn ipv6_subnets_and_exists() {
    let obs = json!([od(
        1,
        0,
        1,
        json!({"0": {"type": "ipv6-addr", "value": "2001:db8:dead:beef::17"},
                                         "1": {"type": "file", "name": "a.exe"}})
    )]);
    assert!(matches(
        "[ipv6-addr:value ISSUBSET '2001:db8:dead:beef::/64']",
        &obs
    ));
    assert!(!matches(
        "[ipv6-addr:value ISSUBSET '2001:db8:dead:bee0::/64']",
        &obs
    ));
    assert!(!matches("[ipv6-addr:value ISSUBSET '10.0.0.0/8']", &obs));
    assert!(matches("[EXISTS file:name]", &obs));
    assert!(matches("[NOT EXISTS file:size]", &obs));
    assert!(!matches("[EXISTS file:size]", &obs));
    assert!(!matches("[NOT EXISTS ipv6-addr:value]", &obs));
}

#[test]
fn references_and_binary_properties() {
    let obs = json!([od(
        1,
        0,
        1,
        json!({
        "0": {"type": "ipv4-addr", "value": "198.51.100.7"},
        "1": {"type": "network-traffic", "dst_ref": "0", "src_refs": ["0", "9"], "payload_bin": "YWxpY2U=",
              "magic_hex": "ffd8"},
        "2": {"type": "x-bad", "one_ref": 5, "many_refs": "0"}})
    )]);
    assert!(matches(
        "[network-traffic:dst_ref.value = '198.51.100.7']",
        &obs
    ));
    assert!(matches(
        "[network-traffic:src_refs[*].value ISSUBSET '198.51.100.0/24']",
        &obs
    ));
    assert!(matches(
        "[network-traffic:payload_bin = 'alice' AND network-traffic:magic_hex = h'FFD8']",
        &obs
    ));
    assert!(matches("[network-traffic:payload_bin MATCHES '^al']", &obs));
    assert!(matches!(
        outcome("[x-bad:one_ref.value = 'x']", &obs),
        Err(EvalError::BadReference { .. })
    ));
    assert!(matches!(
        outcome("[x-bad:many_refs[*].value = 'x']", &obs),
        Err(EvalError::BadReference { .. })
    ));
}

#[test]
fn python_set_membership_and_number_observed() {
    let obs = json!([od(
        1,
        0,
        2,
        json!({"0": {"type": "x", "flag": true, "n": 2}})
    )]);
    // As in the matcher, `true` is the number 1 inside a set, but never equal to it with `=`.
    assert!(matches("[x:flag IN (1, 2)]", &obs));
    assert!(!matches("[x:flag = 1]", &obs));
    assert!(matches("[x:n IN (2.0)]", &obs));
    // One observed-data seen twice satisfies two observation expressions, not three.
    assert!(matches("[x:n = 2] AND [x:n = 2]", &obs));
    assert!(!matches("[x:n = 2] AND [x:n = 2] AND [x:n = 2]", &obs));
    assert!(matches("[x:n = 2] REPEATS 2 TIMES", &obs));
    assert!(!matches("[x:n = 2] REPEATS 3 TIMES", &obs));
}

#[test]
fn temporal_qualifiers() {
    let obs = json!([
        od(1, 0, 1, json!({"0": {"type": "x", "step": 1}})),
        od(2, 30, 1, json!({"0": {"type": "x", "step": 2}})),
    ]);
    assert!(matches("[x:step = 1] FOLLOWEDBY [x:step = 2]", &obs));
    assert!(!matches("[x:step = 2] FOLLOWEDBY [x:step = 1]", &obs));
    assert!(matches(
        "([x:step = 1] AND [x:step = 2]) WITHIN 30 SECONDS",
        &obs
    ));
    assert!(!matches(
        "([x:step = 1] AND [x:step = 2]) WITHIN 29.5 SECONDS",
        &obs
    ));
    assert!(matches(
        "[x:step = 2] START t'2026-03-04T02:00:30Z' STOP t'2026-03-04T02:00:31Z'",
        &obs
    ));
    assert!(!matches(
        "[x:step = 2] START t'2026-03-04T02:00:00Z' STOP t'2026-03-04T02:00:30Z'",
        &obs
    ));
    assert!(matches!(
        outcome("[x:step = 1] WITHIN 0 SECONDS", &obs),
        Err(EvalError::InvalidWithin(_))
    ));
    assert!(matches!(
        outcome("[x:step = 1] REPEATS 0 TIMES", &obs),
        Err(EvalError::InvalidRepeats(0))
    ));
}

/// Twenty observations a second apart, ages 0 to 19 (the shape of stix2-matcher's
/// combinatorial-explosion tests).
fn twenty() -> Value {
    Value::Array(
        (0..20)
            .map(|i| od(i, i, 1, json!({"a": {"type": "person", "age": i}})))
            .collect(),
    )
}

#[test]
fn combinatorial_patterns_stay_tractable() {
    let obs = twenty();
    for pattern in [
        "[person:age < 20] REPEATS 10 TIMES",
        "[person:age < 20] REPEATS 5 TIMES REPEATS 2 TIMES",
        "[person:age < 20] REPEATS 2 TIMES REPEATS 5 TIMES",
        "[person:age < 20] REPEATS 10 TIMES FOLLOWEDBY [person:age < 20]",
        "([person:age < 20] FOLLOWEDBY [person:age > 5]) REPEATS 10 TIMES",
        "[person:age < 20] REPEATS 20 TIMES WITHIN 19 SECONDS",
    ] {
        assert!(matches(pattern, &obs), "{pattern}");
    }
    for pattern in [
        "[person:age < 20] REPEATS 10 TIMES WITHIN 8 SECONDS",
        "[person:age < 20] REPEATS 21 TIMES",
        "([person:age < 20] FOLLOWEDBY [person:age > 5]) REPEATS 11 TIMES",
    ] {
        assert!(!matches(pattern, &obs), "{pattern}");
    }
}

#[test]
fn long_chains_evaluate_without_deep_nesting() {
    let obs = json!([od(1, 0, 5000, json!({"0": {"type": "x", "n": 2}}))]);
    let and = vec!["[x:n = 2]"; 3000].join(" AND ");
    assert!(matches(&and, &obs));
    let or = vec!["[x:n = 3]"; 3000].join(" OR ");
    assert!(!matches(&or, &obs));
    let followed = vec!["[x:n = 2]"; 3000].join(" FOLLOWEDBY ");
    assert!(matches(&followed, &obs));
}
