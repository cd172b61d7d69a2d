//! Compiled field conditions: one `field|modifiers: values` entry, tested against an event.

use std::net::IpAddr;

use crate::lazy_regex::LazyRegex;
use chrono::{Datelike, Timelike};
use ipnet::IpNet;
use vigie_event::{fold_case, parse_timestamp, Event, Value};

use crate::field_index::Known;
use crate::pattern::{StrTest, NO_ID};

/// Numeric comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumOp {
    Eq,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl NumOp {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            NumOp::Eq => a == b,
            NumOp::Lt => a < b,
            NumOp::Lte => a <= b,
            NumOp::Gt => a > b,
            NumOp::Gte => a >= b,
        }
    }
}

/// The part of a date the time modifiers extract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimePart {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// One test of a field value.
#[derive(Clone, Debug)]
pub enum Pred {
    Str(StrTest),
    /// The field is absent or null.
    Null,
    Exists(bool),
    Num(NumOp, f64),
    Cidr(IpNet),
    /// Boxed, like [`StrMatcher::Regex`](crate::pattern::StrMatcher): it would make every
    /// test as large as itself.
    Regex(Box<LazyRegex>),
    /// Equal to another field of the same event.
    FieldRef {
        fields: Box<[Box<str>]>,
        cased: bool,
    },
    Time(TimePart, NumOp, f64),
    /// Never true (a placeholder without values).
    Never,
}

/// Where a condition looks.
#[derive(Clone, Debug)]
pub enum Target {
    /// The first of these names present in the event (a mapping may give alternatives).
    Field(Vec<Box<str>>),
    /// Every value of the event (keyword search).
    Keywords,
}

/// A compiled `field|modifiers: values` entry.
#[derive(Clone, Debug)]
pub struct FieldCond {
    pub target: Target,
    /// The field name as the rule wrote it, for reports.
    pub label: Box<str>,
    /// One group per rule value; a group holds the variants the modifiers made of it.
    pub groups: Vec<Vec<Pred>>,
    /// `all`: every group must hold (otherwise any).
    pub all: bool,
    /// `neq`: the field is present and no group holds.
    pub neq: bool,
    /// The field slot the per-field index gave this condition's names ([`NO_ID`]: none),
    /// whose value the index has already resolved for the current event.
    pub slot: u32,
    /// When every test of an `any` condition is one the index answers: their ids, so that
    /// the condition is one pass over a flat list (a rule's list of hundreds of values
    /// included) instead of a walk through its tests. Empty otherwise.
    pub(crate) any_of: Box<[u32]>,
}

impl FieldCond {
    /// The value this condition reads, if the event has it.
    pub fn value<'e>(&self, event: &'e Event) -> Option<&'e Value> {
        match &self.target {
            Target::Field(names) => names.iter().find_map(|n| event.get(n)),
            Target::Keywords => None,
        }
    }

    /// The value this condition reads: as the index resolved it for the current event when
    /// `known` is given (and knows the slot), else looked up by name.
    fn resolved<'e>(&self, event: &'e Event, known: Option<&Known>) -> Option<&'e Value> {
        known
            .and_then(|k| k.value(self.slot, event))
            .unwrap_or_else(|| self.value(event))
    }

    /// The event fields that make this (matching) condition hold, with their values: the
    /// field itself, or for a keyword search each field where a keyword was found. With
    /// `known`, a keyword the index found nowhere in the event is not looked for in each
    /// field.
    pub fn evidence(&self, event: &Event, known: Option<&Known>, out: &mut Vec<(Box<str>, Value)>) {
        let mut add = |name: &str, v: &Value| {
            if !out.iter().any(|(n, _)| &**n == name) {
                out.push((name.into(), v.clone()));
            }
        };
        match &self.target {
            Target::Field(_) if self.neq => {}
            Target::Field(_) => {
                if let Some(v) = self.resolved(event, known) {
                    add(&self.label, v);
                }
            }
            Target::Keywords => {
                let absent = |p: &Pred| match (p, known) {
                    (Pred::Str(t), Some(k)) if t.id != NO_ID => !k.holds(t.id),
                    _ => false,
                };
                let mut present = self
                    .groups
                    .iter()
                    .flatten()
                    .filter(|p| !absent(p))
                    .peekable();
                if present.peek().is_none() {
                    return;
                }
                let present: Vec<&Pred> = present.collect();
                for f in event.fields() {
                    if present.iter().any(|p| value_matches(p, &f.value, event)) {
                        add(&f.name, &f.value);
                    }
                }
            }
        }
    }

    pub fn matches(&self, event: &Event) -> bool {
        self.matches_known(event, None)
    }

    /// Like [`FieldCond::matches`]; indexed string tests are read from `known` when given
    /// (the per-field automata have already answered them for this event).
    pub fn matches_known(&self, event: &Event, known: Option<&Known>) -> bool {
        if let (false, Some(k)) = (self.any_of.is_empty(), known) {
            return self.any_of.iter().any(|&id| k.holds(id));
        }
        match &self.target {
            Target::Keywords => {
                let hit = |g: &Vec<Pred>| {
                    g.iter().any(|p| match (p, known) {
                        (Pred::Str(t), Some(k)) if t.id != NO_ID => k.holds(t.id),
                        _ => event
                            .fields()
                            .iter()
                            .any(|f| value_matches(p, &f.value, event)),
                    })
                };
                if self.all {
                    self.groups.iter().all(hit)
                } else {
                    self.groups.iter().any(hit)
                }
            }
            Target::Field(_) => {
                // Looked up only when a test needs it (indexed tests are answered already).
                let looked_up = std::cell::OnceCell::new();
                let value = || *looked_up.get_or_init(|| self.resolved(event, known));
                // A list of networks reads the address once.
                let address = std::cell::OnceCell::new();
                let ip = || *address.get_or_init(|| value().and_then(ip_of));
                let group = |g: &Vec<Pred>| {
                    g.iter().any(|p| match (p, known) {
                        (Pred::Str(t), Some(k)) if t.id != NO_ID => k.holds(t.id),
                        (Pred::Cidr(net), _) if !matches!(value(), Some(Value::List(_))) => {
                            ip().is_some_and(|ip| net.contains(&ip))
                        }
                        _ => pred_matches(p, value(), event),
                    })
                };
                if self.neq {
                    return value().is_some_and(|v| !v.is_null()) && !self.groups.iter().any(group);
                }
                if self.all {
                    self.groups.iter().all(group)
                } else {
                    self.groups.iter().any(group)
                }
            }
        }
    }
}

fn pred_matches(p: &Pred, value: Option<&Value>, event: &Event) -> bool {
    match p {
        Pred::Null => value.is_none_or(Value::is_null),
        Pred::Exists(want) => value.is_some() == *want,
        _ => value.is_some_and(|v| value_matches(p, v, event)),
    }
}

/// Tests one value (a list matches when any member does).
pub fn value_matches(p: &Pred, v: &Value, event: &Event) -> bool {
    if let Value::List(items) = v {
        return items.iter().any(|i| value_matches(p, i, event));
    }
    match p {
        Pred::Str(t) => match v {
            Value::Str(s) => t.matches(s),
            Value::Null | Value::List(_) => false,
            other => other.to_text().is_some_and(|text| t.matches_text(&text)),
        },
        Pred::Null => v.is_null(),
        Pred::Exists(want) => *want,
        Pred::Num(op, n) => v.as_f64().is_some_and(|x| op.holds(x, *n)),
        Pred::Cidr(net) => ip_of(v).is_some_and(|ip| net.contains(&ip)),
        Pred::Regex(re) => v.to_text().is_some_and(|t| re.is_match(&t)),
        Pred::FieldRef { fields, cased } => {
            let Some(other) = fields.iter().find_map(|f| event.get(f)) else {
                return false;
            };
            v.to_text()
                .is_some_and(|text| field_ref_equals(&text, other, *cased))
        }
        Pred::Time(part, op, n) => {
            let dt = match v {
                Value::Int(i) => parse_timestamp(&i.to_string()),
                other => other.to_text().and_then(|t| parse_timestamp(&t)),
            };
            dt.is_some_and(|dt| {
                let x = match part {
                    TimePart::Minute => dt.minute(),
                    TimePart::Hour => dt.hour(),
                    TimePart::Day => dt.day(),
                    TimePart::Week => dt.iso_week().week(),
                    TimePart::Month => dt.month(),
                    TimePart::Year => dt.year().max(0) as u32,
                };
                op.holds(f64::from(x), *n)
            })
        }
        Pred::Never => false,
    }
}

/// The IP address a value holds, as a network test reads it.
fn ip_of(v: &Value) -> Option<IpAddr> {
    v.to_text().and_then(|t| t.trim().parse::<IpAddr>().ok())
}

/// Whether `text` equals the referenced field's value, or one of its members when that is a
/// list (as for every other test, a list stands for each of its members).
fn field_ref_equals(text: &str, other: &Value, cased: bool) -> bool {
    if let Value::List(items) = other {
        return items.iter().any(|o| field_ref_equals(text, o, cased));
    }
    match other.to_text() {
        Some(o) if cased => text == o,
        Some(o) => fold_case(text) == fold_case(&o),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the naive-evaluator property test: `X|fieldref: B` never held when B was a list.
    #[test]
    fn fieldref_to_a_list_compares_each_member() {
        let mut e = Event::default();
        e.push("B", Value::List([Value::str("y"), Value::str("X")].into()));
        let refer = |cased| Pred::FieldRef {
            fields: Box::new(["B".into()]),
            cased,
        };
        assert!(value_matches(&refer(false), &Value::str("x"), &e));
        assert!(!value_matches(&refer(true), &Value::str("x"), &e));
        assert!(!value_matches(&refer(false), &Value::str("z"), &e));
    }
}
