//! The syntax tree of a STIX 2.1 pattern, as the parser builds it and `Display` writes it back.
//!
//! Chains of one operator (`A AND B AND C`) are kept flat: every observation and comparison
//! operator of the language is associative, and a flat list keeps the tree shallow whatever the
//! length of the chain. Parentheses are kept as `Group` nodes because the validator's rule on
//! duplicate qualifiers depends on them.

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub expr: ObservationExpr,
}

/// An observation expression: what must be seen across observed-data.
#[derive(Debug, Clone, PartialEq)]
pub enum ObservationExpr {
    /// `[ comparison ]`: one observation whose objects satisfy the comparison.
    Observation(ComparisonExpr),
    /// `( observation expression )`.
    Group(Box<ObservationExpr>),
    /// `A AND B ...`: each operand bound to its own observation (at least two operands).
    And(Vec<ObservationExpr>),
    /// `A OR B ...` (at least two operands).
    Or(Vec<ObservationExpr>),
    /// `A FOLLOWEDBY B ...`: each operand seen no earlier than the one before (at least two).
    FollowedBy(Vec<ObservationExpr>),
    /// An observation expression with qualifiers, applied left to right (at least one).
    Qualified {
        expr: Box<ObservationExpr>,
        qualifiers: Vec<Qualifier>,
    },
}

/// A qualifier on an observation expression, with the byte offset of its keyword.
#[derive(Debug, Clone, PartialEq)]
pub struct Qualifier {
    pub kind: QualifierKind,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum QualifierKind {
    /// `WITHIN n SECONDS` (an integer or a decimal number, written without sign or with `+`).
    Within(Number),
    /// `REPEATS n TIMES`.
    Repeats(i128),
    /// `START t'..' STOP t'..'`: the text of both timestamp literals (checked by the grammar
    /// only; whether they are real dates is the evaluator's business).
    StartStop { start: String, stop: String },
}

impl QualifierKind {
    /// The name the validator uses for the qualifier's type.
    pub fn name(&self) -> &'static str {
        match self {
            QualifierKind::Within(_) => "WITHIN",
            QualifierKind::Repeats(_) => "REPEATS",
            QualifierKind::StartStop { .. } => "STARTSTOP",
        }
    }
}

/// A number in a qualifier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i128),
    Float(f64),
}

/// A comparison expression: tests on the objects of one observation.
#[derive(Debug, Clone, PartialEq)]
pub enum ComparisonExpr {
    /// Both sides hold for the same object (at least two operands).
    And(Vec<ComparisonExpr>),
    /// Either side holds (at least two operands).
    Or(Vec<ComparisonExpr>),
    /// `( comparison )`.
    Group(Box<ComparisonExpr>),
    Test(PropTest),
}

/// One property test, with `NOT` and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct PropTest {
    pub path: ObjectPath,
    pub negated: bool,
    pub test: Test,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `=`, `!=`, `<`, `<=`, `>`, `>=` against a literal.
    Compare(CompareOp, Literal),
    /// `IN (a, b, ...)` (possibly empty).
    In(Vec<Literal>),
    /// `LIKE 'pattern'` with `%` and `_`.
    Like(String),
    /// `MATCHES 'regex'`.
    Matches(String),
    /// `ISSUBSET 'cidr'`.
    IsSubset(String),
    /// `ISSUPERSET 'ip or cidr'`.
    IsSuperset(String),
    /// `EXISTS path`.
    Exists,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// `type:first.step[0].'quoted step'[*]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPath {
    pub object_type: String,
    /// The first step is always a key.
    pub steps: Vec<PathStep>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathStep {
    Key(String),
    Index(i128),
    AnyIndex,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Int(i128),
    Float(f64),
    String(String),
    Bool(bool),
    /// `b'base64'`, decoded.
    Binary(Vec<u8>),
    /// `h'hex'`, decoded.
    Hex(Vec<u8>),
    /// `t'...'`: the text between the quotes, as the grammar accepts it.
    Timestamp(String),
}
