//! Maven versions as `ComparableVersion` (maven-artifact 3.8.6, the release the OSV
//! fixtures were sorted with) orders them: a version is a list of numbers and qualifiers
//! where `-`, and a change between digits and letters, opens a sub-list; null items (0,
//! release qualifiers, empty lists) are dropped from the end of each list; qualifiers order
//! alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp < any
//! other (alphabetically); a number is newer than a list, a list newer than a qualifier.
//! As the Maven POM reference specifies, a sub-list that holds only a sub-list is that
//! sub-list (`1-ga-1` = `1-1`; maven-artifact itself says `1-ga-1` < `1-1`).

use std::cmp::Ordering;

use crate::digits::cmp_digits;
use crate::error::VersionError;

const SCHEME: &str = "Maven";

/// Known qualifiers in order; index 5 ("") is the release.
const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const RELEASE: usize = 5;

#[derive(Debug, Clone)]
enum Item {
    /// A number (digits without leading zeros; "" is 0).
    Int(String),
    /// A qualifier, lower case, aliases resolved.
    Str(String),
    List(Vec<Item>),
}

/// A Maven version.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<Item>,
}

impl MavenVersion {
    /// Parses a version. Maven orders any string; only an empty one (or one with spaces or
    /// control characters) is refused here.
    pub fn parse(s: &str) -> Result<Self, VersionError> {
        if s.is_empty() {
            return Err(VersionError::invalid(SCHEME, s, "version string is empty"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(VersionError::invalid(
                SCHEME,
                s,
                "version string has spaces or control characters",
            ));
        }
        Ok(MavenVersion {
            items: parse_items(&s.to_lowercase()),
        })
    }
}

fn parse_item(is_digit: bool, text: &str) -> Item {
    if is_digit {
        Item::Int(text.trim_start_matches('0').to_owned())
    } else {
        Item::Str(qualifier(text, false))
    }
}

/// A qualifier with its aliases resolved (`a1` is `alpha-1`, `ga` is a release, ...).
fn qualifier(text: &str, followed_by_digit: bool) -> String {
    let text = match text {
        "a" if followed_by_digit => "alpha",
        "b" if followed_by_digit => "beta",
        "m" if followed_by_digit => "milestone",
        other => other,
    };
    match text {
        "ga" | "final" | "release" => String::new(),
        "cr" => "rc".to_owned(),
        other => other.to_owned(),
    }
}

/// The nested lists being built: the open one and its parents, outermost first. Each list
/// is the last item of its parent, so a parent gets its sub-list when the lists close.
struct Levels {
    current: Vec<Item>,
    parents: Vec<Vec<Item>>,
}

impl Levels {
    fn open(&mut self) {
        self.parents.push(std::mem::take(&mut self.current));
    }

    fn close_all(self) -> Vec<Item> {
        let mut inner = self.current;
        normalize(&mut inner);
        for mut list in self.parents.into_iter().rev() {
            flatten(&mut inner);
            list.push(Item::List(inner));
            normalize(&mut list);
            inner = list;
        }
        inner
    }
}

fn parse_items(v: &str) -> Vec<Item> {
    let mut levels = Levels {
        current: Vec::new(),
        parents: Vec::new(),
    };
    let mut is_digit = false;
    let mut start = 0;
    for (i, c) in v.char_indices() {
        let pending = v.get(start..i).unwrap_or_default();
        if c == '.' || c == '-' {
            let item = if pending.is_empty() {
                Item::Int(String::new())
            } else {
                parse_item(is_digit, pending)
            };
            levels.current.push(item);
            start = i + 1;
            if c == '-' {
                levels.open();
            }
        } else if c.is_ascii_digit() {
            if !is_digit && !pending.is_empty() {
                levels.current.push(Item::Str(qualifier(pending, true)));
                start = i;
                levels.open();
            }
            is_digit = true;
        } else {
            if is_digit && !pending.is_empty() {
                levels.current.push(parse_item(true, pending));
                start = i;
                levels.open();
            }
            is_digit = false;
        }
    }
    let pending = v.get(start..).unwrap_or_default();
    if !pending.is_empty() {
        levels.current.push(parse_item(is_digit, pending));
    }
    levels.close_all()
}

fn is_null(item: &Item) -> bool {
    match item {
        Item::Int(n) => n.is_empty(),
        Item::Str(s) => s.is_empty(),
        Item::List(l) => l.is_empty(),
    }
}

/// Drops null items from the end, looking past sub-lists.
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        let Some(item) = list.get(i) else { break };
        if is_null(item) {
            list.remove(i);
        } else if !matches!(item, Item::List(_)) {
            break;
        }
    }
}

/// A sub-list left holding only a sub-list takes that sub-list's items (the top list keeps
/// its shape: `0.0.0-2021` is not `2021`).
fn flatten(list: &mut Vec<Item>) {
    if let [Item::List(only)] = list.as_mut_slice() {
        let only = std::mem::take(only);
        *list = only;
    }
}

fn qualifier_key(q: &str) -> (usize, &str) {
    match QUALIFIERS.iter().position(|&k| k == q) {
        Some(i) => (i, ""),
        None => (QUALIFIERS.len(), q),
    }
}

/// Compares an item with another, or with nothing (padding).
fn cmp_item(a: &Item, b: Option<&Item>) -> Ordering {
    match (a, b) {
        (Item::Int(n), None) => {
            if n.is_empty() {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (Item::Int(x), Some(Item::Int(y))) => cmp_digits(x, y),
        (Item::Int(_), Some(_)) => Ordering::Greater,
        (Item::Str(s), None) => qualifier_key(s).cmp(&(RELEASE, "")),
        (Item::Str(_), Some(Item::Int(_))) => Ordering::Less,
        (Item::Str(x), Some(Item::Str(y))) => qualifier_key(x).cmp(&qualifier_key(y)),
        (Item::Str(_), Some(Item::List(_))) => Ordering::Less,
        (Item::List(l), None) => l
            .iter()
            .map(|i| cmp_item(i, None))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal),
        (Item::List(_), Some(Item::Int(_))) => Ordering::Less,
        (Item::List(_), Some(Item::Str(_))) => Ordering::Greater,
        (Item::List(x), Some(Item::List(y))) => cmp_lists(x, y),
    }
}

fn cmp_lists(x: &[Item], y: &[Item]) -> Ordering {
    for i in 0..x.len().max(y.len()) {
        let ord = match (x.get(i), y.get(i)) {
            (Some(l), r) => cmp_item(l, r),
            (None, Some(r)) => cmp_item(r, None).reverse(),
            (None, None) => Ordering::Equal,
        };
        if ord.is_ne() {
            return ord;
        }
    }
    Ordering::Equal
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}

crate::order_from_cmp!(MavenVersion);
