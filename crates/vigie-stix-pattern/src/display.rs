//! Writing a syntax tree back as pattern text that parses to the same meaning: parentheses
//! added where precedence needs them, strings escaped, names quoted when they are not plain
//! identifiers.

use std::fmt::{self, Display, Formatter, Write};

use base64::Engine;

use crate::ast::{
    ComparisonExpr, Literal, Number, ObjectPath, ObservationExpr, PathStep, Pattern, PropTest,
    Qualifier, QualifierKind, Test,
};
use crate::lexer::Keyword;

impl Display for Pattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

/// Binding strength of observation operators: FOLLOWEDBY < OR < AND < qualified < primary.
fn obs_rank(e: &ObservationExpr) -> u8 {
    match e {
        ObservationExpr::FollowedBy(_) => 1,
        ObservationExpr::Or(_) => 2,
        ObservationExpr::And(_) => 3,
        ObservationExpr::Qualified { .. } => 4,
        ObservationExpr::Observation(_) | ObservationExpr::Group(_) => 5,
    }
}

fn write_obs(f: &mut Formatter<'_>, e: &ObservationExpr, min_rank: u8) -> fmt::Result {
    if obs_rank(e) < min_rank {
        return write!(f, "({e})");
    }
    e.fmt(f)
}

fn write_obs_list(
    f: &mut Formatter<'_>,
    items: &[ObservationExpr],
    op: &str,
    rank: u8,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            write!(f, " {op} ")?;
        }
        write_obs(f, item, rank)?;
    }
    Ok(())
}

impl Display for ObservationExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ObservationExpr::Observation(c) => write!(f, "[{c}]"),
            ObservationExpr::Group(inner) => write!(f, "({inner})"),
            ObservationExpr::And(items) => write_obs_list(f, items, "AND", 3),
            ObservationExpr::Or(items) => write_obs_list(f, items, "OR", 2),
            ObservationExpr::FollowedBy(items) => write_obs_list(f, items, "FOLLOWEDBY", 1),
            ObservationExpr::Qualified { expr, qualifiers } => {
                write_obs(f, expr, 5)?;
                for q in qualifiers {
                    write!(f, " {q}")?;
                }
                Ok(())
            }
        }
    }
}

impl Display for Qualifier {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            QualifierKind::Within(n) => write!(f, "WITHIN {n} SECONDS"),
            QualifierKind::Repeats(n) => write!(f, "REPEATS {n} TIMES"),
            QualifierKind::StartStop { start, stop } => {
                write!(f, "START t'{start}' STOP t'{stop}'")
            }
        }
    }
}

impl Display for Number {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write_float(f, *x),
        }
    }
}

fn write_float(f: &mut Formatter<'_>, x: f64) -> fmt::Result {
    let s = x.to_string();
    if s.contains('.') || !x.is_finite() {
        f.write_str(&s)
    } else {
        write!(f, "{s}.0")
    }
}

fn cmp_rank(e: &ComparisonExpr) -> u8 {
    match e {
        ComparisonExpr::Or(_) => 1,
        ComparisonExpr::And(_) => 2,
        ComparisonExpr::Group(_) | ComparisonExpr::Test(_) => 3,
    }
}

fn write_cmp_list(
    f: &mut Formatter<'_>,
    items: &[ComparisonExpr],
    op: &str,
    rank: u8,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            write!(f, " {op} ")?;
        }
        if cmp_rank(item) < rank {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl Display for ComparisonExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ComparisonExpr::And(items) => write_cmp_list(f, items, "AND", 2),
            ComparisonExpr::Or(items) => write_cmp_list(f, items, "OR", 1),
            ComparisonExpr::Group(inner) => write!(f, "({inner})"),
            ComparisonExpr::Test(t) => t.fmt(f),
        }
    }
}

impl Display for PropTest {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let not = if self.negated { "NOT " } else { "" };
        match &self.test {
            Test::Exists => write!(f, "{not}EXISTS {}", self.path),
            Test::Compare(op, lit) => write!(f, "{} {not}{} {lit}", self.path, op.as_str()),
            Test::In(items) => {
                write!(f, "{} {not}IN (", self.path)?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    item.fmt(f)?;
                }
                f.write_char(')')
            }
            Test::Like(s) => write!(f, "{} {not}LIKE {}", self.path, Quoted(s)),
            Test::Matches(s) => write!(f, "{} {not}MATCHES {}", self.path, Quoted(s)),
            Test::IsSubset(s) => write!(f, "{} {not}ISSUBSET {}", self.path, Quoted(s)),
            Test::IsSuperset(s) => write!(f, "{} {not}ISSUPERSET {}", self.path, Quoted(s)),
        }
    }
}

/// A string literal, quoted and escaped.
struct Quoted<'a>(&'a str);

impl Display for Quoted<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('\'')?;
        for c in self.0.chars() {
            if c == '\'' || c == '\\' {
                f.write_char('\\')?;
            }
            f.write_char(c)?;
        }
        f.write_char('\'')
    }
}

/// Whether a property name can be written without quotes.
fn plain_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !Keyword::is_reserved(s)
        && !matches!(s, "t" | "b" | "h")
}

impl Display for ObjectPath {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.object_type)?;
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Key(k) => {
                    if i > 0 {
                        f.write_char('.')?;
                    }
                    if plain_name(k) {
                        f.write_str(k)?;
                    } else {
                        Quoted(k).fmt(f)?;
                    }
                }
                PathStep::Index(n) => write!(f, "[{n}]")?,
                PathStep::AnyIndex => f.write_str("[*]")?,
            }
        }
        Ok(())
    }
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Float(x) => write_float(f, *x),
            Literal::String(s) => Quoted(s).fmt(f),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Binary(bytes) => write!(
                f,
                "b'{}'",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
            Literal::Hex(bytes) => {
                f.write_str("h'")?;
                for b in bytes {
                    write!(f, "{b:02x}")?;
                }
                f.write_char('\'')
            }
            Literal::Timestamp(t) => write!(f, "t'{t}'"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::parse;

    #[test]
    fn display_round_trips() {
        for src in [
            "[file:hashes.'SHA-256' = 'aec0' OR file:name LIKE 'a\\'b%'] AND [x:y NOT IN (1, -2.5, true, b'AQID', h'ff', t'2020-01-01T00:00:00Z')]",
            "([a:b = 1] FOLLOWEDBY [a:c MATCHES '^x\\\\d']) WITHIN 300 SECONDS REPEATS 2 TIMES",
            "[a:'b c'[0].d[*] >= 0.5 AND (a:b = 1 OR NOT EXISTS a:c)] START t'2020-01-01T00:00:00Z' STOP t'2020-01-02T00:00:00Z'",
            "[a:b ISSUBSET '10.0.0.0/8'] OR [a:'AND' ISSUPERSET '::1']",
        ] {
            let p = parse(src).expect(src);
            let text = p.to_string();
            let again = parse(&text).expect(&text);
            assert_eq!(text, again.to_string(), "{src}");
        }
    }
}
