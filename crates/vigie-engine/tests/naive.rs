//! The compiled engine against the naive evaluator (`naive_eval/`) on generated rules and
//! events: the set of rules that fire on each event must be the same.
//!
//! Rules are generated as YAML text over a small pool of field names and a small alphabet
//! (mixed case, `*`, `?`, `\`, dashes, a few non-ASCII letters) so that matches are frequent;
//! with random modifier chains, keyword searches and conditions using the whole grammar, and
//! sometimes meta filters naming them. They run through a small mapping with routes, field
//! maps (one with alternatives) and the "unclaimed events" path; the engine is evaluated with
//! its per-field index (the default) and without. Cases: `NAIVE_CASES` (default 10,000 in
//! release builds, 2,000 in debug builds).
//!
//! `cargo test --release -p vigie-engine --test naive`

mod fired;
mod naive_eval;

use std::collections::BTreeSet;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use vigie_engine::{Mapping, Placeholders, RuleSetBuilder, Scratch};
use vigie_event::{Event, Shapes, Value};
use vigie_sigma::{parse_str, Document};

use fired::{engine_evidence, engine_hits};
use naive_eval::routing::{NaiveMapping, Reach, RouteCache};
use naive_eval::{
    filter_applies, lower, parse_sigma_string, wildcard_match, FieldMap, NaiveRule, Tok,
};

/// Routes for the generated rules: a product-wide route, a category route with its own field
/// map, a service route; a file-wide field map with two alternatives.
const MAPPING: &str = "\
fields:
  Alias: [Image, CommandLine]
routes:
  - logsource: {product: gen}
    when: {Kind|exists: true}
  - logsource: {product: gen, category: mapped}
    when: {Kind: m}
    fields:
      User: Image
  - logsource: {product: gen, service: svc}
    when: {Kind|startswith: s}
";

/// Rule logsources: covered by routes, by the product-wide fallback, or by none (unclaimed).
const LOGSOURCES: [&str; 6] = [
    "{product: gen}",
    "{product: gen, category: mapped}",
    "{product: gen, service: svc}",
    "{product: gen, category: nothing_maps_this}",
    "{product: elsewhere}",
    "{category: mapped}",
];

const RULE_FIELDS: [&str; 10] = [
    "Image",
    "image",
    "CommandLine",
    "User",
    "Count",
    "Ip",
    "Tags",
    "Alias",
    "Kind",
    "Missing",
];

const EVENT_FIELDS: [&str; 10] = [
    "Image",
    "image",
    "IMAGE",
    "CommandLine",
    "User",
    "Count",
    "Ip",
    "Tags",
    "Kind",
    "Extra",
];

// ---------------------------------------------------------------------------------------------
// Generated rules

#[derive(Clone, Debug)]
enum GVal {
    Str(String),
    Int(i64),
    Null,
    Bool(bool),
}

impl GVal {
    fn yaml(&self) -> String {
        match self {
            GVal::Str(s) => format!("'{}'", s.replace('\'', "''")),
            GVal::Int(i) => i.to_string(),
            GVal::Null => "null".into(),
            GVal::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Clone, Debug)]
struct GItem {
    /// Empty for a keyword entry (`'|all'`).
    field: String,
    mods: Vec<&'static str>,
    values: Vec<GVal>,
}

impl GItem {
    fn yaml_key(&self) -> String {
        let mut k = self.field.clone();
        for m in &self.mods {
            k.push('|');
            k.push_str(m);
        }
        format!("'{k}'")
    }

    fn yaml_values(&self) -> String {
        if self.values.len() == 1 {
            self.values[0].yaml()
        } else {
            let v: Vec<String> = self.values.iter().map(GVal::yaml).collect();
            format!("[{}]", v.join(", "))
        }
    }
}

#[derive(Clone, Debug)]
enum GSearch {
    /// One map, or a list of maps.
    Maps(Vec<Vec<GItem>>),
    Keywords(Vec<GVal>),
}

#[derive(Clone, Debug)]
struct GRule {
    logsource: usize,
    searches: Vec<(String, GSearch)>,
    conditions: Vec<String>,
}

/// A meta filter: a detection (in `rule`) AND-ed with that of the rules it names.
#[derive(Clone, Debug)]
struct GFilter {
    /// Indexes of the generated rules it names; empty: `rules: any`.
    targets: Vec<usize>,
    rule: GRule,
}

impl GFilter {
    fn yaml(&self, n: usize) -> String {
        let rules = if self.targets.is_empty() {
            "any".to_owned()
        } else {
            let ids: Vec<String> = self.targets.iter().map(|i| format!("gen-{i}")).collect();
            format!("[{}]", ids.join(", "))
        };
        format!(
            "title: filter {n}\nid: filter-{n}\nlogsource: {}\nfilter:\n  rules: {rules}\n{}",
            LOGSOURCES[self.rule.logsource],
            self.rule.detection_yaml()
        )
    }
}

impl GRule {
    fn yaml(&self, n: usize) -> String {
        format!(
            "title: generated {n}\nid: gen-{n}\nlogsource: {}\ndetection:\n{}",
            LOGSOURCES[self.logsource],
            self.detection_yaml()
        )
    }

    fn detection_yaml(&self) -> String {
        let mut y = String::new();
        for (name, s) in &self.searches {
            y.push_str(&format!("  {name}:\n"));
            match s {
                GSearch::Maps(maps) if maps.len() == 1 => {
                    for i in &maps[0] {
                        y.push_str(&format!("    {}: {}\n", i.yaml_key(), i.yaml_values()));
                    }
                }
                GSearch::Maps(maps) => {
                    for m in maps {
                        for (j, i) in m.iter().enumerate() {
                            let lead = if j == 0 { "    - " } else { "      " };
                            y.push_str(&format!("{lead}{}: {}\n", i.yaml_key(), i.yaml_values()));
                        }
                    }
                }
                GSearch::Keywords(values) => {
                    for v in values {
                        y.push_str(&format!("    - {}\n", v.yaml()));
                    }
                }
            }
        }
        if self.conditions.len() == 1 {
            y.push_str(&format!("  condition: '{}'\n", self.conditions[0]));
        } else {
            y.push_str("  condition:\n");
            for c in &self.conditions {
                y.push_str(&format!("    - '{c}'\n"));
            }
        }
        y
    }
}

/// Characters of generated strings: few letters in both cases, wildcards, escapes, switch
/// dashes, and letters whose lower case depends on context or differs from ASCII rules.
fn text(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(chars), 0..=max)
        .prop_map(|v| v.into_iter().collect())
}

const RULE_CHARS: &[char] = &[
    'a', 'a', 'b', 'A', 'B', '-', '/', ' ', '*', '*', '?', '\\', 'Σ', 'σ', 'é', 'É', 'İ', 'k',
];
const EVENT_CHARS: &[char] = &[
    'a', 'a', 'b', 'A', 'B', '-', '/', ' ', '*', '?', '\\', 'Σ', 'σ', 'ς', 'é', 'É', '\u{2013}',
    'i', 'İ', '\u{212A}',
];
const PLAIN_CHARS: &[char] = &['a', 'b', 'A', 'B', '-', ' ', 'c'];

fn str_val() -> impl Strategy<Value = GVal> {
    text(RULE_CHARS, 4).prop_map(GVal::Str)
}

fn some<T: Clone + std::fmt::Debug + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> impl Strategy<Value = Vec<T>> {
    proptest::collection::vec(s, 1..=3)
}

fn opt(m: &'static str) -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![3 => Just(None), 1 => Just(Some(m))]
}

/// A `field|modifiers: values` entry of a chosen kind.
fn item() -> impl Strategy<Value = GItem> {
    let field = proptest::sample::select(&RULE_FIELDS[..]).prop_map(str::to_owned);
    let plain = (
        field.clone(),
        opt("windash"),
        proptest::sample::select(&["", "contains", "startswith", "endswith"][..]),
        opt("cased"),
        opt("all"),
        opt("neq"),
        some(prop_oneof![
            12 => str_val(),
            2 => (0i64..12).prop_map(GVal::Int),
            1 => any::<bool>().prop_map(GVal::Bool),
            1 => Just(GVal::Null),
        ]),
    )
        .prop_map(|(field, windash, pos, cased, all, neq, values)| {
            let mods = [windash, (!pos.is_empty()).then_some(pos), cased, all, neq]
                .into_iter()
                .flatten()
                .collect();
            GItem {
                field,
                mods,
                values,
            }
        });
    let encoded = (
        field.clone(),
        opt("windash"),
        proptest::sample::select(&["", "wide", "utf16le", "utf16be", "utf16"][..]),
        proptest::sample::select(&["base64", "base64offset"][..]),
        proptest::sample::select(&["", "contains", "startswith", "endswith"][..]),
        some(text(PLAIN_CHARS, 4).prop_map(GVal::Str)),
    )
        .prop_map(|(field, windash, wide, b64, pos, values)| {
            let mods = [
                windash,
                (!wide.is_empty()).then_some(wide),
                Some(b64),
                (!pos.is_empty()).then_some(pos),
            ]
            .into_iter()
            .flatten()
            .collect();
            GItem {
                field,
                mods,
                values,
            }
        });
    let numeric = (
        field.clone(),
        proptest::sample::select(&["lt", "lte", "gt", "gte"][..]),
        some(prop_oneof![
            (-2i64..12).prop_map(GVal::Int),
            proptest::sample::select(&["3", " 4", "1e1", "-1", "0.5"][..])
                .prop_map(|s| GVal::Str(s.into())),
        ]),
    )
        .prop_map(|(field, op, values)| GItem {
            field,
            mods: vec![op],
            values,
        });
    let exists = (field.clone(), any::<bool>()).prop_map(|(field, b)| GItem {
        field,
        mods: vec!["exists"],
        values: vec![GVal::Bool(b)],
    });
    let null = (field.clone(), opt("neq")).prop_map(|(field, neq)| GItem {
        field,
        mods: neq.into_iter().collect(),
        values: vec![GVal::Null],
    });
    let cidr = (
        field.clone(),
        some(
            proptest::sample::select(
                &[
                    "10.0.0.0/8",
                    "10.1.0.0/16",
                    "192.168.1.0/24",
                    "192.168.1.77/24",
                    "10.0.0.1",
                    "::1/128",
                    "fe80::/10",
                    "0.0.0.0/0",
                ][..],
            )
            .prop_map(|s| GVal::Str(s.into())),
        ),
    )
        .prop_map(|(field, values)| GItem {
            field,
            mods: vec!["cidr"],
            values,
        });
    let regex = (
        field.clone(),
        opt("i"),
        opt("m"),
        opt("s"),
        some(regex_text().prop_map(GVal::Str)),
    )
        .prop_map(|(field, i, m, s, values)| GItem {
            field,
            mods: std::iter::once("re")
                .chain([i, m, s].into_iter().flatten())
                .collect(),
            values,
        });
    let fieldref = (
        field.clone(),
        proptest::sample::select(&RULE_FIELDS[..]),
        opt("cased"),
        opt("neq"),
    )
        .prop_map(|(field, other, cased, neq)| GItem {
            field,
            mods: std::iter::once("fieldref")
                .chain([cased, neq].into_iter().flatten())
                .collect(),
            values: vec![GVal::Str(other.into())],
        });
    let keyword_all = proptest::collection::vec(str_val(), 2..=3).prop_map(|values| GItem {
        field: String::new(),
        mods: vec!["all"],
        values,
    });
    prop_oneof![
        12 => plain,
        4 => encoded,
        3 => numeric,
        2 => exists,
        2 => null,
        2 => cidr,
        3 => regex,
        2 => fieldref,
        1 => keyword_all,
    ]
}

/// Small valid regular expressions over the same alphabet.
fn regex_text() -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(
        &[
            "a", "A", "b", ".", ".*", "[ab]", "(a|B)", "\\*", "-", "σ", "\\\\", "b+",
        ][..],
    );
    (
        any::<bool>(),
        proptest::collection::vec(piece, 1..=3),
        any::<bool>(),
    )
        .prop_map(|(start, pieces, end)| {
            let mut r = String::new();
            if start {
                r.push('^');
            }
            r.extend(pieces);
            if end {
                r.push('$');
            }
            r
        })
}

fn search() -> impl Strategy<Value = GSearch> {
    prop_oneof![
        4 => proptest::collection::vec(item(), 1..=3).prop_map(|m| GSearch::Maps(vec![m])),
        2 => proptest::collection::vec(proptest::collection::vec(item(), 1..=2), 2..=3)
            .prop_map(GSearch::Maps),
        2 => proptest::collection::vec(
            prop_oneof![4 => str_val(), 1 => (0i64..12).prop_map(GVal::Int)],
            1..=3
        )
        .prop_map(GSearch::Keywords),
    ]
}

const NAMES: [&str; 8] = [
    "sel1",
    "sel2",
    "selection",
    "filter1",
    "filter_x",
    "_aux",
    "kw",
    "keywords",
];

/// A condition over `names`: identifiers, not / and / or, parentheses, quantifiers, with
/// operators in random case.
fn condition(names: Vec<String>) -> BoxedStrategy<String> {
    let ident = proptest::sample::select(names).boxed();
    let quant = (
        proptest::sample::select(&["1 of", "any of", "all of", "ALL OF", "1 OF"][..]),
        proptest::sample::select(&["them", "sel*", "filter*", "_*", "*", "k*", "nomatch*"][..]),
    )
        .prop_map(|(q, t)| format!("{q} {t}"));
    let leaf = prop_oneof![3 => ident, 1 => quant].boxed();
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| format!("not {c}")),
            inner.clone().prop_map(|c| format!("NOT {c}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} or {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} Or {b})")),
            inner.prop_map(|c| format!("({c})")),
        ]
    })
    .boxed()
}

fn rule() -> impl Strategy<Value = GRule> {
    (
        0..LOGSOURCES.len(),
        proptest::sample::subsequence(NAMES.to_vec(), 1..=4),
    )
        .prop_flat_map(|(ls, names)| {
            let names: Vec<String> = names.into_iter().map(str::to_owned).collect();
            let searches: Vec<BoxedStrategy<(String, GSearch)>> = names
                .iter()
                .map(|n| {
                    let n = n.clone();
                    search().prop_map(move |s| (n.clone(), s)).boxed()
                })
                .collect();
            (
                Just(ls),
                searches,
                proptest::collection::vec(condition(names), 1..=2),
            )
        })
        .prop_map(|(logsource, searches, conditions)| GRule {
            logsource,
            searches,
            conditions,
        })
}

// ---------------------------------------------------------------------------------------------
// Generated events

#[derive(Clone, Debug)]
enum GField {
    Scalar(Value),
    List(Vec<Value>),
}

fn scalar() -> impl Strategy<Value = Value> {
    let encoded = (
        text(PLAIN_CHARS, 2),
        text(PLAIN_CHARS, 4),
        text(PLAIN_CHARS, 2),
        0..3u8,
    )
        .prop_map(|(pre, mid, post, enc)| {
            let s = format!("{pre}{mid}{post}");
            let bytes: Vec<u8> = match enc {
                0 => s.into_bytes(),
                1 => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                _ => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            };
            Value::str(B64.encode(bytes))
        });
    prop_oneof![
        8 => text(EVENT_CHARS, 5).prop_map(Value::str),
        3 => encoded,
        2 => proptest::sample::select(
            &["10.1.2.3", "10.0.0.1", "192.168.1.7", "192.168.2.1", "::1", "fe80::1", "8.8.8.8", " 10.2.3.4 ", "-"][..]
        )
        .prop_map(Value::str),
        2 => (-2i64..12).prop_map(Value::Int),
        1 => proptest::sample::select(&[2.0, 0.5, -1.5, 1e20][..]).prop_map(Value::Float),
        1 => proptest::sample::select(&["7", " 8 ", "0x5", "1e1", "abc", "-1"][..]).prop_map(Value::str),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ]
}

fn event() -> impl Strategy<Value = Vec<(String, GField)>> {
    let field = (
        proptest::sample::select(&EVENT_FIELDS[..]).prop_map(str::to_owned),
        prop_oneof![
            6 => scalar().prop_map(GField::Scalar),
            1 => proptest::collection::vec(scalar(), 0..=3).prop_map(GField::List),
        ],
    );
    let kind = prop_oneof![
        Just(None),
        proptest::sample::select(&["m", "M", "s", "S2", "x", ""][..]).prop_map(Some),
    ];
    (proptest::collection::vec(field, 0..=6), kind).prop_map(|(mut fields, kind)| {
        if let Some(k) = kind {
            fields.push(("Kind".into(), GField::Scalar(Value::str(k))));
        }
        fields
    })
}

fn to_event(fields: &[(String, GField)]) -> Event {
    let mut e = Event::default();
    for (name, f) in fields {
        let v = match f {
            GField::Scalar(v) => v.clone(),
            GField::List(items) => Value::List(items.clone().into()),
        };
        e.push(name.as_str(), v);
    }
    e
}

// ---------------------------------------------------------------------------------------------
// The comparison

fn filter() -> impl Strategy<Value = GFilter> {
    (
        prop_oneof![1 => Just(Vec::new()), 2 => proptest::collection::vec(0..5usize, 1..=2)],
        rule(),
    )
        .prop_map(|(targets, rule)| GFilter { targets, rule })
}

fn check(
    rules: &[GRule],
    filters: &[GFilter],
    events: &[Vec<(String, GField)>],
) -> Result<(), TestCaseError> {
    let texts: Vec<String> = rules.iter().enumerate().map(|(i, r)| r.yaml(i)).collect();
    let filter_texts: Vec<String> = filters.iter().enumerate().map(|(i, f)| f.yaml(i)).collect();
    let events: Vec<Event> = events.iter().map(|e| to_event(e)).collect();
    compare(&texts, &filter_texts, &events).map_err(TestCaseError::fail)
}

/// Runs rule and filter texts through the engine (index on and off) and the naive
/// evaluator, under [`MAPPING`]; an error describes the first event on which they differ.
fn compare(texts: &[String], filter_texts: &[String], events: &[Event]) -> Result<(), String> {
    let mut parsed_filters = Vec::new();
    for t in filter_texts {
        let parsed = parse_str(t);
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            return Err(format!("generated filter does not parse: {errors:?}\n{t}"));
        }
        let Some(Document::Filter(f)) = parsed.documents.into_iter().next() else {
            return Err(format!("not a filter:\n{t}"));
        };
        parsed_filters.push(f);
    }
    let mut builder = RuleSetBuilder::new(
        Mapping::from_yaml("gen.yml", MAPPING).expect("mapping"),
        Placeholders::default(),
    );
    let naive_mapping = NaiveMapping::from_yaml(MAPPING);
    // (rule id, its text, the naive rule, how it is routed)
    let mut naive_rules = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let parsed = parse_str(t);
        let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            return Err(format!("generated rule does not parse: {errors:?}\n{t}"));
        }
        let Some(Document::Rule(rule)) = parsed.documents.first() else {
            return Err(format!("not a rule:\n{t}"));
        };
        let mut naive = NaiveRule::new(rule).expect("generated rules use supported modifiers");
        for f in parsed_filters.iter().filter(|f| filter_applies(f, rule)) {
            naive.add_filter(f).expect("supported");
        }
        let id = rule
            .meta
            .id
            .clone()
            .unwrap_or_else(|| rule.meta.title.clone());
        naive_rules.push((id, t, naive, naive_mapping.reach(&rule.logsource)));
        builder.add_text(&format!("rule{i}.yml"), t);
    }
    for (i, t) in filter_texts.iter().enumerate() {
        builder.add_text(&format!("filter{i}.yml"), t);
    }
    let (mut set, issues) = builder.build();
    let errors: Vec<_> = issues.iter().filter(|i| i.is_error()).collect();
    if !errors.is_empty() {
        return Err(format!("engine refuses a generated rule: {errors:?}"));
    }
    let mut scratch = Scratch::default();
    let mut shapes = Shapes::default();
    for event in events {
        let mut cache = RouteCache::new();
        let naive: BTreeSet<String> = naive_rules
            .iter()
            .filter(|(_, _, r, reach)| {
                naive_mapping.rule_fires(r, reach, event, &mut cache) == Some(true)
            })
            .map(|(id, _, _, _)| id.clone())
            .collect();
        set.set_prefilter(true);
        let fast = engine_hits(&set, event, &mut scratch);
        // Again: now its values are answered from the scratch's memory of values met before.
        let again = engine_hits(&set, event, &mut scratch);
        if again != fast {
            return Err(format!(
                "engine (index on) {fast:?}, then {again:?} on the same event\nevent: {event:?}"
            ));
        }
        // Stamped with its shape's id, as a JSON-lines decoder gives it: the field slots are
        // then remembered by the id (the first time found by names, then by the id).
        let (mut stamped, _) = shapes.event(event.fields().to_vec());
        stamped.timestamp = event.timestamp;
        for _ in 0..2 {
            let by_id = engine_hits(&set, &stamped, &mut scratch);
            if by_id != fast {
                return Err(format!(
                    "engine (index on) {fast:?}, {by_id:?} with a shape id\nevent: {event:?}"
                ));
            }
        }
        set.set_prefilter(false);
        let plain = engine_hits(&set, event, &mut scratch);
        if fast != naive || plain != naive {
            let shown: Vec<String> = naive_rules
                .iter()
                .filter(|(id, _, _, _)| {
                    fast.contains(id) != naive.contains(id)
                        || plain.contains(id) != naive.contains(id)
                })
                .map(|(_, t, _, _)| (*t).clone())
                .chain(filter_texts.iter().cloned())
                .collect();
            return Err(format!(
                "engine (index on) {fast:?}, engine (index off) {plain:?}, naive {naive:?}\nevent: {event:?}\nrules that differ:\n{}",
                shown.join("---\n")
            ));
        }
        // The fields each hit reports do not depend on whether the index answered its tests.
        let plain_evidence = engine_evidence(&set, event, &mut scratch);
        set.set_prefilter(true);
        let fast_evidence = engine_evidence(&set, event, &mut scratch);
        if fast_evidence != plain_evidence {
            return Err(format!(
                "matched fields (index on) {fast_evidence:?}, (index off) {plain_evidence:?}\nevent: {event:?}"
            ));
        }
    }
    Ok(())
}

/// Disagreements the property test found, kept as fixed cases (both were engine bugs).
#[test]
fn regression_fieldref_to_a_list_valued_field() {
    let rule = "title: t\nid: fieldref-list\nlogsource: {product: gen}\ndetection:\n  sel:\n    Image|fieldref: Tags\n  condition: sel\n";
    let mut e = Event::default();
    e.push("Kind", Value::str("m"));
    e.push("Image", Value::str("X"));
    e.push(
        "Tags",
        Value::List([Value::str("y"), Value::str("x")].into()),
    );
    compare(&[rule.to_owned()], &[], &[e]).expect("agree");
}

#[test]
fn regression_case_folding_of_sigma_does_not_depend_on_position() {
    let rule = "title: t\nid: final-sigma\nlogsource: {product: gen}\ndetection:\n  kw:\n    - 'Σσ'\n  sel:\n    Image|endswith: 'ΟΣ'\n  condition: kw and sel\n";
    let mut e = Event::default();
    e.push("Image", Value::str("ΛΌΓΟΣ ΣΣ λόγος"));
    let mut hit = e.clone();
    hit.push("Kind", Value::str("m"));
    compare(&[rule.to_owned()], &[], &[hit.clone(), e]).expect("agree");
    // And the naive side does fire on it: the comparison is not vacuous.
    let naive = NaiveMapping::from_yaml(MAPPING);
    let parsed = parse_str(rule);
    let Some(Document::Rule(r)) = parsed.documents.first() else {
        panic!("rule")
    };
    let reach = naive.reach(&r.logsource);
    let fires = naive.rule_fires(
        &NaiveRule::new(r).expect("supported"),
        &reach,
        &hit,
        &mut RouteCache::new(),
    );
    assert_eq!(fires, Some(true));
}

/// Whole numbers are remembered from event to event by their digits, as text is: one met
/// after another must not take the other's findings (4624, then 4625 on an equals test and
/// a prefix test).
#[test]
fn numbers_are_remembered_by_their_own_digits() {
    let rule = "title: t\nid: numbers\nlogsource: {product: gen}\ndetection:\n  sel:\n    Image:\n      - 4625\n      - '12*'\n  condition: sel\n";
    let event = |n: i64| {
        let mut e = Event::default();
        e.push("Kind", Value::str("m"));
        e.push("Image", Value::Int(n));
        e
    };
    let numbers = [4624, 4625, 4626, 4625, 123, 4624, 1];
    compare(&[rule.to_owned()], &[], &numbers.map(event)).expect("agree");
    // The naive side fires on some and not on others: the comparison is not vacuous.
    let fires = |n| naive_fires(rule, &[("Image", Value::Int(n))]);
    assert!(fires(4625) && fires(123) && !fires(4624) && !fires(1));
}

/// `NAIVE_CASES`, else 10,000 in release builds (about 6 s) and 2,000 in debug builds.
fn cases() -> u32 {
    std::env::var("NAIVE_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            2_000
        } else {
            10_000
        })
}

proptest! {
    #![proptest_config(Config {
        cases: cases(),
        max_shrink_iters: 20_000,
        // Found failures are kept as named regression tests above, not as seed files.
        failure_persistence: None,
        ..Config::default()
    })]

    #[test]
    fn engine_agrees_with_naive_evaluator(
        rules in proptest::collection::vec(rule(), 1..=5),
        filters in prop_oneof![3 => Just(Vec::new()), 1 => proptest::collection::vec(filter(), 1..=2)],
        events in proptest::collection::vec(event(), 1..=6),
    ) {
        check(&rules, &filters, &events)?;
    }
}

// ---------------------------------------------------------------------------------------------
// The naive evaluator's own checks, against the specification's examples: a wrong reference
// would make the comparison above worthless.

fn naive_fires(yaml: &str, fields: &[(&str, Value)]) -> bool {
    let parsed = parse_str(yaml);
    let Some(Document::Rule(rule)) = parsed.documents.first() else {
        panic!("not a rule: {:?}", parsed.diagnostics);
    };
    let mut e = Event::default();
    for (n, v) in fields {
        e.push(*n, v.clone());
    }
    NaiveRule::new(rule)
        .expect("supported")
        .matches(&e, &FieldMap::new())
}

fn rule_with(detection: &str) -> String {
    format!("title: t\nlogsource: {{product: x}}\ndetection:\n{detection}")
}

#[test]
fn naive_escapes_follow_the_specification() {
    let t = |s: &str| -> Vec<Tok> { parse_sigma_string(s) };
    let c = Tok::Char;
    assert_eq!(t(r"a\*b"), vec![c('a'), c('*'), c('b')]);
    assert_eq!(t(r"a\\*"), vec![c('a'), c('\\'), Tok::Any]);
    assert_eq!(t(r"a\\\*"), vec![c('a'), c('\\'), c('*')]);
    assert_eq!(t(r"C:\Windows"), t(r"C:\\Windows"));
    assert_eq!(t(r"\\\\x"), vec![c('\\'), c('\\'), c('x')]);
    assert_eq!(t(r"\\\x"), t(r"\\\\x"));
    assert_eq!(t("a?"), vec![c('a'), Tok::One]);
}

#[test]
fn naive_wildcards() {
    let m = |p: &str, s: &str| {
        wildcard_match(
            &parse_sigma_string(&lower(p)),
            &lower(s).chars().collect::<Vec<_>>(),
        )
    };
    assert!(m("prog?.exe", "progA.exe"));
    assert!(!m("prog?.exe", "prog.exe"));
    assert!(m("antivirus_V*.exe", "antivirus_V21.2.1.exe"));
    assert!(m("*a*b*", "xxAyyBzz"));
    assert!(!m("*a*b*", "xxByyAzz"));
    assert!(m("", ""));
    assert!(!m("", "x"));
    assert!(m("*", ""));
    assert!(m("ΑΣ*", "ασβ"));
}

#[test]
fn naive_modifiers_and_conditions() {
    let ls = |d: &str, f: &[(&str, Value)]| naive_fires(&rule_with(d), f);
    // contains|all, windash, keywords, base64offset.
    let d = "  sel:\n    CommandLine|contains|all: ['-a', 'b']\n  condition: sel\n";
    assert!(ls(d, &[("CommandLine", Value::str("x -A B"))]));
    assert!(!ls(d, &[("CommandLine", Value::str("x -A"))]));
    let d = "  sel:\n    CommandLine|windash|contains: ' -enc '\n  condition: sel\n";
    assert!(ls(d, &[("CommandLine", Value::str("p /ENC x"))]));
    assert!(ls(d, &[("CommandLine", Value::str("p \u{2014}enc x"))]));
    assert!(!ls(d, &[("CommandLine", Value::str("p enc x"))]));
    let d = "  kw:\n    - 'evil'\n  condition: kw\n";
    assert!(ls(d, &[("A", Value::Int(1)), ("B", Value::str("so EVIL"))]));
    let d = "  sel:\n    F|base64offset|contains: 'http'\n  condition: sel\n";
    for shift in ["", "x", "xy"] {
        let enc = B64.encode(format!("{shift}http://"));
        assert!(ls(d, &[("F", Value::str(enc))]), "{shift:?}");
    }
    // Known renderings (pySigma's base64offset of `foobar`).
    let d = "  sel:\n    F|base64offset: 'foobar'\n  condition: sel\n";
    for want in ["Zm9vYmFy", "Zvb2Jhc", "mb29iYX"] {
        assert!(ls(d, &[("F", Value::str(want))]), "{want}");
    }
    // null, exists, neq, numbers, cidr, fieldref, re.
    let d = "  sel:\n    F: null\n  condition: sel\n";
    assert!(ls(d, &[]));
    assert!(ls(d, &[("F", Value::Null)]));
    assert!(!ls(d, &[("F", Value::str(""))]));
    let d = "  sel:\n    F|exists: true\n  condition: sel\n";
    assert!(ls(d, &[("F", Value::Null)]));
    let d = "  sel:\n    F|gte: 3\n  condition: sel\n";
    assert!(ls(d, &[("F", Value::str("0x10"))]));
    assert!(!ls(d, &[("F", Value::str("2"))]));
    let d = "  sel:\n    F|cidr: 10.0.0.0/8\n  condition: sel\n";
    assert!(ls(d, &[("F", Value::str("10.9.8.7"))]));
    assert!(!ls(d, &[("F", Value::str("11.0.0.1"))]));
    let d = "  sel:\n    F|fieldref: G\n  condition: sel\n";
    assert!(ls(d, &[("F", Value::str("Ab")), ("G", Value::str("aB"))]));
    let d = "  sel:\n    F|re: '^A.C'\n  condition: sel\n";
    assert!(ls(d, &[("F", Value::str("AbC"))]));
    assert!(!ls(d, &[("F", Value::str("abc"))]));
    // Conditions: quantifiers and `_` identifiers.
    let d =
        "  sel1: {F: a}\n  sel2: {G: b}\n  _x: {H: c}\n  condition: all of them and not 1 of _*\n";
    assert!(ls(d, &[("F", Value::str("a")), ("G", Value::str("B"))]));
    assert!(!ls(
        d,
        &[
            ("F", Value::str("a")),
            ("G", Value::str("B")),
            ("H", Value::str("c"))
        ]
    ));
}

#[test]
fn naive_routing_reads_the_builtin_mapping_as_the_engine_does() {
    let naive = NaiveMapping::builtin();
    let engine = Mapping::builtin();
    assert_eq!(naive.routes.len(), engine.routes.len());
    for (n, e) in naive.routes.iter().zip(&engine.routes) {
        assert_eq!(n.logsource, e.logsource, "{}", e.origin);
        assert_eq!(n.fields, e.fields, "{}", e.origin);
    }
    // A rule no route covers and whose product has no product-wide route.
    assert_eq!(
        naive.reach(&vigie_sigma::LogSource {
            product: Some("nothing".into()),
            category: Some("nothing".into()),
            service: None,
        }),
        Reach::Unclaimed
    );
}
