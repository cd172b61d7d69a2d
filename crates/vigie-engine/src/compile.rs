//! Sigma detections compiled into searches and a condition tree over them.

use std::collections::HashMap;

use crate::lazy_regex::{Flags, LazyRegex};
use vigie_event::{Event, Value};
use vigie_sigma::{
    pattern_matches, Condition, Detection, FieldItem, Modifier, Search, SigmaValue,
    Target as CondTarget,
};

use crate::field_index::Known;
use crate::pattern::{Pattern, StrTest, NO_ID};
use crate::predicate::{FieldCond, NumOp, Pred, Target, TimePart};
use crate::transform::{transform, Placeholders, TransformIssue};

/// Field name → the event field names it stands for (from a logsource mapping).
pub type FieldMap = HashMap<String, Vec<String>>;

/// A compiled search identifier: maps OR-ed, each map's conditions AND-ed.
#[derive(Clone, Debug)]
pub struct SearchExpr(pub Vec<Vec<FieldCond>>);

impl SearchExpr {
    pub fn matches(&self, event: &Event, known: Option<&Known>) -> bool {
        self.0
            .iter()
            .any(|m| m.iter().all(|c| c.matches_known(event, known)))
    }

    fn collect(&self, event: &Event, known: Option<&Known>, out: &mut Vec<(Box<str>, Value)>) {
        for map in &self.0 {
            if map.iter().all(|c| c.matches_known(event, known)) {
                for c in map {
                    c.evidence(event, known, out);
                }
                return;
            }
        }
    }
}

/// A condition over search indexes.
#[derive(Clone, Debug)]
pub enum Expr {
    Search(usize),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Const(bool),
}

/// A compiled detection: searches and the condition over them.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub searches: Vec<SearchExpr>,
    pub expr: Expr,
}

impl Compiled {
    pub fn matches(&self, event: &Event) -> bool {
        eval(&self.expr, &self.searches, event, None)
    }

    /// Like [`Compiled::matches`], with indexed string tests read from `known`.
    pub fn matches_known(&self, event: &Event, known: &Known) -> bool {
        eval(&self.expr, &self.searches, event, Some(known))
    }

    /// The fields (and their values) of the searches that made a match, in positive positions;
    /// with indexed string tests read from `known` when the match was found with them.
    pub fn matched_fields(&self, event: &Event, known: Option<&Known>) -> Vec<(Box<str>, Value)> {
        let mut out = Vec::new();
        collect(&self.expr, &self.searches, event, known, &mut out);
        out
    }

    /// Adds another detection that must also hold (a filter), keeping search indexes apart.
    pub fn and_also(&mut self, other: &Compiled) {
        let offset = self.searches.len();
        self.searches.extend(other.searches.iter().cloned());
        let shifted = shift(&other.expr, offset);
        let expr = std::mem::replace(&mut self.expr, Expr::Const(true));
        self.expr = Expr::And(vec![expr, shifted]);
    }
}

fn shift(e: &Expr, by: usize) -> Expr {
    match e {
        Expr::Search(i) => Expr::Search(i + by),
        Expr::Not(x) => Expr::Not(Box::new(shift(x, by))),
        Expr::And(v) => Expr::And(v.iter().map(|x| shift(x, by)).collect()),
        Expr::Or(v) => Expr::Or(v.iter().map(|x| shift(x, by)).collect()),
        Expr::Const(b) => Expr::Const(*b),
    }
}

fn eval(e: &Expr, s: &[SearchExpr], ev: &Event, k: Option<&Known>) -> bool {
    match e {
        Expr::Search(i) => s[*i].matches(ev, k),
        Expr::Not(x) => !eval(x, s, ev, k),
        Expr::And(v) => v.iter().all(|x| eval(x, s, ev, k)),
        Expr::Or(v) => v.iter().any(|x| eval(x, s, ev, k)),
        Expr::Const(b) => *b,
    }
}

fn collect(
    e: &Expr,
    s: &[SearchExpr],
    ev: &Event,
    k: Option<&Known>,
    out: &mut Vec<(Box<str>, Value)>,
) {
    match e {
        Expr::Search(i) => {
            if s[*i].matches(ev, k) {
                s[*i].collect(ev, k, out);
            }
        }
        Expr::Not(_) | Expr::Const(_) => {}
        Expr::And(v) | Expr::Or(v) => v.iter().for_each(|x| collect(x, s, ev, k, out)),
    }
}

/// Compile-time problems: errors make the rule unusable, warnings do not.
#[derive(Debug, Default)]
pub struct Issues {
    pub errors: Vec<(usize, String)>,
    pub warnings: Vec<(usize, String)>,
}

/// Compiles a detection under a field mapping.
pub fn compile_detection(
    det: &Detection,
    fields: &FieldMap,
    placeholders: &Placeholders,
    issues: &mut Issues,
) -> Compiled {
    let searches: Vec<SearchExpr> = det
        .searches
        .iter()
        .map(|(_, s)| compile_search(s, fields, placeholders, issues))
        .collect();
    let names: Vec<&str> = det.searches.iter().map(|(n, _)| n.as_str()).collect();
    let expr = compile_condition(&det.condition, &names);
    Compiled { searches, expr }
}

fn compile_condition(c: &Condition, names: &[&str]) -> Expr {
    let select = |t: &CondTarget| -> Vec<Expr> {
        names
            .iter()
            .enumerate()
            .filter(|(_, n)| match t {
                CondTarget::Them => !n.starts_with('_'),
                CondTarget::Pattern(p) => pattern_matches(p, n),
            })
            .map(|(i, _)| Expr::Search(i))
            .collect()
    };
    match c {
        Condition::Ident(name) => names
            .iter()
            .position(|n| n == name)
            .map_or(Expr::Const(false), Expr::Search),
        Condition::Not(x) => Expr::Not(Box::new(compile_condition(x, names))),
        Condition::And(v) => Expr::And(v.iter().map(|x| compile_condition(x, names)).collect()),
        Condition::Or(v) => Expr::Or(v.iter().map(|x| compile_condition(x, names)).collect()),
        Condition::OneOf(t) => {
            let items = select(t);
            if items.is_empty() {
                Expr::Const(false)
            } else {
                Expr::Or(items)
            }
        }
        Condition::AllOf(t) => {
            let items = select(t);
            if items.is_empty() {
                Expr::Const(false)
            } else {
                Expr::And(items)
            }
        }
    }
}

fn compile_search(
    s: &Search,
    fields: &FieldMap,
    placeholders: &Placeholders,
    issues: &mut Issues,
) -> SearchExpr {
    match s {
        Search::Keywords(values) => {
            let item = FieldItem {
                field: None,
                modifiers: Vec::new(),
                values: values.clone(),
                line: 0,
            };
            SearchExpr(vec![vec![compile_item(
                &item,
                fields,
                placeholders,
                issues,
            )]])
        }
        Search::Maps(maps) => SearchExpr(
            maps.iter()
                .map(|m| {
                    m.iter()
                        .map(|i| compile_item(i, fields, placeholders, issues))
                        .collect()
                })
                .collect(),
        ),
    }
}

fn number_of(v: &SigmaValue) -> Option<f64> {
    match v {
        SigmaValue::Int(i) => Some(*i as f64),
        SigmaValue::Float(f) => Some(*f),
        SigmaValue::Str(s) => s.trim().parse().ok(),
        SigmaValue::Bool(_) | SigmaValue::Null => None,
    }
}

fn mapped(fields: &FieldMap, name: &str) -> Vec<Box<str>> {
    match fields.get(name) {
        Some(alts) => alts.iter().map(|a| a.as_str().into()).collect(),
        None => vec![name.into()],
    }
}

/// Compiles one `field|modifiers: values` entry.
pub fn compile_item(
    item: &FieldItem,
    fields: &FieldMap,
    placeholders: &Placeholders,
    issues: &mut Issues,
) -> FieldCond {
    let mods = &item.modifiers;
    let has = |m: Modifier| mods.contains(&m);
    let cased = has(Modifier::Cased);
    let (target, label) = match &item.field {
        Some(f) => (Target::Field(mapped(fields, f)), f.as_str().into()),
        None => (Target::Keywords, "keywords".into()),
    };
    let num_op = mods.iter().rev().find_map(|m| match m {
        Modifier::Lt => Some(NumOp::Lt),
        Modifier::Lte => Some(NumOp::Lte),
        Modifier::Gt => Some(NumOp::Gt),
        Modifier::Gte => Some(NumOp::Gte),
        _ => None,
    });
    let time_part = mods.iter().find_map(|m| match m {
        Modifier::Minute => Some(TimePart::Minute),
        Modifier::Hour => Some(TimePart::Hour),
        Modifier::Day => Some(TimePart::Day),
        Modifier::Week => Some(TimePart::Week),
        Modifier::Month => Some(TimePart::Month),
        Modifier::Year => Some(TimePart::Year),
        _ => None,
    });
    let mut groups = Vec::with_capacity(item.values.len());
    for value in &item.values {
        let mut err = |msg: String| {
            issues.errors.push((item.line, msg));
            vec![Pred::Never]
        };
        let group = if has(Modifier::Exists) {
            vec![Pred::Exists(matches!(value, SigmaValue::Bool(true)))]
        } else if *value == SigmaValue::Null {
            vec![Pred::Null]
        } else if let Some(part) = time_part {
            match number_of(value) {
                Some(n) => vec![Pred::Time(part, num_op.unwrap_or(NumOp::Eq), n)],
                None => err(format!(
                    "{}: a time modifier needs a number, got {value:?}",
                    item_name(item)
                )),
            }
        } else if let Some(op) = num_op {
            match number_of(value) {
                Some(n) => vec![Pred::Num(op, n)],
                None => err(format!(
                    "{}: lt/lte/gt/gte need a number, got {value:?}",
                    item_name(item)
                )),
            }
        } else if has(Modifier::Cidr) {
            let text = value.text().unwrap_or_default();
            match text.trim().parse::<ipnet::IpNet>() {
                Ok(net) => vec![Pred::Cidr(net.trunc())],
                Err(_) => match text.trim().parse::<std::net::IpAddr>() {
                    Ok(ip) => vec![Pred::Cidr(ipnet::IpNet::from(ip))],
                    Err(_) => err(format!(
                        "{}: {text:?} is not an IPv4 or IPv6 network",
                        item_name(item)
                    )),
                },
            }
        } else if has(Modifier::FieldRef) {
            let other = value.text().unwrap_or_default();
            vec![Pred::FieldRef {
                fields: mapped(fields, &other).into(),
                cased,
            }]
        } else if has(Modifier::Re) {
            let text = value.text().unwrap_or_default();
            let flags = Flags {
                ignore_case: has(Modifier::ReIgnoreCase),
                multi_line: has(Modifier::ReMultiLine),
                dot_all: has(Modifier::ReDotAll),
            };
            match LazyRegex::new(&text, flags) {
                Ok(re) => vec![Pred::Regex(Box::new(re))],
                Err(e) => err(format!(
                    "{}: invalid regular expression: {e}",
                    item_name(item)
                )),
            }
        } else {
            let text = value.text().unwrap_or_default();
            let mut tissues = Vec::new();
            let mut patterns = transform(&text, mods, placeholders, &mut tissues);
            for t in tissues {
                let TransformIssue::MissingPlaceholder(name) = t;
                issues.warnings.push((
                    item.line,
                    format!("placeholder %{name}% has no values (give them with --placeholders FILE); it matches nothing"),
                ));
            }
            if item.field.is_none() {
                patterns = patterns
                    .into_iter()
                    .map(|p| p.wrap_any(true, true))
                    .collect();
            }
            let mut preds = Vec::with_capacity(patterns.len());
            for p in patterns {
                match StrTest::new(&p, cased) {
                    Ok(t) => preds.push(Pred::Str(t)),
                    Err(e) => {
                        preds = err(format!(
                            "{}: value {:?} cannot be compiled: {e}",
                            item_name(item),
                            Pattern::text(&p)
                        ));
                        break;
                    }
                }
            }
            if preds.is_empty() {
                preds.push(Pred::Never);
            }
            preds
        };
        groups.push(group);
    }
    FieldCond {
        target,
        label,
        groups,
        all: has(Modifier::All),
        neq: has(Modifier::Neq),
        slot: NO_ID,
        any_of: Box::default(),
    }
}

fn item_name(item: &FieldItem) -> String {
    item.field.clone().unwrap_or_else(|| "keywords".into())
}
