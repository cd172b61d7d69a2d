//! The condition language: `sel and not 1 of filter_*`, parsed into a tree.
//!
//! Precedence from loosest to tightest: `or`, `and`, `not`, `x of`, parentheses.

use std::fmt;

/// What a quantifier ranges over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `them`: every search identifier not starting with `_`.
    Them,
    /// An identifier pattern with `*` wildcards.
    Pattern(String),
}

/// A parsed condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Ident(String),
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    /// `1 of` / `any of`.
    OneOf(Target),
    AllOf(Target),
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

struct P {
    toks: Vec<Tok>,
    pos: usize,
}

impl P {
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
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Condition, ConditionError> {
        match self.toks.get(self.pos).cloned() {
            None => Err(ConditionError("the condition ends too early".into())),
            Some(Tok::Open) => {
                self.pos += 1;
                let inner = self.or()?;
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
    let mut p = P { toks, pos: 0 };
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
