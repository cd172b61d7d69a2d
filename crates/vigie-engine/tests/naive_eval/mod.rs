//! A deliberately naive Sigma evaluator: the reference the compiled engine is tested against.
//!
//! It reads a parsed [`vigie_sigma::Rule`] and decides, for one [`Event`], whether the rule's
//! detection holds, straight from the Sigma specification (rules 2.x, modifiers appendix 2.1):
//! the condition tree is interpreted as written, every search identifier is evaluated on its
//! own, every value is compared with a plain character-by-character wildcard matcher. There is
//! no deduplication, no automaton, no literal prefilter, no shape-specialised matcher, and
//! nothing here calls into `vigie_engine`.
//!
//! For speed only, [`NaiveRule::new`] reads each rule value once (escapes, modifiers, encodings)
//! into a list of plain patterns; matching is then done value by value, field by field.
//!
//! Where the specification leaves the answer to the backend ("the application of these values
//! depends on the target SIEM system") and Vigie documents its own choice, this evaluator
//! follows Vigie; each such place is marked `VIGIE:` with the reason.
//!
//! Not supported (a rule using them is reported as [`Unsupported`] and left out of comparisons):
//! the time modifiers (`minute` .. `year`) and `expand` placeholders that have values (the tests
//! run with no placeholder values, where a value naming a placeholder matches nothing).

#![allow(dead_code)]

pub mod routing;

use std::collections::HashMap;
use std::net::IpAddr;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use vigie_event::{Event, Value};
use vigie_sigma::{
    Condition, Detection, FieldItem, Filter, FilterTarget, LogSource, Modifier, Rule, Search,
    SigmaValue, Target,
};

/// Rule field name → the event field names it stands for on a route (the first present wins).
pub type FieldMap = HashMap<String, Vec<String>>;

/// A rule this evaluator cannot judge, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// One element of a Sigma string: a character or a wildcard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Char(char),
    /// `*`: any run of characters, including none.
    Any,
    /// `?`: exactly one character.
    One,
}

/// What one rule value asks of a field value.
#[derive(Clone, Debug)]
enum Test {
    /// `null`: the field is absent or null.
    Null,
    /// `exists: true/false`.
    Exists(bool),
    /// `lt` / `lte` / `gt` / `gte` against a number.
    Num(Cmp, f64),
    /// `cidr`: the value is an IP address inside the network (address, prefix length).
    Cidr(IpAddr, u32),
    /// `re` (flags already in the regex).
    Regex(regex::Regex),
    /// `fieldref`: equal to the value of the named (rule) field.
    FieldRef(String),
    /// Plain strings (with wildcards): the value matches any of them. Several come from
    /// `windash` and `base64offset`; none from a placeholder without values.
    Str(Vec<Vec<Tok>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Lt,
    Lte,
    Gt,
    Gte,
}

/// One `field|modifiers: values` entry, its values read.
#[derive(Clone, Debug)]
struct Item {
    /// `None`: a keyword entry (`'|all': [...]`), searched in every value of the event.
    field: Option<String>,
    tests: Vec<Test>,
    all: bool,
    neq: bool,
    cased: bool,
}

#[derive(Clone, Debug)]
enum NSearch {
    /// Maps OR-ed, the items of a map AND-ed.
    Maps(Vec<Vec<Item>>),
    /// Keyword values OR-ed, each searched anywhere in any value of the event.
    Keywords(Item),
}

/// A rule ready to be evaluated naively.
#[derive(Clone, Debug)]
pub struct NaiveRule {
    searches: Vec<(String, NSearch)>,
    condition: Condition,
    /// The detections of the meta filters that apply to the rule: each must hold too.
    filters: Vec<NaiveRule>,
}

/// Whether a meta filter applies to a rule: the rules it names by id or name, or with
/// `rules: any` every rule whose logsource has the filter's category, product and service
/// (those the filter gives).
pub fn filter_applies(f: &Filter, rule: &Rule) -> bool {
    match &f.target {
        FilterTarget::Rules(names) => names.iter().any(|n| {
            rule.meta.id.as_deref() == Some(n.as_str())
                || rule.meta.name.as_deref() == Some(n.as_str())
        }),
        FilterTarget::Any => {
            let given = |f: &Option<String>, r: &Option<String>| f.is_none() || f == r;
            let (fl, rl): (&LogSource, &LogSource) = (&f.logsource, &rule.logsource);
            given(&fl.product, &rl.product)
                && given(&fl.category, &rl.category)
                && given(&fl.service, &rl.service)
        }
    }
}

impl NaiveRule {
    /// Reads the rule's values; fails on what this evaluator does not implement.
    pub fn new(rule: &Rule) -> Result<NaiveRule, Unsupported> {
        Self::from_detection(&rule.detection)
    }

    /// Adds a meta filter's detection: VIGIE, as pySigma: the filter's condition is AND-ed
    /// with the rule's (filters write `not ...` to exclude), under the same field map.
    pub fn add_filter(&mut self, f: &Filter) -> Result<(), Unsupported> {
        self.filters.push(Self::from_detection(&f.detection)?);
        Ok(())
    }

    fn from_detection(detection: &Detection) -> Result<NaiveRule, Unsupported> {
        let mut searches = Vec::new();
        for (name, s) in &detection.searches {
            let search = match s {
                Search::Maps(maps) => NSearch::Maps(
                    maps.iter()
                        .map(|m| m.iter().map(item).collect::<Result<Vec<_>, _>>())
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                Search::Keywords(values) => NSearch::Keywords(item(&FieldItem {
                    field: None,
                    modifiers: Vec::new(),
                    values: values.clone(),
                    line: 0,
                })?),
            };
            searches.push((name.clone(), search));
        }
        Ok(NaiveRule {
            searches,
            condition: detection.condition.clone(),
            filters: Vec::new(),
        })
    }

    /// Whether the detection (and every filter added) holds for `event`, rule field names read
    /// through `fields`.
    pub fn matches(&self, event: &Event, fields: &FieldMap) -> bool {
        let ctx = Ctx { event, fields };
        self.condition_holds(&self.condition, &ctx)
            && self.filters.iter().all(|f| f.matches(event, fields))
    }

    fn condition_holds(&self, c: &Condition, ctx: &Ctx) -> bool {
        match c {
            Condition::Ident(name) => self
                .searches
                .iter()
                .find(|(n, _)| n == name)
                .is_some_and(|(_, s)| search_holds(s, ctx)),
            Condition::Not(inner) => !self.condition_holds(inner, ctx),
            Condition::And(items) => items.iter().all(|i| self.condition_holds(i, ctx)),
            Condition::Or(items) => items.iter().any(|i| self.condition_holds(i, ctx)),
            Condition::OneOf(target) => self.selected(target).iter().any(|s| search_holds(s, ctx)),
            Condition::AllOf(target) => {
                let selected = self.selected(target);
                // VIGIE: `all of` a pattern that names no search identifier is false, not
                // vacuously true (the parser warns about such a pattern; compile.rs).
                !selected.is_empty() && selected.iter().all(|s| search_holds(s, ctx))
            }
        }
    }

    /// The searches a quantifier ranges over: `them` is every identifier not starting with
    /// `_`; a pattern matches names with `*` wildcards.
    fn selected(&self, target: &Target) -> Vec<&NSearch> {
        self.searches
            .iter()
            .filter(|(name, _)| match target {
                Target::Them => !name.starts_with('_'),
                Target::Pattern(p) => identifier_matches(p, name),
            })
            .map(|(_, s)| s)
            .collect()
    }
}

/// `*` patterns over search identifiers.
/// VIGIE: an identifier starting with `_` is only matched by a pattern that starts with `_`
/// too, extending the specification's rule for `them` to patterns (condition.rs).
fn identifier_matches(pattern: &str, name: &str) -> bool {
    if name.starts_with('_') && !pattern.starts_with('_') {
        return false;
    }
    let toks: Vec<Tok> = pattern
        .chars()
        .map(|c| if c == '*' { Tok::Any } else { Tok::Char(c) })
        .collect();
    let chars: Vec<char> = name.chars().collect();
    wildcard_match(&toks, &chars)
}

struct Ctx<'a> {
    event: &'a Event,
    fields: &'a FieldMap,
}

fn search_holds(s: &NSearch, ctx: &Ctx) -> bool {
    match s {
        NSearch::Maps(maps) => maps
            .iter()
            .any(|map| map.iter().all(|i| item_holds(i, ctx))),
        NSearch::Keywords(item) => item_holds(item, ctx),
    }
}

/// The value of a field by name: the exact name first, then the same name in another ASCII
/// case (the event model's documented lookup, `Event::get`), written out here again.
fn lookup<'e>(event: &'e Event, name: &str) -> Option<&'e Value> {
    let fields = event.fields();
    fields
        .iter()
        .find(|f| &*f.name == name)
        .or_else(|| fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)))
        .map(|f| &f.value)
}

/// The value a rule field stands for: through the route's field map, the first of its event
/// names that the event has (even when null); the rule's own name when it is not mapped.
fn field_value<'e>(ctx: &Ctx<'e>, rule_field: &str) -> Option<&'e Value> {
    match ctx.fields.get(rule_field) {
        Some(names) => names.iter().find_map(|n| lookup(ctx.event, n)),
        None => lookup(ctx.event, rule_field),
    }
}

fn item_holds(item: &Item, ctx: &Ctx) -> bool {
    let Some(field) = &item.field else {
        // A keyword: found when some value of some field of the event holds it. VIGIE: the
        // specification searches "the full log message"; a decoded event has no such text,
        // so each field value (each list member) is searched, and a keyword must lie within
        // one value (predicate.rs).
        let found = |t: &Test| {
            ctx.event
                .fields()
                .iter()
                .any(|f| value_holds(t, &f.value, item.cased, ctx))
        };
        return if item.all {
            item.tests.iter().all(found)
        } else {
            item.tests.iter().any(found)
        };
    };
    let value = field_value(ctx, field);
    let test_holds = |t: &Test| match t {
        // VIGIE: `null` means the field is absent or its value is null; a list is a value,
        // even one holding nulls (null is about the field, not its members).
        Test::Null => value.is_none_or(|v| matches!(v, Value::Null)),
        // The specification: exists checks presence only, "be it empty or null".
        Test::Exists(want) => value.is_some() == *want,
        _ => value.is_some_and(|v| value_holds(t, v, item.cased, ctx)),
    };
    if item.neq {
        // VIGIE: `neq` holds when the field has a non-null value and none of the values
        // match (the specification's `!=` of each value, AND-ed); an absent field is not
        // "different" (predicate.rs).
        return value.is_some_and(|v| !matches!(v, Value::Null))
            && !item.tests.iter().any(test_holds);
    }
    if item.all {
        item.tests.iter().all(test_holds)
    } else {
        item.tests.iter().any(test_holds)
    }
}

/// Whether one field value satisfies one test; a list satisfies it when one of its members does.
fn value_holds(t: &Test, v: &Value, cased: bool, ctx: &Ctx) -> bool {
    if let Value::List(items) = v {
        return items.iter().any(|i| value_holds(t, i, cased, ctx));
    }
    match t {
        Test::Null => matches!(v, Value::Null),
        Test::Exists(want) => *want,
        Test::Num(cmp, n) => number_of_value(v).is_some_and(|x| match cmp {
            Cmp::Lt => x < *n,
            Cmp::Lte => x <= *n,
            Cmp::Gt => x > *n,
            Cmp::Gte => x >= *n,
        }),
        Test::Cidr(net, prefix) => text_of(v)
            .and_then(|t| t.trim().parse::<IpAddr>().ok())
            .is_some_and(|ip| in_network(ip, *net, *prefix)),
        Test::Regex(re) => text_of(v).is_some_and(|t| re.is_match(&t)),
        // VIGIE: compared as text, case-insensitively unless `cased` (Sigma's default for
        // values); a list on either side stands for each of its members.
        Test::FieldRef(other) => {
            let Some(mine) = text_of(v) else {
                return false;
            };
            let Some(theirs) = field_value(ctx, other) else {
                return false;
            };
            scalars(theirs).iter().any(|o| {
                text_of(o).is_some_and(|o| {
                    if cased {
                        mine == o
                    } else {
                        lower(&mine) == lower(&o)
                    }
                })
            })
        }
        Test::Str(patterns) => text_of(v).is_some_and(|text| {
            let chars: Vec<char> = if cased {
                text.chars().collect()
            } else {
                lower(&text).chars().collect()
            };
            patterns.iter().any(|p| wildcard_match(p, &chars))
        }),
    }
}

/// The scalar members of a value (itself when it is not a list), lists flattened.
fn scalars(v: &Value) -> Vec<&Value> {
    match v {
        Value::List(items) => items.iter().flat_map(scalars).collect(),
        other => vec![other],
    }
}

/// A scalar as text, as Sigma compares values: strings as they are, integers in decimal,
/// booleans as `true` / `false`; floats as the event model writes them. Null has no text.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.as_str().to_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        Value::Float(_) => v.to_text().map(|t| t.into_owned()),
        Value::Null | Value::List(_) => None,
    }
}

/// A field value as a number: integers and floats, and strings holding a decimal number or a
/// `0x` hexadecimal one (Windows logs write numbers as text; the event model reads them so).
fn number_of_value(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => {
            let t = s.as_str().trim();
            if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                return u64::from_str_radix(hex, 16).ok().map(|n| n as f64);
            }
            let numeric = !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
            if numeric {
                t.parse().ok()
            } else {
                None
            }
        }
        Value::Bool(_) | Value::Null | Value::List(_) => None,
    }
}

/// Case-insensitive comparison folds each character on its own, so that a character compares
/// the same wherever it stands: its Unicode lower case (`char::to_lowercase`), and the final
/// sigma `ς` as `σ` (Unicode case folding; `Σ`, `σ` and `ς` are one letter).
pub fn lower(s: &str) -> String {
    s.chars().flat_map(fold_char).collect()
}

fn fold_char(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase().map(|l| if l == 'ς' { 'σ' } else { l })
}

/// Wildcard matching: `*` any run, `?` one character, anything else itself. The classic
/// two-pointer walk that backs up to the last `*` on a mismatch.
pub fn wildcard_match(p: &[Tok], s: &[char]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some(Tok::Any) => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(Tok::One) => {
                pi += 1;
                si += 1;
            }
            Some(Tok::Char(c)) if *c == s[si] => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|t| *t == Tok::Any)
}

fn in_network(ip: IpAddr, net: IpAddr, prefix: u32) -> bool {
    let (a, b, width): (u128, u128, u32) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u32::from(a).into(), u32::from(b).into(), 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    if prefix == 0 {
        return true;
    }
    let shift = width - prefix;
    (a >> shift) == (b >> shift)
}

/// Reads `addr/prefix` or a bare address (a network of that one address).
fn parse_cidr(text: &str) -> Option<(IpAddr, u32)> {
    let text = text.trim();
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let width = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p.parse::<u32>().ok().filter(|p| *p <= width)?,
        None => width,
    };
    Some((ip, prefix))
}

/// Sigma's escaping: `\*` and `\?` are plain wildcard characters, `\\` is one backslash, and
/// any other backslash is itself.
pub fn parse_sigma_string(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => out.push(Tok::Any),
            '?' => out.push(Tok::One),
            '\\' => match chars.get(i + 1) {
                Some(&c @ ('*' | '?' | '\\')) => {
                    out.push(Tok::Char(c));
                    i += 1;
                }
                _ => out.push(Tok::Char('\\')),
            },
            c => out.push(Tok::Char(c)),
        }
        i += 1;
    }
    out
}

fn rule_number(v: &SigmaValue) -> Option<f64> {
    match v {
        SigmaValue::Int(i) => Some(*i as f64),
        SigmaValue::Float(f) => Some(*f),
        SigmaValue::Str(s) => s.trim().parse().ok(),
        SigmaValue::Bool(_) | SigmaValue::Null => None,
    }
}

/// A value on its way through the modifier chain: a Sigma string, or bytes once encoded.
#[derive(Clone, Debug)]
enum Stage {
    Toks(Vec<Tok>),
    Bytes(Vec<u8>),
}

impl Stage {
    /// The bytes an encoding modifier encodes. A string with wildcards has them written as
    /// `*` / `?` (pySigma refuses such values; Vigie encodes the text as written).
    fn bytes(&self) -> Vec<u8> {
        match self {
            Stage::Toks(t) => plain_text(t).into_bytes(),
            Stage::Bytes(b) => b.clone(),
        }
    }
}

fn plain_text(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Char(c) => *c,
            Tok::Any => '*',
            Tok::One => '?',
        })
        .collect()
}

fn literal(s: &str) -> Vec<Tok> {
    s.chars().map(Tok::Char).collect()
}

fn item(fi: &FieldItem) -> Result<Item, Unsupported> {
    let has = |m: Modifier| fi.modifiers.contains(&m);
    if let Some(m) = fi.modifiers.iter().find(|m| m.is_time_part()) {
        return Err(Unsupported(format!("time modifier {m:?}")));
    }
    let cased = has(Modifier::Cased);
    // The last comparison modifier written wins (there is normally one).
    let cmp = fi.modifiers.iter().rev().find_map(|m| match m {
        Modifier::Lt => Some(Cmp::Lt),
        Modifier::Lte => Some(Cmp::Lte),
        Modifier::Gt => Some(Cmp::Gt),
        Modifier::Gte => Some(Cmp::Gte),
        _ => None,
    });
    let mut tests = Vec::with_capacity(fi.values.len());
    for v in &fi.values {
        let text = v.text().unwrap_or_default();
        let test = if has(Modifier::Exists) {
            Test::Exists(matches!(v, SigmaValue::Bool(true)))
        } else if *v == SigmaValue::Null {
            Test::Null
        } else if let Some(cmp) = cmp {
            let n = rule_number(v)
                .ok_or_else(|| Unsupported(format!("not a number for lt/gt: {v:?}")))?;
            Test::Num(cmp, n)
        } else if has(Modifier::Cidr) {
            let (ip, prefix) =
                parse_cidr(&text).ok_or_else(|| Unsupported(format!("bad cidr {text:?}")))?;
            Test::Cidr(ip, prefix)
        } else if has(Modifier::FieldRef) {
            Test::FieldRef(text)
        } else if has(Modifier::Re) {
            // Regular expressions are case-sensitive unless `i`; unanchored (a search).
            let re = regex::RegexBuilder::new(&text)
                .case_insensitive(has(Modifier::ReIgnoreCase))
                .multi_line(has(Modifier::ReMultiLine))
                .dot_matches_new_line(has(Modifier::ReDotAll))
                .build()
                .map_err(|e| Unsupported(format!("bad regex {text:?}: {e}")))?;
            Test::Regex(re)
        } else {
            let mut patterns = string_patterns(&text, &fi.modifiers)?;
            if fi.field.is_none() {
                // Keywords are searched anywhere in a value.
                for p in &mut patterns {
                    p.insert(0, Tok::Any);
                    p.push(Tok::Any);
                }
            }
            if !cased {
                for p in &mut patterns {
                    *p = p
                        .iter()
                        .flat_map(|t| match t {
                            Tok::Char(c) => fold_char(*c).map(Tok::Char).collect::<Vec<_>>(),
                            other => vec![*other],
                        })
                        .collect();
                }
            }
            Test::Str(patterns)
        };
        tests.push(test);
    }
    Ok(Item {
        field: fi.field.clone(),
        tests,
        all: has(Modifier::All),
        neq: has(Modifier::Neq),
        cased,
    })
}

/// Applies the string modifiers in the order written (the specification: "The value
/// modifiers are applied in the given order to the value") and returns the patterns the
/// value stands for.
fn string_patterns(text: &str, modifiers: &[Modifier]) -> Result<Vec<Vec<Tok>>, Unsupported> {
    let mut stages = vec![Stage::Toks(parse_sigma_string(text))];
    for m in modifiers {
        stages = match m {
            Modifier::Contains => map_toks(stages, |t| {
                let mut out = vec![Tok::Any];
                out.extend(t);
                out.push(Tok::Any);
                out
            }),
            Modifier::StartsWith => map_toks(stages, |mut t| {
                t.push(Tok::Any);
                t
            }),
            Modifier::EndsWith => map_toks(stages, |t| {
                let mut out = vec![Tok::Any];
                out.extend(t);
                out
            }),
            Modifier::Utf16Le => map_text(stages, |s| {
                s.encode_utf16().flat_map(u16::to_le_bytes).collect()
            }),
            Modifier::Utf16Be => map_text(stages, |s| {
                s.encode_utf16().flat_map(u16::to_be_bytes).collect()
            }),
            Modifier::Utf16 => map_text(stages, |s| {
                let mut out = vec![0xFF, 0xFE];
                out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
                out
            }),
            Modifier::Base64 => stages
                .iter()
                .map(|s| Stage::Toks(literal(&B64.encode(s.bytes()))))
                .collect(),
            Modifier::Base64Offset => stages
                .iter()
                .flat_map(|s| base64_offsets(&s.bytes()))
                .map(|s| Stage::Toks(literal(&s)))
                .collect(),
            Modifier::Windash => stages
                .into_iter()
                .flat_map(|s| match s {
                    Stage::Toks(t) => windash(&t).into_iter().map(Stage::Toks).collect(),
                    other => vec![other],
                })
                .collect(),
            Modifier::Expand => {
                let mut out = Vec::new();
                for s in stages {
                    match s {
                        Stage::Toks(t) => {
                            if let Some(t) = expand_without_values(&t) {
                                out.push(Stage::Toks(t));
                            }
                        }
                        other => out.push(other),
                    }
                }
                out
            }
            _ => stages,
        };
    }
    Ok(stages
        .into_iter()
        .map(|s| match s {
            Stage::Toks(t) => t,
            // VIGIE: UTF-16 bytes not followed by base64 are compared as one character per
            // byte (pySigma does the same for ASCII: `a` becomes `a\0`).
            Stage::Bytes(b) => b.iter().map(|&c| Tok::Char(char::from(c))).collect(),
        })
        .collect())
}

fn map_toks(stages: Vec<Stage>, f: impl Fn(Vec<Tok>) -> Vec<Tok>) -> Vec<Stage> {
    stages
        .into_iter()
        .map(|s| match s {
            Stage::Toks(t) => Stage::Toks(f(t)),
            other => other,
        })
        .collect()
}

fn map_text(stages: Vec<Stage>, f: impl Fn(&str) -> Vec<u8>) -> Vec<Stage> {
    stages
        .into_iter()
        .map(|s| match s {
            Stage::Toks(t) => Stage::Bytes(f(&plain_text(&t))),
            other => other,
        })
        .collect()
}

/// The base64 text of `value` as it appears inside a longer encoded text starting 0, 1 or 2
/// bytes before it: of the encoding of (that many bytes, then the value), the characters
/// whose 6 bits all come from the value's bytes. Derived from what base64 is, not copied from
/// an implementation; it gives pySigma's `base64offset` strings.
fn base64_offsets(value: &[u8]) -> Vec<String> {
    (0..3usize)
        .map(|shift| {
            let mut bytes = vec![b' '; shift];
            bytes.extend_from_slice(value);
            let encoded = B64.encode(&bytes);
            let (first_bit, end_bit) = (8 * shift, 8 * bytes.len());
            encoded
                .chars()
                .enumerate()
                .filter(|(k, _)| 6 * k >= first_bit && 6 * k + 6 <= end_bit)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

/// A word character as regular expressions' Unicode `\w` (close enough for these tests:
/// letters, digits, `_`).
fn is_word(t: Option<&Tok>) -> bool {
    matches!(t, Some(Tok::Char(c)) if c.is_alphanumeric() || *c == '_')
}

/// `windash`: each `-` or `/` that starts a command-line switch (not preceded by a word
/// character, followed by one: pySigma's `\B[-/]\b`) may be any of `-`, `/`, en dash, em
/// dash, horizontal bar; every combination.
fn windash(t: &[Tok]) -> Vec<Vec<Tok>> {
    const DASHES: [char; 5] = ['-', '/', '\u{2013}', '\u{2014}', '\u{2015}'];
    let mut variants: Vec<Vec<Tok>> = vec![Vec::new()];
    for (i, tok) in t.iter().enumerate() {
        let switch = matches!(tok, Tok::Char('-' | '/'))
            && !is_word(i.checked_sub(1).and_then(|j| t.get(j)))
            && is_word(t.get(i + 1));
        if switch {
            variants = variants
                .iter()
                .flat_map(|v| {
                    DASHES.iter().map(move |d| {
                        let mut n = v.clone();
                        n.push(Tok::Char(*d));
                        n
                    })
                })
                .collect();
        } else {
            for v in &mut variants {
                v.push(*tok);
            }
        }
    }
    variants
}

/// `expand` with no placeholder values (as these tests run): a value naming a placeholder
/// (`%name%`, name without spaces, in one run of plain characters) matches nothing; `\%` is a
/// plain percent sign.
fn expand_without_values(t: &[Tok]) -> Option<Vec<Tok>> {
    let mut out = Vec::with_capacity(t.len());
    let mut i = 0;
    while i < t.len() {
        match t[i] {
            Tok::Char('\\') if t.get(i + 1) == Some(&Tok::Char('%')) => {
                out.push(Tok::Char('%'));
                i += 2;
                continue;
            }
            Tok::Char('%') => {
                let rest = &t[i + 1..];
                let close = rest
                    .iter()
                    .take_while(|x| matches!(x, Tok::Char(_)))
                    .position(|x| *x == Tok::Char('%'));
                if let Some(end) = close {
                    let name = &rest[..end];
                    let spaced = name
                        .iter()
                        .any(|x| matches!(x, Tok::Char(c) if c.is_whitespace()));
                    if end > 0 && !spaced {
                        return None;
                    }
                }
                out.push(Tok::Char('%'));
            }
            other => out.push(other),
        }
        i += 1;
    }
    Some(out)
}
