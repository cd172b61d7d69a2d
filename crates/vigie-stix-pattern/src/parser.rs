//! The recursive-descent parser for the whole STIX 2.1 pattern grammar.
//!
//! Precedence, loosest first: `FOLLOWEDBY`, `OR`, `AND` between observation expressions;
//! qualifiers (`WITHIN`, `REPEATS`, `START .. STOP`) bind to the bracketed or parenthesized
//! expression right before them; inside brackets `OR` is looser than `AND`. Nesting of
//! brackets and parentheses is capped so that hostile input cannot exhaust the stack.

use crate::ast::{
    CompareOp, ComparisonExpr, Literal, Number, ObjectPath, ObservationExpr, PathStep, Pattern,
    PropTest, Qualifier, QualifierKind, Test,
};
use crate::error::{ParseError, ParseErrorKind};
use crate::lexer::{tokenize, Keyword, Tok, Token};

/// Deepest nesting of parentheses and brackets accepted.
pub const MAX_NESTING: usize = 64;

/// Parses a pattern (grammar only; see [`crate::validate`] for the validator's extra rules).
pub fn parse(src: &str) -> Result<Pattern, ParseError> {
    let tokens = tokenize(src)?;
    let mut p = Parser {
        src,
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = p.observation_expressions()?;
    p.expect(
        |t| matches!(t, Tok::Eof),
        "AND, OR, FOLLOWEDBY, a qualifier (WITHIN, REPEATS, START) or the end of the pattern",
    )?;
    Ok(Pattern { expr })
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

const LITERALS: &str =
    "a literal (integer, number, 'string', true, false, b'base64', h'hex' or t'timestamp')";
const ORDERABLE: &str =
    "an orderable literal (integer, number, 'string', b'base64', h'hex' or t'timestamp')";

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        self.tokens.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.src.len(), |t| t.start)
    }

    fn bump(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        tok
    }

    fn at_keyword(&self, k: Keyword) -> bool {
        *self.peek() == Tok::Keyword(k)
    }

    fn describe(&self) -> String {
        let Some(t) = self.tokens.get(self.pos) else {
            return "end of pattern".into();
        };
        if t.tok == Tok::Eof {
            return "end of pattern".into();
        }
        let text = self.src.get(t.start..t.end).unwrap_or("");
        format!("'{text}'")
    }

    fn unexpected(&self, expected: &str) -> ParseError {
        ParseError::at(
            self.src,
            self.offset(),
            ParseErrorKind::Unexpected {
                expected: expected.to_owned(),
                found: self.describe(),
            },
        )
    }

    fn expect(&mut self, ok: impl Fn(&Tok) -> bool, expected: &str) -> Result<Tok, ParseError> {
        if ok(self.peek()) {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn expect_keyword(&mut self, k: Keyword, expected: &str) -> Result<(), ParseError> {
        self.expect(|t| *t == Tok::Keyword(k), expected).map(|_| ())
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(ParseError::at(
                self.src,
                self.offset(),
                ParseErrorKind::TooDeep(MAX_NESTING),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // observationExpressions: FOLLOWEDBY chain over OR chains over AND chains.

    fn observation_expressions(&mut self) -> Result<ObservationExpr, ParseError> {
        let mut items = vec![self.observation_or()?];
        while self.at_keyword(Keyword::FollowedBy) {
            self.bump();
            items.push(self.observation_or()?);
        }
        Ok(flat(items, ObservationExpr::FollowedBy))
    }

    fn observation_or(&mut self) -> Result<ObservationExpr, ParseError> {
        let mut items = vec![self.observation_and()?];
        while self.at_keyword(Keyword::Or) {
            self.bump();
            items.push(self.observation_and()?);
        }
        Ok(flat(items, ObservationExpr::Or))
    }

    fn observation_and(&mut self) -> Result<ObservationExpr, ParseError> {
        let mut items = vec![self.observation_expression()?];
        while self.at_keyword(Keyword::And) {
            self.bump();
            items.push(self.observation_expression()?);
        }
        Ok(flat(items, ObservationExpr::And))
    }

    fn observation_expression(&mut self) -> Result<ObservationExpr, ParseError> {
        let base = match self.peek() {
            Tok::LBrack => {
                self.bump();
                self.enter()?;
                let cmp = self.comparison_or()?;
                self.expect(
                    |t| matches!(t, Tok::RBrack),
                    "']' or a comparison operator (AND, OR)",
                )?;
                self.leave();
                ObservationExpr::Observation(cmp)
            }
            Tok::LParen => {
                self.bump();
                self.enter()?;
                let inner = self.observation_expressions()?;
                self.expect(
                    |t| matches!(t, Tok::RParen),
                    "')' or an observation operator (AND, OR, FOLLOWEDBY)",
                )?;
                self.leave();
                ObservationExpr::Group(Box::new(inner))
            }
            _ => return Err(self.unexpected("'[' or '(' starting an observation expression")),
        };
        let mut qualifiers = Vec::new();
        while let Some(q) = self.qualifier()? {
            qualifiers.push(q);
        }
        Ok(if qualifiers.is_empty() {
            base
        } else {
            ObservationExpr::Qualified {
                expr: Box::new(base),
                qualifiers,
            }
        })
    }

    fn qualifier(&mut self) -> Result<Option<Qualifier>, ParseError> {
        let offset = self.offset();
        let kind = match self.peek() {
            Tok::Keyword(Keyword::Within) => {
                self.bump();
                let n = match self.bump_if(|t| {
                    matches!(
                        t,
                        Tok::Int { neg: false, .. } | Tok::Float { neg: false, .. }
                    )
                }) {
                    Some(Tok::Int { value, .. }) => Number::Int(value),
                    Some(Tok::Float { value, .. }) => Number::Float(value),
                    _ => return Err(self.unexpected("a positive number of seconds after WITHIN")),
                };
                self.expect_keyword(Keyword::Seconds, "SECONDS")?;
                QualifierKind::Within(n)
            }
            Tok::Keyword(Keyword::Repeats) => {
                self.bump();
                let n = match self.bump_if(|t| matches!(t, Tok::Int { neg: false, .. })) {
                    Some(Tok::Int { value, .. }) => value,
                    _ => return Err(self.unexpected("a positive integer after REPEATS")),
                };
                self.expect_keyword(Keyword::Times, "TIMES")?;
                QualifierKind::Repeats(n)
            }
            Tok::Keyword(Keyword::Start) => {
                self.bump();
                let start = self.timestamp("a timestamp literal t'...' after START")?;
                self.expect_keyword(Keyword::Stop, "STOP")?;
                let stop = self.timestamp("a timestamp literal t'...' after STOP")?;
                QualifierKind::StartStop { start, stop }
            }
            _ => return Ok(None),
        };
        Ok(Some(Qualifier { kind, offset }))
    }

    fn bump_if(&mut self, ok: impl Fn(&Tok) -> bool) -> Option<Tok> {
        ok(self.peek()).then(|| self.bump())
    }

    fn timestamp(&mut self, expected: &str) -> Result<String, ParseError> {
        match self.bump_if(|t| matches!(t, Tok::Timestamp(_))) {
            Some(Tok::Timestamp(s)) => Ok(s),
            _ => Err(self.unexpected(expected)),
        }
    }

    // comparisonExpression: OR chain over AND chains over property tests.

    fn comparison_or(&mut self) -> Result<ComparisonExpr, ParseError> {
        let mut items = vec![self.comparison_and()?];
        while self.at_keyword(Keyword::Or) {
            self.bump();
            items.push(self.comparison_and()?);
        }
        Ok(flat(items, ComparisonExpr::Or))
    }

    fn comparison_and(&mut self) -> Result<ComparisonExpr, ParseError> {
        let mut items = vec![self.prop_test()?];
        while self.at_keyword(Keyword::And) {
            self.bump();
            items.push(self.prop_test()?);
        }
        Ok(flat(items, ComparisonExpr::And))
    }

    fn prop_test(&mut self) -> Result<ComparisonExpr, ParseError> {
        let offset = self.offset();
        match self.peek() {
            Tok::LParen => {
                self.bump();
                self.enter()?;
                let inner = self.comparison_or()?;
                self.expect(
                    |t| matches!(t, Tok::RParen),
                    "')' or a comparison operator (AND, OR)",
                )?;
                self.leave();
                return Ok(ComparisonExpr::Group(Box::new(inner)));
            }
            Tok::Keyword(Keyword::Not | Keyword::Exists) => {
                let negated = self.at_keyword(Keyword::Not);
                if negated {
                    self.bump();
                }
                self.expect_keyword(Keyword::Exists, "EXISTS after NOT")?;
                let path = self.object_path()?;
                return Ok(ComparisonExpr::Test(PropTest {
                    path,
                    negated,
                    test: Test::Exists,
                    offset,
                }));
            }
            _ => {}
        }
        let path = self.object_path()?;
        let negated = self.at_keyword(Keyword::Not);
        if negated {
            self.bump();
        }
        let test = match self.bump() {
            Tok::Eq => Test::Compare(CompareOp::Eq, self.literal(true)?),
            Tok::Neq => Test::Compare(CompareOp::Ne, self.literal(true)?),
            Tok::Lt => Test::Compare(CompareOp::Lt, self.literal(false)?),
            Tok::Le => Test::Compare(CompareOp::Le, self.literal(false)?),
            Tok::Gt => Test::Compare(CompareOp::Gt, self.literal(false)?),
            Tok::Ge => Test::Compare(CompareOp::Ge, self.literal(false)?),
            Tok::Keyword(Keyword::In) => Test::In(self.set_literal()?),
            Tok::Keyword(Keyword::Like) => Test::Like(self.string("a string literal after LIKE")?),
            Tok::Keyword(Keyword::Matches) => {
                Test::Matches(self.string("a string literal after MATCHES")?)
            }
            Tok::Keyword(Keyword::IsSubset) => {
                Test::IsSubset(self.string("a string literal after ISSUBSET")?)
            }
            Tok::Keyword(Keyword::IsSuperset) => {
                Test::IsSuperset(self.string("a string literal after ISSUPERSET")?)
            }
            _ => {
                self.pos = self.pos.saturating_sub(1);
                return Err(self.unexpected(
                    "a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET)",
                ));
            }
        };
        Ok(ComparisonExpr::Test(PropTest {
            path,
            negated,
            test,
            offset,
        }))
    }

    fn string(&mut self, expected: &str) -> Result<String, ParseError> {
        match self.bump_if(|t| matches!(t, Tok::Str(_))) {
            Some(Tok::Str(s)) => Ok(s),
            _ => Err(self.unexpected(expected)),
        }
    }

    fn literal(&mut self, bool_allowed: bool) -> Result<Literal, ParseError> {
        let lit = match self.peek() {
            Tok::Int { value, .. } => Literal::Int(*value),
            Tok::Float { value, .. } => Literal::Float(*value),
            Tok::Str(s) => Literal::String(s.clone()),
            Tok::Bool(b) if bool_allowed => Literal::Bool(*b),
            Tok::Binary(b) => Literal::Binary(b.clone()),
            Tok::Hex(b) => Literal::Hex(b.clone()),
            Tok::Timestamp(t) => Literal::Timestamp(t.clone()),
            _ => return Err(self.unexpected(if bool_allowed { LITERALS } else { ORDERABLE })),
        };
        self.bump();
        Ok(lit)
    }

    fn set_literal(&mut self) -> Result<Vec<Literal>, ParseError> {
        self.expect(|t| matches!(t, Tok::LParen), "'(' starting a set after IN")?;
        let mut items = Vec::new();
        if matches!(self.peek(), Tok::RParen) {
            self.bump();
            return Ok(items);
        }
        loop {
            items.push(self.literal(true)?);
            match self.bump() {
                Tok::Comma => {}
                Tok::RParen => return Ok(items),
                _ => {
                    self.pos = self.pos.saturating_sub(1);
                    return Err(self.unexpected("',' or ')' in a set literal"));
                }
            }
        }
    }

    fn object_path(&mut self) -> Result<ObjectPath, ParseError> {
        let object_type = match self.peek() {
            Tok::Ident { .. } => {
                let t = self.tokens.get(self.pos);
                let text = t
                    .and_then(|t| self.src.get(t.start..t.end))
                    .unwrap_or("")
                    .to_owned();
                self.bump();
                text
            }
            _ => {
                return Err(
                    self.unexpected("an object path (object-type:property) or EXISTS or '('")
                )
            }
        };
        self.expect(
            |t| matches!(t, Tok::Colon),
            "':' between the object type and the property",
        )?;
        let mut steps = vec![PathStep::Key(
            self.key("a property name (letters, digits and _; quote others as 'name')")?,
        )];
        loop {
            match self.peek() {
                Tok::Dot => {
                    self.bump();
                    steps.push(PathStep::Key(self.key(
                        "a property name after '.' (letters, digits and _; quote others as 'name')",
                    )?));
                }
                Tok::LBrack => {
                    self.bump();
                    let step = match self.bump() {
                        Tok::Int { value, .. } => PathStep::Index(value),
                        Tok::Asterisk => PathStep::AnyIndex,
                        _ => {
                            self.pos = self.pos.saturating_sub(1);
                            return Err(self.unexpected("a list index (integer or *)"));
                        }
                    };
                    self.expect(|t| matches!(t, Tok::RBrack), "']' closing the list index")?;
                    steps.push(step);
                }
                _ => return Ok(ObjectPath { object_type, steps }),
            }
        }
    }

    /// A property name: an identifier without hyphen, or a quoted string.
    fn key(&mut self, expected: &str) -> Result<String, ParseError> {
        match self.peek() {
            Tok::Ident { hyphen: false } => {
                let text = self
                    .tokens
                    .get(self.pos)
                    .and_then(|t| self.src.get(t.start..t.end))
                    .unwrap_or("")
                    .to_owned();
                self.bump();
                Ok(text)
            }
            Tok::Str(s) => {
                let s = s.clone();
                self.bump();
                Ok(s)
            }
            _ => Err(self.unexpected(expected)),
        }
    }
}

fn flat<T>(mut items: Vec<T>, make: impl FnOnce(Vec<T>) -> T) -> T {
    if items.len() == 1 {
        if let Some(only) = items.pop() {
            return only;
        }
    }
    make(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_of_observation_operators() {
        let p = parse("[a:x=1] OR [a:x=2] AND [a:x=3] FOLLOWEDBY [a:x=4]").expect("parses");
        let ObservationExpr::FollowedBy(items) = &p.expr else {
            panic!("FOLLOWEDBY is loosest: {p:?}");
        };
        assert!(
            matches!(&items[0], ObservationExpr::Or(o) if matches!(o[1], ObservationExpr::And(_)))
        );
    }

    #[test]
    fn qualifiers_bind_to_the_expression_before_them() {
        let p = parse("[a:x=1] AND [a:x=2] REPEATS 2 TIMES WITHIN 5 SECONDS").expect("parses");
        let ObservationExpr::And(items) = &p.expr else {
            panic!("{p:?}")
        };
        assert!(
            matches!(&items[1], ObservationExpr::Qualified { qualifiers, .. } if qualifiers.len() == 2)
        );
    }

    #[test]
    fn paths_and_literals() {
        let p = parse("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0 AND file:x[-1] IN (1, 'a', h'00')]").expect("parses");
        let ObservationExpr::Observation(ComparisonExpr::And(tests)) = &p.expr else {
            panic!("{p:?}")
        };
        let ComparisonExpr::Test(t) = &tests[0] else {
            panic!()
        };
        assert_eq!(
            t.path.steps,
            vec![
                PathStep::Key("extensions".into()),
                PathStep::Key("windows-pebinary-ext".into()),
                PathStep::Key("sections".into()),
                PathStep::AnyIndex,
                PathStep::Key("entropy".into())
            ]
        );
    }

    #[test]
    fn errors_carry_positions() {
        let e = parse("[file:size = ]").expect_err("missing value");
        assert_eq!(e.column, 14);
        let e = parse("[some-type:needs-quotes = 1]").expect_err("hyphen in property");
        assert_eq!(e.column, 12);
        assert!(parse("[a:b = 1] WITHIN -5 SECONDS").is_err());
        assert!(parse("[a:b = 1] within 5 seconds").is_err());
        assert!(parse("[a:b > true]").is_err());
        assert!(parse("[a:b = null]").is_err());
        let deep = format!("{}[a:b=1]{}", "(".repeat(100), ")".repeat(100));
        assert!(matches!(
            parse(&deep).expect_err("too deep").kind,
            ParseErrorKind::TooDeep(_)
        ));
    }
}
