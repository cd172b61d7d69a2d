//! Typed errors: parse errors with their place in the pattern, validation findings, and the
//! errors of loading observations and of evaluating a pattern over them.

/// A pattern the grammar rejects, with the byte offset, line and column (1-based, counted
/// in characters) where the problem is.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind} at line {line}, column {column}")]
pub struct ParseError {
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub kind: ParseErrorKind,
}

impl ParseError {
    pub(crate) fn at(src: &str, offset: usize, kind: ParseErrorKind) -> ParseError {
        let offset = offset.min(src.len());
        let before = src.get(..offset).unwrap_or(src);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        ParseError {
            offset,
            line,
            column,
            kind,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("unexpected character {0:?}")]
    UnexpectedChar(char),
    #[error("string literal is not closed (a quote inside a string is written \\')")]
    UnterminatedString,
    #[error("invalid escape \\{0} in a string literal (only \\' and \\\\ are allowed)")]
    InvalidEscape(char),
    #[error("comment is not closed")]
    UnterminatedComment,
    #[error("invalid timestamp literal {0} (expected t'YYYY-MM-DDTHH:MM:SS[.fraction]Z', upper-case T and Z)")]
    InvalidTimestamp(String),
    #[error("invalid binary literal {0} (expected b'...' with padded base64)")]
    InvalidBinary(String),
    #[error("invalid hex literal {0} (expected h'...' with pairs of hex digits)")]
    InvalidHex(String),
    #[error("number {0} is too large")]
    NumberTooLarge(String),
    #[error("expressions nested more than {0} deep")]
    TooDeep(usize),
    #[error("expected {expected}, found {found}")]
    Unexpected { expected: String, found: String },
}

/// What the STIX validator (stix2-patterns) rejects beyond the grammar.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValidationError {
    #[error("invalid pattern: {0}")]
    Parse(#[from] ParseError),
    #[error("duplicate qualifier type encountered: {qualifier} (at offset {offset}); put the expression in parentheses to qualify it again")]
    DuplicateQualifier {
        qualifier: &'static str,
        offset: usize,
    },
    #[error("'{value}' is not a valid {algorithm} hash")]
    InvalidHash { algorithm: String, value: String },
}

/// Observations that cannot be read: not STIX, or observed-data missing what matching needs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ObservationError {
    #[error("expected a STIX bundle, a list of bundles or a list of observed-data, found {0}")]
    NotStix(String),
    #[error("{0} has no 'objects' list")]
    BundleWithoutObjects(String),
    #[error("{id}: missing property '{property}'")]
    MissingProperty { id: String, property: &'static str },
    #[error("{id}: invalid '{property}': {reason}")]
    InvalidProperty {
        id: String,
        property: &'static str,
        reason: String,
    },
}

/// Why a valid pattern cannot be evaluated (what stix2-matcher reports as a `MatcherException`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("invalid timestamp literal t'{0}' (not a real date and time)")]
    InvalidTimestampLiteral(String),
    #[error("set literal mixes types: {0}")]
    NonHomogeneousSet(String),
    #[error("invalid regular expression '{regex}': {reason}")]
    InvalidRegex { regex: String, reason: String },
    #[error("invalid WITHIN value (must be positive): {0}")]
    InvalidWithin(String),
    #[error("invalid repetition count (must be at least 1): {0}")]
    InvalidRepeats(i128),
    #[error("invalid timestamp in the observed data: {0:?}")]
    InvalidJsonTimestamp(String),
    #[error("invalid IP address: {0:?}")]
    InvalidIp(String),
    #[error("invalid CIDR subnet: {0:?}")]
    InvalidCidr(String),
    #[error("reference property '{property}': {reason}")]
    BadReference { property: String, reason: String },
    #[error("property '{property}' does not hold {encoding}: {reason}")]
    BadBinaryProperty {
        property: String,
        encoding: &'static str,
        reason: String,
    },
    #[error("binary value is not UTF-8 text, so LIKE cannot compare it")]
    BinaryNotUtf8,
    #[error("observed-data {0} has first_observed after last_observed")]
    ReversedInterval(String),
    #[error("time out of range when adding the WITHIN duration")]
    TimeOutOfRange,
    #[error("gave up after {0} combinations of observations: the pattern is too combinatorial for these observations")]
    TooComplex(u64),
}
