//! Compiling a parsed pattern for evaluation: literals become typed values, timestamps are
//! checked to be real dates, sets must hold one type (numbers may mix), regular expressions and
//! LIKE patterns are compiled, qualifier values are checked. These are the errors stix2-matcher
//! raises whatever the observations.

use crate::ast::{
    CompareOp, ComparisonExpr, Literal, Number, ObservationExpr, PathStep, Pattern, Test,
};
use crate::error::EvalError;
use crate::text::{Like, Matches};
use crate::timestamp::parse_timestamp;
use crate::value::Scalar;

/// A pattern ready to be evaluated over observations, any number of times.
#[derive(Debug, Clone)]
pub struct CompiledPattern {
    pub(crate) root: Node,
    pub(crate) tests: Vec<CompiledTest>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Leaf(Cmp),
    And(Vec<Node>),
    Or(Vec<Node>),
    FollowedBy(Vec<Node>),
    Qualified(Box<Node>, Vec<Qual>),
}

#[derive(Debug, Clone)]
pub(crate) enum Cmp {
    /// Index into `CompiledPattern::tests`.
    Test(usize),
    And(Vec<Cmp>),
    Or(Vec<Cmp>),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Qual {
    /// Microseconds.
    Within(i64),
    Repeats(u128),
    /// Microseconds, start inclusive, stop exclusive.
    StartStop(i64, i64),
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledTest {
    pub object_type: String,
    pub steps: Vec<PathStep>,
    pub negated: bool,
    pub pred: Pred,
}

#[derive(Debug, Clone)]
pub(crate) enum Pred {
    Compare(CompareOp, Lit),
    /// The members, and whether they are timestamps (strings are then read as timestamps).
    In(Vec<Lit>, bool),
    Like(Like),
    Matches(Matches),
    IsSubset(String),
    IsSuperset(String),
    Exists,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Int(i128),
    Float(f64),
    Str(String),
    Bool(bool),
    Bytes(Vec<u8>),
    Time(i64),
}

impl Lit {
    pub(crate) fn scalar(&self) -> Scalar<'_> {
        match self {
            Lit::Int(i) => Scalar::Int(*i),
            Lit::Float(f) => Scalar::Float(*f),
            Lit::Str(s) => Scalar::Str(s),
            Lit::Bool(b) => Scalar::Bool(*b),
            Lit::Bytes(b) => Scalar::Bytes(b),
            Lit::Time(t) => Scalar::Time(*t),
        }
    }

    /// The Python type the matcher would see, for the set homogeneity rule.
    fn type_tag(&self) -> u8 {
        match self {
            Lit::Int(_) => 0,
            Lit::Float(_) => 1,
            Lit::Str(_) => 2,
            Lit::Bool(_) => 3,
            Lit::Bytes(_) => 4,
            Lit::Time(_) => 5,
        }
    }
}

/// A timestamp literal's text as a time, or the matcher's error.
fn time(text: &str) -> Result<i64, EvalError> {
    parse_timestamp(text).ok_or_else(|| EvalError::InvalidTimestampLiteral(text.to_owned()))
}

fn literal(l: &Literal) -> Result<Lit, EvalError> {
    Ok(match l {
        Literal::Int(i) => Lit::Int(*i),
        Literal::Float(f) => Lit::Float(*f),
        Literal::String(s) => Lit::Str(s.clone()),
        Literal::Bool(b) => Lit::Bool(*b),
        Literal::Binary(b) | Literal::Hex(b) => Lit::Bytes(b.clone()),
        Literal::Timestamp(t) => Lit::Time(time(t)?),
    })
}

impl Pattern {
    /// Compiles the pattern for evaluation; fails where stix2-matcher fails before looking at
    /// any observation.
    pub fn compile(&self) -> Result<CompiledPattern, EvalError> {
        let mut tests = Vec::new();
        let root = observation(&self.expr, &mut tests)?;
        Ok(CompiledPattern { root, tests })
    }
}

fn observation(e: &ObservationExpr, tests: &mut Vec<CompiledTest>) -> Result<Node, EvalError> {
    let list = |items: &[ObservationExpr], tests: &mut Vec<CompiledTest>| {
        items
            .iter()
            .map(|i| observation(i, tests))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match e {
        ObservationExpr::Observation(c) => Node::Leaf(comparison(c, tests)?),
        ObservationExpr::Group(inner) => observation(inner, tests)?,
        ObservationExpr::And(items) => Node::And(list(items, tests)?),
        ObservationExpr::Or(items) => Node::Or(list(items, tests)?),
        ObservationExpr::FollowedBy(items) => Node::FollowedBy(list(items, tests)?),
        ObservationExpr::Qualified { expr, qualifiers } => {
            let inner = observation(expr, tests)?;
            let quals = qualifiers
                .iter()
                .map(|q| qualifier(&q.kind))
                .collect::<Result<Vec<_>, _>>()?;
            Node::Qualified(Box::new(inner), quals)
        }
    })
}

fn qualifier(q: &crate::ast::QualifierKind) -> Result<Qual, EvalError> {
    use crate::ast::QualifierKind;
    Ok(match q {
        QualifierKind::Within(n) => {
            let micros = match *n {
                Number::Int(i) if i > 0 => {
                    i.saturating_mul(1_000_000).min(i128::from(i64::MAX)) as i64
                }
                Number::Float(f) if f > 0.0 => (f * 1e6).round_ties_even() as i64,
                _ => return Err(EvalError::InvalidWithin(n.to_string())),
            };
            Qual::Within(micros)
        }
        QualifierKind::Repeats(n) => {
            if *n < 1 {
                return Err(EvalError::InvalidRepeats(*n));
            }
            Qual::Repeats(n.unsigned_abs())
        }
        QualifierKind::StartStop { start, stop } => Qual::StartStop(time(start)?, time(stop)?),
    })
}

fn comparison(c: &ComparisonExpr, tests: &mut Vec<CompiledTest>) -> Result<Cmp, EvalError> {
    let list = |items: &[ComparisonExpr], tests: &mut Vec<CompiledTest>| {
        items
            .iter()
            .map(|i| comparison(i, tests))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match c {
        ComparisonExpr::And(items) => Cmp::And(list(items, tests)?),
        ComparisonExpr::Or(items) => Cmp::Or(list(items, tests)?),
        ComparisonExpr::Group(inner) => comparison(inner, tests)?,
        ComparisonExpr::Test(t) => {
            let pred = match &t.test {
                Test::Compare(op, l) => Pred::Compare(*op, literal(l)?),
                Test::In(items) => set(items)?,
                Test::Like(s) => Pred::Like(Like::new(s)?),
                Test::Matches(s) => Pred::Matches(Matches::new(s)?),
                Test::IsSubset(s) => Pred::IsSubset(s.clone()),
                Test::IsSuperset(s) => Pred::IsSuperset(s.clone()),
                Test::Exists => Pred::Exists,
            };
            tests.push(CompiledTest {
                object_type: t.path.object_type.clone(),
                steps: t.path.steps.clone(),
                negated: t.negated,
                pred,
            });
            Cmp::Test(tests.len() - 1)
        }
    })
}

fn set(items: &[Literal]) -> Result<Pred, EvalError> {
    let values = items.iter().map(literal).collect::<Result<Vec<_>, _>>()?;
    let first = values.first().map(Lit::type_tag);
    let homogeneous = values.iter().all(|v| Some(v.type_tag()) == first);
    let numbers = values
        .iter()
        .all(|v| matches!(v, Lit::Int(_) | Lit::Float(_)));
    if !homogeneous && !numbers {
        let shown: Vec<String> = items.iter().map(ToString::to_string).collect();
        return Err(EvalError::NonHomogeneousSet(format!(
            "({})",
            shown.join(", ")
        )));
    }
    let timestamps = matches!(values.first(), Some(Lit::Time(_)));
    Ok(Pred::In(values, timestamps))
}
