//! Collected system data: items (named values, several values per name allowed, as OVAL
//! items carry several `subexpression`s) and the collected object's flag.

use std::rc::Rc;

use crate::model::{Check, Datatype, Operation};
use crate::result::{Counts, OvalResult};

/// One collected item: its entities as (name, value) pairs, in collection order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Item {
    pub fields: Vec<(&'static str, String)>,
}

impl Item {
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Item {
        self.fields.push((name, value.into()));
        self
    }

    pub fn push(&mut self, name: &'static str, value: impl Into<String>) {
        self.fields.push((name, value.into()));
    }

    /// Every value of the entity with this name.
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The flag of a collected object (OVAL system-characteristics `flag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Complete,
    Incomplete,
    DoesNotExist,
    Error,
    NotCollected,
    NotApplicable,
}

/// What collecting an object gave: a flag, the items, and why when it is not complete.
#[derive(Debug, Clone)]
pub struct Collected {
    pub flag: Flag,
    pub items: Rc<Vec<Item>>,
    pub message: Option<String>,
}

impl Collected {
    /// Items found (an empty list is "does not exist").
    pub fn items(items: Vec<Item>) -> Collected {
        let flag = if items.is_empty() {
            Flag::DoesNotExist
        } else {
            Flag::Complete
        };
        Collected {
            flag,
            items: Rc::new(items),
            message: None,
        }
    }

    pub fn failed(flag: Flag, message: impl Into<String>) -> Collected {
        Collected {
            flag,
            items: Rc::new(Vec::new()),
            message: Some(message.into()),
        }
    }
}

/// An object or state entity with its values resolved (variables expanded): what a probe
/// matches candidates against.
#[derive(Debug, Clone)]
pub struct Spec {
    pub operation: Operation,
    pub datatype: Datatype,
    pub var_check: Check,
    /// Empty with `nil` for `xsi:nil="true"`.
    pub values: Vec<String>,
    pub nil: bool,
}

impl Spec {
    /// Whether a candidate value satisfies the spec (every value compared, combined by
    /// `var_check`).
    pub fn result(&self, candidate: &str) -> OvalResult {
        Counts::of(
            self.values
                .iter()
                .map(|v| crate::compare::compare(candidate, self.operation, self.datatype, v)),
        )
        .by_check(self.var_check)
    }

    pub fn matches(&self, candidate: &str) -> bool {
        self.result(candidate) == OvalResult::True
    }

    /// The values to look up directly, when the spec is a plain equality.
    pub fn exact(&self) -> Option<&[String]> {
        (self.operation == Operation::Equals && !self.nil).then_some(&self.values[..])
    }
}
