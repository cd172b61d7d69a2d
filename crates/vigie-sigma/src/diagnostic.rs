//! Problems found in a rule file: errors make a document unusable, warnings do not.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with the 1-based line where it was found when known.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: Option<usize>,
    pub message: String,
    /// The rule's `id` (or title) when the problem is inside a known document.
    pub rule: Option<String>,
}

impl Diagnostic {
    pub fn error(line: impl Into<Option<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            line: line.into(),
            message: message.into(),
            rule: None,
        }
    }

    pub fn warning(line: impl Into<Option<usize>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            line: line.into(),
            message: message.into(),
            rule: None,
        }
    }

    pub fn with_rule(mut self, rule: Option<&str>) -> Self {
        if self.rule.is_none() {
            self.rule = rule.map(str::to_owned);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, "rule {rule}: ")?;
        }
        f.write_str(&self.message)
    }
}
