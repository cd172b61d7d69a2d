//! The condition language: `sel and not 1 of filter_*`, parsed into a tree.
//!
//! Precedence from loosest to tightest: `or`, `and`, `not`, `x of`, parentheses.

use std::fmt;

/// What a quantifier ranges over.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Target {
    /// `them`: every search identifier not starting with `_`.
    Them,
    /// An identifier pattern with `*` wildcards.
    Pattern(String),
}

/// A parsed condition. It is serialized in postfix order ([`Postfix`]), so that reading it
/// back takes no recursion and refuses trees deeper than the parser makes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "Postfix", try_from = "Postfix")]
pub enum Condition {
    Ident(String),
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    /// `1 of` / `any of`.
    OneOf(Target),
    AllOf(Target),
}

/// One step of a condition written in postfix order: operands before their operator.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
enum Step {
    Ident(String),
    OneOf(Target),
    AllOf(Target),
    /// Negates the last condition.
    Not,
    /// Joins the last `n` conditions.
    And(u32),
    Or(u32),
}

/// A condition as a list of postfix steps: its serialized form.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Postfix(Vec<Step>);

/// How deep a condition tree read back may be: `and`, `or` and `not` under each of the
/// parser's levels, and a little more for a list of conditions folded into an `or`.
const MAX_TREE_DEPTH: usize = 4 * MAX_CONDITION_DEPTH + 8;

impl From<Condition> for Postfix {
    fn from(c: Condition) -> Postfix {
        fn walk(c: Condition, out: &mut Vec<Step>) {
            match c {
                Condition::Ident(i) => out.push(Step::Ident(i)),
                Condition::OneOf(t) => out.push(Step::OneOf(t)),
                Condition::AllOf(t) => out.push(Step::AllOf(t)),
                Condition::Not(inner) => {
                    walk(*inner, out);
                    out.push(Step::Not);
                }
                Condition::And(items) => {
                    let n = count(&items);
                    items.into_iter().for_each(|c| walk(c, out));
                    out.push(Step::And(n));
                }
                Condition::Or(items) => {
                    let n = count(&items);
                    items.into_iter().for_each(|c| walk(c, out));
                    out.push(Step::Or(n));
                }
            }
        }
        // More than 2^32 operands would not read back, and need more memory than there is.
        fn count(items: &[Condition]) -> u32 {
            u32::try_from(items.len()).unwrap_or(u32::MAX)
        }
        let mut out = Vec::new();
        walk(c, &mut out);
        Postfix(out)
    }
}

impl TryFrom<Postfix> for Condition {
    type Error = String;

    /// Rebuilds the tree with a stack of (condition, depth).
    fn try_from(p: Postfix) -> Result<Condition, String> {
        let mut stack: Vec<(Condition, usize)> = Vec::new();
        for step in p.0 {
            let (c, depth) = match step {
                Step::Ident(i) => (Condition::Ident(i), 1),
                Step::OneOf(t) => (Condition::OneOf(t), 1),
                Step::AllOf(t) => (Condition::AllOf(t), 1),
                Step::Not => {
                    let (inner, d) = stack.pop().ok_or("`not` of nothing")?;
                    (Condition::Not(Box::new(inner)), d + 1)
                }
                Step::And(n) | Step::Or(n) => {
                    let n = n as usize;
                    if n == 0 || n > stack.len() {
                        return Err(format!("joins {n} conditions of {}", stack.len()));
                    }
                    let parts = stack.split_off(stack.len() - n);
                    let depth = parts.iter().map(|(_, d)| d).max().copied().unwrap_or(0) + 1;
                    let items = parts.into_iter().map(|(c, _)| c).collect();
                    match step {
                        Step::And(_) => (Condition::And(items), depth),
                        _ => (Condition::Or(items), depth),
                    }
                }
            };
            if depth > MAX_TREE_DEPTH {
                return Err(format!("nests deeper than {MAX_TREE_DEPTH}"));
            }
            stack.push((c, depth));
        }
        match (stack.pop(), stack.is_empty()) {
            (Some((c, _)), true) => Ok(c),
            _ => Err("not one condition".into()),
        }
    }
}

/// A condition syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError(pub String);

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Open,
    Close,
    Word(String),
}

fn tokenize(s: &str) -> Result<Vec<Tok>, ConditionError> {
    let mut out = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' {
            out.push(Tok::Open);
            chars.next();
        } else if c == ')' {
            out.push(Tok::Close);
            chars.next();
        } else if c.is_alphanumeric() || "_*-.".contains(c) {
            let start = i;
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || "_*-.".contains(d) {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Tok::Word(s[start..end].to_owned()));
        } else if c == '|' {
            return Err(ConditionError(
                "the `|` aggregation syntax (count() ... by ...) was removed in Sigma 2.0; \
                 write a correlation rule instead"
                    .into(),
            ));
        } else {
            return Err(ConditionError(format!("unexpected character `{c}`")));
        }
    }
    Ok(out)
}

/// How deeply `not`s and parentheses may nest: far beyond any rule's needs, and low enough
/// that the recursive parser and whatever walks the tree stay within a thread's stack.
pub const MAX_CONDITION_DEPTH: usize = 100;

struct P {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl P {
    /// Goes one level deeper, or says the condition nests too deeply.
    fn enter(&mut self) -> Result<(), ConditionError> {
        self.depth += 1;
        if self.depth > MAX_CONDITION_DEPTH {
            return Err(ConditionError(format!(
                "the condition nests `not`s and parentheses more than {MAX_CONDITION_DEPTH} deep"
            )));
        }
        Ok(())
    }

    fn peek_word(&self) -> Option<String> {
        match self.toks.get(self.pos) {
            Some(Tok::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn or(&mut self) -> Result<Condition, ConditionError> {
        let mut items = vec![self.and()?];
        while self.peek_word().as_deref() == Some("or") {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::Or(items)
        })
    }

    fn and(&mut self) -> Result<Condition, ConditionError> {
        let mut items = vec![self.not()?];
        while self.peek_word().as_deref() == Some("and") {
            self.pos += 1;
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::And(items)
        })
    }

    fn not(&mut self) -> Result<Condition, ConditionError> {
        if self.peek_word().as_deref() == Some("not") {
            self.pos += 1;
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Condition, ConditionError> {
        match self.toks.get(self.pos).cloned() {
            None => Err(ConditionError("the condition ends too early".into())),
            Some(Tok::Open) => {
                self.pos += 1;
                self.enter()?;
                let inner = self.or()?;
                self.depth -= 1;
                match self.toks.get(self.pos) {
                    Some(Tok::Close) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err(ConditionError("a `(` is not closed".into())),
                }
            }
            Some(Tok::Close) => Err(ConditionError("unexpected `)`".into())),
            Some(Tok::Word(w)) => {
                let lower = w.to_ascii_lowercase();
                self.pos += 1;
                let quant = match lower.as_str() {
                    "1" | "any" => Some(true),
                    "all" => Some(false),
                    "and" | "or" | "of" | "them" => {
                        return Err(ConditionError(format!("unexpected `{w}`")))
                    }
                    _ => None,
                };
                let is_of = self.peek_word().as_deref() == Some("of");
                match quant {
                    Some(one) if is_of => {
                        self.pos += 1;
                        let target = match self.toks.get(self.pos).cloned() {
                            Some(Tok::Word(t)) => {
                                self.pos += 1;
                                if t.eq_ignore_ascii_case("them") {
                                    Target::Them
                                } else {
                                    Target::Pattern(t)
                                }
                            }
                            _ => {
                                return Err(ConditionError(format!(
                                    "`{w} of` must be followed by `them` or an identifier pattern"
                                )))
                            }
                        };
                        Ok(if one {
                            Condition::OneOf(target)
                        } else {
                            Condition::AllOf(target)
                        })
                    }
                    _ if is_of => Err(ConditionError(format!(
                        "`{w} of` is not supported: Sigma allows `1 of`, `any of` and `all of`"
                    ))),
                    _ => Ok(Condition::Ident(w)),
                }
            }
        }
    }
}

/// Parses one condition expression.
pub fn parse_condition(s: &str) -> Result<Condition, ConditionError> {
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err(ConditionError("the condition is empty".into()));
    }
    let mut p = P {
        toks,
        pos: 0,
        depth: 0,
    };
    let c = p.or()?;
    if p.pos < p.toks.len() {
        let rest = match &p.toks[p.pos] {
            Tok::Word(w) => w.clone(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
        };
        return Err(ConditionError(format!(
            "unexpected `{rest}` after a complete condition"
        )));
    }
    Ok(c)
}

/// Whether an identifier name matches a quantifier pattern (`*` wildcards).
/// An identifier starting with `_` only matches a pattern that starts with `_` too.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    if name.starts_with('_') && !pattern.starts_with('_') {
        return false;
    }
    glob(pattern.as_bytes(), name.as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && p[pi] != b'*' && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            pi += 1;
            mark = si;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

impl Condition {
    /// Every identifier name and pattern the condition mentions.
    pub fn references(&self, out: &mut Vec<Target>) {
        match self {
            Condition::Ident(i) => out.push(Target::Pattern(i.clone())),
            Condition::Not(c) => c.references(out),
            Condition::And(v) | Condition::Or(v) => v.iter().for_each(|c| c.references(out)),
            Condition::OneOf(t) | Condition::AllOf(t) => out.push(t.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> Condition {
        Condition::Ident(s.into())
    }

    #[test]
    fn precedence() {
        let c = parse_condition("a or b and not c").expect("parses");
        assert_eq!(
            c,
            Condition::Or(vec![
                id("a"),
                Condition::And(vec![id("b"), Condition::Not(Box::new(id("c")))])
            ])
        );
    }

    #[test]
    fn quantifiers_and_parens() {
        let c =
            parse_condition("(1 of sel_* or all of them) and not any of filter*").expect("parses");
        assert_eq!(
            c,
            Condition::And(vec![
                Condition::Or(vec![
                    Condition::OneOf(Target::Pattern("sel_*".into())),
                    Condition::AllOf(Target::Them)
                ]),
                Condition::Not(Box::new(Condition::OneOf(Target::Pattern(
                    "filter*".into()
                ))))
            ])
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let at = |n: usize, open: &str, close: &str| {
            parse_condition(&format!("{}sel{}", open.repeat(n), close.repeat(n)))
        };
        for (open, close) in [("not ", ""), ("(", ")"), ("not (", ")")] {
            let per_level = if open == "not (" { 2 } else { 1 };
            let deepest = MAX_CONDITION_DEPTH / per_level;
            assert!(
                at(deepest, open, close).is_ok(),
                "{open}{close} x {deepest}"
            );
            let err = at(deepest + 1, open, close).expect_err("one level too deep");
            assert!(err.0.contains("more than 100 deep"), "{}", err.0);
            // Far deeper input is refused the same way, without exhausting the stack.
            assert!(at(200_000, open, close).is_err());
        }
    }

    fn round_trip(c: &Condition) -> Result<Condition, postcard::Error> {
        postcard::from_bytes(&postcard::to_stdvec(c).expect("serializes"))
    }

    #[test]
    fn serialized_in_postfix_and_read_back() {
        for text in [
            "sel",
            "a or b and not c",
            "(1 of sel_* or all of them) and not any of filter*",
            "not (a and (b or not (c or d)) and e) or f",
        ] {
            let c = parse_condition(text).expect("parses");
            assert_eq!(round_trip(&c).expect(text), c, "{text}");
        }
        let deepest = format!("{}sel{}", "not (".repeat(50), ")".repeat(50));
        let c = parse_condition(&deepest).expect("parses");
        assert_eq!(round_trip(&c).expect("deepest"), c);
    }

    #[test]
    fn malformed_postfix_is_refused() {
        let read = |steps: Vec<Step>| Condition::try_from(Postfix(steps));
        let ident = || Step::Ident("a".into());
        assert!(read(vec![]).is_err());
        assert!(read(vec![Step::Not]).is_err());
        assert!(read(vec![ident(), ident()]).is_err());
        assert!(read(vec![ident(), ident(), Step::And(3)]).is_err());
        assert!(read(vec![ident(), Step::Or(0)]).is_err());
        assert_eq!(
            read(vec![ident(), ident(), Step::Or(2), Step::Not]),
            Ok(Condition::Not(Box::new(Condition::Or(vec![
                id("a"),
                id("a")
            ]))))
        );
        let mut deep = vec![ident()];
        deep.extend((0..MAX_TREE_DEPTH).map(|_| Step::Not));
        assert!(read(deep.clone()).is_err());
        deep.pop();
        assert!(read(deep).is_ok());
        // A million `not`s read from bytes are refused, not followed down the stack.
        let bytes = postcard::to_stdvec(&Postfix(
            std::iter::once(ident())
                .chain((0..1_000_000).map(|_| Step::Not))
                .collect(),
        ))
        .expect("serializes");
        assert!(postcard::from_bytes::<Condition>(&bytes).is_err());
    }

    #[test]
    fn errors() {
        assert!(parse_condition("a and").is_err());
        assert!(parse_condition("(a").is_err());
        assert!(parse_condition("a b").is_err());
        assert!(parse_condition("sel | count() > 5").is_err());
        assert!(parse_condition("2 of sel*").is_err());
    }

    #[test]
    fn patterns() {
        assert!(pattern_matches("sel*", "selection"));
        assert!(pattern_matches("*", "x"));
        assert!(!pattern_matches("*", "_x"));
        assert!(pattern_matches("_*", "_x"));
        assert!(pattern_matches("a*c", "abbc"));
        assert!(!pattern_matches("a*c", "abbd"));
    }
}
