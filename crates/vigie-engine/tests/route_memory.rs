//! The per-thread route memory: an event is routed as an earlier one only when the routing
//! tests found and the fields present decide its routes. Events that differ in a value no
//! indexed test answers (a number compared), or in a field's presence, are routed on their
//! own, whatever came before them on the same scratch.

mod fired;

use fired::engine_hits;
use vigie_engine::{Mapping, Placeholders, RuleSet, RuleSetBuilder, Scratch};
use vigie_event::{Event, Value};

/// A route that reads a value no indexed test answers: nothing is remembered.
const BY_VALUE: &str = "\
routes:
  - logsource: {product: gen, category: big}
    when: {Kind: m, Count|gt: 5}
";

/// A route that reads an indexed test and a field's presence: remembered by both.
const BY_PRESENCE: &str = "\
routes:
  - logsource: {product: gen, category: present}
    when: {Kind: m, Extra|exists: true}
";

fn rule(id: &str, category: &str) -> String {
    format!(
        "title: {id}\nid: {id}\nlogsource:\n    product: gen\n    category: {category}\n\
         detection:\n    selection:\n        Image|contains: evil\n    condition: selection\n"
    )
}

/// The mapping and one rule on its route's category.
fn rule_set(mapping: &str, category: &str) -> RuleSet {
    let mapping = Mapping::from_yaml("test.yml", mapping).expect("mapping");
    let mut builder = RuleSetBuilder::new(mapping, Placeholders::default());
    builder.add_text("rule.yml", &rule(&format!("on-{category}"), category));
    let (set, issues) = builder.build();
    assert!(issues.iter().all(|i| !i.is_error()), "{issues:?}");
    set
}

fn event(count: i64, extra: bool) -> Event {
    let mut e = Event::default();
    e.push("Kind", Value::str("m"));
    e.push("Count", Value::Int(count));
    if extra {
        e.push("Extra", Value::str("x"));
    }
    e.push("Image", Value::str("C:\\evil.exe"));
    e
}

#[test]
fn a_value_no_test_answers_is_read_on_every_event() {
    let set = rule_set(BY_VALUE, "big");
    let mut scratch = Scratch::default();
    // The same routing tests (Kind: m), a count on either side of the route's bound, in both
    // orders and again: each event is routed by its own count.
    for counts in [[9, 1, 9, 1], [1, 9, 1, 9]] {
        for count in counts {
            let want: &[&str] = if count > 5 { &["on-big"] } else { &[] };
            let got = engine_hits(&set, &event(count, false), &mut scratch);
            assert!(got.iter().eq(want), "{count}: {got:?}");
        }
    }
}

#[test]
fn a_field_present_or_not_is_told_apart() {
    let set = rule_set(BY_PRESENCE, "present");
    let mut scratch = Scratch::default();
    for extras in [[true, false, true, false], [false, true, false, true]] {
        for extra in extras {
            let want: &[&str] = if extra { &["on-present"] } else { &[] };
            let got = engine_hits(&set, &event(1, extra), &mut scratch);
            assert!(got.iter().eq(want), "{extra}: {got:?}");
        }
    }
}
