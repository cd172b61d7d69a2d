//! SCA rules: `[not ]TYPE:TARGET[ -> STAGE]...`, TYPE one of `f` (file), `d` (directory),
//! `p` (process), `c` (command), `r` (Windows registry); content stages are operations
//! joined by ` && `: `r:REGEX`, `!r:REGEX`, `n:REGEX compare OP NUMBER` (the first capture
//! group compared), or a literal the whole line must equal. Regexes are PCRE-like
//! (fancy-regex: look-arounds and back-references are accepted).

use fancy_regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Directory,
    Process,
    Command,
    Registry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Lt,
    Le,
    Eq,
    Ne,
    Ge,
    Gt,
}

#[derive(Debug, Clone)]
pub enum Op {
    Matches(Regex),
    NotMatches(Regex),
    Number(Regex, CompareOp, f64),
    Literal(String),
}

impl Op {
    /// Whether a line satisfies this operation.
    pub fn holds(&self, line: &str) -> bool {
        match self {
            Op::Matches(r) => r.is_match(line).unwrap_or(false),
            Op::NotMatches(r) => !r.is_match(line).unwrap_or(true),
            Op::Literal(s) => line.trim() == s,
            Op::Number(r, op, v) => {
                let Some(n) = r
                    .captures(line)
                    .ok()
                    .flatten()
                    .and_then(|c| c.get(1))
                    .and_then(|m| m.as_str().trim().parse::<f64>().ok())
                else {
                    return false;
                };
                match op {
                    CompareOp::Lt => n < *v,
                    CompareOp::Le => n <= *v,
                    CompareOp::Eq => n == *v,
                    CompareOp::Ne => n != *v,
                    CompareOp::Ge => n >= *v,
                    CompareOp::Gt => n > *v,
                }
            }
        }
    }
}

/// A stage: operations that must all hold on one line (or, for a directory's first stage, on
/// a file name).
pub type Stage = Vec<Op>;

#[derive(Debug, Clone)]
pub struct Rule {
    pub text: String,
    pub negated: bool,
    pub kind: Kind,
    pub target: String,
    pub stages: Vec<Stage>,
}

fn regex(pattern: &str) -> Result<Regex, String> {
    fancy_regex::RegexBuilder::new(pattern)
        .backtrack_limit(100_000)
        .build()
        .map_err(|e| format!("regex {pattern:?}: {e}"))
}

fn parse_op(text: &str) -> Result<Op, String> {
    let t = text.trim();
    if let Some(p) = t.strip_prefix("!r:") {
        return Ok(Op::NotMatches(regex(p)?));
    }
    if let Some(p) = t.strip_prefix("r:") {
        return Ok(Op::Matches(regex(p)?));
    }
    if let Some(rest) = t.strip_prefix("n:") {
        let (pattern, cmp) = rest
            .rsplit_once(" compare ")
            .ok_or_else(|| format!("{t:?}: `n:` needs ` compare OP NUMBER`"))?;
        let mut parts = cmp.split_whitespace();
        let op = match parts.next() {
            Some("<") => CompareOp::Lt,
            Some("<=") => CompareOp::Le,
            Some("==") | Some("=") => CompareOp::Eq,
            Some("!=") => CompareOp::Ne,
            Some(">=") => CompareOp::Ge,
            Some(">") => CompareOp::Gt,
            other => return Err(format!("{t:?}: unknown comparison {other:?}")),
        };
        let value: f64 = parts
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{t:?}: the comparison needs a number"))?;
        return Ok(Op::Number(regex(pattern)?, op, value));
    }
    Ok(Op::Literal(t.to_owned()))
}

/// Reads one rule.
pub fn parse_rule(text: &str) -> Result<Rule, String> {
    let t = text.trim();
    let (negated, body) = match t.strip_prefix("not ") {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let (kind, rest) = match body.split_once(':') {
        Some(("f", r)) => (Kind::File, r),
        Some(("d", r)) => (Kind::Directory, r),
        Some(("p", r)) => (Kind::Process, r),
        Some(("c", r)) => (Kind::Command, r),
        Some(("r", r)) => (Kind::Registry, r),
        _ => return Err(format!("rule {t:?}: expected f:, d:, p:, c: or r:")),
    };
    let mut parts = rest.split(" -> ");
    let target = parts.next().unwrap_or("").trim().to_owned();
    if target.is_empty() {
        return Err(format!("rule {t:?}: no target"));
    }
    let stages = parts
        .map(|stage| {
            stage
                .split(" && ")
                .map(parse_op)
                .collect::<Result<Stage, String>>()
        })
        .collect::<Result<Vec<Stage>, String>>()
        .map_err(|e| format!("rule {t:?}: {e}"))?;
    Ok(Rule {
        text: t.to_owned(),
        negated,
        kind,
        target,
        stages,
    })
}
